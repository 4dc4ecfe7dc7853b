"""Review before publishing: the rules, the services that apply them and the publishing guard.

第十二条: 信息审核人员须与编辑发布人员分设; the editor 校对 (proofreads) the approved text before
publishing it. 第二十一条(三): "一事一审", 审发分离, 先审后发. 第十条(四): emergencies and rumour
rebuttals are published at once and reviewed afterwards.

Every state change is one function here (`review_submit`, `review_approve`, `review_reject`,
`page_publish_approved`, `page_emergency_publish`, `emergency_approve`, `page_withdraw`); the
admin views, the hooks and the management command call them. A refused attempt is written to
the trail before the error is raised, outside the transaction of the change itself, so that it
stays in the trail.

Whatever path makes a page live (the admin, `revision.publish()`, bulk actions, the scheduled
publishing command, an API, the shell), `guard_page_save` runs in the page's save: a page goes
live, or changes what it shows, only as a revision with a valid approval (`ReviewApproval`) and
without blocking findings. System jobs that build pages directly (the demo loader, the shared
test helpers) run inside `review_bypass(reason=...)`, and every page they put online is written
to the trail with that reason. The one path the guard cannot see is a bulk SQL `UPDATE`
(`QuerySet.update(live=True)`), which sends no signal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from wagtail import blocks
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.fields import RichTextField, StreamField
from wagtail.log_actions import log
from wagtail.models import (
    Page,
    PagePermissionTester,
    Revision,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)
from wagtail.signals import workflow_approved

from govportal.accounts.roles import Role
from govportal.content.models import (
    PageWithdrawal,
    ReviewApproval,
    ReviewEvent,
)
from govportal.content.models.review import user_display
from govportal.core.models import ColumnPage, Unit, UnitGroup, UnitRole


class ReviewError(PermissionDenied):
    """A review rule refused the action. The message is the Chinese text shown to the user.

    A subclass of PermissionDenied, so that a path the admin does not catch answers 403 with
    the message, never 500.
    """

    def __init__(self, message: str, findings: Sequence[PageFinding] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.findings = list(findings)

    def __str__(self) -> str:
        return self.message


# --- What counts as content ---------------------------------------------------------------------

# Fields whose change is not a change of what the public reads: Wagtail's bookkeeping (tree
# position, publication state, locks, scheduling), the archive state (set by page_archive) and the
# column's responsibility (set from the responsibility table by the operator, 第二十一条(二)).
# Everything else, including any field added later, counts as content and needs review.
REVIEW_EXEMPT_FIELDS = frozenset(
    {
        "pk",
        "id",
        "page_ptr",
        "path",
        "depth",
        "numchild",
        "translation_key",
        "locale",
        "latest_revision",
        "live",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "live_revision",
        "go_live_at",
        "expire_at",
        "expired",
        "locked",
        "locked_at",
        "locked_by",
        "latest_revision_created_at",
        "draft_title",
        "url_path",
        "owner",
        "content_type",
        "alias_of",
        "wagtail_admin_comments",
        "comments",
        "archived",
        "archived_at",
        "responsible_units",
        "update_frequency",
    }
)


def public_content(page: Page) -> dict[str, Any]:
    """The page's content as the public sees it: its serialised fields minus the exempt ones."""
    data = page.serializable_data()
    return {k: v for k, v in data.items() if k not in REVIEW_EXEMPT_FIELDS}


