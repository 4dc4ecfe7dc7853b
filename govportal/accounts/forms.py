"""Admin user forms: unit membership, and 三员分立 refused with a form error."""

from typing import Any

from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm

from govportal.accounts.roles import combined_admin_roles

EXTRA_FIELDS = {"unit", "phone"}


class SeparatedRolesMixin:
    cleaned_data: dict[str, Any]

    def clean_groups(self) -> Any:
        groups = self.cleaned_data.get("groups")
        names = [g.name for g in groups] if groups else []
        if held := combined_admin_roles(names):
            raise forms.ValidationError(
                f"三员分立: 一个账号不能同时担任{'、'.join(held)}，请分别设置给不同的人。"
            )
        return groups


class PortalUserCreationForm(SeparatedRolesMixin, UserCreationForm):  # type: ignore[misc]
    class Meta(UserCreationForm.Meta):  # type: ignore[misc]
        fields = UserCreationForm.Meta.fields | EXTRA_FIELDS


class PortalUserEditForm(SeparatedRolesMixin, UserEditForm):  # type: ignore[misc]
    class Meta(UserEditForm.Meta):  # type: ignore[misc]
        fields = UserEditForm.Meta.fields | EXTRA_FIELDS
