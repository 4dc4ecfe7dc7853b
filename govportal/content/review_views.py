"""Admin screens of the review workflow, the review trail and the public withdrawn notice.

Views are thin: a form, one service from `govportal.content.review`, a message. A refused action
comes back as a Chinese message on the same screen (ReviewError), never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.models import Page, TaskState
from wagtail.permission_policies.base import BasePermissionPolicy

from govportal.content.models import PageWithdrawal, ReviewApproval, ReviewEvent
from govportal.content.review import (
    PageFinding,
    ReviewError,
    approved_awaiting_publication,
    approved_revision,
    content_findings,
    emergency_approve,
    emergency_pending,
    emergency_refusal,
    is_auditor,
    is_operator,
    page_emergency_publish,
    page_publish_approved,
    page_reviewers,
    page_withdraw,
    review_approve,
    review_refusal,
    review_reject,
    trail_record,
    user_can_publish,
    user_can_withdraw,
    valid_approval,
)
from govportal.content.review_attachments import form_documents

# --- The editor's form: blocking findings stop submission on the server -----------------------

SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")


class ReviewPageForm(WagtailAdminPageForm):  # type: ignore[misc]
    """The base form of every page: submitting for review runs the content checks first.

    第二十一条(三): blocking findings (classified markings, personal data, sensitive words, dead
    links) stop the submission with the finding shown at its field; nothing is submitted.
    """

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors or not any(self.data.get(action) for action in SUBMIT_ACTIONS):
            return
        findings = content_findings(self.instance, documents=form_documents(self))
        blocking = [f for f in findings if f.is_blocking]
        for finding in blocking:
            field = finding.field.split(".")[0]
            message = f"禁止提交：{finding.describe()}"
            simple = field in self.fields and not finding.field.count(".")
            self.add_error(field if simple else None, message)
        if blocking and self.instance.pk:
            self.add_error(
                None,
                "点击“内容检查”可查看标注了问题位置和修改建议的报告"
                f"（最近保存的版本：{reverse('govportal_review_findings', args=[self.instance.pk])}）。",
            )
        if blocking:
            trail_record(
                action=ReviewEvent.Action.SUBMIT_REFUSED,
                user=getattr(self, "for_user", None),
                page=self.instance if self.instance.pk else None,
                revision_id=self.instance.latest_revision_id if self.instance.pk else None,
                comment="内容检查发现禁止发布的问题，提交未成功。",
                findings=findings,
            )


# --- Forms -------------------------------------------------------------------------------------


def _acknowledgement_choices(form: forms.Form, findings: list[PageFinding]) -> None:
    """One checkbox per warning; the field disappears when there is nothing to acknowledge."""
    choices = [(f.key, f.describe()) for f in findings if not f.is_blocking]
    field = form.fields["acknowledged"]
    assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101
    if choices:
        field.choices = choices
    else:
        del form.fields["acknowledged"]


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核意见",
        choices=[("approve", "审核通过"), ("reject", "退回修改")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    acknowledged = forms.MultipleChoiceField(
        label="内容检查提示（逐条核对后勾选）",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    revision_id = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, findings: list[PageFinding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _acknowledgement_choices(self, findings)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("comment") or "").strip():
            self.add_error("comment", "退回修改须填写意见。")
        return data


class RetroApproveForm(forms.Form):
    comment = forms.CharField(
        label="补审意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    acknowledged = forms.MultipleChoiceField(
        label="内容检查提示（逐条核对后勾选）",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, findings: list[PageFinding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _acknowledgement_choices(self, findings)


class PublishForm(forms.Form):
    proofread = forms.BooleanField(
        label="我已校对审核通过的版本（第十二条：发布前再次校对）", required=True
    )
    go_live_at = forms.DateTimeField(
        label="定时发布时间",
        required=False,
        widget=AdminDateTimeInput,
        help_text="留空则立即发布。",
    )

    def clean_go_live_at(self) -> Any:
        value = self.cleaned_data.get("go_live_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError("定时发布时间须晚于当前时间；立即发布请留空。")
        return value


class EmergencyForm(forms.Form):
    reason = forms.CharField(
        label="紧急发布理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="第十条(四)：重大突发事件、辟谣等须立即发布的信息。发布后须由他人补审。",
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤稿理由", widget=forms.Textarea(attrs={"rows": 3}))
    show_notice = forms.BooleanField(
        label="在原地址保留撤稿说明（标题、撤稿日期和理由）", required=False
    )


# --- Helpers -----------------------------------------------------------------------------------


def _edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _revision_links(page: Page, revision_id: int) -> dict[str, str]:
    links = {"preview": reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision_id])}
    if page.live and page.live_revision_id and page.live_revision_id != revision_id:
        links["compare"] = reverse(
            "wagtailadmin_pages:revisions_compare", args=[page.pk, "live", revision_id]
        )
    return links


def _findings_context(findings: list[PageFinding]) -> dict[str, Any]:
    return {
        "blocking": [f for f in findings if f.is_blocking],
        "warnings": [f for f in findings if not f.is_blocking],
    }


def _specific_page(page_id: int) -> Page:
    return get_object_or_404(Page, pk=page_id).specific


# --- Review a step -----------------------------------------------------------------------------


def review_task(request: HttpRequest, task_state_id: int) -> HttpResponse:
    task_state = get_object_or_404(TaskState, pk=task_state_id).specific
    page = task_state.workflow_state.content_object.specific
    task = task_state.task.specific
    if not task.user_can_review(page, request.user):
        raise PermissionDenied
    revision = page.get_latest_revision()
    findings = content_findings(revision.as_object())
    refusal = review_refusal(task_state=task_state, user=request.user, revision=revision)
    form = ReviewDecisionForm(
        request.POST or None, findings=findings, initial={"revision_id": revision.pk}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "reject":
                review_reject(task_state=task_state, user=request.user, comment=data["comment"])
                messages.success(request, f"已将“{page.get_admin_display_title()}”退回修改。")
            else:
                reviewed = page.revisions.filter(pk=data["revision_id"]).first()
                approval = review_approve(
                    task_state=task_state,
                    user=request.user,
                    revision=reviewed or revision,
                    comment=data["comment"],
                    acknowledged=data.get("acknowledged", []),
                )
                if approval is not None:
                    messages.success(
                        request,
                        f"“{page.get_admin_display_title()}”已终审通过，等待编辑校对后发布。",
                    )
                else:
                    messages.success(
                        request, f"“{page.get_admin_display_title()}”本步审核通过，进入下一步审核。"
                    )
            return redirect("wagtailadmin_home")
        except ReviewError as error:
            messages.error(request, error.message)
    state = task_state.workflow_state
    return TemplateResponse(
        request,
        "content/review/task.html",
        {
            "page": page,
            "task_state": task_state,
            "task": task,
            "revision": revision,
            "steps": state.all_tasks_with_status(),
            "history": state.task_states.select_related("task", "finished_by").order_by(
                "started_at", "pk"
            ),
            "links": _revision_links(page, revision.pk),
            "refusal": refusal,
            "form": form,
            **_findings_context(findings),
        },
    )


# --- Publish the approved revision --------------------------------------------------------------


def publish_approved(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _specific_page(page_id)
    if not user_can_publish(page, request.user):
        raise PermissionDenied
    revision = approved_revision(page)
    if revision is None:
        messages.error(request, "该页面的最新版本尚未审核通过，不能发布（先审后发）。")
        return redirect(_edit_url(page))
    approval = valid_approval(revision)
    as_page = revision.as_object()
    scheduled = (
        as_page.go_live_at if as_page.go_live_at and as_page.go_live_at > timezone.now() else None
    )
    form = PublishForm(request.POST or None, initial={"go_live_at": scheduled})
    if request.method == "POST" and form.is_valid():
        go_live_at = form.cleaned_data["go_live_at"]
        try:
            page_publish_approved(page=page, user=request.user, go_live_at=go_live_at)
        except ReviewError as error:
            messages.error(request, error.message)
        else:
            if go_live_at:
                messages.success(
                    request,
                    f"“{page.get_admin_display_title()}”将于 {timezone.localtime(go_live_at):%Y-%m-%d %H:%M} 发布。",
                )
            else:
                messages.success(request, f"“{page.get_admin_display_title()}”已发布。")
            return redirect(_edit_url(page))
    return TemplateResponse(
        request,
        "content/review/publish.html",
        {
            "page": page,
            "revision": revision,
            "approval": approval,
            "links": _revision_links(page, revision.pk),
            "form": form,
        },
    )


# --- Emergency publishing and the retrospective approval ---------------------------------------


def emergency_publish(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _specific_page(page_id)
    if not is_operator(request.user):
        raise PermissionDenied
    revision = page.get_latest_revision()
    if revision is None:
        messages.error(request, "该页面没有可发布的版本。")
        return redirect(_edit_url(page))
    findings = content_findings(revision.as_object())
    form = EmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            page_emergency_publish(page=page, user=request.user, reason=form.cleaned_data["reason"])
        except ReviewError as error:
            messages.error(request, error.message)
        else:
            messages.warning(
                request, f"“{page.get_admin_display_title()}”已紧急发布，须由他人补审（待补审）。"
            )
            return redirect(_edit_url(page))
    return TemplateResponse(
        request,
        "content/review/emergency.html",
        {
            "page": page,
            "revision": revision,
            "links": _revision_links(page, revision.pk),
            "form": form,
            **_findings_context(findings),
        },
    )


def emergency_review(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = get_object_or_404(ReviewApproval, pk=approval_id, kind=ReviewApproval.Kind.EMERGENCY)
    page = approval.page.specific
    user = request.user
    if not (is_operator(user) or is_auditor(user) or page_reviewers(page).filter(pk=user.pk)):
        raise PermissionDenied
    findings = content_findings(approval.revision.as_object())
    refusal = emergency_refusal(approval=approval, user=request.user)
    form = RetroApproveForm(request.POST or None, findings=findings)
    if request.method == "POST" and form.is_valid():
        try:
            emergency_approve(
                approval=approval,
                user=request.user,
                comment=form.cleaned_data["comment"],
                acknowledged=form.cleaned_data.get("acknowledged", []),
            )
        except ReviewError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"“{page.get_admin_display_title()}”已补审通过。")
            return redirect("wagtailadmin_home")
    return TemplateResponse(
        request,
        "content/review/emergency_review.html",
        {
            "page": page,
            "approval": approval,
            "refusal": refusal,
            "links": _revision_links(page, approval.revision_id),
            "form": form,
            **_findings_context(findings),
        },
    )


# --- Withdrawal ---------------------------------------------------------------------------------


def withdraw(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _specific_page(page_id)
    if not user_can_withdraw(page, request.user):
        raise PermissionDenied
    if not page.live:
        messages.error(request, "该页面未发布，无需撤稿。")
        return redirect(_edit_url(page))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            page_withdraw(
                page=page,
                user=request.user,
                reason=form.cleaned_data["reason"],
                show_notice=form.cleaned_data["show_notice"],
            )
        except ReviewError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"“{page.get_admin_display_title()}”已撤稿。")
            return redirect(_edit_url(page))
    return TemplateResponse(
        request,
        "content/review/withdraw.html",
        {"page": page, "form": form, "live_descendants": page.get_descendants().live().count()},
    )


def admin_urlpatterns() -> list[Any]:
    return [
        path("task/<int:task_state_id>/", review_task, name="task"),
        path("publish/<int:page_id>/", publish_approved, name="publish"),
        path("emergency/<int:page_id>/", emergency_publish, name="emergency"),
        path("emergency-review/<int:approval_id>/", emergency_review, name="emergency_review"),
        path("withdraw/<int:page_id>/", withdraw, name="withdraw"),
    ]


# --- Dashboard panels --------------------------------------------------------------------------


def task_states_for_reviewer(user: Any) -> list[TaskState]:
    """In-progress review steps this user may decide, oldest first."""
    states = (
        TaskState.objects.reviewable_by(user)
        .select_related("workflow_state", "task", "revision")
        .order_by("started_at")
    )
    result = []
    for state in states:
        page = state.workflow_state.content_object
        if page is None:
            continue
        state.page = page.specific
        state.refusal = review_refusal(task_state=state, user=user)
        result.append(state)
    return result


class ReviewQueuePanel(Component):  # type: ignore[misc]
    name = "review_queue"
    template_name = "content/review/panels/queue.html"
    order = 90

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        request = parent_context["request"]
        return {
            "states": task_states_for_reviewer(request.user),
            "approved": approved_awaiting_publication(request.user),
            "request": request,
        }


class EmergencyPendingPanel(Component):  # type: ignore[misc]
    """待补审: emergency publications until someone else approves them (operator, auditor)."""

    name = "emergency_pending"
    template_name = "content/review/panels/emergency.html"
    order = 80

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        request = parent_context["request"]
        return {
            "approvals": list(emergency_pending()),
            "can_review": is_operator(request.user),
            "request": request,
        }


# --- The review trail (auditor only, append-only) ----------------------------------------------


class AuditorOnlyPolicy(BasePermissionPolicy):  # type: ignore[misc]
    """The full trail is read by the auditor (审计管理员) only; nobody edits or deletes it."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action == "view" and is_auditor(user)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Any) -> QuerySet[Any]:
        from govportal.accounts.roles import Role

        if "view" not in actions:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_active=True, groups__name=Role.AUDITOR)


