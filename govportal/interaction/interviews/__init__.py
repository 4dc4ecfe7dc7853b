"""interviews: see the package docstring of govportal.interaction."""

from govportal.accounts.roles import Role

# The operator (运维监管) prepares interviews, moderates questions and hosts the live session.
ROLE_PERMISSIONS = {
    Role.OPERATOR: [
        ("interaction", "add_interview"),
        ("interaction", "change_interview"),
        ("interaction", "delete_interview"),
        ("interaction", "view_interview"),
        ("interaction", "view_interviewquestion"),
        ("interaction", "change_interviewquestion"),
    ]
}