def _digest(content: dict[str, Any]) -> str:
    public = {k: v for k, v in content.items() if k not in REVIEW_EXEMPT_FIELDS}
    raw = json.dumps(public, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def revision_digest(revision: Revision) -> str:
    """A fingerprint of the revision's content: an approval holds only for unchanged content."""
    return _digest(revision.content)


# --- Content checks (the shared engine in govportal.checks) ------------------------------------


@dataclass(frozen=True)
class PageFinding:
    """A finding of the content-checks engine, located in one field of the page."""

    field: str
    field_label: str
    finding: Any  # govportal.checks.engine.Finding

    @property
    def severity(self) -> str:
        return str(self.finding.severity)

    @property
    def is_blocking(self) -> bool:
        return self.severity == "block"

    @property
    def key(self) -> str:
        f = self.finding
        return f"{self.field}:{f.start}:{f.end}:{f.category}"

    def as_dict(self) -> dict[str, Any]:
        f = self.finding
        return {
            "key": self.key,
            "field": self.field,
            "field_label": self.field_label,
            "category": str(f.category),
            "severity": self.severity,
            "start": f.start,
            "end": f.end,
            "match": f.match,
            "suggestion": getattr(f, "suggestion", None) or "",
            "message": getattr(f, "message", None) or "",
        }

    def describe(self) -> str:
        d = self.as_dict()
        text = f"{d['field_label']}：“{d['match']}”{d['message']}"
        if d["suggestion"]:
            text += f"（建议：{d['suggestion']}）"
        return text


# Text fields that are not read as prose: addresses, choices, identifiers.
_UNCHECKED_FIELDS = frozenset({"slug", "url_path", "draft_title"})


def _stream_segments(
    block: Any, value: Any, name: str, label: str
) -> Iterator[tuple[str, str, str, bool]]:
    if value is None:
        return
    if isinstance(block, blocks.RichTextBlock):
        yield name, label, value.source, True
    elif isinstance(block, blocks.URLBlock):
        if value:
            yield name, label, f'<a href="{value}">{value}</a>', True
    elif isinstance(block, blocks.RawHTMLBlock):
        yield name, label, str(value), True
    elif isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        if value:
            yield name, label, str(value), False
    elif isinstance(block, blocks.StructBlock):
        for child_name, child_block in block.child_blocks.items():
            yield from _stream_segments(
                child_block,
                value.get(child_name),
                f"{name}.{child_name}",
                f"{label}·{child_block.label}",
            )
    elif isinstance(block, blocks.ListBlock):
        for i, item in enumerate(value):
            yield from _stream_segments(block.child_block, item, f"{name}.{i}", label)
    elif isinstance(block, blocks.StreamBlock):
        for i, child in enumerate(value):
            yield from _stream_segments(
                child.block, child.value, f"{name}.{i}", f"{label}·{child.block.label}"
            )


def page_text_segments(page: Page) -> list[tuple[str, str, str, bool]]:
    """Every piece of text a page shows: (field path, field label, text, is_html)."""
    segments: list[tuple[str, str, str, bool]] = []
    for field in page._meta.concrete_fields:
        name = field.name
        if name in REVIEW_EXEMPT_FIELDS or name in _UNCHECKED_FIELDS:
            continue
        label = str(field.verbose_name)
        value = getattr(page, field.attname, None)
        if not value:
            continue
        if isinstance(field, StreamField):
            for i, child in enumerate(value):
                segments.extend(
                    _stream_segments(
                        child.block, child.value, f"{name}.{i}", f"{label}·{child.block.label}"
                    )
                )
        elif isinstance(field, RichTextField):
            segments.append((name, label, str(value), True))
        elif isinstance(field, models.URLField):
            segments.append((name, label, f'<a href="{value}">{value}</a>', True))
        elif isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            segments.append((name, label, str(value), False))
    return segments


def check_context(page: Page, *, external_links: bool = True) -> Any:
    """The checks engine's context for a page: its site's lexicon, allowed numbers, links.

    External links are fetched (short time-out, cached for a day) except in the save-path
    guard, which runs inside the publishing transaction and must not wait on the network.
    """
    from govportal.checks.services import context_for_site

    return context_for_site(page.get_site(), check_external_links=external_links)


def content_findings(
    page: Page, *, external_links: bool = True, documents: Sequence[Any] | None = None
) -> list[PageFinding]:
    """Run the content-checks engine over every text field, the body HTML and the attachments.

    This is the one place where review meets the checks engine. `documents` replaces the
    page's own list of documents (`review_attachments.page_documents`): the editor's form
    passes the attachments as submitted.
    """
    from govportal.checks import engine
    from govportal.content.review_attachments import attachment_findings, page_documents

    context = check_context(page, external_links=external_links)
    findings: list[PageFinding] = []
    for name, label, text, is_html in page_text_segments(page):
        for finding in engine.check(text, html=is_html, context=context):
            findings.append(PageFinding(field=name, field_label=label, finding=finding))
    if documents is None:
        documents = page_documents(page)
    for item, finding in attachment_findings(documents, context=context):
        findings.append(PageFinding(field=item.field, field_label=item.label, finding=finding))
    return findings


def refuse_blocking_findings(
    page: Page, *, stage: str, external_links: bool = True
) -> list[PageFinding]:
    """Raise ReviewError when the content has blocking findings; return all findings."""
    findings = content_findings(page, external_links=external_links)
    blocking = [f for f in findings if f.is_blocking]
    if blocking:
        lines = "；".join(f.describe().rstrip("。") for f in blocking[:10])
        more = f"等 {len(blocking)} 处" if len(blocking) > 10 else ""
        raise ReviewError(f"{stage}失败：内容检查发现禁止发布的问题：{lines}{more}。", findings)
    return findings


def approval_findings(
    page: Page, *, stage: str, acknowledged: list[str], on_block: str = ""
) -> tuple[list[PageFinding], str | None]:
    """The findings an approver sees and the reason to refuse, if any: a blocking finding, or a
    warning the approver has not acknowledged one by one (第十二条: 审核人员 answers for it)."""
    try:
        findings = refuse_blocking_findings(page, stage=stage)
    except ReviewError as error:
        return error.findings, error.message + on_block
    missing = [f for f in findings if not f.is_blocking and f.key not in acknowledged]
    if missing:
        return findings, f"请逐条确认内容检查提示后再{stage}：" + "；".join(
            f.describe() for f in missing
        )
    return findings, None


def _findings_json(findings: Iterable[PageFinding]) -> list[dict[str, Any]]:
    return [f.as_dict() for f in findings]


# --- The trail ---------------------------------------------------------------------------------


def _page_url(page: Page | None) -> str:
    if page is None:
        return ""
    try:
        return page.get_url() or page.url_path
    except Exception:  # a page outside any site has no URL; the tree path will do
        return page.url_path or ""


def trail_record(
    *,
    action: str,
    user: Any,
    page: Page | None,
    revision_id: int | None = None,
    step: str = "",
    comment: str = "",
    findings: Iterable[PageFinding] = (),
    acknowledged: Iterable[str] = (),
    data: dict[str, Any] | None = None,
) -> ReviewEvent:
    return ReviewEvent.objects.create(
        action=action,
        actor=user if getattr(user, "pk", None) else None,
        actor_name=user_display(user if getattr(user, "pk", None) else None),
        page=page if page is not None and page.pk else None,
        page_title=(page.draft_title or page.title) if page is not None else "",
        page_url=_page_url(page),
        revision_id=revision_id,
        step=step,
        comment=comment,
        findings=_findings_json(findings),
        acknowledged=list(acknowledged),
        data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)),
    )


