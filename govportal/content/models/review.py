"""Review before publishing (先审后发、审发分离、一事一审): review steps, approvals, withdrawals, trail.

第十二条: 信息审核人员须与编辑发布人员分设. 第二十一条(三): 坚持审发分离、先审后发, "一事一审".
The rules are applied in `govportal.content.review`; these are the records they read and write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask, Page, Task, TaskState

if TYPE_CHECKING:
    from govportal.accounts.models import User


class ReviewTaskMixin:
    """What every review step shares.

    Approving and sending back happen on the review screen (`review_views.review_task`), which
    shows the content checks and asks for each warning to be acknowledged; Wagtail's own
    approve buttons are therefore switched off (`get_actions` returns nothing). Superusers are
    not reviewers by virtue of being superusers: reviewing is a role, not a power.
    """

    def reviewers(self, page: Page) -> QuerySet[Any]:
        raise NotImplementedError

    def user_can_review(self, page: Page, user: Any) -> bool:
        if not user.is_authenticated or not user.is_active:
            return False
        return self.reviewers(page).filter(pk=user.pk).exists()

    def start(self, workflow_state: Any, user: Any = None) -> TaskState:
        # 第二十一条(三): content with blocking findings never reaches a reviewer, whichever
        # path started the step (editor, service, shell).
        from govportal.content.review import refuse_blocking_findings

        page = workflow_state.content_object.specific
        refuse_blocking_findings(
            page.get_latest_revision_as_object(), stage="提交审核", external_links=False
        )
        return super().start(workflow_state, user=user)  # type: ignore[misc]

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, str, bool]]:
        return []

    def user_can_access_editor(self, obj: Any, user: Any) -> bool:
        return self.user_can_review(obj, user)

    def locked_for_user(self, obj: Any, user: Any) -> bool:
        # While under review only the reviewers may change the page; the editor cancels the
        # review to change it (and then submits again).
        return not self.user_can_review(obj, user)

    def user_can_lock(self, obj: Any, user: Any) -> bool:
        return False

    def user_can_unlock(self, obj: Any, user: Any) -> bool:
        return False

    def get_task_states_user_can_moderate(self, user: Any, **kwargs: Any) -> QuerySet[Any]:
        states = TaskState.objects.filter(
            task_id=self.pk,  # type: ignore[attr-defined]
            status=TaskState.STATUS_IN_PROGRESS,
        ).select_related("workflow_state")
        pages = Page.objects.in_bulk(
            [int(s.workflow_state.object_id) for s in states if s.workflow_state.object_id]
        )
        allowed = [
            s.pk
            for s in states
            if (page := pages.get(int(s.workflow_state.object_id))) is not None
            and self.user_can_review(page, user)
        ]
        return TaskState.objects.filter(pk__in=allowed)


class UnitReviewTask(ReviewTaskMixin, Task):  # type: ignore[misc]
    """A step done by a reviewer of the unit responsible for the page's column (第四条, 第十二条).

    Pages outside any column with a responsible unit (the home page) are reviewed by the
    operator (承办单位).
    """

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = "责任单位审核"
        verbose_name_plural = "责任单位审核"

    def reviewers(self, page: Page) -> QuerySet[Any]:
        from govportal.content.review import page_reviewers

        return page_reviewers(page)

    @classmethod
    def get_description(cls) -> str:
        return "由稿件所在栏目责任单位的审核人员审核"


class GroupReviewTask(ReviewTaskMixin, AbstractGroupApprovalTask):  # type: ignore[misc]
    """A step done by members of chosen groups, e.g. the operator or the office's leaders."""

    class Meta:
        verbose_name = "指定用户组审核"
        verbose_name_plural = "指定用户组审核"

    def reviewers(self, page: Page) -> QuerySet[Any]:
        from django.contrib.auth import get_user_model

        return (
            get_user_model().objects.filter(is_active=True, groups__in=self.groups.all()).distinct()
        )

    @classmethod
    def get_description(cls) -> str:
        return "由所选用户组（如运维监管、分管领导）的成员审核"


