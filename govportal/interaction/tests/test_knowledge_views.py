"""Public pages of the knowledge base and the answer bot, and the unanswered-question log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from govportal.interaction.knowledge import bot, services
from govportal.interaction.knowledge.views import UNANSWERED_PER_IP_HOUR
from govportal.interaction.models import KnowledgeEntry, UnansweredQuestion
from govportal.interaction.tests.factories_knowledge import entry
from govportal.testing import Portal

NOW = dt.datetime(2026, 5, 11, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    bot.index_invalidate()
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    bot.index_invalidate()


@pytest.fixture
def entries(portal: Portal) -> list[KnowledgeEntry]:
    return [
        entry(
            "适龄儿童入学报名需要提交哪些材料？",
            "报名时请携带户口簿、出生医学证明原件及复印件。",
            unit=portal.unit_b,
        ),
        entry(
            "低保怎么申请？",
            "向户籍所在地镇政府或街道办事处提出书面申请。",
            topic_name="低保",
            topic_slug="dibao",
            valid_until=dt.date(2025, 12, 31),
        ),
    ]


def test_the_list_filters_by_topic(client: Client, entries: list[KnowledgeEntry]) -> None:
    response = client.get("/knowledge/", {"topic": "dibao"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "低保怎么申请？" in text
    assert "适龄儿童入学报名" not in text
    assert "待复核" in text  # valid until 2025-12-31, today 2026-05-11


def test_an_unknown_topic_is_a_chinese_error_not_a_500(
    client: Client, entries: list[KnowledgeEntry]
) -> None:
    response = client.get("/knowledge/", {"topic": "nope"})
    assert response.status_code == 400
    assert "没有这个主题" in response.content.decode()


def test_the_list_orders_by_attention(client: Client, entries: list[KnowledgeEntry]) -> None:
    KnowledgeEntry.objects.filter(pk=entries[1].pk).update(views=50)
    text = client.get("/knowledge/").content.decode()
    assert text.index("低保怎么申请？") < text.index("适龄儿童入学报名")


def test_opening_an_entry_counts_a_view(client: Client, entries: list[KnowledgeEntry]) -> None:
    url = f"/knowledge/{entries[0].pk}/"
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    entries[0].refresh_from_db()
    assert entries[0].views == 2
    assert "出生医学证明" in response.content.decode()


def test_an_entry_past_its_validity_says_it_is_under_review(
    client: Client, entries: list[KnowledgeEntry]
) -> None:
    text = client.get(f"/knowledge/{entries[1].pk}/").content.decode()
    assert "已超过有效期" in text


def test_an_offline_entry_is_not_found(client: Client, entries: list[KnowledgeEntry]) -> None:
    KnowledgeEntry.objects.filter(pk=entries[0].pk).update(live=False)
    assert client.get(f"/knowledge/{entries[0].pk}/").status_code == 404


def test_the_bot_answers_with_the_entry_and_its_link(
    client: Client, entries: list[KnowledgeEntry]
) -> None:
    response = client.get("/knowledge/ask/", {"q": "孩子上学报名要什么材料"})
    text = response.content.decode()
    assert response.status_code == 200
    assert f'href="/knowledge/{entries[0].pk}/"' in text
    assert "户口簿" in text
    assert not UnansweredQuestion.objects.exists()


def test_the_bot_says_it_does_not_know_and_offers_the_mailbox(
    client: Client, entries: list[KnowledgeEntry]
) -> None:
    response = client.get("/knowledge/ask/", {"q": "周末去哪里钓鱼比较好"})
    text = response.content.decode()
    assert "我不知道" in text
    assert 'href="/mailbox/"' in text
    logged = UnansweredQuestion.objects.get()
    assert logged.text == "周末去哪里钓鱼比较好"
    assert logged.count == 1


def test_the_same_unanswered_question_is_counted_not_repeated(
    client: Client, entries: list[KnowledgeEntry]
) -> None:
    client.get("/knowledge/ask/", {"q": "周末去哪里钓鱼比较好？"})
    client.get("/knowledge/ask/", {"q": "周末 去哪里钓鱼比较好"})
    logged = UnansweredQuestion.objects.get()
    assert logged.count == 2
    assert logged.last_asked_at == timezone.now()


def test_one_client_cannot_flood_the_unanswered_list(
    client: Client, entries: list[KnowledgeEntry]
) -> None:
    for n in range(UNANSWERED_PER_IP_HOUR + 5):
        client.get("/knowledge/ask/", {"q": f"钓鱼问题第{n}号"})
    assert UnansweredQuestion.objects.count() == UNANSWERED_PER_IP_HOUR


def test_an_empty_question_gets_a_chinese_message(client: Client, portal: Portal) -> None:
    response = client.get("/knowledge/ask/", {"q": "   "})
    assert response.status_code == 400
    assert "请输入您想咨询的问题" in response.content.decode()


def test_an_oversized_question_is_refused_and_kept(client: Client, portal: Portal) -> None:
    question = "低保" * 150
    response = client.get("/knowledge/ask/", {"q": question})
    text = response.content.decode()
    assert response.status_code == 400
    assert "200 字以内" in text
    assert question in text  # what the citizen typed is still in the box


def test_script_in_the_question_is_shown_as_text(client: Client, portal: Portal) -> None:
    response = client.get("/knowledge/ask/", {"q": "<script>alert(1)</script>低保"})
    text = response.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;低保" in text


def test_the_fragment_is_the_answer_without_the_page(
    client: Client, entries: list[KnowledgeEntry]
) -> None:
    response = client.get("/knowledge/ask/", {"q": "低保怎么申请", "fragment": "1"})
    text = response.content.decode()
    assert "低保怎么申请？" in text
    assert "<html" not in text
    assert "本条内容已超过有效期" in text


def test_the_ask_page_without_a_question_shows_the_form(client: Client, portal: Portal) -> None:
    response = client.get("/knowledge/ask/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "我不知道" not in response.content.decode()


def test_question_normalise_ignores_spaces_punctuation_and_width() -> None:
    assert services.question_normalise("低保 怎么申请？") == services.question_normalise(
        "低保怎么申请?"
    )
    assert services.question_normalise("ＡＢＣ１２３") == "abc123"
    assert services.question_normalise("？？！") == ""


@pytest.mark.django_db
def test_a_question_of_punctuation_is_not_logged() -> None:
    assert services.unanswered_record(text="？？？", now=NOW) is None
    assert not UnansweredQuestion.objects.exists()


def test_html_in_a_stored_answer_is_shown_as_text(client: Client, portal: Portal) -> None:
    item = entry("低保怎么申请？", "<script>alert(1)</script>向镇政府申请。<b>注意</b>")
    text = client.get(f"/knowledge/{item.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    answer = client.get("/knowledge/ask/", {"q": "低保怎么申请"}).content.decode()
    assert "<b>注意</b>" not in answer
    assert "&lt;b&gt;注意&lt;/b&gt;" in answer


def test_the_widget_is_a_form_that_works_without_javascript(rf: Any) -> None:
    from django.template.loader import render_to_string

    html = render_to_string("interaction/knowledge/_widget.html", request=rf.get("/"))
    assert 'action="/knowledge/ask/"' in html
    assert 'method="get"' in html
    assert 'name="q"' in html
    assert '<label for="kb-widget-q">' in html
    assert "knowledge.js" in html


def test_an_asked_question_page_is_not_indexed_by_search_engines(
    client: Client, portal: Portal
) -> None:
    assert 'content="noindex"' in client.get("/knowledge/ask/", {"q": "低保"}).content.decode()
    assert 'content="noindex"' not in client.get("/knowledge/ask/").content.decode()


def test_a_javascript_source_written_outside_the_form_is_not_linked(
    client: Client, portal: Portal
) -> None:
    item = entry("低保怎么申请？", "向镇政府申请。", source_text="留言答复")
    KnowledgeEntry.objects.filter(pk=item.pk).update(source_url="javascript:alert(1)")
    text = client.get(f"/knowledge/{item.pk}/").content.decode()
    assert "javascript:" not in text
    assert "留言答复" in text
