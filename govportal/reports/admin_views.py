"""Admin screens of the annual disclosure report: list, create, edit, fill from data (preview,
then confirm), publish and unpublish (the operator only), download DOCX/PDF.

Views are thin: a form, a call to services, a render. A refusal comes back as a Chinese message on
the same screen with everything typed kept; nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from govportal.reports import layout, services
from govportal.reports.forms import ReportCreateForm, ReportEditForm
from govportal.reports.models import DisclosureReport
from govportal.reports.views import download_response

NAMESPACE = "govportal_reports"


def _url(name: str, *args: Any) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


def _manager_required(request: HttpRequest) -> None:
    if not services.user_can_manage_reports(request.user):
        raise PermissionDenied("没有管理年度报告的权限。")


def _report_get(request: HttpRequest, pk: int) -> DisclosureReport:
    _manager_required(request)
    return get_object_or_404(DisclosureReport.objects.select_related("unit"), pk=pk)


def report_list(request: HttpRequest) -> HttpResponse:
    _manager_required(request)
    reports = list(DisclosureReport.objects.select_related("unit"))
    return TemplateResponse(
        request,
        "reports/admin/list.html",
        {
            "reports": reports,
            "can_publish": services.user_can_publish_reports(request.user),
            "today": timezone.localdate(),
        },
    )


def report_create(request: HttpRequest) -> HttpResponse:
    _manager_required(request)
    today = timezone.localdate()
    form = ReportCreateForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                year=form.cleaned_data["year"],
                publisher_kind=form.cleaned_data["publisher_kind"],
                unit=form.cleaned_data["unit"],
                user=request.user,
                today=today,
            )
        except services.ReportError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"已创建“{report.title}”。可按平台数据填充后再逐项核对。")
            return redirect(_url("edit", report.pk))
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(request, "reports/admin/create.html", {"form": form}, status=status)


def _grids_with_fields(form: ReportEditForm, report: DisclosureReport) -> list[layout.Grid]:
    grids = layout.report_grids(report.tables_dict())
    fields = form.cell_fields()
    for grid in grids:
        for row in grid.rows:
            for cell in row:
                if cell.key is not None:
                    bound = fields[cell.key]
                    if bound.errors:
                        # Tie the cell's error message (rendered next to it) to its input.
                        widget = form.fields[bound.name].widget
                        widget.attrs["aria-describedby"] = f"{bound.auto_id}-error"
                    cell.field = bound
    return grids


def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_get(request, pk)
    if request.method == "POST":
        form = ReportEditForm(request.POST, report=report)
        if form.is_valid():
            try:
                services.report_update(
                    report=report,
                    user=request.user,
                    overview=form.cleaned_data["overview"],
                    problems=form.cleaned_data["problems"],
                    other_matters=form.cleaned_data["other_matters"],
                    fees_collected=form.cleaned_data["fees_collected"],
                    tables_new=form.tables_data(),
                )
            except services.ReportError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"已保存“{report.title}”。")
                return redirect(_url("edit", report.pk))
    else:
        form = ReportEditForm(report=report)
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(
        request,
        "reports/admin/edit.html",
        {
            "report": report,
            "form": form,
            "grids": _grids_with_fields(form, report),
            "problems": [] if form.is_bound else services.tables.tables_check(report.tables_dict()),
            "can_publish": services.user_can_publish_reports(request.user),
        },
        status=status,
    )


def report_fill(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what filling from the platform's data would change. POST: do it."""
    report = _report_get(request, pk)
    if request.method == "POST":
        try:
            plan = services.report_fill_from_data(
                report=report,
                user=request.user,
                now=timezone.now(),
                expected=request.POST.get("digest", ""),
            )
        except services.ReportError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(_url("edit" if report.is_published else "fill", report.pk))
        count = len(plan.changes) + (1 if plan.fees_change else 0)
        messages.success(request, f"已按平台数据填充，更新了 {count} 项数据。请核对后保存。")
        for problem in plan.problems:
            messages.warning(request, f"平台数据不平衡，须修正后才能发布：{problem.message}")
        return redirect(_url("edit", report.pk))
    plan = services.report_fill_plan(report=report)
    count = len(plan.changes) + (1 if plan.fees_change else 0)
    return TemplateResponse(
        request,
        "reports/admin/fill.html",
        {"report": report, "plan": plan, "change_count": count},
    )


@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_get(request, pk)
    try:
        services.report_publish(report=report, user=request.user, now=timezone.now())
    except services.ReportError as exc:
        messages.error(request, "不能发布：" + "；".join(exc.messages))
    else:
        messages.success(request, f"已发布“{report.title}”。")
    return redirect(_url("edit", report.pk))


@require_POST
def report_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_get(request, pk)
    try:
        services.report_unpublish(report=report, user=request.user)
    except services.ReportError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已撤销发布“{report.title}”，报告回到草稿状态。")
    return redirect(_url("edit", report.pk))


def report_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    return download_response(_report_get(request, pk), kind)


def admin_urlpatterns() -> list[URLPattern]:
    return [
        path("", report_list, name="list"),
        path("add/", report_create, name="add"),
        path("<int:pk>/", report_edit, name="edit"),
        path("<int:pk>/fill/", report_fill, name="fill"),
        path("<int:pk>/publish/", report_publish, name="publish"),
        path("<int:pk>/unpublish/", report_unpublish, name="unpublish"),
        path("<int:pk>/docx/", report_download, {"kind": "docx"}, name="docx"),
        path("<int:pk>/pdf/", report_download, {"kind": "pdf"}, name="pdf"),
    ]
