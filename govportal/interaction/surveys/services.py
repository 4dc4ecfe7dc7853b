"""State changes of 征集调查 (第十条(一)). One function each; views, admin and commands share them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from govportal.checks.engine import check
from govportal.interaction.models.surveys import (
    CommentStatus,
    ConsultationComment,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyPhase,
    SurveyResponse,
)
from govportal.interaction.surveys import antispam
from govportal.interaction.surveys.rules import FeedbackDue, feedback_due

# Offices and schools share one public address: the limit is generous, and per survey.
DAY = 24 * 3600


def answers_per_ip() -> int:
    return int(getattr(settings, "SURVEY_ANSWERS_PER_IP", 20))


def comments_per_ip() -> int:
    return int(getattr(settings, "SURVEY_COMMENTS_PER_IP", 10))


class SurveyRefused(Exception):
    """A state change that is not allowed; the message is Chinese and shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


PHASE_REFUSALS = {
    SurveyPhase.DRAFT: "本次征集尚未发布。",
    SurveyPhase.NOT_OPEN: "本次征集尚未开始，请在开始时间后再来参与。",
    SurveyPhase.CLOSED: "本次征集已结束，不再接收新的答卷和意见。",
}


def _require_open(survey: Survey, now: dt.datetime) -> None:
    phase = survey.phase(now)
    if phase != SurveyPhase.OPEN:
        raise SurveyRefused(PHASE_REFUSALS[phase])


@dataclass(frozen=True)
class AnswerResult:
    response: SurveyResponse
    created: bool  # False: this form had already been submitted (a double click)


@transaction.atomic
def survey_answer(
    *,
    survey: Survey,
    answers: dict[int, Any],
    token: str,
    ip: str,
    phone: str = "",
    now: dt.datetime,
) -> AnswerResult:
    """Store one anonymous response. `answers` maps question pk to a label, a list of labels,
    a rating (int) or a text, as the answer form cleaned them."""
    existing = SurveyResponse.objects.filter(token=token, survey=survey).first()
    if existing is not None:
        return AnswerResult(existing, created=False)
    _require_open(survey, now)
    hashed_ip = antispam.ip_hash(ip)
    scope = f"survey-answer:{survey.pk}"
    if antispam.limit_reached(scope, hashed_ip, limit=answers_per_ip(), window=DAY):
        raise SurveyRefused("来自同一网络地址的答卷已达上限，请明天再试。")
    hashed_phone = ""
    if survey.phone_check:
        if not antispam.MOBILE_RE.match(phone):
            raise SurveyRefused("请填写11位手机号码。", field="phone")
        hashed_phone = antispam.phone_hash(phone)
        if SurveyResponse.objects.filter(survey=survey, phone_hash=hashed_phone).exists():
            raise SurveyRefused("该手机号码已参与过本次调查，每个号码只能参与一次。", field="phone")
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey,
                submitted_at=now,
                token=token,
                ip_hash=hashed_ip,
                phone_hash=hashed_phone,
            )
    except IntegrityError:
        # Two requests raced: the same form twice (one response) or the same phone twice.
        same = SurveyResponse.objects.filter(token=token, survey=survey).first()
        if same is not None:
            return AnswerResult(same, created=False)
        raise SurveyRefused(
            "该手机号码已参与过本次调查，每个号码只能参与一次。", field="phone"
        ) from None
    items: list[SurveyAnswer] = []
    for question in survey.questions.all():
        value: Any = answers.get(question.pk)
        if value is None or value == "" or value == []:
            continue
        if question.kind == QuestionKind.MULTIPLE:
            items += [SurveyAnswer(response=response, question=question, choice=v) for v in value]
        elif question.kind == QuestionKind.SINGLE:
            items.append(SurveyAnswer(response=response, question=question, choice=str(value)))
        elif question.kind == QuestionKind.RATING:
            items.append(SurveyAnswer(response=response, question=question, rating=int(value)))
        else:
            items.append(SurveyAnswer(response=response, question=question, text=str(value)))
    SurveyAnswer.objects.bulk_create(items)
    antispam.limit_count(scope, hashed_ip, window=DAY)
    return AnswerResult(response, created=True)


@transaction.atomic
def comment_submit(
    *,
    survey: Survey,
    article: str,
    content: str,
    nickname: str,
    token: str,
    ip: str,
    now: dt.datetime,
) -> tuple[ConsultationComment, bool]:
    """A comment on the draft, held for moderation. Returns (comment, created)."""
    existing = ConsultationComment.objects.filter(token=token, survey=survey).first()
    if existing is not None:
        return existing, False
    _require_open(survey, now)
    if not survey.is_consultation:
        raise SurveyRefused("本次征集不接收逐条意见。")
    hashed_ip = antispam.ip_hash(ip)
    return antispam.create_once(
        ConsultationComment,
        token=token,
        scope=f"survey-comment:{survey.pk}",
        ip_hash=hashed_ip,
        limit=comments_per_ip(),
        refusal=SurveyRefused("来自同一网络地址的意见已达上限，请明天再试。"),
        create=lambda: ConsultationComment.objects.create(
            survey=survey,
            article=article,
            content=content,
            nickname=nickname,
            token=token,
            ip_hash=hashed_ip,
            submitted_at=now,
        ),
    )


