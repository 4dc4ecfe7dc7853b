"""Admin wiring of the reports app: the screens, the menu item and the dashboard panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse_lazy
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from govportal.reports import admin_views, dashboard, services


@hooks.register("register_admin_urls")
def register_reports_urls() -> list[Any]:
    return [
        path(
            "annual-reports/",
            include((admin_views.admin_urlpatterns(), admin_views.NAMESPACE)),
        )
    ]


class AnnualReportMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return services.user_can_manage_reports(request.user)


@hooks.register("register_admin_menu_item")
def annual_report_menu_item() -> MenuItem:
    return AnnualReportMenuItem(
        "公开年报",
        reverse_lazy(f"{admin_views.NAMESPACE}:list"),
        name="disclosure-reports",
        icon_name="doc-full-inverse",
        order=240,
    )


@hooks.register("construct_homepage_panels")
def report_deadlines_panel(request: HttpRequest, panels: list[Any]) -> None:
    """The report deadlines, for those who manage the reports (the operator)."""
    if not services.user_can_manage_reports(request.user):
        return
    panels.append(dashboard.ReportDeadlinesPanel(dashboard.deadline_rows(timezone.localdate())))