class ReviewEventViewSet(ModelViewSet):  # type: ignore[misc]
    model = ReviewEvent
    icon = "history"
    menu_label = "审核留痕"
    menu_order = 900
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["at", "actor_name", "action", "page_title", "revision_id", "step", "comment"]
    list_filter = {"action": ["exact"], "at": ["gte", "lte"], "actor": ["exact"]}
    search_fields = ["page_title", "actor_name", "comment", "page_url"]
    search_backend_name = None
    list_export = [
        "at_display",
        "actor_name",
        "get_action_display",
        "page_title",
        "page_url",
        "revision_id",
        "step",
        "comment",
        "findings_text",
        "acknowledged_text",
    ]
    export_headings = {
        "at_display": "时间",
        "actor_name": "操作人",
        "get_action_display": "操作",
        "page_title": "页面标题",
        "page_url": "页面地址",
        "revision_id": "版本号",
        "step": "审核步骤",
        "comment": "意见或理由",
        "findings_text": "内容检查结果",
        "acknowledged_text": "已确认的提示",
    }
    export_filename = "review-trail"
    # Required by ModelViewSet; the add and edit screens always answer 403 (AuditorOnlyPolicy).
    form_fields = ["comment"]

    @property
    def permission_policy(self) -> AuditorOnlyPolicy:
        return AuditorOnlyPolicy(self.model)


# --- The public withdrawn notice (410) ---------------------------------------------------------


class WithdrawnNoticeMiddleware:
    """Where a withdrawn page stood, answer 410 with its title, date and reason if asked to.

    Only replaces a 404: a page published again at the address is served as usual.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        return withdrawn_notice(request) or response


def withdrawn_notice(request: HttpRequest) -> HttpResponse | None:
    from wagtail.models import Site

    site = Site.find_for_request(request)
    if site is None:
        return None
    withdrawal = (
        PageWithdrawal.objects.filter(site=site, path=request.path, show_notice=True)
        .order_by("-withdrawn_at")
        .first()
    )
    if withdrawal is None:
        return None
    response = TemplateResponse(
        request, "content/review/withdrawn_notice.html", {"withdrawal": withdrawal}, status=410
    )
    response.render()
    return response
