from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from govportal.core import admin_views, calendar_admin
from govportal.core.models import ColumnKind, Unit
from govportal.core.services import unit_groups_ensure


class UnitViewSet(SnippetViewSet):
    model = Unit
    icon = "group"
    menu_label = "单位"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "kind", "contact_person", "phone", "email"]
    list_filter = ["kind"]
    search_fields = ["name", "contact_person"]


class ColumnKindViewSet(SnippetViewSet):
    model = ColumnKind
    icon = "list-ul"
    menu_label = "栏目类型"
    list_display = ["name", "code", "freshness_label", "source"]


register_snippet(UnitViewSet)
register_snippet(ColumnKindViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def ensure_unit_groups(request: HttpRequest, instance: object) -> None:
    # Every unit gets its editor and reviewer groups as soon as it exists.
    if isinstance(instance, Unit):
        unit_groups_ensure(unit=instance)


# Working-day calendar (法定节假日与调休): screens, and the dashboard warning for a missing year.
register_snippet(calendar_admin.WorkdayCalendarViewSetGroup)
hooks.register("construct_homepage_panels", calendar_admin.construct_homepage_panels)


@hooks.register("register_admin_urls")
def responsibility_urls() -> list[Any]:
    urls = [
        path("", admin_views.ResponsibilityTableView.as_view(), name="index"),
        path(
            "export/<str:file_format>/",
            admin_views.responsibility_export,
            name="export",
        ),
        path("import/", admin_views.ResponsibilityImportView.as_view(), name="import"),
        path(
            "import/<str:token>/",
            admin_views.ResponsibilityImportPreviewView.as_view(),
            name="import_preview",
        ),
    ]
    return [path("responsibility/", include((urls, "core_responsibility")))]


class ResponsibilityMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return admin_views.responsibility_visible(request.user)


@hooks.register("register_admin_menu_item")
def responsibility_menu_item() -> MenuItem:
    return ResponsibilityMenuItem(
        "栏目责任明细表",
        reverse_lazy("core_responsibility:index"),
        name="responsibility",
        icon_name="table",
        order=205,
    )
