"""The demo knowledge base: at least 200 entries, some to review, a few unanswered questions,
and the bot answers the demo district's questions from it."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from govportal.demo import knowledge
from govportal.demo.builder import DemoWorld
from govportal.interaction.knowledge import bot, services
from govportal.interaction.models import KnowledgeEntry, UnansweredQuestion
from govportal.testing import Portal

NOW = dt.datetime(2026, 5, 11, 10, 0, tzinfo=dt.UTC)


def world(portal: Portal) -> DemoWorld:
    return DemoWorld(
        now=timezone.localtime(NOW),
        scale=0.2,
        log=lambda text: None,
        units={"jyj": portal.unit_b, "zfb": portal.unit_a},
        users={"operator": portal.operator},
        columns={},
        home=portal.home,
        rnd=random.Random(7),
    )


@pytest.fixture
def loaded(portal: Portal) -> Portal:
    knowledge.load(world(portal))
    return portal


def test_the_demo_has_at_least_200_entries_some_to_review(loaded: Portal) -> None:
    assert KnowledgeEntry.objects.count() >= 200
    due = services.entries_review_due(today=NOW.date()).count()
    assert 0 < due < KnowledgeEntry.objects.count() // 4
    assert KnowledgeEntry.objects.filter(unit=loaded.unit_b).exists()
    assert UnansweredQuestion.objects.filter(count__gt=1).count() == len(knowledge.UNANSWERED)


def test_loading_twice_does_not_double_the_entries(loaded: Portal) -> None:
    count = KnowledgeEntry.objects.count()
    knowledge.load(world(loaded))
    assert KnowledgeEntry.objects.count() == count


def test_the_bot_answers_a_demo_question_from_the_demo_entries(loaded: Portal) -> None:
    result = bot.answer("孩子上小学一年级报名要带什么材料", today=NOW.date())
    assert result.answered
    assert result.hits[0].doc.title == "小学一年级新生入学报名需要哪些材料？"
    assert "出生医学证明" in result.hits[0].doc.quote


def test_a_logged_unanswered_question_is_still_not_answered(loaded: Portal) -> None:
    text, _ = knowledge.UNANSWERED[0]
    assert not bot.answer(text, today=NOW.date()).answered
