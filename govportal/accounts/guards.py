"""Model-level guards that hold whichever path (admin, shell, import) changes a user."""

from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from govportal.accounts.roles import combined_admin_roles


def refuse_combined_admin_roles(
    sender: Any, instance: Any, action: str, pk_set: set[int] | None, reverse: bool, **kwargs: Any
) -> None:
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        # group.user_set.add(...): instance is the group, pk_set the users.
        from govportal.accounts.models import User

        for user in User.objects.filter(pk__in=pk_set):
            names = [*user.groups.values_list("name", flat=True), instance.name]
            if held := combined_admin_roles(names):
                raise ValidationError(f"三员分立: {user.username} 不能同时担任{'、'.join(held)}。")
        return
    names = [
        *instance.groups.values_list("name", flat=True),
        *Group.objects.filter(pk__in=pk_set).values_list("name", flat=True),
    ]
    if held := combined_admin_roles(names):
        raise ValidationError(f"三员分立: {instance.username} 不能同时担任{'、'.join(held)}。")
