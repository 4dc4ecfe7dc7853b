"""State changes of the disclosure app: publishing a document with its interpretation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import Page, Revision

from govportal.content import review
from govportal.content.review import ReviewError

# Documents being published together with an interpretation by policy_publish_with_interpretation.
_TOGETHER: ContextVar[frozenset[int]] = ContextVar("policy_publish_together", default=frozenset())

NEEDS_INTERPRETATION_REFUSAL = (
    "该政策文件标记为“需同步解读”（第十条(三)），不能单独发布："
    "请将审核通过的解读与文件一并发布（“与解读一并发布”）。"
)


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
    raise ReviewError(NEEDS_INTERPRETATION_REFUSAL)


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
def policy_publish_with_interpretation(*, document: Page, interpretation: Page, user: Any) -> None:
    """Publish a document's approved revision and an approved interpretation of it in one
    transaction (第十条(三)): both go live, or neither does.

    Each publication goes through review.page_publish_approved, so the rules of the review
    workflow (审发分离, approved revision, content checks) hold for both.
    """
    from govportal.disclosure.models import InterpretationPage, PolicyDocumentPage

    document = Page.objects.get(pk=document.pk).specific
    interpretation = Page.objects.get(pk=interpretation.pk).specific
    if not isinstance(document, PolicyDocumentPage):
        raise ReviewError("只能对政策文件执行“与解读一并发布”。")
    if not isinstance(interpretation, InterpretationPage):
        raise ReviewError("一并发布的必须是政策解读页面。")
    doc_revision = review.approved_revision(document)
    interp_revision = review.approved_revision(interpretation)
    if doc_revision is None:
        raise ReviewError(f"政策文件《{document.title}》的最新版本尚未审核通过，不能发布。")
    if interp_revision is None and not interpretation.live:
        raise ReviewError(f"解读《{interpretation.title}》的最新版本尚未审核通过，不能一并发布。")
    checked = interp_revision or interpretation.live_revision
    if checked is None or not _linked_in(checked, document.pk):
        raise ReviewError(f"解读《{interpretation.title}》没有关联政策文件《{document.title}》。")
    if interp_revision is not None:
        review.page_publish_approved(page=interpretation, user=user)
    with _together(document.pk):
        review.page_publish_approved(page=document, user=user)


def approved_interpretations_for(document: Page) -> list[Any]:
    """Interpretations linked to `document` whose latest revision awaits publication."""
    from govportal.disclosure.models import InterpretationPage

    found = []
    for page in InterpretationPage.objects.order_by("-pk")[:500]:
        revision = review.approved_revision(page)
        if revision is not None and _linked_in(revision, document.pk):
            found.append(page)
    return found
