from typing import Any

from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from govportal.accounts.forms import PortalUserCreationForm, PortalUserEditForm


class UserViewSet(WagtailUserViewSet):  # type: ignore[misc]
    def get_form_class(self, for_update: bool = False) -> Any:
        return PortalUserEditForm if for_update else PortalUserCreationForm
