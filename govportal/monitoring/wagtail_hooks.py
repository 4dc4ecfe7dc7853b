"""Admin of the monitoring app: the indicator table (snippet), the supervision screens
(admin_views: dashboard, work orders, duty log, reminders, circular, annual assessment,
accountability, crawl results), their menu and the home panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from govportal.monitoring import admin_views, integrity_admin
from govportal.monitoring.models import Indicator, SecurityIncident
from govportal.monitoring.supervision import supervision_manager


class IndicatorViewSet(SnippetViewSet):
    """The indicator table, edited by the operator (运维监管) when a new edition appears."""

    model = Indicator
    icon = "tasks"
    menu_label = "检查指标"
    list_display = ["name", "level", "rule_kind", "points", "cap", "edition", "active"]
    list_filter = ["edition", "level", "active"]
    search_fields = ["name", "code", "note"]


register_snippet(IndicatorViewSet)


class SecurityIncidentCreateView(CreateView):
    def save_instance(self) -> Any:
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class SecurityIncidentViewSet(SnippetViewSet):
    """安全事件登记: incidents for the veto "安全、泄密事故等严重问题" (monitoring/security_rules.py),
    recorded by the operator, read by the auditor (monitoring/apps.py)."""

    model = SecurityIncident
    icon = "warning"
    menu_label = "安全事件登记"
    add_view_class = SecurityIncidentCreateView
    list_display = ["occurred_on", "kind", "unit", "url", "resolved_on", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["description", "url"]
    search_backend_name = None


register_snippet(SecurityIncidentViewSet)


@hooks.register("register_admin_urls")
def supervision_urls() -> list[Any]:
    return [
        path(
            "supervision/",
            include((admin_views.admin_urlpatterns(), admin_views.NAMESPACE)),
        )
    ]


class ManagerMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return supervision_manager(request.user)


class UnitMenuItem(MenuItem):  # type: ignore[misc]
    """Shown to the operator and to any unit's staff (who see their own records)."""

    def is_shown(self, request: HttpRequest) -> bool:
        return admin_views.supervision_visible(request.user)


def _url(name: str) -> Any:
    return reverse_lazy(f"{admin_views.NAMESPACE}:{name}")


SUPERVISION_MENU = Menu(
    register_hook_name="register_supervision_menu_item", construct_hook_name=None
)


@hooks.register("register_supervision_menu_item")
def _dashboard_item() -> MenuItem:
    return ManagerMenuItem(
        "监管总览", _url("dashboard"), name="sv-dashboard", icon_name="view", order=10
    )


@hooks.register("register_supervision_menu_item")
def _orders_item() -> MenuItem:
    return UnitMenuItem("工单", _url("orders"), name="sv-orders", icon_name="tasks", order=20)


@hooks.register("register_supervision_menu_item")
def _log_item() -> MenuItem:
    return ManagerMenuItem(
        "值班读网记录", _url("duty_log"), name="sv-log", icon_name="date", order=30
    )


@hooks.register("register_supervision_menu_item")
def _reminders_item() -> MenuItem:
    return UnitMenuItem(
        "月度提醒", _url("reminders"), name="sv-reminders", icon_name="mail", order=40
    )


@hooks.register("register_supervision_menu_item")
def _circular_item() -> MenuItem:
    return ManagerMenuItem(
        "季度通报", _url("circular"), name="sv-circular", icon_name="doc-full", order=50
    )


@hooks.register("register_supervision_menu_item")
def _annual_item() -> MenuItem:
    return ManagerMenuItem(
        "年度考核", _url("annual"), name="sv-annual", icon_name="table", order=60
    )


@hooks.register("register_supervision_menu_item")
def _accountability_item() -> MenuItem:
    return ManagerMenuItem(
        "责任追究", _url("accountability"), name="sv-accountability", icon_name="warning", order=70
    )


@hooks.register("register_supervision_menu_item")
def _crawls_item() -> MenuItem:
    return ManagerMenuItem("抓取结果", _url("crawls"), name="sv-crawls", icon_name="link", order=80)


class SupervisionSubmenu(SubmenuMenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return admin_views.supervision_visible(request.user)


@hooks.register("register_admin_menu_item")
def supervision_menu() -> MenuItem:
    return SupervisionSubmenu(
        "监测监管", SUPERVISION_MENU, name="supervision", icon_name="view", order=210
    )


hooks.register("construct_homepage_panels", admin_views.construct_homepage_panels)

# Tamper alerts and availability probes (integrity part): its URLs, menu items, panel, snippet.
integrity_admin.register_hooks()