# --- Who may do what -------------------------------------------------------------------------


def is_operator(user: Any) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.groups.filter(name=Role.OPERATOR).exists()
    )


def is_auditor(user: Any) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.groups.filter(name=Role.AUDITOR).exists()
    )


def responsible_units(page: Page) -> list[Unit]:
    """The units of the nearest column (the page itself or an ancestor) that lists any."""
    columns = ColumnPage.objects.ancestor_of(page, inclusive=True).order_by("-depth")
    for column in columns:
        units = list(column.responsible_units.all())
        if units:
            return units
    return []


def page_reviewers(page: Page) -> QuerySet[Any]:
    """Reviewers of the units responsible for the page; the operator where no unit is."""
    user_model = get_user_model()
    units = responsible_units(page)
    if not units:
        return user_model.objects.filter(is_active=True, groups__name=Role.OPERATOR).distinct()
    groups = UnitGroup.objects.filter(unit__in=units, role=UnitRole.REVIEWER).values("group_id")
    return user_model.objects.filter(is_active=True, groups__in=groups).distinct()


def user_can_publish(page: Page, user: Any) -> bool:
    """Holds the publish permission on the page (editors of the responsible unit, the operator)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return "publish" in PagePermissionTester(user, page).permissions


def user_can_withdraw(page: Page, user: Any) -> bool:
    return user_can_publish(page, user) or is_operator(user)


def revision_authors(page: Page, revision: Revision) -> set[int]:
    """Everyone who wrote a revision of the page since its last publication, up to `revision`."""
    revisions = Revision.page_revisions.filter(object_id=str(page.pk), pk__lte=revision.pk)
    if page.last_published_at is not None:
        revisions = revisions.filter(created_at__gt=page.last_published_at)
    authors = set(revisions.exclude(user=None).values_list("user_id", flat=True))
    if revision.user_id is not None:
        authors.add(revision.user_id)
    return authors


def valid_approval(revision: Revision | None) -> ReviewApproval | None:
    """The approval that lets this revision go online, if there is one and it still holds."""
    if revision is None or revision.pk is None:
        return None
    approval = (
        ReviewApproval.objects.filter(revision=revision, revoked_at__isnull=True)
        .order_by("-approved_at", "-pk")
        .first()
    )
    if approval is None or approval.content_hash != revision_digest(revision):
        return None
    return approval


def approved_revision(page: Page) -> Revision | None:
    """The latest revision if it is approved and not yet live; what the editor may publish."""
    revision = page.get_latest_revision()
    if revision is None or page.live_revision_id == revision.pk:
        return None
    approval = valid_approval(revision)
    if approval is None or approval.kind != ReviewApproval.Kind.NORMAL:
        return None
    return revision


def approved_awaiting_publication(user: Any) -> list[Page]:
    """Pages whose latest revision is approved and not yet live, that `user` may publish."""
    approvals = (
        ReviewApproval.objects.filter(
            kind=ReviewApproval.Kind.NORMAL,
            revoked_at__isnull=True,
            page__latest_revision=models.F("revision"),
            revision__approved_go_live_at__isnull=True,
        )
        .exclude(page__live_revision=models.F("revision"))
        .select_related("page")
        .order_by("approved_at")
    )
    return [
        approval.page.specific
        for approval in approvals
        if user.pk not in approval.approvers and user_can_publish(approval.page, user)
    ]


# --- The guard in the page's save path ---------------------------------------------------------

_BYPASS: ContextVar[str | None] = ContextVar("review_bypass", default=None)


def review_bypass_active() -> bool:
    """Whether the current code runs inside `review_bypass` (a system job putting pages online)."""
    return _BYPASS.get() is not None


@contextmanager
def review_bypass(*, reason: str) -> Iterator[None]:
    """Let a system job put pages online without review, recording each one with `reason`.

    For the jobs listed in docs/review.md only: the demo loader and the shared test helpers.
    Never for a person's action.
    """
    if not reason.strip():
        raise ValueError("review_bypass 需要写明原因。")
    token = _BYPASS.set(reason)
    try:
        yield
    finally:
        _BYPASS.reset(token)


def guard_page_save(
    sender: Any, instance: Any, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """pre_save: refuse to make content live without a valid approval (every path)."""
    if raw or not isinstance(instance, Page) or not instance.live or instance.alias_of_id:
        return
    if update_fields is not None and not set(update_fields) - REVIEW_EXEMPT_FIELDS:
        return
    old = type(instance)._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    if old is not None and old.live and public_content(old) == public_content(instance):
        return  # nothing the public reads changes: a move, a lock, a responsibility change
    if (reason := _BYPASS.get()) is not None:
        instance._review_bypass_reason = reason
        return
    revision = instance.live_revision
    if valid_approval(revision) is None:
        raise ReviewError(
            "未经审核通过的内容不能发布（先审后发）：请提交审核，审核通过后由编辑校对并发布。"
        )
    assert revision is not None  # noqa: S101  (valid_approval(None) is None)
    if public_content(instance) != public_content(revision.as_object()):
        raise ReviewError("要发布的内容与审核通过的版本不一致，请重新提交审核。")
    refuse_blocking_findings(instance, stage="发布", external_links=False)
    for publish_check in PUBLISH_CHECKS:
        publish_check(instance, old)


# Extra conditions other apps set on approved content going live, checked in the same save path
# after the approval (e.g. disclosure: a 需同步解读 document goes live only with its
# interpretation, 第十条(三)). Each gets the page being saved and the stored one (or None) and
# raises ReviewError to refuse. Registered in the app's ready().
PUBLISH_CHECKS: list[Callable[[Page, Page | None], None]] = []


def guard_revision_schedule(
    sender: Any, instance: Any, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """pre_save: only an approved revision may wait for scheduled publishing (定时发布).

    `publish_scheduled` publishes every revision with `approved_go_live_at` in the past; a
    revision gets there only through this check, so the command never meets unapproved work.
    """
    if raw or not isinstance(instance, Revision) or instance.approved_go_live_at is None:
        return
    if update_fields is not None and "approved_go_live_at" not in update_fields:
        return
    if not isinstance(instance.content_object, Page) or _BYPASS.get() is not None:
        return
    if valid_approval(instance) is None:
        raise ReviewError("未经审核通过的版本不能定时发布（先审后发）。")


def record_bypass(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """post_save: write a page put online under review_bypass to the trail."""
    reason = getattr(instance, "_review_bypass_reason", None)
    if reason is None:
        return
    del instance._review_bypass_reason
    trail_record(
        action=ReviewEvent.Action.BYPASS,
        user=None,
        page=instance,
        revision_id=instance.live_revision_id,
        comment=reason,
    )


def _fresh(page: Page) -> Any:
    """The page as stored now: services never trust a caller's possibly stale instance."""
    return Page.objects.get(pk=page.pk).specific


