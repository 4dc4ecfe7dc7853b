"""Admin screens of the column responsibility table (栏目责任明细表): list, export, import."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from govportal.accounts.roles import Role, user_has_role
from govportal.core.models import Unit, UnitGroup
from govportal.core.responsibility import (
    MAX_IMPORT_BYTES,
    ImportPlan,
    RawRow,
    ResponsibilityRow,
    current_columns,
    import_validate,
    responsibility_rows,
    rows_for_units,
    rows_to_csv,
    rows_to_xlsx,
    xlsx_read,
)
from govportal.core.services import column_responsibility_import

PENDING_IMPORT_KEY = "responsibility_import"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Who sees what ---------------------------------------------------------------------------------


def responsibility_manager(user: Any) -> bool:
    """The operator (承办单位) and the system admin keep the whole table and may import it."""
    if user.is_superuser:
        return True
    return user_has_role(user, Role.OPERATOR, Role.SYSTEM_ADMIN)


def responsibility_units_of(user: Any) -> set[int] | None:
    """The units whose rows the user may see: None for every row; raises if the user may not.

    A unit's editors and reviewers see only their own unit's rows.
    """
    if not user.is_authenticated:
        raise PermissionDenied
    if responsibility_manager(user):
        return None
    unit_ids = set(UnitGroup.objects.filter(group__user=user).values_list("unit_id", flat=True))
    if not unit_ids:
        raise PermissionDenied
    return unit_ids


def responsibility_visible(user: Any) -> bool:
    try:
        responsibility_units_of(user)
    except PermissionDenied:
        return False
    return True


# Forms -----------------------------------------------------------------------------------------


class UnitFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label="责任单位", empty_label="全部单位"
    )

    def __init__(self, *args: Any, unit_ids: set[int] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.all()
        if unit_ids is not None:
            units = units.filter(pk__in=unit_ids)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="栏目责任明细表 (XLSX)",
        help_text="先导出本表，在 Excel 或 WPS 中修改“责任单位”和“更新频率”两列，保存为 .xlsx 后上传。",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("只能导入 .xlsx 格式的文件。")
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"文件太大：不能超过 {MAX_IMPORT_BYTES // (1024 * 1024)} MB。"
            )
        return upload


# Views -----------------------------------------------------------------------------------------


def _filtered_rows(request: HttpRequest) -> tuple[list[ResponsibilityRow], UnitFilterForm]:
    unit_ids = responsibility_units_of(request.user)
    form = UnitFilterForm(request.GET or None, unit_ids=unit_ids)
    rows = responsibility_rows(today=timezone.localdate())
    if unit_ids is not None:
        rows = rows_for_units(rows, unit_ids)
    if form.is_valid() and form.cleaned_data["unit"] is not None:
        rows = rows_for_units(rows, {form.cleaned_data["unit"].pk})
    return rows, form


class ResponsibilityTableView(WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    template_name = "core/admin/responsibility_table.html"
    page_title = "栏目责任明细表"
    header_icon = "table"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows, form = _filtered_rows(self.request)
        query = self.request.GET.urlencode()
        context.update(
            rows=rows,
            filter_form=form,
            query=f"?{query}" if query else "",
            can_import=responsibility_manager(self.request.user),
            status_counts=_status_counts(rows),
        )
        return context


def _status_counts(rows: list[ResponsibilityRow]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status.label] = counts.get(row.status.label, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


def responsibility_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in ("xlsx", "csv"):
        raise Http404("只能导出 XLSX 或 CSV。")
    rows, _ = _filtered_rows(request)
    today = timezone.localdate().isoformat()
    if file_format == "xlsx":
        unit_names = list(Unit.objects.values_list("name", flat=True))
        response = HttpResponse(rows_to_xlsx(rows, unit_names=unit_names), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(rows_to_csv(rows), content_type="text/csv; charset=utf-8")
    disposition = content_disposition_header(True, f"栏目责任明细表-{today}.{file_format}")
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def _pending(request: HttpRequest, token: str) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_IMPORT_KEY)
    if not isinstance(pending, dict):
        return None
    if not secrets.compare_digest(str(pending.get("token", "")), token):
        return None
    if pending.get("user") != request.user.pk:
        return None
    return pending


def _plan_for(raw_rows: list[RawRow]) -> ImportPlan:
    columns = current_columns(responsibility_rows(today=timezone.localdate()))
    unit_names = set(Unit.objects.values_list("name", flat=True))
    return import_validate(raw_rows, columns=columns, unit_names=unit_names)


class ResponsibilityImportView(WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    """Upload → preview → confirm. The parsed rows wait in the (server-side) session under a
    random token, never in the form, and are checked again against the database on confirm."""

    template_name = "core/admin/responsibility_import.html"
    page_title = "导入栏目责任明细表"
    header_icon = "upload"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not responsibility_manager(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportUploadForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        raw_rows, errors = xlsx_read(upload.read())
        plan = ImportPlan(errors=errors) if errors else _plan_for(raw_rows)
        if not plan.ok:
            return self.render_to_response(
                self.get_context_data(form=form, errors=plan.errors, file_name=upload.name)
            )
        token = secrets.token_urlsafe(24)
        request.session[PENDING_IMPORT_KEY] = {
            "token": token,
            "user": request.user.pk,
            "file_name": upload.name,
            "rows": [row.as_dict() for row in raw_rows],
        }
        return redirect("core_responsibility:import_preview", token=token)


class ResponsibilityImportPreviewView(WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    template_name = "core/admin/responsibility_import_preview.html"
    page_title = "导入预览：栏目责任明细表"
    header_icon = "upload"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not responsibility_manager(request.user):
            raise PermissionDenied
        pending = _pending(request, kwargs["token"])
        if pending is None:
            messages.error(request, "导入内容已失效或不属于当前用户，请重新上传表格。")
            return redirect("core_responsibility:import")
        self.pending: dict[str, Any] = pending
        self.plan = _plan_for([RawRow.from_dict(row) for row in self.pending["rows"]])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(plan=self.plan, file_name=self.pending["file_name"])
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.plan.ok:
            # Something changed since the preview (a unit or column was deleted): nothing applied.
            return self.render_to_response(self.get_context_data())
        try:
            changed = column_responsibility_import(
                assignments=self.plan.assignments(), user=request.user
            )
        except ValueError as exc:
            messages.error(request, f"导入失败，未做任何修改：{exc}")
            return redirect("core_responsibility:import")
        del request.session[PENDING_IMPORT_KEY]
        messages.success(
            request, f"已导入栏目责任明细表：{changed} 个栏目的责任单位或更新频率已更新。"
        )
        return redirect(reverse("core_responsibility:index"))
