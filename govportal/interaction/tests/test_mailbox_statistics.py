"""Public statistics (第二十一条(五)): computed from the messages, by month and by unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from govportal.interaction.mailbox import services
from govportal.interaction.mailbox.stats import statistics_compute, statistics_current
from govportal.interaction.models import Message, RejectReason
from govportal.testing import Portal

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 20)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    cache.clear()


def submit(day: dt.date) -> Message:
    token = services.form_token_read(services.form_token_new())
    assert token is not None
    return services.message_submit(
        form_token=token,
        message_type="consultation",
        subject="咨询",
        content="咨询内容",
        name="张三",
        phone="13700000000",
        consent_publish=True,
        now=at(day),
    ).message


def answer(
    portal: Portal, message: Message, unit: Any, editor: Any, reviewer: Any, day: dt.date
) -> Message:
    services.message_accept(message=message, user=portal.operator, units=[unit], now=at(day, 8))
    draft = services.reply_save(
        message=message, user=editor, text="已办理。", submit=True, now=at(day, 9)
    )
    return services.reply_approve(reply=draft, user=reviewer, now=at(day, 11))


def test_figures_by_month_and_by_unit(portal: Portal) -> None:
    # September: answered the same day, rated satisfied.
    same_day = answer(
        portal,
        submit(dt.date(2026, 9, 18)),
        portal.unit_a,
        portal.editor_a,
        portal.reviewer_a,
        dt.date(2026, 9, 18),
    )
    services.message_rate(message=same_day, rating="satisfied")
    # October: received 9/30, answered 10/9 — two working days across National Day.
    late = answer(
        portal,
        submit(dt.date(2026, 9, 30)),
        portal.unit_a,
        portal.editor_a,
        portal.reviewer_a,
        dt.date(2026, 10, 9),
    )
    services.message_rate(message=late, rating="unsatisfied", comment="太慢")
    rejected = submit(dt.date(2026, 10, 12))
    services.reject_reasons_ensure()
    reason = RejectReason.objects.get(name="重复留言")
    services.message_reject(message=rejected, user=portal.operator, reason=reason)
    open_ = submit(dt.date(2026, 10, 15))
    services.message_accept(message=open_, user=portal.operator, units=[portal.unit_b])

    stats = statistics_compute(today=TODAY)
    total = stats.total
    assert (total.received, total.accepted, total.closed, total.rejected) == (4, 3, 2, 1)
    assert total.published == 2
    assert total.average_days == 1.0  # (0 + 2) / 2 working days
    assert total.same_day == 1
    assert (total.satisfied, total.unsatisfied, total.satisfaction) == (1, 1, 50.0)
    months = {row.label: row for row in stats.months}
    assert len(stats.months) == 12 and stats.months[0].label == "2026-10"
    assert (months["2026-09"].received, months["2026-10"].received) == (2, 2)
    units = {row.label: row for row in stats.units}
    assert units["区政府办公室"].closed == 2 and units["区教育局"].received == 1


def test_the_public_page_shows_current_figures(portal: Portal, client: Client) -> None:
    submit(timezone.localdate())
    page = client.get("/mailbox/statistics/").content.decode()
    assert "按月统计" in page and "按承办单位统计" in page
    assert statistics_current().total.received == 1