# --- Workflows per column -----------------------------------------------------------------------


@transaction.atomic
def column_workflow_set(*, column: Page, name: str, tasks: Sequence[Task]) -> Workflow:
    """Give a column (and its subtree) its own review steps, in order (up to three: 三审)."""
    if not 1 <= len(tasks) <= 3:
        raise ValueError("栏目的审核步骤应为一到三步。")
    workflow, _ = Workflow.objects.get_or_create(name=name, defaults={"active": True})
    WorkflowTask.objects.filter(workflow=workflow).delete()
    for order, task in enumerate(tasks):
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowPage.objects.update_or_create(page=column, defaults={"workflow": workflow})
    return workflow


# --- Submit, approve, send back ----------------------------------------------------------------


def review_submit(*, page: Page, user: Any) -> WorkflowState:
    """Submit the page's latest revision for review (the first step of its column's workflow)."""
    page = _fresh(page)
    revision = page.get_latest_revision()
    if revision is None:
        revision = page.save_revision(user=user)
    workflow = page.get_workflow()
    if workflow is None:
        raise ReviewError("该页面所在栏目没有设置审核流程，请联系运维监管人员。")
    if page.workflow_in_progress:
        raise ReviewError("该页面已在审核中。")
    if not PagePermissionTester(user, page).can_edit():
        raise ReviewError("您没有编辑该页面的权限。")
    try:
        findings = refuse_blocking_findings(revision.as_object(), stage="提交审核")
    except ReviewError as error:
        trail_record(
            action=ReviewEvent.Action.SUBMIT_REFUSED,
            user=user,
            page=page,
            revision_id=revision.pk,
            findings=error.findings,
        )
        raise
    with transaction.atomic():
        state = workflow.start(page, user)
        submission_record(page=page, revision=revision, user=user, findings=findings)
    return state


