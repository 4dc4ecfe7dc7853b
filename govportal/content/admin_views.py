"""Admin screens for the archive (第十五条): archive or restore a page or column, and the log."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from govportal.accounts.models import User
from govportal.accounts.roles import Role, user_has_role
from govportal.content.models import ArchiveLog
from govportal.content.services import page_archive, page_restore
from govportal.core.models import ArchivableMixin, ColumnPage

# Who may archive -------------------------------------------------------------------------------


def archivable(page: Page) -> ArchivableMixin | None:
    """The page as an archivable (column or article) page, or None for other page types."""
    specific = page if isinstance(page, ArchivableMixin) else page.specific_deferred
    return specific if isinstance(specific, ArchivableMixin) else None


def user_can_archive(user: Any, page: Page) -> bool:
    """第十五条 archiving is for the operator (承办单位) or whoever may publish the page."""
    if not user.is_active:
        return False
    if archivable(page) is None:
        return False
    if user_has_role(user, Role.OPERATOR):
        return True
    return bool(page.permissions_for_user(user).can_publish())


# Archive and restore ---------------------------------------------------------------------------


class ArchiveReasonForm(forms.Form):
    reason = forms.CharField(
        label="原因",
        required=False,
        max_length=200,
        help_text="选填，如“网站改版，原栏目内容归档保存”。将记入归档记录。",
        widget=forms.TextInput,
    )


class ArchiveActionView(WagtailAdminTemplateMixin, FormView):  # type: ignore[misc]
    """Confirm, then archive (or restore) a page or a whole column through the content service."""

    template_name = "content/admin/archive_confirm.html"
    form_class = ArchiveReasonForm
    header_icon = "folder-inverse"
    restore = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        page = get_object_or_404(Page, pk=kwargs["page_id"])
        target = archivable(page)
        if target is None:
            raise Http404("只有栏目和文章可以归档。")
        if not user_can_archive(request.user, page):
            raise PermissionDenied
        self.page = target
        self.next_url = get_valid_next_url_from_request(request)
        if target.archived == (not self.restore):
            messages.warning(request, "该页面已归档。" if target.archived else "该页面未归档。")
            return redirect(self._done_url())
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return "取消归档" if self.restore else "归档"

    def get_page_subtitle(self) -> str:
        return str(self.page.title)  # type: ignore[attr-defined]

    def _done_url(self) -> str:
        if self.next_url:
            return self.next_url
        parent_id = self.page.get_parent().pk  # type: ignore[attr-defined]
        return reverse("wagtailadmin_explore", args=[parent_id])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        is_column = isinstance(self.page, ColumnPage)
        context.update(
            page=self.page,
            is_column=is_column,
            restore=self.restore,
            next_url=self.next_url,
            descendant_count=(
                self.page.get_descendants().count() if is_column else 0  # type: ignore[attr-defined]
            ),
            archived_in=None if self.restore else self.page.archived_in(),
        )
        return context

    def form_valid(self, form: ArchiveReasonForm) -> HttpResponse:
        service = page_restore if self.restore else page_archive
        try:
            service(page=self.page, user=self.request.user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except ValueError as exc:
            messages.error(self.request, str(exc))
            return redirect(self._done_url())
        title = self.page.title  # type: ignore[attr-defined]
        if self.restore:
            messages.success(self.request, f"已取消归档：“{title}”。")
        elif isinstance(self.page, ColumnPage):
            messages.success(self.request, f"已归档栏目“{title}”，其下所有页面均标注“已归档”。")
        else:
            messages.success(self.request, f"已归档：“{title}”。")
        return redirect(self._done_url())


class ArchivePageView(ArchiveActionView):
    restore = False


class RestorePageView(ArchiveActionView):
    restore = True


# The archive log report ------------------------------------------------------------------------


def _log_users(request: HttpRequest) -> Any:
    return User.objects.filter(
        pk__in=ArchiveLog.objects.exclude(user=None).values("user_id")
    ).order_by("username")


class ArchiveLogFilterSet(WagtailFilterSet):
    page_title = django_filters.CharFilter(label="页面标题", lookup_expr="icontains")
    action = django_filters.ChoiceFilter(
        label="操作", choices=ArchiveLog.Action.choices, empty_label="全部"
    )
    is_column = django_filters.BooleanFilter(
        label="范围",
        widget=forms.Select(choices=[("", "全部"), ("true", "整个栏目"), ("false", "单个页面")]),
    )
    user = django_filters.ModelChoiceFilter(label="操作人", queryset=_log_users)
    at = django_filters.DateFromToRangeFilter(label="时间", widget=DateRangePickerWidget)

    class Meta:
        model = ArchiveLog
        fields = ["page_title", "action", "is_column", "user", "at"]


def _log_time(log: ArchiveLog) -> str:
    return timezone.localtime(log.at).strftime("%Y-%m-%d %H:%M")


def _log_scope(log: ArchiveLog) -> str:
    return "整个栏目" if log.is_column else "单个页面"


def _log_user(log: ArchiveLog) -> str:
    return str(log.user) if log.user is not None else "（已删除的用户）"


def _log_page_url(log: ArchiveLog) -> str | None:
    return reverse("wagtailadmin_pages:edit", args=[log.page_id]) if log.page_id else None


class ArchiveLogView(ReportView):  # type: ignore[misc]
    """第十五条: what was archived or restored, when, by whom and why."""

    page_title = "归档记录"
    header_icon = "folder-inverse"
    filterset_class = ArchiveLogFilterSet
    index_url_name = "content_archive:log"
    index_results_url_name = "content_archive:log_results"
    permission_policy = ModelPermissionPolicy(ArchiveLog)
    permission_required = "view"
    no_results_message = "没有归档记录。"
    columns = [
        TitleColumn("page_title", label="页面", get_url=_log_page_url),
        Column("page_url", label="页面路径"),
        Column("action", label="操作", accessor="get_action_display"),
        Column("is_column", label="范围", accessor=_log_scope),
        Column("reason", label="原因"),
        Column("user", label="操作人", accessor=_log_user),
        Column("at", label="时间", accessor=_log_time),
    ]
    list_export = ["page_title", "page_url", "action", "is_column", "reason", "user", "at"]
    export_headings = {
        "page_title": "页面",
        "page_url": "页面路径",
        "action": "操作",
        "is_column": "范围",
        "reason": "原因",
        "user": "操作人",
        "at": "时间",
    }

    def get_queryset(self) -> Any:
        self.queryset = ArchiveLog.objects.select_related("user").order_by("-at", "-pk")
        return super().get_queryset()

    def get_filename(self) -> str:
        return f"archive-log-{timezone.localdate().isoformat()}"

    def to_row_dict(self, item: ArchiveLog) -> OrderedDict[str, Any]:
        return OrderedDict(
            [
                ("page_title", item.page_title),
                ("page_url", item.page_url),
                ("action", item.get_action_display()),
                ("is_column", _log_scope(item)),
                ("reason", item.reason),
                ("user", _log_user(item)),
                ("at", _log_time(item)),
            ]
        )
