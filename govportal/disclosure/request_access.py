"""Who may see and handle disclosure requests: the handling unit's staff and the operator.

One condition per line (STYLE.md: access to citizen data goes through a few small helpers).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from govportal.accounts.roles import Role, user_has_role
from govportal.core.models import UnitGroup
from govportal.disclosure.models import DisclosureRequest

__all__ = [
    "can_handle_request",
    "get_request_for_staff",
    "is_request_staff",
    "requests_for_staff",
]


def _is_unit_staff(user: Any, unit_id: int | None) -> bool:
    if unit_id is None or getattr(user, "unit_id", None) != unit_id:
        return False
    return UnitGroup.objects.filter(unit_id=unit_id, group__user=user).exists()


def is_request_staff(user: Any) -> bool:
    """Whether the user has a disclosure-request queue at all."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user_has_role(user, Role.OPERATOR):
        return True
    return _is_unit_staff(user, getattr(user, "unit_id", None))


def can_handle_request(user: Any, request: DisclosureRequest) -> bool:
    """Handle the request and see the applicant's ID number."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user_has_role(user, Role.OPERATOR):
        return True
    return _is_unit_staff(user, request.unit_id)


def requests_for_staff(user: Any) -> QuerySet[DisclosureRequest]:
    """The user's queue: their unit's requests; every request for the operator."""
    requests = DisclosureRequest.objects.select_related("unit", "handler")
    if not is_request_staff(user):
        return requests.none()
    if user_has_role(user, Role.OPERATOR):
        return requests
    return requests.filter(unit_id=user.unit_id)


def get_request_for_staff(user: Any, pk: int) -> DisclosureRequest:
    """The request if the user may handle it; 404 otherwise (nothing tells it exists)."""
    try:
        request = requests_for_staff(user).get(pk=pk)
    except DisclosureRequest.DoesNotExist:
        raise Http404("没有找到该申请，或您无权办理。") from None
    return request