def submission_record(
    *, page: Page, revision: Revision, user: Any, findings: Sequence[PageFinding] | None = None
) -> ReviewEvent:
    """Write a submission (admin or service) to the trail with the check results."""
    if findings is None:
        findings = content_findings(revision.as_object())
    state = page.current_workflow_state
    return trail_record(
        action=ReviewEvent.Action.SUBMIT,
        user=user,
        page=page,
        revision_id=revision.pk,
        step=state.workflow.name if state else "",
        findings=findings,
    )


def _step_approvers(workflow_state: WorkflowState, revision: Revision) -> list[int]:
    return list(
        TaskState.objects.filter(
            workflow_state=workflow_state,
            revision=revision,
            status=TaskState.STATUS_APPROVED,
        )
        .exclude(finished_by=None)
        .values_list("finished_by_id", flat=True)
    )


def review_refusal(
    *, task_state: TaskState, user: Any, revision: Revision | None = None
) -> str | None:
    """Why `user` may not approve this step of this revision, or None if they may."""
    task = task_state.task.specific
    workflow_state = task_state.workflow_state
    page = workflow_state.content_object.specific
    revision = revision or page.get_latest_revision()
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        return "该审核步骤已结束。"
    if not task.user_can_review(page, user):
        return "您不是该审核步骤的审核人员。"
    if revision is None or revision.pk != page.latest_revision_id:
        return "稿件在审核期间已修改，请刷新后审核最新版本。"
    # 第十二条: 审核人员与编辑发布人员分设 — nobody reviews what they wrote or submitted.
    if user.pk in revision_authors(page, revision) or user.pk == workflow_state.requested_by_id:
        return "不能审核本人编辑或提交的稿件（审发分离），请由其他审核人员审核。"
    if user.pk in _step_approvers(workflow_state, revision):
        return "同一稿件的各步审核须由不同人员完成。"
    return None


