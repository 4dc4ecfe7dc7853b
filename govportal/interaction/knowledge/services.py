"""State changes of the knowledge part, one function each (the admin, the public views and the
demo call the same ones), and the small queries the screens share."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet

from govportal.interaction.models import KnowledgeEntry, UnansweredQuestion

_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)


def question_normalise(text: str) -> str:
    """The form two askings of one question share: half-width, lower case, no spaces or
    punctuation (“低保怎么申请？” and “低保 怎么申请” are one question)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return _NOT_TEXT.sub("", folded)[:200]


def entries_review_due(*, today: dt.date) -> QuerySet[KnowledgeEntry]:
    """Entries past their validity date: flagged for review until an editor renews them."""
    return KnowledgeEntry.objects.filter(valid_until__lt=today)


def entry_view_count(*, entry_id: int) -> None:
    """关注度: one more view, counted in the database (two readers at once both count)."""
    KnowledgeEntry.objects.filter(pk=entry_id).update(views=F("views") + 1)


@transaction.atomic
def unanswered_record(*, text: str, now: dt.datetime) -> UnansweredQuestion | None:
    """Log a question the bot could not answer; the same question again counts up.

    Returns None for a question with nothing to log (only punctuation or spaces)."""
    text = " ".join(text.split())[:200]
    normalised = question_normalise(text)
    if not normalised:
        return None
    updated = UnansweredQuestion.objects.filter(normalised=normalised).update(
        count=F("count") + 1, last_asked_at=now
    )
    if not updated:
        try:
            # A savepoint: when another request created the row first, fall back to counting.
            with transaction.atomic():
                return UnansweredQuestion.objects.create(
                    normalised=normalised, text=text, first_asked_at=now, last_asked_at=now
                )
        except IntegrityError:
            UnansweredQuestion.objects.filter(normalised=normalised).update(
                count=F("count") + 1, last_asked_at=now
            )
    return UnansweredQuestion.objects.get(normalised=normalised)


@transaction.atomic
def unanswered_handle(
    *, question: UnansweredQuestion, status: str, user: Any, note: str = ""
) -> UnansweredQuestion:
    """An editor marks a logged question as added to the knowledge base or not to be handled."""
    if status not in UnansweredQuestion.Status.values:
        raise ValueError(f"unknown status {status!r}")
    question.status = status
    question.note = note[:200]
    question.handled_by = user if getattr(user, "is_authenticated", False) else None
    question.save(update_fields=["status", "note", "handled_by"])
    return question


def entry_prefill(params: Any) -> dict[str, Any]:
    """Initial values of the create form from an answered message's GET parameters
    (`question`, `answer`, `unit` pk, `source` URL): what is wrong is left out, never an error."""
    from govportal.core.models import Unit
    from govportal.interaction.models.knowledge import source_url_validate

    initial: dict[str, Any] = {}
    question = " ".join(str(params.get("question", "")).split())
    if question:
        initial["question"] = question[:200]
    answer = str(params.get("answer", "")).strip()
    if answer:
        initial["answer"] = answer[:5000]
    unit = str(params.get("unit", "")).strip()
    if unit.isdigit() and Unit.objects.filter(pk=int(unit)).exists():
        initial["unit"] = int(unit)
    source = str(params.get("source", "")).strip()[:500]
    if source:
        try:
            source_url_validate(source)
        except ValidationError:
            pass  # a bad link is simply not taken over
        else:
            initial["source_url"] = source
            if "source_text" not in initial:
                initial["source_text"] = "留言答复" if "/mailbox/" in source else ""
    return initial
