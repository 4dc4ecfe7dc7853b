"""The operator's survey screens: the builder, results with the feedback form, closing early,
comment moderation, and the dashboard panel of feedback deadlines (第十条(一))."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from govportal.interaction.models.surveys import (
    CommentStatus,
    ConsultationComment,
    QuestionKind,
    Survey,
    SurveyKind,
)
from govportal.interaction.surveys import services
from govportal.interaction.tests.factories_surveys import NOW, make_survey
from govportal.testing import Portal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


def builder_data(**overrides: str) -> dict[str, str]:
    data = {
        "kind": SurveyKind.SURVEY,
        "unit": "",
        "title": "城区停车管理意见调查",
        "intro": "征集停车管理的意见。",
        "opens_at": "2026-09-15 09:00",
        "closes_at": "2026-10-15 18:00",
        "published": "on",
        "draft_text": "",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-kind": QuestionKind.SINGLE,
        "questions-0-text": "您通常在哪里停车",
        "questions-0-required": "on",
        "questions-0-choices": "小区内\n路边\n公共停车场",
        "questions-0-ORDER": "1",
        "questions-1-kind": QuestionKind.TEXT,
        "questions-1-text": "其他建议",
        "questions-1-choices": "",
        "questions-1-ORDER": "2",
    }
    data.update(overrides)
    return data


def test_operator_builds_a_survey_with_questions(portal: Portal, client: Client) -> None:
    client.force_login(portal.operator)
    url = reverse("wagtailsnippets_interaction_survey:add")
    assert client.get(url).status_code == 200
    response = client.post(url, builder_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    survey = Survey.objects.get(title="城区停车管理意见调查")
    assert [q.text for q in survey.questions.all()] == ["您通常在哪里停车", "其他建议"]
    assert survey.questions.all()[0].options == ["小区内", "路边", "公共停车场"]


def test_builder_refuses_a_choice_question_without_options_and_a_backwards_period(
    portal: Portal, client: Client
) -> None:
    client.force_login(portal.operator)
    url = reverse("wagtailsnippets_interaction_survey:add")
    response = client.post(
        url,
        builder_data(**{"questions-0-choices": "只有一个", "closes_at": "2026-09-01 09:00"}),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "至少要有两个选项" in body or "结束时间必须晚于开始时间" in body
    assert not Survey.objects.filter(title="城区停车管理意见调查").exists()


def test_unit_editor_cannot_open_the_survey_screens(portal: Portal, client: Client) -> None:
    survey = make_survey()
    client.force_login(portal.editor_a)
    assert client.get(reverse("surveys_admin:index")).status_code in (302, 403)
    assert client.get(reverse("surveys_admin:results", args=[survey.pk])).status_code in (302, 403)
    assert client.get(reverse("surveys_admin:comments")).status_code in (302, 403)


def test_operator_closes_early_and_publishes_feedback(portal: Portal, client: Client) -> None:
    survey = make_survey()
    client.force_login(portal.operator)
    results = reverse("surveys_admin:results", args=[survey.pk])
    too_early = client.post(results, {"text": "采纳情况"})
    assert too_early.status_code == 400 and "征集结束后才能发布" in too_early.content.decode()

    client.post(reverse("surveys_admin:close", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.closed_at == NOW and survey.ended_at == NOW

    empty = client.post(results, {"text": ""})
    assert empty.status_code == 400 and "请填写采纳情况反馈" in empty.content.decode()
    done = client.post(results, {"text": "共收到答卷0份。"})
    assert done.status_code == 302
    survey.refresh_from_db()
    assert survey.feedback_published_at == NOW and survey.feedback_by == portal.operator


def test_dashboard_lists_open_feedback_deadlines_until_met_with_overdue_marked(
    portal: Portal, client: Client
) -> None:
    overdue = make_survey(
        title="已逾期的调查",
        opens_at=NOW - dt.timedelta(days=60),
        closes_at=NOW - dt.timedelta(days=40),
    )
    make_survey(
        title="刚结束的调查",
        opens_at=NOW - dt.timedelta(days=20),
        closes_at=NOW - dt.timedelta(days=2),
    )
    make_survey(title="进行中的调查")
    client.force_login(portal.operator)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "征集调查待公开采纳情况" in home
    assert "已逾期的调查" in home and "已逾期 9 天" in home  # ended 8-06, due 9-06
    assert "刚结束的调查" in home and "进行中的调查" not in home

    services.survey_feedback_publish(survey=overdue, text="反馈", by=portal.operator, now=NOW)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "已逾期的调查" not in home and "刚结束的调查" in home


def test_dashboard_panel_is_not_shown_to_unit_editors(portal: Portal, client: Client) -> None:
    make_survey(opens_at=NOW - dt.timedelta(days=60), closes_at=NOW - dt.timedelta(days=40))
    client.force_login(portal.editor_a)
    assert "征集调查待公开采纳情况" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_moderation_queue_approves_and_refuses_once(portal: Portal, client: Client) -> None:
    survey = make_survey(kind=SurveyKind.CONSULTATION, with_questions=False)
    good, _ = services.comment_submit(
        survey=survey,
        article="第一条",
        content="建议补充定义",
        nickname="",
        token="g" * 20,
        ip="10.0.0.1",
        now=NOW,
    )
    bad, _ = services.comment_submit(
        survey=survey,
        article="",
        content="广告内容",
        nickname="",
        token="b" * 20,
        ip="10.0.0.1",
        now=NOW,
    )
    client.force_login(portal.operator)
    queue = client.get(reverse("surveys_admin:comments")).content.decode()
    assert "建议补充定义" in queue and "广告内容" in queue
    client.post(reverse("surveys_admin:moderate", args=[good.pk]), {"decision": "approve"})
    client.post(reverse("surveys_admin:moderate", args=[bad.pk]), {"decision": "reject"})
    statuses = dict(ConsultationComment.objects.values_list("pk", "status"))
    assert statuses == {good.pk: CommentStatus.APPROVED, bad.pk: CommentStatus.REJECTED}
    with pytest.raises(services.SurveyRefused):
        services.comment_moderate(comment=good, approve=False, by=portal.operator, now=NOW)


def test_close_job_is_safe_to_run_twice() -> None:
    ended = make_survey(opens_at=NOW - dt.timedelta(days=9), closes_at=NOW - dt.timedelta(days=1))
    make_survey()
    assert services.surveys_close_due(now=NOW) == 1
    assert services.surveys_close_due(now=NOW) == 0
    ended.refresh_from_db()
    assert ended.closed_at == ended.closes_at


def test_feedback_with_a_blocking_finding_is_refused(portal: Portal) -> None:
    from govportal.checks.engine import check

    survey = make_survey(opens_at=NOW - dt.timedelta(days=9), closes_at=NOW - dt.timedelta(days=1))
    candidates = ["中华人民共和和国", "习近平同志", "联系电话13812345678"]
    blocking = next((t for t in candidates if any(f.blocks for f in check(t, html=False))), None)
    if blocking is None:
        pytest.skip("no blocking sample in this checks configuration")
    with pytest.raises(services.SurveyRefused, match="内容检查"):
        services.survey_feedback_publish(survey=survey, text=blocking, by=None, now=NOW)
    survey.refresh_from_db()
    assert survey.feedback_published_at is None


def test_survey_counts_for_the_annual_report(portal: Portal) -> None:
    from govportal.interaction.surveys.services import survey_counts

    survey = make_survey(kind=SurveyKind.CONSULTATION)
    make_survey(published=False, title="未发布的调查")
    services.survey_answer(survey=survey, answers={}, token="a" * 20, ip="10.0.0.1", now=NOW)
    services.comment_submit(
        survey=survey,
        article="",
        content="意见",
        nickname="",
        token="b" * 20,
        ip="10.0.0.1",
        now=NOW,
    )
    assert survey_counts(2026) == {"surveys": 1, "opinions_received": 2, "results_published": 0}
    services.survey_close(survey=survey, now=NOW)
    services.survey_feedback_publish(survey=survey, text="反馈", by=None, now=NOW)
    assert survey_counts(2026)["results_published"] == 1
    assert survey_counts(2025) == {"surveys": 0, "opinions_received": 0, "results_published": 0}


def test_operator_overview_and_results_show_counts_charts_and_texts(
    portal: Portal, client: Client
) -> None:
    survey = make_survey(opens_at=NOW - dt.timedelta(days=9), closes_at=NOW - dt.timedelta(days=40))
    q = list(survey.questions.all())
    services_answers = {q[0].pk: "60岁及以上", q[3].pk: "<i>希望</i>增加公交线路"}
    survey.closes_at = NOW + dt.timedelta(days=1)
    survey.save()
    services.survey_answer(
        survey=survey, answers=services_answers, token="r" * 20, ip="10.0.0.1", now=NOW
    )
    services.survey_close(survey=survey, now=NOW)
    client.force_login(portal.operator)
    index = client.get(reverse("surveys_admin:index")).content.decode()
    assert survey.title in index and "待发布反馈" in index
    results = client.get(reverse("surveys_admin:results", args=[survey.pk])).content.decode()
    assert "<svg" in results and "1人 (100%)" in results
    assert "&lt;i&gt;希望&lt;/i&gt;增加公交线路" in results  # staff see the texts, escaped
    public = client.get(survey.get_absolute_url()).content.decode()
    assert "增加公交线路" not in public  # the public page only counts free text


def test_a_question_with_answers_keeps_its_kind(portal: Portal) -> None:
    from django.core.exceptions import ValidationError

    survey = make_survey()
    question = survey.questions.all()[2]  # the rating
    services.survey_answer(
        survey=survey, answers={question.pk: 4}, token="k" * 20, ip="10.0.0.1", now=NOW
    )
    question.kind = QuestionKind.TEXT
    with pytest.raises(ValidationError, match="不能再更改题型"):
        question.full_clean()
    question.kind = QuestionKind.RATING
    question.text = "总体满意度（1–5分）"
    question.full_clean()  # rewording is fine