def review_approve(
    *,
    task_state: TaskState,
    user: Any,
    revision: Revision,
    comment: str = "",
    acknowledged: Iterable[str] = (),
) -> ReviewApproval | None:
    """Approve one step of the review. After the last step the revision is approved (and not
    published: the editor proofreads and publishes it, 第十二条). Returns the approval then."""
    task_state = task_state.specific
    workflow_state = task_state.workflow_state
    page = workflow_state.content_object.specific
    step = task_state.task.name
    acknowledged = list(acknowledged)
    refusal = review_refusal(task_state=task_state, user=user, revision=revision)
    findings: list[PageFinding] = []
    if refusal is None:
        findings, refusal = approval_findings(
            revision.as_object(), stage="审核通过", acknowledged=acknowledged
        )
    if refusal is not None:
        trail_record(
            action=ReviewEvent.Action.APPROVE_REFUSED,
            user=user,
            page=page,
            revision_id=revision.pk,
            step=step,
            comment=refusal,
            findings=findings,
            acknowledged=acknowledged,
        )
        raise ReviewError(refusal, findings)
    return _approve_step(
        task_state=task_state,
        page=page,
        user=user,
        revision=revision,
        comment=comment,
        findings=findings,
        acknowledged=acknowledged,
    )


@transaction.atomic
def _approve_step(
    *,
    task_state: TaskState,
    page: Page,
    user: Any,
    revision: Revision,
    comment: str,
    findings: list[PageFinding],
    acknowledged: list[str],
) -> ReviewApproval | None:
    if task_state.revision_id != revision.pk:
        # The step was started on an earlier revision; the reviewer has read the latest one.
        task_state.revision = revision
        task_state.save(update_fields=["revision"])
    task_state.approve(user=user, update=False, comment=comment)
    workflow_state = WorkflowState.objects.get(pk=task_state.workflow_state_id)
    trail_record(
        action=ReviewEvent.Action.APPROVE_STEP,
        user=user,
        page=page,
        revision_id=revision.pk,
        step=task_state.task.name,
        comment=comment,
        findings=findings,
        acknowledged=acknowledged,
    )
    # With WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT, a step approved on an earlier revision
    # does not count: every step must approve this very revision (re-approval on edit).
    if workflow_state.get_next_task() is not None:
        workflow_state.update(user=user)
        return None
    # The last step: mark the workflow approved without Wagtail's publish-on-finish.
    workflow_state.status = WorkflowState.STATUS_APPROVED
    workflow_state.save()
    approval = ReviewApproval.objects.create(
        page=page,
        revision=revision,
        kind=ReviewApproval.Kind.NORMAL,
        approved_by=user,
        approvers=_step_approvers(workflow_state, revision),
        content_hash=revision_digest(revision),
    )
    workflow_approved.send(sender=WorkflowState, instance=workflow_state, user=user)
    trail_record(
        action=ReviewEvent.Action.APPROVE,
        user=user,
        page=page,
        revision_id=revision.pk,
        step=workflow_state.workflow.name,
        comment=comment,
        findings=findings,
        acknowledged=acknowledged,
    )
    log(
        instance=page,
        action="govportal.review.approve",
        user=user,
        revision=revision,
        data={"comment": comment},
    )
    return approval


@transaction.atomic
def review_reject(*, task_state: TaskState, user: Any, comment: str) -> None:
    """Send the item back to its editor with a comment (退回修改)."""
    task_state = task_state.specific
    page = task_state.workflow_state.content_object.specific
    if not comment.strip():
        raise ReviewError("退回修改须填写意见。")
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise ReviewError("该审核步骤已结束。")
    if not task_state.task.specific.user_can_review(page, user):
        raise ReviewError("您不是该审核步骤的审核人员。")
    task_state.reject(user=user, comment=comment)
    trail_record(
        action=ReviewEvent.Action.REJECT,
        user=user,
        page=page,
        revision_id=task_state.revision_id,
        step=task_state.task.name,
        comment=comment,
    )


def workflow_finished(workflow_state: WorkflowState, user: Any = None) -> None:
    """WAGTAIL_FINISH_WORKFLOW_ACTION: Wagtail's default publishes here; we never do.

    `review_approve` finishes workflows itself and writes the approval. Wagtail only gets here
    when a workflow ends with nobody approving (e.g. all its steps were deactivated), which
    approves nothing.
    """
    page = workflow_state.content_object
    trail_record(
        action=ReviewEvent.Action.WORKFLOW_FINISHED,
        user=user,
        page=page.specific if isinstance(page, Page) else None,
        step=workflow_state.workflow.name,
        comment="审核流程结束但没有人审核，未产生审核通过记录。",
    )


# --- Publish -----------------------------------------------------------------------------------


