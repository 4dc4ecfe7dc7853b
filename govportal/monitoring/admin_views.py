"""Admin screens of supervision (第二十二条、第二十三条、第二十四条): the dashboard, work orders,
the duty log (printable), monthly reminders, the quarterly circular, the annual assessment,
accountability measures and the crawl results.

The operator (运维监管) sees everything; a unit's staff see their own orders and reminders.
Views are thin: a form, one service call, a redirect or a page.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from govportal.core.models import ColumnPage, Unit
from govportal.monitoring.crawling import broken_links
from govportal.monitoring.indicators import assessment_from_run
from govportal.monitoring.models import (
    AccountabilityMeasure,
    CheckRun,
    CrawlLink,
    CrawlRun,
    UnitReminder,
    WorkOrder,
    WorkOrderEvent,
)
from govportal.monitoring.supervision import (
    accountability_record,
    daily_check,
    duty_note_set,
    orders_visible_to,
    supervision_manager,
    supervision_units_of,
    work_order_fix,
)
from govportal.monitoring.supervision_reports import (
    circular_build,
    circular_docx,
    circular_pdf,
    facts_load,
    quarter_bounds,
    unit_scores,
    unit_scores_xlsx,
)

NAMESPACE = "monitoring_supervision"
TREND_DAYS = 30
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _url(name: str, *args: Any) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = content_disposition_header(True, filename)
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def supervision_visible(user: Any) -> bool:
    try:
        supervision_units_of(user)
    except PermissionDenied:
        return False
    return True


class ManagerOnly:
    """Screens for the operator (运维监管) only."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not supervision_manager(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class UnitOrManager:
    """Screens for the operator and for the staff of any unit (each sees their own)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.unit_ids = supervision_units_of(request.user)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


# Dashboard ----------------------------------------------------------------------------------------


def trend_points(
    runs: list[CheckRun], *, width: int = 600, height: int = 120
) -> list[dict[str, Any]]:
    """Bars for the server-drawn trend: one per stored day, height by score (a vetoed day is
    drawn full height in the 不合格 style and labelled, so colour is never the only signal)."""
    if not runs:
        return []
    step = width / max(len(runs), 1)
    bars = []
    for i, run in enumerate(runs):
        score = run.score if run.score is not None else Decimal(0)
        vetoed = run.passed is False and run.score is None
        value = Decimal(100) if vetoed else min(score, Decimal(130))
        bar_height = int(height * float(value) / 130)
        bars.append(
            {
                "x": round(i * step + 1, 1),
                "y": height - bar_height,
                "width": max(round(step - 2, 1), 1),
                "height": bar_height,
                "passed": bool(run.passed),
                "label": f"{run.date:%m-%d} {run.verdict_label}"
                + ("" if run.score is None else f" {run.score}分"),
            }
        )
    return bars


class DashboardView(ManagerOnly, WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    template_name = "monitoring/admin/dashboard.html"
    page_title = "监测监管总览"
    header_icon = "view"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        latest = CheckRun.objects.filter(finished_at__isnull=False).order_by("-date").first()
        assessment = assessment_from_run(latest) if latest is not None else None
        runs = list(
            CheckRun.objects.filter(finished_at__isnull=False).order_by("-date")[:TREND_DAYS]
        )[::-1]
        active = WorkOrder.objects.exclude(state=WorkOrder.State.VERIFIED)
        worst_units = (
            Unit.objects.annotate(
                open_orders=Count("work_orders", filter=Q(work_orders__state="open")),
                overdue=Count(
                    "work_orders",
                    filter=Q(work_orders__state="open", work_orders__due_on__lt=today),
                ),
            )
            .filter(open_orders__gt=0)
            .order_by("-overdue", "-open_orders", "name")[:10]
        )
        column_counts = Counter(
            active.filter(column__isnull=False).values_list("column_id", flat=True)
        )
        titles = dict(
            ColumnPage.objects.filter(pk__in=list(column_counts)).values_list("pk", "title")
        )
        context.update(
            today=today,
            latest=latest,
            is_today=latest is not None and latest.date == today,
            assessment=assessment,
            verdict=assessment.verdict if assessment else None,
            runs=runs,
            bars=trend_points(runs),
            worst_units=worst_units,
            worst_columns=[
                (pk, titles.get(pk, "（已删除）"), n) for pk, n in column_counts.most_common(10)
            ],
            open_count=active.filter(state=WorkOrder.State.OPEN).count(),
            fixed_count=active.filter(state=WorkOrder.State.FIXED).count(),
            overdue_count=active.filter(state=WorkOrder.State.OPEN, due_on__lt=today).count(),
        )
        return context


def run_check(request: HttpRequest) -> HttpResponse:
    """The duty officer runs today's check by hand (the scheduler runs it every night)."""
    if not supervision_manager(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(_url("dashboard"))
    run, sync = daily_check(today=timezone.localdate(), user=request.user)
    messages.success(
        request,
        f"已完成 {run.date:%Y-%m-%d} 日监测读网：{run.verdict_label}；新发现问题 "
        f"{len(sync.opened)} 个，核验已整改 {len(sync.verified)} 个，重新打开 {len(sync.reopened)} 个。",
    )
    return redirect(_url("dashboard"))


class SupervisionPanel(Component):  # type: ignore[misc]
    """Home panel: the operator sees today's verdict; a unit's staff see their open orders."""

    name = "supervision"
    template_name = "monitoring/admin/home_panel.html"
    order = 70

    def __init__(self, manager: bool, unit_ids: set[int] | None) -> None:
        self.manager = manager
        self.unit_ids = unit_ids

    def get_context_data(self, parent_context: Mapping[str, Any] | None) -> dict[str, Any]:
        today = timezone.localdate()
        orders = WorkOrder.objects.filter(state=WorkOrder.State.OPEN)
        if self.unit_ids is not None:
            orders = orders.filter(units__in=self.unit_ids).distinct()
        latest = None
        verdict = None
        if self.manager:
            latest = CheckRun.objects.filter(finished_at__isnull=False).order_by("-date").first()
            verdict = assessment_from_run(latest).verdict if latest else None
        return {
            "manager": self.manager,
            "latest": latest,
            "verdict": verdict,
            "today": today,
            "open_count": orders.count(),
            "overdue_count": orders.filter(due_on__lt=today).count(),
            "orders_url": _url("orders"),
            "dashboard_url": _url("dashboard"),
        }


def construct_homepage_panels(request: HttpRequest, panels: list[Any]) -> None:
    try:
        unit_ids = supervision_units_of(request.user)
    except PermissionDenied:
        return
    panels.append(SupervisionPanel(supervision_manager(request.user), unit_ids))


# Work orders --------------------------------------------------------------------------------------


class OrderFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "未核验（待整改和待核验）"), *WorkOrder.State.choices, ("all", "全部")],
    )
    unit = forms.ModelChoiceField(
        label="责任单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位"
    )

    def __init__(self, *args: Any, unit_ids: set[int] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.all()
        if unit_ids is not None:
            units = units.filter(pk__in=unit_ids)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class OrderListView(UnitOrManager, WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    template_name = "monitoring/admin/orders.html"
    page_title = "工单"
    header_icon = "tasks"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = OrderFilterForm(self.request.GET or None, unit_ids=self.unit_ids)
        orders = orders_visible_to(self.request.user).prefetch_related("units")
        state = ""
        if form.is_valid():
            state = form.cleaned_data["state"]
            if form.cleaned_data["unit"] is not None:
                orders = orders.filter(units=form.cleaned_data["unit"])
        if state == "":
            orders = orders.exclude(state=WorkOrder.State.VERIFIED)
        elif state != "all":
            orders = orders.filter(state=state)
        context.update(
            form=form,
            orders=orders.order_by("due_on", "id")[:500],
            today=timezone.localdate(),
            manager=self.unit_ids is None,
        )
        return context


class FixForm(forms.Form):
    note = forms.CharField(
        label="整改说明",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "请填写整改说明：做了什么、在哪里可以核对。"},
        help_text="写明做了什么、在哪里可以核对（例如发布的文章标题）。下一次日监测读网时自动核验。",
    )


class OrderDetailView(UnitOrManager, WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    template_name = "monitoring/admin/order_detail.html"
    header_icon = "tasks"

    def get_page_title(self) -> str:
        return f"工单 {self.kwargs['pk']}"

    def order(self) -> WorkOrder:
        return get_object_or_404(orders_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        order = kwargs.get("order") or self.order()
        context.update(
            order=order,
            events=order.events.select_related("user", "run"),
            measures=order.measures.all(),
            form=kwargs.get("form") or FixForm(),
            can_fix=order.state == WorkOrder.State.OPEN,
            today=timezone.localdate(),
            manager=self.unit_ids is None,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        order = self.order()
        form = FixForm(request.POST)
        if form.is_valid():
            try:
                work_order_fix(order=order, user=request.user, note=form.cleaned_data["note"])
            except ValidationError as error:
                form.add_error("note", error)
            else:
                messages.success(request, "已提交整改，下一次日监测读网时自动核验。")
                return redirect(_url("order", order.pk))
        return self.render_to_response(self.get_context_data(order=order, form=form))


# Duty log (值班读网记录) ----------------------------------------------------------------------------


class DutyLogListView(ManagerOnly, WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    template_name = "monitoring/admin/duty_log_list.html"
    page_title = "值班读网记录"
    header_icon = "date"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["runs"] = CheckRun.objects.select_related("run_by").order_by("-date")[:120]
        return context


def duty_log_facts(run: CheckRun) -> dict[str, Any]:
    """What was checked, what was found, what was fixed and by whom, on the run's date."""
    assessment = assessment_from_run(run)
    events = WorkOrderEvent.objects.filter(on=run.date).select_related("order", "user")
    return {
        "run": run,
        "assessment": assessment,
        "verdict": assessment.verdict,
        "measurements": run.measurements.order_by("id"),
        "opened": [e for e in events if e.kind == WorkOrderEvent.Kind.OPENED],
        "fixed": [e for e in events if e.kind == WorkOrderEvent.Kind.FIXED],
        "verified": [e for e in events if e.kind == WorkOrderEvent.Kind.VERIFIED],
        "reopened": [e for e in events if e.kind == WorkOrderEvent.Kind.REOPENED],
        "still_open": WorkOrder.objects.filter(
            state=WorkOrder.State.OPEN, opened_on__lt=run.date, last_seen_on=run.date
        ).count(),
    }


class DutyNoteForm(forms.Form):
    note = forms.CharField(
        label="值班备注", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


def duty_log_day(request: HttpRequest, day: str) -> HttpResponse:
    """One day's duty log as a page to print (no admin chrome; print CSS)."""
    if not supervision_manager(request.user):
        raise PermissionDenied
    try:
        date = dt.date.fromisoformat(day)
    except ValueError as error:
        raise Http404("日期无效。") from error
    run = CheckRun.objects.filter(date=date).order_by("-finished_at").first()
    if run is None:
        raise Http404(f"{date:%Y-%m-%d} 没有日监测读网记录。")
    form = DutyNoteForm(request.POST or None, initial={"note": run.note})
    if request.method == "POST" and form.is_valid():
        duty_note_set(run=run, note=form.cleaned_data["note"], user=request.user)
        messages.success(request, "值班备注已保存。")
        return redirect(_url("duty_log_day", date.isoformat()))
    context = duty_log_facts(run) | {"form": form, "back_url": _url("duty_log")}
    return TemplateResponse(request, "monitoring/admin/duty_log_day.html", context)


# Monthly reminders ---------------------------------------------------------------------------------


class ReminderListView(UnitOrManager, WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    template_name = "monitoring/admin/reminders.html"
    page_title = "月度提醒"
    header_icon = "mail"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        reminders = UnitReminder.objects.select_related("unit")
        if self.unit_ids is not None:
            reminders = reminders.filter(unit__in=self.unit_ids)
        context["reminders"] = reminders[:200]
        return context


# Quarterly circular and annual assessment ----------------------------------------------------------


class QuarterForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="季度",
        coerce=int,
        choices=[(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
    )


def _this_quarter(today: dt.date) -> tuple[int, int]:
    return today.year, (today.month - 1) // 3 + 1


class CircularView(ManagerOnly, WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    template_name = "monitoring/admin/circular.html"
    page_title = "季度通报"
    header_icon = "doc-full"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        year, quarter = _this_quarter(timezone.localdate())
        form = QuarterForm(request.GET or None, initial={"year": year, "quarter": quarter})
        if form.is_bound and form.is_valid():
            year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
        fmt = request.GET.get("format", "")
        start, end = quarter_bounds(year, quarter)
        orders, runs, _, names = facts_load(start=start, end=end)
        data = circular_build(
            year=year, quarter=quarter, orders=orders, runs=runs, unit_names=names
        )
        if fmt == "docx" and (not form.is_bound or form.is_valid()):
            return _download(circular_docx(data), DOCX_TYPE, f"{data.title}.docx")
        if fmt == "pdf" and (not form.is_bound or form.is_valid()):
            return _download(circular_pdf(data), "application/pdf", f"{data.title}.pdf")
        return self.render_to_response(
            self.get_context_data(form=form, data=data, year=year, quarter=quarter)
        )


class YearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)


class AnnualView(ManagerOnly, WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    template_name = "monitoring/admin/annual.html"
    page_title = "年度绩效考核"
    header_icon = "table"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        today = timezone.localdate()
        form = YearForm(request.GET or None, initial={"year": today.year})
        year = today.year
        if form.is_bound and form.is_valid():
            year = form.cleaned_data["year"]
        orders, _, measures, names = facts_load(end=dt.date(year, 12, 31))
        scores = unit_scores(
            year=year, orders=orders, measures=measures, unit_names=names, today=today
        )
        if request.GET.get("format") == "xlsx" and (not form.is_bound or form.is_valid()):
            return _download(
                unit_scores_xlsx(scores, year=year), XLSX_TYPE, f"{year}年政府网站绩效考核.xlsx"
            )
        return self.render_to_response(self.get_context_data(form=form, scores=scores, year=year))


# Accountability (第二十四条) -------------------------------------------------------------------------


class MeasureForm(forms.Form):
    unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.all())
    kind = forms.ChoiceField(label="措施", choices=AccountabilityMeasure.Kind.choices)
    decided_on = forms.DateField(
        label="决定日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="格式 YYYY-MM-DD",
    )
    reason = forms.CharField(
        label="事由", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    orders = forms.ModelMultipleChoiceField(
        label="相关工单",
        queryset=WorkOrder.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选导致本次追究的工单（须属于所选单位）。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Orders that can still cause a measure: not yet verified, or reopened at least once.
        self.fields["orders"].queryset = (  # type: ignore[attr-defined]
            WorkOrder.objects.filter(~Q(state=WorkOrder.State.VERIFIED) | Q(reopen_count__gt=0))
            .prefetch_related("units")
            .order_by("-opened_on", "id")
        )


class AccountabilityView(ManagerOnly, WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    template_name = "monitoring/admin/accountability.html"
    page_title = "责任追究"
    header_icon = "warning"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        initial: dict[str, Any] = {"decided_on": timezone.localdate()}
        order_id = self.request.GET.get("order")
        if order_id and order_id.isdigit():
            order = WorkOrder.objects.filter(pk=int(order_id)).first()
            if order is not None:
                initial["orders"] = [order.pk]
                initial["unit"] = order.units.first()
        context.setdefault("form", MeasureForm(initial=initial))
        context["measures"] = AccountabilityMeasure.objects.select_related(
            "unit", "recorded_by"
        ).prefetch_related("orders")[:200]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = MeasureForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                measure = accountability_record(
                    unit=data["unit"],
                    kind=data["kind"],
                    decided_on=data["decided_on"],
                    reason=data["reason"],
                    orders=data["orders"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"已登记：{measure}。")
                return redirect(_url("accountability"))
        return self.render_to_response(self.get_context_data(form=form))


# Crawl results ---------------------------------------------------------------------------------------


class CrawlListView(ManagerOnly, WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    template_name = "monitoring/admin/crawls.html"
    page_title = "抓取结果"
    header_icon = "link"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["runs"] = CrawlRun.objects.annotate(page_count=Count("pages")).order_by(
            "-started_at"
        )[:100]
        return context


class CrawlDetailView(ManagerOnly, WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    template_name = "monitoring/admin/crawl_detail.html"
    header_icon = "link"

    def get_page_title(self) -> str:
        return f"抓取结果 {self.kwargs['pk']}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run = get_object_or_404(CrawlRun, pk=self.kwargs["pk"])
        links = broken_links(run)
        unit_names = dict(Unit.objects.values_list("pk", "name"))
        through = list(
            CrawlLink.units.through.objects.filter(
                crawllink__in=[link.pk for link in links]
            ).values_list("crawllink_id", "unit_id")
        )
        units_of: dict[int, list[int]] = {}
        for link_id, unit_id in through:
            units_of.setdefault(link_id, []).append(unit_id)
        by_unit = Counter(
            unit_names.get(u, "？") for link in links for u in units_of.get(link.pk, [])
        )
        unattributed = sum(1 for link in links if not units_of.get(link.pk))
        by_column = Counter(link.column.title if link.column else "（无栏目）" for link in links)
        context.update(
            run=run,
            link_count=len(links),
            by_unit=by_unit.most_common(),
            unattributed=unattributed,
            by_column=by_column.most_common(),
            rows=[
                (link, [unit_names.get(u, "？") for u in units_of.get(link.pk, [])])
                for link in links[:1000]
            ],
        )
        return context


def admin_urlpatterns() -> list[Any]:
    return [
        path("", DashboardView.as_view(), name="dashboard"),
        path("check/", run_check, name="run_check"),
        path("orders/", OrderListView.as_view(), name="orders"),
        path("orders/<int:pk>/", OrderDetailView.as_view(), name="order"),
        path("log/", DutyLogListView.as_view(), name="duty_log"),
        path("log/<str:day>/", duty_log_day, name="duty_log_day"),
        path("reminders/", ReminderListView.as_view(), name="reminders"),
        path("circular/", CircularView.as_view(), name="circular"),
        path("annual/", AnnualView.as_view(), name="annual"),
        path("accountability/", AccountabilityView.as_view(), name="accountability"),
        path("crawls/", CrawlListView.as_view(), name="crawls"),
        path("crawls/<int:pk>/", CrawlDetailView.as_view(), name="crawl"),
    ]
