"""Platform-wide roles (groups). Per-unit editor and reviewer groups live in core.UnitGroup.

三员分立 (等保): the system admin, the security admin and the auditor are three separate people;
no account may hold two of these roles.
"""

from enum import StrEnum
from typing import Any


class Role(StrEnum):
    OPERATOR = "运维监管"  # 承办单位: runs and supervises the site day to day (第四条)
    SYSTEM_ADMIN = "系统管理员"
    SECURITY_ADMIN = "安全管理员"
    AUDITOR = "审计管理员"


SEPARATED_ADMIN_ROLES: frozenset[str] = frozenset(
    {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}
)


def combined_admin_roles(group_names: set[str] | list[str]) -> list[str]:
    """The separated admin roles among these group names when there are two or more, else []."""
    held = sorted(set(group_names) & SEPARATED_ADMIN_ROLES)
    return held if len(held) > 1 else []


def user_has_role(user: Any, *roles: str) -> bool:
    """Whether the user holds one of these platform roles (group membership).

    The user's role names are read once and kept on the user object for the request.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    held: set[str] | None = getattr(user, "_portal_role_names", None)
    if held is None:
        held = set(
            user.groups.filter(name__in=[r.value for r in Role]).values_list("name", flat=True)
        )
        user._portal_role_names = held
    return bool(held.intersection(roles))
