"""Admin screens for tamper alerts (防篡改, 第十八条) and availability probes (站点无法访问).

`register_hooks()` registers the URLs, menu items, dashboard panel and probe-target snippet;
monitoring/wagtail_hooks.py calls it once. (Not at import: a test that imports these views must
not add menu items whose URLs the admin it already built does not have.)

Who sees what: the operator (运维监管) and the security admin (安全管理员) see every alert and the
probes and may restore; unit staff see the alerts of their own units' pages, read only;
everybody else sees nothing (integrity.alerts_for_user).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import include, path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from govportal.accounts.roles import Role, user_has_role
from govportal.monitoring.integrity import (
    DEFAULT_THRESHOLDS,
    RestoreError,
    alert_for_user,
    alerts_for_user,
    availability_by_day,
    indicator_thresholds,
    integrity_restore,
    region_diff,
    user_can_restore,
)
from govportal.monitoring.models import (
    AvailabilityProbe,
    ElementCheck,
    IntegrityAlert,
    IntegrityCheck,
    ProbeTarget,
)

NAMESPACE = "monitoring_integrity"
AVAILABILITY_DAYS = 14


def is_supervisor(user: Any) -> bool:
    """The operator or the security admin (or a superuser)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user_has_role(user, Role.OPERATOR, Role.SECURITY_ADMIN))
    )


def sees_alerts(user: Any) -> bool:
    return is_supervisor(user) or getattr(user, "unit_id", None) is not None


class RestoreForm(forms.Form):
    confirm = forms.BooleanField(
        label="我已核实该页面被篡改，确认恢复为已发布版本",
        error_messages={"required": "请勾选确认后再恢复。"},
    )


# Views ------------------------------------------------------------------------------------------


def alert_list(request: HttpRequest) -> HttpResponse:
    if not sees_alerts(request.user):
        raise PermissionDenied
    state = request.GET.get("state", "open")
    alerts = alerts_for_user(request.user)
    if state in IntegrityAlert.State.values:
        alerts = alerts.filter(state=state)
    return render(
        request,
        "monitoring/integrity/alerts.html",
        {
            "alerts": alerts[:200],
            "state": state,
            "states": IntegrityAlert.State.choices,
            "checks": IntegrityCheck.objects.all()[:5] if is_supervisor(request.user) else [],
        },
    )


def _alert_or_404(request: HttpRequest, pk: int) -> IntegrityAlert:
    try:
        return alert_for_user(request.user, pk)
    except IntegrityAlert.DoesNotExist as error:
        raise Http404("没有这条告警，或您无权查看。") from error


def _alert_page(
    request: HttpRequest, alert: IntegrityAlert, form: RestoreForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "monitoring/integrity/alert.html",
        {
            "alert": alert,
            "diff": region_diff(alert.expected_text, alert.live_text),
            "form": form,
            "can_restore": user_can_restore(request.user)
            and alert.state == IntegrityAlert.State.OPEN,
            "units": list(alert.units.all()),
        },
        status=status,
    )


def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not sees_alerts(request.user):
        raise PermissionDenied
    return _alert_page(request, _alert_or_404(request, pk), RestoreForm())


def alert_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """恢复已发布版本: the one action on an alert (POST, confirmed)."""
    if not sees_alerts(request.user):
        raise PermissionDenied
    alert = _alert_or_404(request, pk)
    if request.method != "POST":
        return redirect(reverse(f"{NAMESPACE}:alert", args=[alert.pk]))
    if not user_can_restore(request.user):
        raise PermissionDenied("只有运维监管人员或安全管理员可以恢复被篡改的页面。")
    form = RestoreForm(request.POST)
    if not form.is_valid():
        return _alert_page(request, alert, form, status=400)
    try:
        revision = integrity_restore(alert=alert, user=request.user)
    except RestoreError as error:
        form.add_error(None, error.message)
        return _alert_page(request, alert, form, status=400)
    messages.success(request, f"已恢复“{alert.page_title}”的已发布版本（版本 {revision.pk}）。")
    return redirect(reverse(f"{NAMESPACE}:alert", args=[alert.pk]))