@transaction.atomic
def comment_moderate(
    *, comment: ConsultationComment, approve: bool, by: Any, now: dt.datetime
) -> ConsultationComment:
    """Approve (it appears under its article) or refuse a comment. Either is final."""
    locked = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
    if locked.status != CommentStatus.PENDING:
        raise SurveyRefused("这条意见已经审核过了。")
    locked.status = CommentStatus.APPROVED if approve else CommentStatus.REJECTED
    locked.moderated_at = now
    locked.moderated_by = by
    locked.save(update_fields=["status", "moderated_at", "moderated_by"])
    return locked


@transaction.atomic
def survey_close(*, survey: Survey, now: dt.datetime) -> Survey:
    """End a survey now (early) or record that its scheduled end has passed."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.closed_at is not None:
        raise SurveyRefused("本次征集已经结束。")
    locked.closed_at = min(now, locked.closes_at)
    locked.save(update_fields=["closed_at"])
    return locked


def surveys_close_due(*, now: dt.datetime) -> int:
    """Close every survey whose end time has passed. Safe to run twice: a conditional UPDATE
    claims each survey once."""
    with transaction.atomic():
        due = Survey.objects.filter(closed_at__isnull=True, closes_at__lte=now)
        count = 0
        for pk, closes_at in due.values_list("pk", "closes_at"):
            count += Survey.objects.filter(pk=pk, closed_at__isnull=True).update(
                closed_at=closes_at
            )
    return count


@transaction.atomic
def survey_feedback_publish(*, survey: Survey, text: str, by: Any, now: dt.datetime) -> Survey:
    """Publish the 采纳情况 (第十条(一): within one month of the end). The text passes the
    content checks first; a blocking finding refuses it."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.phase(now) != SurveyPhase.CLOSED:
        raise SurveyRefused("征集结束后才能发布采纳情况反馈。")
    text = text.strip()
    if not text:
        raise SurveyRefused("请填写采纳情况反馈。", field="text")
    blocking = [f for f in check(text, html=False) if f.blocks]
    if blocking:
        details = "；".join(f"{f.message}（{f.match}）" for f in blocking[:5])
        raise SurveyRefused(f"反馈内容未通过内容检查：{details}", field="text")
    if locked.closed_at is None:
        locked.closed_at = locked.closes_at
    locked.feedback_text = text
    locked.feedback_by = by
    if locked.feedback_published_at is None:
        locked.feedback_published_at = now
    locked.save(
        update_fields=["closed_at", "feedback_text", "feedback_by", "feedback_published_at"]
    )
    return locked


# --- Reading ----------------------------------------------------------------------------------


def survey_feedback_due(survey: Survey, *, today: dt.date) -> FeedbackDue:
    published = survey.feedback_published_at
    return feedback_due(
        ended_on=timezone.localdate(survey.ended_at),
        published_on=timezone.localdate(published) if published else None,
        today=today,
    )


def feedback_open(*, now: dt.datetime) -> list[tuple[Survey, FeedbackDue]]:
    """Published surveys that have ended and still owe their feedback, most urgent first."""
    ended = Survey.objects.filter(published=True, feedback_published_at__isnull=True).filter(
        Q(closed_at__isnull=False) | Q(closes_at__lte=now)
    )
    today = timezone.localdate(now)
    rows = [(s, survey_feedback_due(s, today=today)) for s in ended]
    rows = [(s, due) for s, due in rows if due.is_open]
    rows.sort(key=lambda row: row[1].deadline)
    return rows


def survey_counts(year: int) -> dict[str, int]:
    """For the annual report (政府网站工作年度报表, 互动交流 → 征集调查): surveys that opened
    in `year`, opinions received in `year` (answers and consultation comments), and surveys
    whose results and feedback were published in `year`."""
    published = Survey.objects.filter(published=True)
    return {
        "surveys": published.filter(opens_at__year=year).count(),
        "opinions_received": SurveyResponse.objects.filter(
            survey__published=True, submitted_at__year=year
        ).count()
        + ConsultationComment.objects.filter(
            survey__published=True, submitted_at__year=year
        ).count(),
        "results_published": published.filter(feedback_published_at__year=year).count(),
    }
