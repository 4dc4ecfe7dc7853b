"""mailbox: see the package docstring of govportal.interaction.

The operator edits the reply periods and the rejection reasons (snippets); the queues and the
message screen check access themselves (services.message_for_staff), not with model permissions.
"""

from govportal.accounts.roles import Role

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.OPERATOR: [
        ("interaction", f"{action}_{model}")
        for model in ("messagetyperule", "rejectreason")
        for action in ("add", "change", "delete", "view")
    ],
}
