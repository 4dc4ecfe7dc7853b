"""State changes of 在线访谈, and the counts the annual report reads.

One keyword-only function per change; the host console, the public form and the demo call them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from govportal.interaction.models.interviews import (
    Interview,
    InterviewGuest,
    InterviewQuestion,
    InterviewState,
    QuestionSource,
    QuestionStatus,
)
from govportal.interaction.surveys import antispam


def questions_per_ip() -> int:
    return int(getattr(settings, "INTERVIEW_QUESTIONS_PER_IP", 10))


class InterviewRefused(Exception):
    """A change that is not allowed; the message is Chinese and shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _locked(interview: Interview) -> Interview:
    return Interview.objects.select_for_update().get(pk=interview.pk)


@transaction.atomic
def interview_start(*, interview: Interview, now: dt.datetime) -> Interview:
    locked = _locked(interview)
    if locked.state != InterviewState.UPCOMING:
        raise InterviewRefused("访谈已经开始或已经结束。")
    if not locked.published:
        raise InterviewRefused("访谈尚未发布，不能开始直播。请先在编辑页勾选“在网站上发布”。")
    locked.state = InterviewState.LIVE
    locked.started_at = now
    locked.save(update_fields=["state", "started_at"])
    return locked


@transaction.atomic
def interview_end(*, interview: Interview, now: dt.datetime) -> Interview:
    """End the live interview: the page becomes the archived transcript; unanswered public
    questions stay in the console and in the counts as received, not answered."""
    locked = _locked(interview)
    if locked.state != InterviewState.LIVE:
        raise InterviewRefused("只有正在直播的访谈才能结束。")
    locked.state = InterviewState.ENDED
    locked.ended_at = now
    locked.save(update_fields=["state", "ended_at"])
    return locked


@transaction.atomic
def question_submit(
    *,
    interview: Interview,
    content: str,
    nickname: str,
    token: str,
    ip: str,
    now: dt.datetime,
) -> tuple[InterviewQuestion, bool]:
    """A question from the public, before or during the interview; held for moderation.
    Returns (question, created); the same form submitted twice stores one question."""
    existing = InterviewQuestion.objects.filter(token=token, interview=interview).first()
    if existing is not None:
        return existing, False
    if not interview.published:
        raise InterviewRefused("访谈尚未发布。")
    if interview.state == InterviewState.ENDED:
        raise InterviewRefused("访谈已经结束，不再接收提问。欢迎通过区长信箱继续反映。")
    hashed_ip = antispam.ip_hash(ip)
    return antispam.create_once(
        InterviewQuestion,
        token=token,
        scope=f"interview-question:{interview.pk}",
        ip_hash=hashed_ip,
        limit=questions_per_ip(),
        refusal=InterviewRefused("来自同一网络地址的提问已达上限，请明天再试。"),
        create=lambda: InterviewQuestion.objects.create(
            interview=interview,
            content=content,
            nickname=nickname,
            token=token,
            ip_hash=hashed_ip,
            submitted_at=now,
            during_live=interview.state == InterviewState.LIVE,
        ),
    )


@transaction.atomic
def question_moderate(
    *, question: InterviewQuestion, approve: bool, by: Any, now: dt.datetime
) -> InterviewQuestion:
    locked = InterviewQuestion.objects.select_for_update().get(pk=question.pk)
    if locked.status != QuestionStatus.PENDING:
        raise InterviewRefused("这个问题已经审核过了。")
    locked.status = QuestionStatus.APPROVED if approve else QuestionStatus.REJECTED
    locked.moderated_at = now
    locked.moderated_by = by
    locked.save(update_fields=["status", "moderated_at", "moderated_by"])
    return locked


def _publish(
    question: InterviewQuestion, *, answer: str, guest: InterviewGuest, now: dt.datetime
) -> InterviewQuestion:
    # The interview row is locked by the caller, so sequence numbers never collide.
    last = question.interview.questions.aggregate(n=Max("sequence"))["n"] or 0
    question.answer = answer
    question.answered_by = guest
    question.answerer = str(guest)
    question.answered_at = now
    question.status = QuestionStatus.ANSWERED
    question.sequence = last + 1
    question.save()
    return question


def _check_answer(interview: Interview, answer: str, guest: InterviewGuest) -> str:
    if interview.state != InterviewState.LIVE:
        raise InterviewRefused("只有在直播中才能发布问答。请先点击“开始直播”。")
    if guest.interview_id != interview.pk:
        raise InterviewRefused("请选择本次访谈的嘉宾。")
    answer = answer.strip()
    if not answer:
        raise InterviewRefused("请填写嘉宾的回答。")
    return answer


@transaction.atomic
def question_answer(
    *, question: InterviewQuestion, answer: str, guest: InterviewGuest, now: dt.datetime
) -> InterviewQuestion:
    """The host publishes an approved public question with the guest's answer; it appears on
    the live page at the next poll."""
    interview = _locked(question.interview)
    locked = InterviewQuestion.objects.select_for_update().get(pk=question.pk)
    answer = _check_answer(interview, answer, guest)
    if locked.status != QuestionStatus.APPROVED:
        raise InterviewRefused("只能回答已审核通过、尚未回答的问题。")
    locked.interview = interview
    return _publish(locked, answer=answer, guest=guest, now=now)


@transaction.atomic
def pair_publish(
    *,
    interview: Interview,
    question: str,
    answer: str,
    guest: InterviewGuest,
    token: str,
    now: dt.datetime,
) -> InterviewQuestion:
    """The host's own question (主持人提问) with the guest's answer, published at once."""
    interview = _locked(interview)
    existing = InterviewQuestion.objects.filter(token=token, interview=interview).first()
    if existing is not None:
        return existing
    answer = _check_answer(interview, answer, guest)
    question = question.strip()
    if not question:
        raise InterviewRefused("请填写主持人的问题。")
    pair = InterviewQuestion(
        interview=interview,
        source=QuestionSource.HOST,
        nickname="主持人",
        content=question,
        submitted_at=now,
        during_live=True,
        token=token,
        moderated_at=now,
    )
    return _publish(pair, answer=answer, guest=guest, now=now)


# --- Reading ----------------------------------------------------------------------------------


def published_pairs(interview: Interview, *, after: int = 0) -> list[InterviewQuestion]:
    return list(
        interview.questions.filter(status=QuestionStatus.ANSWERED, sequence__gt=after).order_by(
            "sequence"
        )
    )


def interview_counts(year: int) -> dict[str, int]:
    """For the annual report (在线访谈 in 政府网站工作年度报表): interviews held in `year`,
    questions received from the public in `year`, and how many of those were answered.

    Host questions are not counts of public participation and are left out of both.
    """
    public = InterviewQuestion.objects.filter(source=QuestionSource.PUBLIC)
    received = public.filter(submitted_at__year=year)
    return {
        "interviews": Interview.objects.filter(published=True, starts_at__year=year).count(),
        "questions_received": received.count(),
        "questions_answered": received.filter(status=QuestionStatus.ANSWERED).count(),
        "questions_published": received.exclude(
            status__in=[QuestionStatus.PENDING, QuestionStatus.REJECTED]
        ).count(),
    }
