"""surveys: see the package docstring of govportal.interaction."""

from govportal.accounts.roles import Role

# The operator (运维监管) builds surveys, closes them, moderates comments and publishes the
# feedback (第十条(一)); answers are anonymous and only ever read in aggregate.
ROLE_PERMISSIONS = {
    Role.OPERATOR: [
        ("interaction", "add_survey"),
        ("interaction", "change_survey"),
        ("interaction", "delete_survey"),
        ("interaction", "view_survey"),
        ("interaction", "view_consultationcomment"),
        ("interaction", "change_consultationcomment"),
    ]
}