def page_publish_approved(
    *, page: Page, user: Any, go_live_at: dt.datetime | None = None
) -> Revision:
    """Publish the approved latest revision after proofreading, now or at `go_live_at`."""
    page = _fresh(page)
    revision = page.get_latest_revision()
    approval = valid_approval(revision)
    refusal: str | None = None
    findings: list[PageFinding] = []
    if revision is None or approval is None or approval.kind != ReviewApproval.Kind.NORMAL:
        refusal = "最新版本尚未审核通过，不能发布（先审后发）。"
    elif page.live_revision_id == revision.pk and page.live:
        refusal = "该版本已经发布。"
    elif not user_can_publish(page, user):
        refusal = "您没有发布该页面的权限。"
    elif user.pk in approval.approvers:
        refusal = "审核人员不能发布本人审核通过的稿件（审发分离），请由编辑校对后发布。"
    else:
        try:
            findings = refuse_blocking_findings(revision.as_object(), stage="发布")
        except ReviewError as error:
            findings, refusal = error.findings, error.message
    if refusal is not None:
        trail_record(
            action=ReviewEvent.Action.PUBLISH_REFUSED,
            user=user,
            page=page,
            revision_id=revision.pk if revision else None,
            comment=refusal,
            findings=findings,
        )
        raise ReviewError(refusal, findings)
    assert revision is not None  # noqa: S101
    return _publish(
        page=page, revision=revision, user=user, go_live_at=go_live_at, findings=findings
    )


@transaction.atomic
def _publish(
    *,
    page: Page,
    revision: Revision,
    user: Any,
    go_live_at: dt.datetime | None,
    findings: list[PageFinding],
    action: str | None = None,
    comment: str = "",
) -> Revision:
    now = timezone.now()
    scheduled = go_live_at is not None and go_live_at > now
    publish = PublishPageRevisionAction(revision, user=user, changed=True)
    # The publication time is the editor's choice at publishing, not part of the reviewed text.
    publish.object.go_live_at = go_live_at if scheduled else None
    publish.execute(skip_permission_checks=True)
    trail_record(
        action=action or (ReviewEvent.Action.SCHEDULE if scheduled else ReviewEvent.Action.PUBLISH),
        user=user,
        page=page,
        revision_id=revision.pk,
        comment=comment,
        findings=findings,
        data={"go_live_at": go_live_at} if scheduled else {},
    )
    return revision


# --- Emergency publishing (第十条(四)) -------------------------------------------------------


def page_emergency_publish(*, page: Page, user: Any, reason: str) -> ReviewApproval:
    """The operator publishes the latest revision at once; it stays 待补审 until approved."""
    page = _fresh(page)
    reason = reason.strip()
    revision = page.get_latest_revision()
    refusal: str | None = None
    findings: list[PageFinding] = []
    if not is_operator(user):
        refusal = "只有运维监管（承办单位）人员可以紧急发布。"
    elif len(reason) < 4:
        refusal = "紧急发布须写明理由（如重大突发事件、辟谣）。"
    elif revision is None:
        refusal = "该页面没有可发布的版本。"
    elif approved_revision(page) is not None:
        refusal = "该版本已审核通过，请由编辑校对后直接发布，无需紧急发布。"
    else:
        try:
            findings = refuse_blocking_findings(revision.as_object(), stage="紧急发布")
        except ReviewError as error:
            findings, refusal = error.findings, error.message
    if refusal is not None:
        trail_record(
            action=ReviewEvent.Action.EMERGENCY_REFUSED,
            user=user,
            page=page,
            revision_id=revision.pk if revision else None,
            comment=f"{refusal}（理由：{reason}）" if reason else refusal,
            findings=findings,
        )
        raise ReviewError(refusal, findings)
    assert revision is not None  # noqa: S101
    with transaction.atomic():
        approval = ReviewApproval.objects.create(
            page=page,
            revision=revision,
            kind=ReviewApproval.Kind.EMERGENCY,
            approved_by=user,
            approvers=[user.pk],
            content_hash=revision_digest(revision),
            reason=reason,
        )
        _publish(
            page=page,
            revision=revision,
            user=user,
            go_live_at=None,
            findings=findings,
            action=ReviewEvent.Action.EMERGENCY_PUBLISH,
            comment=reason,
        )
    return approval


def emergency_pending() -> QuerySet[ReviewApproval]:
    """Emergency publications still waiting for their retrospective approval (待补审)."""
    return (
        ReviewApproval.objects.filter(
            kind=ReviewApproval.Kind.EMERGENCY,
            retro_approved_at__isnull=True,
            revoked_at__isnull=True,
        )
        .select_related("page", "approved_by", "revision")
        .order_by("approved_at")
    )


