"""Admin views for importing and exporting the lexicon (linked from the lexicon listing)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from govportal.checks import services
from govportal.checks.lexicon_io import COLUMNS

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class LexiconImportForm(forms.Form):
    file = forms.FileField(
        label="词库文件",
        help_text="Excel（.xlsx）或 UTF-8 文本（.txt，每行一条，字段用制表符分隔）。"
        f"列依次为：{'、'.join(COLUMNS)}；只有前两列必填。",
    )
    update_existing = forms.BooleanField(
        label="更新已有词条",
        required=False,
        initial=True,
        help_text="勾选时，文件中已存在的词语按文件内容更新；不勾选则只添加新词语。",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件过大（最多 20 MB），请分批导入。")
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".txt", ".tsv")):
            raise forms.ValidationError("只能导入 .xlsx、.txt 或 .tsv 文件。")
        return upload


def _require(request: HttpRequest, *codenames: str) -> None:
    if not all(request.user.has_perm(f"checks.{c}") for c in codenames):
        raise PermissionDenied


def lexicon_import_view(request: HttpRequest, *, index_url_name: str) -> HttpResponse:
    _require(request, "add_lexiconentry", "change_lexiconentry")
    row_errors = []
    if request.method == "POST":
        form = LexiconImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = services.parse_lexicon_file(upload.read(), upload.name)
                result = services.lexicon_import(
                    rows=rows,
                    user=request.user,
                    update_existing=form.cleaned_data["update_existing"],
                )
            except services.LexiconImportError as exc:
                row_errors = exc.errors
                messages.error(request, f"导入失败：{len(exc.errors)} 处错误，词库未作任何改动。")
            else:
                messages.success(
                    request,
                    f"导入完成：新增 {result.created} 条，更新 {result.updated} 条，"
                    f"未变 {result.unchanged} 条。",
                )
                return redirect(index_url_name)
    else:
        form = LexiconImportForm()
    return TemplateResponse(
        request,
        "checks/lexicon_import.html",
        {
            "form": form,
            "row_errors": row_errors,
            "page_title": "导入词库",
            "header_icon": "upload",
            "columns": COLUMNS,
        },
        status=400 if row_errors else 200,
    )


def lexicon_export_view(request: HttpRequest, *, file_format: str) -> HttpResponse:
    _require(request, "view_lexiconentry")
    data = services.lexicon_export(file_format=file_format)
    stamp = timezone.localdate().strftime("%Y%m%d")
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if file_format == "xlsx"
        else "text/plain; charset=utf-8"
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="lexicon-{stamp}.{file_format}"'
    return response
