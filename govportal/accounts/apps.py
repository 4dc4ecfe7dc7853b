from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    # This module holds two AppConfigs (and imports a third); without `default`, Django would
    # fall back to a bare AppConfig for "govportal.accounts" and ready() would never connect the
    # 三员分立 guard.
    default = True
    name = "govportal.accounts"
    label = "accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed

        from govportal.accounts import guards
        from govportal.accounts.models import User

        # Defence in depth for 三员分立: refuse the second admin role however it is added.
        m2m_changed.connect(guards.refuse_combined_admin_roles, sender=User.groups.through)


class PortalUsersAppConfig(WagtailUsersAppConfig):  # type: ignore[misc]
    """wagtail.users with our user forms (unit membership, 三员分立)."""

    user_viewset = "govportal.accounts.viewsets.UserViewSet"
