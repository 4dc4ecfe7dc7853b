"""Building knowledge entries, topics and service guides for the knowledge tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govportal.content.models import ArticlePage
from govportal.core.models import ColumnPage, Unit
from govportal.interaction.knowledge import bot
from govportal.interaction.models import KnowledgeEntry, KnowledgeTopic
from govportal.testing import Portal, add_article, add_column


def topic(name: str = "入学", slug: str = "ruxue") -> KnowledgeTopic:
    found, _ = KnowledgeTopic.objects.get_or_create(slug=slug, defaults={"name": name})
    return found


def entry(
    question: str,
    answer: str,
    *,
    unit: Unit | None = None,
    topic_name: str = "入学",
    topic_slug: str = "ruxue",
    valid_until: dt.date | None = None,
    **fields: Any,
) -> KnowledgeEntry:
    return KnowledgeEntry.objects.create(
        question=question,
        answer=answer,
        topic=topic(topic_name, topic_slug),
        unit=unit,
        valid_until=valid_until,
        **fields,
    )


def service_guide(portal: Portal, title: str, summary: str, **fields: Any) -> ArticlePage:
    column = ColumnPage.objects.filter(slug="guides").first() or add_column(
        portal.home, "办事指南", kind_code="service", units=[portal.unit_a], slug="guides"
    )
    return add_article(column, title, summary=summary, **fields)


def fresh_index() -> None:
    bot.index_invalidate()
