"""在线访谈: questions before and during, moderation, the live feed, the archived transcript,
the host console, and the counts for the annual report."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from govportal.interaction.interviews import services
from govportal.interaction.interviews.services import interview_counts
from govportal.interaction.models.interviews import (
    Interview,
    InterviewQuestion,
    InterviewState,
    QuestionStatus,
)
from govportal.interaction.tests.factories_surveys import NOW, make_interview
from govportal.testing import Portal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


def ask(client: Client, interview: Interview, content: str, token: str = "q" * 20):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("interviews:ask", args=[interview.pk]),
        {"token": token, "content": content, "nickname": "网友甲"},
        REMOTE_ADDR="10.0.0.1",
    )


def live_interview(portal: Portal) -> Interview:
    interview = make_interview()
    return services.interview_start(interview=interview, now=NOW)


def test_upcoming_interview_shows_guests_and_takes_questions_in_advance(
    portal: Portal, client: Client
) -> None:
    interview = make_interview()
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "赵明远" in page and "区教育局局长" in page and "提前提问" in page
    response = ask(client, interview, "学区划分什么时候公布？")
    assert response.status_code == 200 and "提问成功" in response.content.decode()
    question = InterviewQuestion.objects.get()
    assert question.status == QuestionStatus.PENDING and not question.during_live
    assert "学区划分" not in client.get(interview.get_absolute_url()).content.decode()


def test_question_double_submit_stores_one_and_bad_input_keeps_the_text(
    portal: Portal, client: Client
) -> None:
    interview = make_interview()
    ask(client, interview, "同一个问题")
    again = ask(client, interview, "同一个问题")
    assert "已经收到" in again.content.decode()
    assert InterviewQuestion.objects.count() == 1
    huge = ask(client, interview, "<b>长</b>" * 400, token="h" * 20)
    body = huge.content.decode()
    assert huge.status_code == 400 and "问题过长" in body and "&lt;b&gt;长&lt;/b&gt;" in body
    empty = ask(client, interview, "   ", token="e" * 20)
    assert empty.status_code == 400 and "请填写您的问题" in empty.content.decode()
    assert InterviewQuestion.objects.count() == 1


def test_live_feed_returns_pairs_after_a_sequence_as_plain_text(
    portal: Portal, client: Client
) -> None:
    interview = live_interview(portal)
    guest = interview.guests.get()
    question, _ = services.question_submit(
        interview=interview,
        content="<script>alert(1)</script>能否增加学位？",
        nickname="",
        token="a" * 20,
        ip="10.0.0.1",
        now=NOW,
    )
    assert question.during_live
    with pytest.raises(services.InterviewRefused):  # not moderated yet
        services.question_answer(question=question, answer="会的", guest=guest, now=NOW)
    services.question_moderate(question=question, approve=True, by=portal.operator, now=NOW)
    services.question_answer(question=question, answer="今年新增学位一千个。", guest=guest, now=NOW)
    services.pair_publish(
        interview=interview,
        question="请介绍一下招生政策。",
        answer="政策如下。",
        guest=guest,
        token="p" * 20,
        now=NOW + dt.timedelta(minutes=1),
    )
    url = reverse("interviews:live", args=[interview.pk])
    data = json.loads(client.get(url).content)
    assert data["state"] == "live"
    assert [p["sequence"] for p in data["pairs"]] == [1, 2]
    assert data["pairs"][0]["question"] == "<script>alert(1)</script>能否增加学位？"
    assert data["pairs"][0]["answerer"] == "区教育局局长 赵明远"
    assert data["pairs"][1]["asker"] == "主持人"
    newer = json.loads(client.get(url, {"after": 1}).content)
    assert [p["sequence"] for p in newer["pairs"]] == [2]
    assert client.get(url, {"after": "x"}).status_code == 400
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "data-live-url" in page and "live.js" in page and "刷新查看最新问答" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_ended_interview_is_an_archived_transcript_and_takes_no_questions(
    portal: Portal, client: Client
) -> None:
    interview = live_interview(portal)
    guest = interview.guests.get()
    services.pair_publish(
        interview=interview,
        question="问题一",
        answer="回答一",
        guest=guest,
        token="1" * 20,
        now=NOW,
    )
    services.interview_end(interview=interview, now=NOW + dt.timedelta(hours=1))
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "文字实录" in page and "回答一" in page and "live.js" not in page
    assert "不再接收提问" in page
    refused = ask(client, interview, "还能问吗")
    assert refused.status_code == 400 and "访谈已经结束" in refused.content.decode()
    with pytest.raises(services.InterviewRefused):
        services.pair_publish(
            interview=interview,
            question="再问",
            answer="再答",
            guest=guest,
            token="2" * 20,
            now=NOW,
        )
    feed = json.loads(client.get(reverse("interviews:live", args=[interview.pk])).content)
    assert feed["state"] == "ended"


def test_host_console_moderates_answers_and_keeps_a_bad_answer_form(
    portal: Portal, client: Client
) -> None:
    interview = make_interview()
    question, _ = services.question_submit(
        interview=interview,
        content="课后服务收费吗？",
        nickname="家长",
        token="c" * 20,
        ip="10.0.0.1",
        now=NOW,
    )
    client.force_login(portal.operator)
    url = reverse("interviews_admin:console", args=[interview.pk])
    assert "课后服务收费吗" in client.get(url).content.decode()
    client.post(url, {"action": "approve", "question": question.pk})
    client.post(url, {"action": "start"})
    interview.refresh_from_db()
    assert interview.state == InterviewState.LIVE
    guest = interview.guests.get()
    prefix = f"q{question.pk}"
    empty = client.post(
        url,
        {
            "action": "answer",
            "question": question.pk,
            f"{prefix}-guest": guest.pk,
            f"{prefix}-answer": "",
        },
    )
    assert empty.status_code == 400 and "请填写嘉宾的回答" in empty.content.decode()
    done = client.post(
        url,
        {
            "action": "answer",
            "question": question.pk,
            f"{prefix}-guest": guest.pk,
            f"{prefix}-answer": "不收费。",
        },
    )
    assert done.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED and question.sequence == 1
    assert client.post(url, {"action": "approve", "question": "abc"}).status_code == 404
    client.post(url, {"action": "end"})
    interview.refresh_from_db()
    assert interview.state == InterviewState.ENDED


def test_unit_editor_cannot_host(portal: Portal, client: Client) -> None:
    interview = make_interview()
    client.force_login(portal.editor_a)
    response = client.post(
        reverse("interviews_admin:console", args=[interview.pk]), {"action": "start"}
    )
    assert response.status_code in (302, 403)
    interview.refresh_from_db()
    assert interview.state == InterviewState.UPCOMING


def test_interview_counts_for_the_annual_report(portal: Portal) -> None:
    interview = make_interview()
    earlier = make_interview(starts_at=NOW - dt.timedelta(days=365))
    services.question_submit(
        interview=earlier,
        content="去年的问题",
        nickname="",
        token="y" * 20,
        ip="1",
        now=NOW - dt.timedelta(days=365),
    )
    answered, _ = services.question_submit(
        interview=interview, content="问题一", nickname="", token="a" * 20, ip="1", now=NOW
    )
    rejected, _ = services.question_submit(
        interview=interview, content="问题二", nickname="", token="b" * 20, ip="1", now=NOW
    )
    services.question_submit(
        interview=interview, content="问题三", nickname="", token="c" * 20, ip="1", now=NOW
    )
    services.question_moderate(question=answered, approve=True, by=None, now=NOW)
    services.question_moderate(question=rejected, approve=False, by=None, now=NOW)
    services.interview_start(interview=interview, now=NOW)
    guest = interview.guests.get()
    services.question_answer(question=answered, answer="答", guest=guest, now=NOW)
    services.pair_publish(
        interview=interview, question="主持人问", answer="答", guest=guest, token="h" * 20, now=NOW
    )
    assert interview_counts(2026) == {
        "interviews": 1,
        "questions_received": 3,
        "questions_answered": 1,
        "questions_published": 1,
    }
    assert interview_counts(2025)["questions_received"] == 1
    assert interview_counts(2024) == {
        "interviews": 0,
        "questions_received": 0,
        "questions_answered": 0,
        "questions_published": 0,
    }


def test_operator_sees_the_interview_list_and_unpublished_ones_stay_private(
    portal: Portal, client: Client
) -> None:
    hidden = make_interview(published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("interviews:live", args=[hidden.pk])).status_code == 404
    assert hidden.title not in client.get(reverse("interviews:list")).content.decode()
    client.force_login(portal.operator)
    index = client.get(reverse("interviews_admin:index")).content.decode()
    assert hidden.title in index and "主持台" in index