class ReviewApproval(models.Model):
    """The approval that lets exactly one revision go online.

    A normal approval is written when the last review step approves the revision; an emergency
    approval when the operator publishes at once (第十条(四)) and stays 待补审 until another person
    approves it retrospectively. A withdrawal revokes the page's approvals.
    """

    class Kind(models.TextChoices):
        NORMAL = "normal", "审核通过"
        EMERGENCY = "emergency", "紧急发布"

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="review_approvals"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="review_approvals"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.NORMAL)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="终审人",
    )
    # Everyone who approved a step of this revision; none of them may publish it (审发分离).
    approvers = models.JSONField("各步审核人", default=list)
    approved_at = models.DateTimeField("审核时间", default=timezone.now)
    content_hash = models.CharField("内容摘要", max_length=64)
    reason = models.TextField("紧急发布理由", blank=True)
    retro_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="补审人",
    )
    retro_approved_at = models.DateTimeField("补审时间", null=True, blank=True)
    retro_comment = models.TextField("补审意见", blank=True)
    revoked_at = models.DateTimeField("失效时间", null=True, blank=True)
    revoked_reason = models.CharField("失效原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "审核通过记录"
        verbose_name_plural = "审核通过记录"
        ordering = ["-approved_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} 版本{self.revision_id}"

    @property
    def awaiting_retro_approval(self) -> bool:
        return (
            self.kind == self.Kind.EMERGENCY
            and self.retro_approved_at is None
            and self.revoked_at is None
        )


class PageWithdrawal(models.Model):
    """撤稿: a page taken off the site, why and by whom; optionally a notice stays at its URL."""

    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="withdrawals"
    )
    page_title = models.CharField("页面标题", max_length=255)
    site = models.ForeignKey(
        "wagtailcore.Site", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.CharField("页面地址", max_length=500, db_index=True)
    reason = models.TextField("撤稿理由")
    show_notice = models.BooleanField("原地址保留撤稿说明", default=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="撤稿人",
    )
    withdrawn_at = models.DateTimeField("撤稿时间", default=timezone.now)

    class Meta:
        verbose_name = "撤稿记录"
        verbose_name_plural = "撤稿记录"
        ordering = ["-withdrawn_at"]

    def __str__(self) -> str:
        return f"撤稿 {self.page_title}"


class AppendOnlyError(Exception):
    pass


class ReviewEventQuerySet(QuerySet["ReviewEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("审核留痕记录只能追加，不能修改。")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审核留痕记录只能追加，不能删除。")


class ReviewEvent(models.Model):
    """One line of the review trail (留痕): who did what to which page and revision, when, with
    which check findings and which warnings were acknowledged. Append-only."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交审核"
        SUBMIT_REFUSED = "submit_refused", "提交被拒绝"
        APPROVE_STEP = "approve_step", "审核通过（本步）"
        APPROVE = "approve", "终审通过"
        REJECT = "reject", "退回修改"
        APPROVE_REFUSED = "approve_refused", "审核被拒绝"
        PUBLISH = "publish", "发布"
        SCHEDULE = "schedule", "定时发布"
        PUBLISH_REFUSED = "publish_refused", "发布被拒绝"
        EMERGENCY_PUBLISH = "emergency_publish", "紧急发布"
        EMERGENCY_REFUSED = "emergency_refused", "紧急发布被拒绝"
        EMERGENCY_APPROVE = "emergency_approve", "补审通过"
        WITHDRAW = "withdraw", "撤稿"
        BYPASS = "bypass", "系统任务直接上线"
        WORKFLOW_FINISHED = "workflow_finished", "流程结束（无人审核）"
        INTEGRITY_RESTORE = "integrity_restore", "防篡改恢复"

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人", max_length=200, blank=True)
    action = models.CharField("操作", max_length=30, choices=Action.choices, db_index=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="页面",
    )
    page_title = models.CharField("页面标题", max_length=255, blank=True)
    page_url = models.CharField("页面地址", max_length=500, blank=True)
    # A plain number, not a foreign key: the trail outlives revisions that get purged.
    revision_id = models.BigIntegerField("版本号", null=True, blank=True)
    step = models.CharField("审核步骤", max_length=255, blank=True)
    comment = models.TextField("意见或理由", blank=True)
    findings = models.JSONField("内容检查结果", default=list, blank=True)
    acknowledged = models.JSONField("已确认的提示", default=list, blank=True)
    data = models.JSONField("其他", default=dict, blank=True)

    objects = ReviewEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审核留痕"
        verbose_name_plural = "审核留痕"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("审核留痕记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审核留痕记录只能追加，不能删除。")

    @property
    def at_display(self) -> str:
        return timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M:%S")

    @property
    def findings_text(self) -> str:
        return "；".join(
            f"[{'禁止' if f.get('severity') == 'block' else '提示'}]"
            f"{f.get('field_label', '')}“{f.get('match', '')}”{f.get('message', '')}"
            for f in self.findings
        )

    @property
    def acknowledged_text(self) -> str:
        by_key = {f.get("key"): f for f in self.findings}
        return "；".join(
            f"“{by_key[k].get('match', '')}”" if k in by_key else str(k) for k in self.acknowledged
        )


def user_display(user: User | Any | None) -> str:
    return str(user) if user is not None else "系统"


__all__ = [
    "AppendOnlyError",
    "GroupReviewTask",
    "PageWithdrawal",
    "ReviewApproval",
    "ReviewEvent",
    "ReviewTaskMixin",
    "UnitReviewTask",
    "user_display",
]
