"""The public survey pages: answering, duplicate protection, closed and not-yet-open surveys,
bad input, consultation comments held for moderation, results after closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from govportal.interaction.models.surveys import (
    CommentStatus,
    ConsultationComment,
    SurveyAnswer,
    SurveyKind,
    SurveyResponse,
)
from govportal.interaction.surveys import services
from govportal.interaction.tests.factories_surveys import NOW, answer_data, make_survey
from govportal.testing import Portal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock_and_cache() -> Iterator[None]:
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


def post_answer(client: Client, survey_pk: int, data: dict[str, object], ip: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(reverse("surveys:answer", args=[survey_pk]), data, REMOTE_ADDR=ip)


def test_open_survey_is_listed_and_shows_its_questions(portal: Portal, client: Client) -> None:
    survey = make_survey()
    page = client.get(reverse("surveys:list"))
    assert survey.title in page.content.decode()
    detail = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert "您的年龄段" in detail and "总体满意度" in detail and "提交答卷" in detail


def test_unpublished_survey_is_not_found(portal: Portal, client: Client) -> None:
    survey = make_survey(published=False)
    assert client.get(reverse("surveys:detail", args=[survey.pk])).status_code == 404


def test_answer_is_stored_anonymously_with_one_row_per_chosen_option(
    portal: Portal, client: Client
) -> None:
    survey = make_survey()
    response = post_answer(client, survey.pk, answer_data(survey))
    assert response.status_code == 200
    assert "提交成功" in response.content.decode()
    stored = SurveyResponse.objects.get(survey=survey)
    assert stored.ip_hash and "10.0.0.1" not in stored.ip_hash
    assert sorted(
        SurveyAnswer.objects.filter(response=stored).values_list("choice", flat=True)
    ) == [
        "",
        "",
        "18–59岁",
        "医疗",
        "就业",
    ]


def test_double_submit_of_one_form_stores_one_answer(portal: Portal, client: Client) -> None:
    survey = make_survey()
    data = answer_data(survey)
    first = post_answer(Client(), survey.pk, data)
    second = post_answer(Client(), survey.pk, data)  # the second click, before any cookie
    assert first.status_code == second.status_code == 200
    assert "已经收到" in second.content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_signed_cookie_stops_a_second_answer_from_the_same_browser(
    portal: Portal, client: Client
) -> None:
    survey = make_survey()
    post_answer(client, survey.pk, answer_data(survey, token="a" * 20))
    assert "您已参与过本次调查" in client.get(survey.get_absolute_url()).content.decode()
    again = post_answer(client, survey.pk, answer_data(survey, token="b" * 20))
    assert again.status_code == 400
    assert "您已参与过本次调查" in again.content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_forged_cookie_is_ignored(portal: Portal, client: Client) -> None:
    survey = make_survey()
    client.cookies[f"survey_{survey.pk}"] = "1"  # unsigned
    assert "提交答卷" in client.get(survey.get_absolute_url()).content.decode()


def test_answers_per_ip_are_limited(portal: Portal, settings: Any) -> None:
    settings.SURVEY_ANSWERS_PER_IP = 2
    survey = make_survey()
    for n in range(2):
        assert (
            post_answer(Client(), survey.pk, answer_data(survey, token=f"{n}" * 20)).status_code
            == 200
        )
    third = post_answer(Client(), survey.pk, answer_data(survey, token="x" * 20))
    assert third.status_code == 400
    assert "同一网络地址" in third.content.decode()
    other_ip = post_answer(Client(), survey.pk, answer_data(survey, token="y" * 20), ip="10.0.0.2")
    assert other_ip.status_code == 200
    assert SurveyResponse.objects.filter(survey=survey).count() == 3


def test_phone_check_allows_one_answer_per_number_without_storing_it(
    portal: Portal,
) -> None:
    survey = make_survey(phone_check=True)
    ok = post_answer(Client(), survey.pk, answer_data(survey, token="a" * 20, phone="13800000001"))
    assert ok.status_code == 200
    assert not SurveyResponse.objects.filter(phone_hash__contains="13800000001").exists()
    again = post_answer(
        Client(), survey.pk, answer_data(survey, token="b" * 20, phone="13800000001"), ip="10.0.0.9"
    )
    assert again.status_code == 400
    assert "该手机号码已参与过" in again.content.decode()
    bad = post_answer(Client(), survey.pk, answer_data(survey, token="c" * 20, phone="12345"))
    assert bad.status_code == 400 and "请填写11位手机号码" in bad.content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_not_yet_open_and_closed_surveys_say_so_and_refuse_answers(
    portal: Portal, client: Client
) -> None:
    soon = make_survey(opens_at=NOW + dt.timedelta(days=1), closes_at=NOW + dt.timedelta(days=9))
    page = client.get(soon.get_absolute_url()).content.decode()
    assert "尚未开始" in page and "提交答卷" not in page
    refused = post_answer(client, soon.pk, answer_data(soon))
    assert refused.status_code == 400 and "尚未开始" in refused.content.decode()

    closed = make_survey(opens_at=NOW - dt.timedelta(days=9), closes_at=NOW - dt.timedelta(days=1))
    page = client.get(closed.get_absolute_url()).content.decode()
    assert "已结束" in page and "提交答卷" not in page
    refused = post_answer(client, closed.pk, answer_data(closed))
    assert refused.status_code == 400 and "已结束" in refused.content.decode()
    assert not SurveyResponse.objects.exists()


def test_empty_required_answers_get_chinese_errors_and_keep_what_was_typed(
    portal: Portal, client: Client
) -> None:
    survey = make_survey()
    q = list(survey.questions.all())
    data = answer_data(survey)
    del data[f"q{q[0].pk}"]
    response = post_answer(client, survey.pk, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "请回答：您的年龄段" in body
    assert "希望延长服务时间" in body  # the text answer is still there
    assert not SurveyResponse.objects.exists()


def test_oversized_and_script_input_is_refused_or_shown_as_text(
    portal: Portal, client: Client
) -> None:
    survey = make_survey()
    q = list(survey.questions.all())
    huge = post_answer(client, survey.pk, answer_data(survey, **{f"q{q[3].pk}": "长" * 10000}))
    assert huge.status_code == 400 and "内容过长" in huge.content.decode()
    forged = post_answer(
        client, survey.pk, answer_data(survey, **{f"q{q[0].pk}": "<script>x</script>"})
    )
    body = forged.content.decode()
    assert forged.status_code == 400 and "请从给出的选项中选择" in body
    assert "<script>x</script>" not in body
    assert not SurveyResponse.objects.exists()


def test_missing_token_is_a_clear_error_not_a_crash(portal: Portal, client: Client) -> None:
    survey = make_survey()
    data = answer_data(survey)
    del data["token"]
    response = post_answer(client, survey.pk, data)
    assert response.status_code == 400 and "表单已失效" in response.content.decode()


def test_consultation_comment_appears_only_after_moderation(portal: Portal, client: Client) -> None:
    survey = make_survey(kind=SurveyKind.CONSULTATION, with_questions=False)
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "第二条 本办法适用于" in page and "提出意见" in page
    text = "<script>alert('x')</script>建议明确服务设施的面积标准"
    response = client.post(
        reverse("surveys:comment", args=[survey.pk]),
        {"token": "c" * 20, "article": "第二条", "content": text, "nickname": "渭河边"},
    )
    assert response.status_code == 200 and "经审核后" in response.content.decode()
    comment = ConsultationComment.objects.get()
    assert comment.article == "第二条" and comment.status == CommentStatus.PENDING
    assert "建议明确服务设施" not in client.get(survey.get_absolute_url()).content.decode()

    services.comment_moderate(comment=comment, approve=True, by=portal.operator, now=NOW)
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "建议明确服务设施的面积标准" in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page


def test_comment_on_an_unknown_article_or_empty_is_refused(portal: Portal, client: Client) -> None:
    survey = make_survey(kind=SurveyKind.CONSULTATION, with_questions=False)
    url = reverse("surveys:comment", args=[survey.pk])
    unknown = client.post(url, {"token": "c" * 20, "article": "第九十九条", "content": "意见"})
    assert unknown.status_code == 400 and "请从列表中选择条款" in unknown.content.decode()
    empty = client.post(url, {"token": "d" * 20, "article": "", "content": "   "})
    assert empty.status_code == 400 and "请填写意见和建议" in empty.content.decode()
    assert not ConsultationComment.objects.exists()


def test_closed_survey_shows_results_as_svg_and_the_feedback_once_published(
    portal: Portal, client: Client
) -> None:
    survey = make_survey()
    for n, age in enumerate(["18–59岁", "18–59岁", "60岁及以上"]):
        services.survey_answer(
            survey=survey,
            answers={survey.questions.all()[0].pk: age},
            token=f"token-{n}-xxxxxxxxxxxx",
            ip=f"10.0.1.{n}",
            now=NOW,
        )
    services.survey_close(survey=survey, now=NOW)
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "<svg" in page and "2人 (66.7%)" in page and "1人 (33.3%)" in page
    assert "正在整理中" in page
    services.survey_feedback_publish(
        survey=survey, text="共收到答卷3份，延长服务时间的建议已采纳。", by=portal.operator, now=NOW
    )
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "延长服务时间的建议已采纳" in page
