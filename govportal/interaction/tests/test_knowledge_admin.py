"""Admin: the knowledge base entries, “from an answered message”, the review filter, the
unanswered questions and the dashboard panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from govportal.interaction.knowledge import bot, services
from govportal.interaction.models import KnowledgeEntry, UnansweredQuestion
from govportal.interaction.tests.factories_knowledge import entry, topic
from govportal.testing import PASSWORD, Portal

NOW = dt.datetime(2026, 5, 11, 10, 0, tzinfo=dt.UTC)
ADD_URL = "wagtailsnippets_interaction_knowledgeentry:add"
LIST_URL = "wagtailsnippets_interaction_knowledgeentry:list"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    bot.index_invalidate()
    with time_machine.travel(NOW, tick=False):
        yield


def operator_client(portal: Portal) -> Client:
    client = Client()
    assert client.login(username=portal.operator.username, password=PASSWORD)
    return client


def test_from_message_opens_the_create_form_filled_in(portal: Portal) -> None:
    client = operator_client(portal)
    params = {
        "question": "孩子转学需要办理什么手续？",
        "answer": "请到转入学校所在学区提出申请。",
        "unit": str(portal.unit_b.pk),
        "source": "/mailbox/letters/WB2026-0001/",
    }
    url = reverse("knowledge_admin:entry_from_message") + "?" + urlencode(params)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["question"] == params["question"]
    assert form.initial["answer"] == params["answer"]
    assert form.initial["unit"] == portal.unit_b.pk
    assert form.initial["source_url"] == params["source"]
    assert "孩子转学需要办理什么手续？" in response.content.decode()


def test_from_message_leaves_out_what_is_wrong(portal: Portal) -> None:
    initial = services.entry_prefill(
        {"question": "问题", "unit": "999999", "source": "javascript:alert(1)"}
    )
    assert initial == {"question": "问题"}


def test_the_edited_form_saves_an_entry(portal: Portal) -> None:
    client = operator_client(portal)
    kind = topic("入学", "ruxue")
    response = client.post(
        reverse(ADD_URL),
        {
            "question": "孩子转学需要办理什么手续？（已编辑）",
            "answer": "请到转入学校提出申请。",
            "topic": kind.pk,
            "unit": portal.unit_b.pk,
            "keywords": "转学",
            "source_url": "/mailbox/letters/WB2026-0001/",
            "source_text": "区长信箱留言答复",
            "valid_until": "",
            "live": "on",
        },
    )
    assert response.status_code == 302
    saved = KnowledgeEntry.objects.get()
    assert saved.question.endswith("（已编辑）")
    assert saved.unit == portal.unit_b


def test_a_javascript_source_link_is_refused_with_a_chinese_message(portal: Portal) -> None:
    client = operator_client(portal)
    kind = topic()
    response = client.post(
        reverse(ADD_URL),
        {
            "question": "问题",
            "answer": "答复",
            "topic": kind.pk,
            "source_url": "javascript:alert(1)",
            "live": "on",
        },
    )
    assert response.status_code == 200
    assert "来源链接须为" in response.content.decode()
    assert not KnowledgeEntry.objects.exists()


def test_an_editor_without_the_permission_cannot_use_from_message(portal: Portal) -> None:
    client = Client()
    client.login(username=portal.auditor.username, password=PASSWORD)
    response = client.get(reverse("knowledge_admin:entry_from_message"))
    assert response.status_code in (302, 403)
    assert ADD_URL.split(":")[0] not in response.get("Location", "")


def test_the_review_filter_lists_entries_past_their_validity(portal: Portal) -> None:
    entry("过期的问题", "答复", valid_until=dt.date(2026, 1, 1))
    entry("有效的问题", "答复", valid_until=dt.date(2027, 1, 1))
    entry("长期有效的问题", "答复")
    client = operator_client(portal)
    text = client.get(reverse(LIST_URL), {"review": "expired"}).content.decode()
    assert "过期的问题" in text
    assert "有效的问题" not in text.replace("过期的问题", "")
    assert "长期有效的问题" not in text


def test_the_dashboard_counts_entries_to_review_and_open_questions(portal: Portal) -> None:
    entry("过期的问题", "答复", valid_until=dt.date(2026, 1, 1))
    services.unanswered_record(text="钓鱼去哪里", now=NOW)
    client = operator_client(portal)
    text = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "待复核的条目" in text
    assert "待处理的问题" in text


def test_the_unanswered_list_links_to_a_prefilled_entry(portal: Portal) -> None:
    services.unanswered_record(text="钓鱼去哪里", now=NOW)
    services.unanswered_record(text="钓鱼去哪里？", now=NOW)
    client = operator_client(portal)
    text = client.get(
        reverse("wagtailsnippets_interaction_unansweredquestion:list")
    ).content.decode()
    assert "钓鱼去哪里" in text
    assert reverse("knowledge_admin:entry_from_message") + "?question=" in text
    assert UnansweredQuestion.objects.get().count == 2


def test_handling_an_unanswered_question_records_who(portal: Portal) -> None:
    logged = services.unanswered_record(text="钓鱼去哪里", now=NOW)
    assert logged is not None
    services.unanswered_handle(
        question=logged, status=UnansweredQuestion.Status.IGNORED, user=portal.operator
    )
    logged.refresh_from_db()
    assert logged.status == "ignored"
    assert logged.handled_by == portal.operator


def test_an_entry_written_from_an_unanswered_question_closes_it(portal: Portal) -> None:
    logged = services.unanswered_record(text="居住证多久能办好", now=NOW)
    assert logged is not None
    client = operator_client(portal)
    start = (
        reverse("knowledge_admin:entry_from_message")
        + "?"
        + urlencode({"question": logged.text, "unanswered": logged.pk})
    )
    form_page = client.get(start, follow=True)
    assert form_page.context["form"].initial["question"] == "居住证多久能办好"
    action = form_page.context["action_url"]
    assert f"unanswered={logged.pk}" in action
    response = client.post(
        action,
        {
            "question": "居住证多久能办好？",
            "answer": "受理后15日内发证。",
            "topic": topic("户籍", "huji").pk,
            "live": "on",
        },
    )
    assert response.status_code == 302
    logged.refresh_from_db()
    assert logged.status == UnansweredQuestion.Status.ADDED
    assert logged.handled_by == portal.operator


def test_editing_an_unanswered_question_records_who_handled_it(portal: Portal) -> None:
    logged = services.unanswered_record(text="广场舞噪音怎么投诉", now=NOW)
    assert logged is not None
    client = operator_client(portal)
    url = reverse("wagtailsnippets_interaction_unansweredquestion:edit", args=[logged.pk])
    response = client.post(url, {"status": "ignored", "note": "属于12345热线受理范围"})
    assert response.status_code == 302
    logged.refresh_from_db()
    assert logged.status == "ignored"
    assert logged.note == "属于12345热线受理范围"
    assert logged.handled_by == portal.operator
    assert logged.count == 1  # the editor cannot change what the bot counted


def test_the_entry_list_searches_questions(portal: Portal) -> None:
    entry("低保怎么申请？", "向镇政府申请。")
    entry("公积金怎么提取？", "到服务窗口办理。")
    client = operator_client(portal)
    text = client.get(reverse(LIST_URL), {"q": "公积金"}).content.decode()
    assert "公积金怎么提取？" in text
    assert "低保怎么申请？" not in text