def emergency_refusal(*, approval: ReviewApproval, user: Any) -> str | None:
    if not approval.awaiting_retro_approval:
        return "该紧急发布已补审或已失效。"
    page = approval.page.specific
    if user.pk == approval.approved_by_id:
        return "补审须由紧急发布人以外的人员进行。"
    if user.pk in revision_authors(page, approval.revision):
        return "不能补审本人编辑的稿件。"
    if not (is_operator(user) or page_reviewers(page).filter(pk=user.pk).exists()):
        return "只有责任单位审核人员或运维监管人员可以补审。"
    return None


def emergency_approve(
    *, approval: ReviewApproval, user: Any, comment: str = "", acknowledged: Iterable[str] = ()
) -> ReviewApproval:
    """Approve an emergency publication retrospectively; it leaves the 待补审 list."""
    acknowledged = list(acknowledged)
    page = approval.page.specific
    refusal = emergency_refusal(approval=approval, user=user)
    findings: list[PageFinding] = []
    if refusal is None:
        findings, refusal = approval_findings(
            approval.revision.as_object(),
            stage="补审",
            acknowledged=acknowledged,
            on_block="请撤稿处理。",
        )
    if refusal is not None:
        trail_record(
            action=ReviewEvent.Action.APPROVE_REFUSED,
            user=user,
            page=page,
            revision_id=approval.revision_id,
            step="补审",
            comment=refusal,
            findings=findings,
            acknowledged=acknowledged,
        )
        raise ReviewError(refusal, findings)
    with transaction.atomic():
        approval.retro_approved_by = user
        approval.retro_approved_at = timezone.now()
        approval.retro_comment = comment
        approval.save(update_fields=["retro_approved_by", "retro_approved_at", "retro_comment"])
        trail_record(
            action=ReviewEvent.Action.EMERGENCY_APPROVE,
            user=user,
            page=page,
            revision_id=approval.revision_id,
            step="补审",
            comment=comment,
            findings=findings,
            acknowledged=acknowledged,
        )
    return approval


# --- Withdrawal (撤稿) --------------------------------------------------------------------------


def page_withdraw(
    *, page: Page, user: Any, reason: str, show_notice: bool = False
) -> PageWithdrawal:
    """Take a page (and its subpages) off the site, with the reason; approvals lapse."""
    page = _fresh(page)
    reason = reason.strip()
    if not page.live:
        raise ReviewError("该页面未发布，无需撤稿。")
    if not user_can_withdraw(page, user):
        raise ReviewError("您没有撤下该页面的权限。")
    if len(reason) < 2:
        raise ReviewError("撤稿须写明理由。")
    return _withdraw(page=page, user=user, reason=reason, show_notice=show_notice)


@transaction.atomic
def _withdraw(*, page: Page, user: Any, reason: str, show_notice: bool) -> PageWithdrawal:
    now = timezone.now()
    url_parts = page.get_url_parts()
    site_id, path = (url_parts[0], url_parts[2]) if url_parts else (None, page.url_path)
    revision_id = page.live_revision_id
    UnpublishPageAction(page, user=user, include_descendants=True).execute(
        skip_permission_checks=True
    )
    # Publishing it again needs a fresh review: 撤下的稿件不能凭旧的审核记录重新上线.
    ReviewApproval.objects.filter(page=page, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason="撤稿"
    )
    Revision.page_revisions.filter(object_id=str(page.pk)).update(approved_go_live_at=None)
    withdrawal = PageWithdrawal.objects.create(
        page=page,
        page_title=page.title,
        site_id=site_id,
        path=path or "",
        reason=reason,
        show_notice=show_notice,
        withdrawn_by=user,
        withdrawn_at=now,
    )
    trail_record(
        action=ReviewEvent.Action.WITHDRAW,
        user=user,
        page=page,
        revision_id=revision_id,
        comment=reason,
        data={"show_notice": show_notice},
    )
    return withdrawal


__all__ = [
    "REVIEW_EXEMPT_FIELDS",
    "PageFinding",
    "ReviewError",
    "column_workflow_set",
    "content_findings",
    "emergency_approve",
    "emergency_pending",
    "guard_page_save",
    "page_emergency_publish",
    "page_publish_approved",
    "page_withdraw",
    "review_approve",
    "review_bypass",
    "review_reject",
    "review_submit",
]
