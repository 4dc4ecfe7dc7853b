"""State changes of the disclosure app: publishing a document with its interpretation, now or
at a set time (定时发布), and the guards that keep the two together on every path.

The receivers at the end of this module (scheduling and unscheduling of revisions) are connected
when the module is imported, which `DisclosureConfig.ready` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Page, Revision

from govportal.content import review
from govportal.content.review import ReviewError

# Documents being published together with an interpretation by policy_publish_with_interpretation.
_TOGETHER: ContextVar[frozenset[int]] = ContextVar("policy_publish_together", default=frozenset())

NEEDS_INTERPRETATION_REFUSAL = (
    "该政策文件标记为“需同步解读”（第十条(三)），不能单独发布："
    "请将审核通过的解读与文件一并发布（“与解读一并发布”）。"
)
NEEDS_INTERPRETATION_SCHEDULE_REFUSAL = (
    "该政策文件标记为“需同步解读”（第十条(三)），不能单独定时发布："
    "请在“与解读一并发布”中为文件和审核通过的解读设定同一发布时间。"
)
# Unscheduling one member of a pair that goes live together (set while the others follow).
_CASCADING: ContextVar[bool] = ContextVar("policy_unschedule_cascading", default=False)


def interpretation_links_check(documents: Iterable[Any]) -> None:
    """An interpretation must explain at least one existing policy document."""
    from govportal.disclosure.models import PolicyDocumentPage

    wanted = {getattr(doc, "pk", doc) for doc in documents}
    if not wanted:
        raise ValidationError({"documents": "政策解读必须关联至少一个政策文件。"})
    found = set(PolicyDocumentPage.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = sorted(str(pk) for pk in wanted - found)
    if missing:
        raise ValidationError(
            {"documents": f"所关联的政策文件不存在（编号 {'、'.join(missing)}），请重新选择。"}
        )


def publish_check_interpretation(page: Page, old: Page | None) -> None:
    """Review hook: a 需同步解读 document goes live only with an interpretation (第十条(三)).

    It may go live alone when an interpretation of it is already live (e.g. republished after a
    withdrawal); otherwise only inside policy_publish_with_interpretation.
    """
    from govportal.disclosure.models import InterpretationPage, PolicyDocumentPage

    if isinstance(page, InterpretationPage) and not (old is not None and old.live):
        if not page.documents.all():
            raise ReviewError(
                "政策解读没有关联任何现存的政策文件，不能发布：请重新选择所解读的文件。"
            )
        return
    if not isinstance(page, PolicyDocumentPage) or not page.needs_interpretation:
        return
    if old is not None and old.live:
        return  # already public: an edit of a live document is not a first publication
    if page.pk in _TOGETHER.get():
        return
    if page.pk and InterpretationPage.objects.live().filter(documents=page).exists():
        return
    # Scheduled together (定时发布): when the document's time has come, the interpretations
    # scheduled with it go live now, in the same transaction, whatever order the scheduler
    # (`manage.py publish_scheduled`) takes the revisions in. A refusal of any of them refuses
    # the document too, so neither goes live alone.
    due = [r for r in _scheduled_interpretations(page.pk) if r.approved_go_live_at <= _now()]
    if page.pk and due:
        for revision in due:
            revision.publish(log_action="wagtail.publish.scheduled")
        return
    raise ReviewError(NEEDS_INTERPRETATION_REFUSAL)


def _now() -> dt.datetime:
    return timezone.now()


def _content_type(model: type) -> ContentType:
    return ContentType.objects.get_for_model(model)


def _scheduled_interpretations(document_pk: int | None) -> list[Revision]:
    """Scheduled revisions of not-yet-live interpretations that explain the document."""
    from govportal.disclosure.models import InterpretationPage

    if document_pk is None:
        return []
    offline = InterpretationPage.objects.filter(live=False).values_list("pk", flat=True)
    revisions = Revision.objects.filter(
        content_type=_content_type(InterpretationPage),
        approved_go_live_at__isnull=False,
        object_id__in=[str(pk) for pk in offline],
    ).order_by("approved_go_live_at", "pk")
    return [revision for revision in revisions if _linked_in(revision, document_pk)]


def _scheduled_documents(interpretation_revision: Revision) -> list[Revision]:
    """Scheduled first publications of 需同步解读 documents the interpretation explains."""
    from govportal.disclosure.models import PolicyDocumentPage

    linked = [doc.pk for doc in interpretation_revision.as_object().documents.all()]
    waiting = PolicyDocumentPage.objects.filter(
        pk__in=linked, live=False, needs_interpretation=True
    ).values_list("pk", flat=True)
    return list(
        Revision.objects.filter(
            content_type=_content_type(PolicyDocumentPage),
            approved_go_live_at__isnull=False,
            object_id__in=[str(pk) for pk in waiting],
        )
    )


@contextmanager
def _together(document_pk: int) -> Iterator[None]:
    token = _TOGETHER.set(_TOGETHER.get() | {document_pk})
    try:
        yield
    finally:
        _TOGETHER.reset(token)


def _linked_in(revision: Revision, document_pk: int) -> bool:
    return document_pk in {doc.pk for doc in revision.as_object().documents.all()}


@transaction.atomic
def policy_publish_with_interpretation(
    *, document: Page, interpretation: Page, user: Any, go_live_at: dt.datetime | None = None
) -> None:
    """Publish a document's approved revision and an approved interpretation of it in one
    transaction (第十条(三)): both go live, or neither does. See
    policy_publish_with_interpretations."""
    policy_publish_with_interpretations(
        document=document, interpretations=[interpretation], user=user, go_live_at=go_live_at
    )


@transaction.atomic
def policy_publish_with_interpretations(
    *,
    document: Page,
    interpretations: Sequence[Page],
    user: Any,
    go_live_at: dt.datetime | None = None,
) -> None:
    """Publish a document's approved revision with approved interpretations of it in one
    transaction (第十条(三)): all go live, or none does.

    With `go_live_at` in the future (定时发布) all of them are scheduled for that same moment;
    `manage.py publish_scheduled` then makes them live together (publish_check_interpretation),
    and unscheduling any of them unschedules the others (revision_schedule_guard).

    Each publication goes through review.page_publish_approved, so the rules of the review
    workflow (审发分离, approved revision, content checks) hold for every page.
    """
    from govportal.disclosure.models import InterpretationPage, PolicyDocumentPage

    document = Page.objects.get(pk=document.pk).specific
    if not isinstance(document, PolicyDocumentPage):
        raise ReviewError("只能对政策文件执行“与解读一并发布”。")
    if not interpretations:
        raise ReviewError("请至少选择一篇审核通过的解读（第十条(三)）。")
    if go_live_at is not None and go_live_at <= _now():
        raise ReviewError("定时发布时间须晚于当前时间；立即发布请留空。")
    doc_revision = review.approved_revision(document)
    if doc_revision is None:
        raise ReviewError(f"政策文件《{document.title}》的最新版本尚未审核通过，不能发布。")
    pending = []
    for page in interpretations:
        interpretation = Page.objects.get(pk=page.pk).specific
        if not isinstance(interpretation, InterpretationPage):
            raise ReviewError("一并发布的必须是政策解读页面。")
        interp_revision = review.approved_revision(interpretation)
        if interp_revision is None and not interpretation.live:
            raise ReviewError(
                f"解读《{interpretation.title}》的最新版本尚未审核通过，不能一并发布。"
            )
        if go_live_at is not None and interp_revision is None:
            raise ReviewError(f"解读《{interpretation.title}》已经发布，无需与文件一并定时发布。")
        checked = interp_revision or interpretation.live_revision
        if checked is None or not _linked_in(checked, document.pk):
            raise ReviewError(
                f"解读《{interpretation.title}》没有关联政策文件《{document.title}》。"
            )
        if interp_revision is not None:
            pending.append(interpretation)
    with _together(document.pk):
        for interpretation in pending:
            review.page_publish_approved(page=interpretation, user=user, go_live_at=go_live_at)
        review.page_publish_approved(page=document, user=user, go_live_at=go_live_at)


def approved_interpretations_for(document: Page) -> list[Any]:
    """Interpretations linked to `document` whose latest revision awaits publication."""
    from govportal.disclosure.models import InterpretationPage

    found = []
    for page in InterpretationPage.objects.order_by("-pk")[:500]:
        revision = review.approved_revision(page)
        if revision is not None and _linked_in(revision, document.pk):
            found.append(page)
    return found


# --- Scheduling (定时发布) keeps the pair together ----------------------------------------------


@receiver(pre_save, sender=Revision, dispatch_uid="disclosure_revision_schedule_guard")
def revision_schedule_guard(
    sender: Any, instance: Revision, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """pre_save of a revision: 第十条(三) for scheduled publishing, on every path.

    - A 需同步解读 document that is not live may be scheduled only together with its
      interpretations (inside policy_publish_with_interpretations), unless an interpretation of
      it is already live (the same exception as publish_check_interpretation).
    - An interpretation scheduled with a document cannot be moved to another time alone.
    - Unscheduling one of them (Wagtail's 取消定时发布) unschedules the others.

    It adds to review.guard_revision_schedule (approval required), which runs as well.
    """
    from govportal.disclosure.models import InterpretationPage, PolicyDocumentPage

    if raw or (update_fields is not None and "approved_go_live_at" not in update_fields):
        return
    if instance.pk is None and instance.approved_go_live_at is None:
        return  # a new draft: nothing scheduled
    model = instance.content_type.model_class()
    if model not in (PolicyDocumentPage, InterpretationPage):
        return
    stored = (
        Revision.objects.filter(pk=instance.pk)
        .values_list("approved_go_live_at", flat=True)
        .first()
        if instance.pk
        else None
    )
    if instance.approved_go_live_at is None:
        if stored is not None and not _CASCADING.get():
            _unschedule_partners(instance)
        return
    if stored == instance.approved_go_live_at:
        return
    if model is PolicyDocumentPage:
        _document_schedule_check(instance)
    else:
        _interpretation_schedule_check(instance)


def _document_schedule_check(revision: Revision) -> None:
    from govportal.disclosure.models import InterpretationPage, PolicyDocumentPage

    pk = int(revision.object_id)
    if pk in _TOGETHER.get():
        return
    page = PolicyDocumentPage.objects.filter(pk=pk).first()
    if page is None or page.live or not revision.as_object().needs_interpretation:
        return  # an edit of a live document is not its first publication
    if InterpretationPage.objects.live().filter(documents=page).exists():
        return
    raise ReviewError(NEEDS_INTERPRETATION_SCHEDULE_REFUSAL)


def _interpretation_schedule_check(revision: Revision) -> None:
    for partner in _scheduled_documents(revision):
        if int(partner.object_id) in _TOGETHER.get():
            continue
        if partner.approved_go_live_at != revision.approved_go_live_at:
            when = timezone.localtime(partner.approved_go_live_at)
            raise ReviewError(
                f"该解读须与政策文件《{partner.object_str}》于 {when:%Y-%m-%d %H:%M} 一并发布，"
                "不能单独改期：请先取消文件的定时发布，再用“与解读一并发布”重新设定时间。"
            )


def _unschedule_partners(revision: Revision) -> None:
    """Unschedule what was scheduled to go live together with `revision`."""
    from govportal.disclosure.models import PolicyDocumentPage

    if revision.content_type.model_class() is PolicyDocumentPage:
        partners = _scheduled_interpretations(int(revision.object_id))
    else:
        # A document whose last scheduled interpretation this was cannot go live alone.
        partners = [
            doc
            for doc in _scheduled_documents(revision)
            if not [
                r for r in _scheduled_interpretations(int(doc.object_id)) if r.pk != revision.pk
            ]
        ]
    token = _CASCADING.set(True)
    try:
        for partner in partners:
            partner.approved_go_live_at = None
            partner.save(update_fields=["approved_go_live_at"])  # Wagtail logs the cancellation
    finally:
        _CASCADING.reset(token)


def scheduled_with(document: Page) -> dict[str, Any] | None:
    """The document's pending schedule: its time and the interpretations going live with it."""
    from govportal.disclosure.models import InterpretationPage, PolicyDocumentPage

    revision = (
        Revision.objects.filter(
            content_type=_content_type(PolicyDocumentPage),
            object_id=str(document.pk),
            approved_go_live_at__isnull=False,
        )
        .order_by("-pk")
        .first()
    )
    if revision is None:
        return None
    partners = _scheduled_interpretations(document.pk)
    pages = InterpretationPage.objects.filter(pk__in=[int(r.object_id) for r in partners])
    return {"go_live_at": revision.approved_go_live_at, "interpretations": list(pages)}