def availability(request: HttpRequest) -> HttpResponse:
    """Probe targets with their failure share per day, and the latest probes."""
    if not is_supervisor(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    first = today - dt.timedelta(days=AVAILABILITY_DAYS - 1)
    thresholds = indicator_thresholds("site_unreachable", DEFAULT_THRESHOLDS)
    per_day, limit = int(thresholds["visits_per_day"]), float(thresholds["failure_share"])
    targets = []
    for target in ProbeTarget.objects.all():
        days = [
            {
                "day": day,
                "probes": probes,
                "failures": failures,
                "short": probes < per_day,
                "share": f"{failures / probes:.1%}" if probes else "—",
                "over": bool(probes) and failures / probes >= limit,
            }
            for day, probes, failures in availability_by_day(target, first=first, last=today)
        ]
        targets.append({"target": target, "days": days})
    return render(
        request,
        "monitoring/integrity/availability.html",
        {
            "targets": targets,
            "per_day": per_day,
            "limit": f"{limit:.0%}",
            "probes": AvailabilityProbe.objects.select_related("target")[:50],
            "elements": ElementCheck.objects.first(),
        },
    )


def urlpatterns() -> list[Any]:
    return [
        path("", alert_list, name="alerts"),
        path("<int:pk>/", alert_detail, name="alert"),
        path("<int:pk>/restore/", alert_restore, name="restore"),
        path("availability/", availability, name="availability"),
    ]


# Hooks ------------------------------------------------------------------------------------------


def register_admin_urls() -> list[Any]:
    return [path("integrity/", include((urlpatterns(), NAMESPACE), namespace=NAMESPACE))]


class _AlertsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return sees_alerts(request.user)


class _SupervisorMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return is_supervisor(request.user)


def alerts_menu_item() -> MenuItem:
    return _AlertsMenuItem(
        "防篡改告警", reverse(f"{NAMESPACE}:alerts"), icon_name="warning", order=310
    )


def availability_menu_item() -> MenuItem:
    return _SupervisorMenuItem(
        "可用性探测", reverse(f"{NAMESPACE}:availability"), icon_name="time", order=311
    )


class OpenAlertsPanel(Component):
    """Critical: open tamper alerts, on top of the dashboard of those who may see them."""

    name = "integrity_alerts"
    order = 5
    template_name = "monitoring/integrity/panel.html"

    def __init__(self, alerts: list[IntegrityAlert]) -> None:
        self.alerts = alerts

    def get_context_data(self, parent_context: Mapping[str, Any] | None) -> dict[str, Any]:
        return {"alerts": self.alerts, "list_url": reverse(f"{NAMESPACE}:alerts")}


def construct_homepage_panels(request: HttpRequest, panels: list[Any]) -> None:
    if not sees_alerts(request.user):
        return
    alerts = list(alerts_for_user(request.user).filter(state=IntegrityAlert.State.OPEN)[:10])
    if alerts:
        panels.append(OpenAlertsPanel(alerts))


class ProbeTargetViewSet(SnippetViewSet):
    """The sites the monitor probes; the operator enters their public addresses."""

    model = ProbeTarget
    icon = "site"
    menu_label = "可用性探测目标"
    list_display = ["name", "base_url", "site", "active"]
    list_filter = ["active"]
    search_fields = ["name", "base_url"]


def register_hooks() -> None:
    """Called once from monitoring/wagtail_hooks.py."""
    hooks.register("register_admin_urls", register_admin_urls)
    hooks.register("register_admin_menu_item", alerts_menu_item)
    hooks.register("register_admin_menu_item", availability_menu_item)
    hooks.register("construct_homepage_panels", construct_homepage_panels)
    register_snippet(ProbeTargetViewSet)
