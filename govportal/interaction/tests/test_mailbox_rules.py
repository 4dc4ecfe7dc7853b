"""Monitoring rule kinds of the mailbox, judged for an injected `today`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from govportal.interaction.mailbox import services
from govportal.interaction.models import Message, MessageAssignment
from govportal.monitoring.models import Indicator
from govportal.monitoring.rules import RULES, rule_run
from govportal.testing import Portal

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def message(received: dt.date, **fields: Any) -> Message:
    token = services.form_token_read(services.form_token_new())
    assert token is not None
    created = services.message_submit(
        form_token=token,
        message_type="consultation",
        subject="咨询",
        content="咨询内容",
        name="张三",
        phone="13700000000",
        now=at(received),
    ).message
    if fields:
        Message.objects.filter(pk=created.pk).update(**fields)
        created.refresh_from_db()
    return created


def thresholds(code: str) -> dict[str, Any]:
    return dict(Indicator.objects.get(code=code).thresholds)


def test_the_mailbox_rule_kinds_replace_the_untested_placeholders() -> None:
    for key in ("no_consultation_channel", "unanswered_messages", "no_recent_replies"):
        assert RULES[key].__module__ == "govportal.interaction.mailbox.rules"
        assert not rule_run(key, today=TODAY, thresholds={}).untested


def test_a_valid_message_unanswered_for_more_than_three_months_is_a_veto(portal: Portal) -> None:
    old = message(dt.date(2026, 8, 10))  # 3 months end 2026-11-10
    MessageAssignment.objects.create(message=old, unit=portal.unit_b)
    message(dt.date(2026, 8, 25))  # within three months: not yet
    message(dt.date(2025, 10, 1))  # outside the one-year window
    message(dt.date(2026, 6, 1), status=Message.Status.REJECTED)  # not a valid message
    result = rule_run(
        "unanswered_messages", today=TODAY, thresholds=thresholds("unanswered-messages")
    )
    assert result.breached and result.count == 1
    assert old.tracking_number in result.findings[0].message
    assert result.findings[0].unit_ids == (portal.unit_b.pk,)


def test_a_message_answered_late_is_no_veto_once_answered() -> None:
    # Read at the monitoring point: the letter is answered now, so nothing is left to fix.
    message(
        dt.date(2026, 5, 4), status=Message.Status.ANSWERED, answered_at=at(dt.date(2026, 9, 1))
    )
    result = rule_run(
        "unanswered_messages", today=TODAY, thresholds=thresholds("unanswered-messages")
    )
    assert not result.breached and result.findings == ()


def test_the_strict_reading_counts_a_message_answered_after_more_than_three_months() -> None:
    late = message(
        dt.date(2026, 5, 4),
        status=Message.Status.ANSWERED,
        answered_at=at(dt.date(2026, 9, 1)),
    )
    message(
        dt.date(2026, 5, 4), status=Message.Status.ANSWERED, answered_at=at(dt.date(2026, 5, 6))
    )
    result = rule_run(
        "unanswered_messages",
        today=TODAY,
        thresholds={"window_months": 12, "months": 3, "count_late_answers": True},
    )
    assert [f.message.split("“")[0] for f in result.findings] == [f"留言 {late.tracking_number}"]
    assert "才答复" in result.findings[0].message
    assert result.breached and result.findings[0].key == late.tracking_number


def test_each_unanswered_message_is_its_own_problem(portal: Portal) -> None:
    first = message(dt.date(2026, 6, 1))
    second = message(dt.date(2026, 6, 2))
    result = rule_run("unanswered_messages", today=TODAY, thresholds={})
    assert sorted(f.key for f in result.findings) == sorted(
        [first.tracking_number, second.tracking_number]
    )


def test_no_unanswered_messages_passes() -> None:
    message(dt.date(2026, 11, 1))
    result = rule_run(
        "unanswered_messages", today=TODAY, thresholds={"window_months": 12, "months": 3}
    )
    assert not result.breached and result.findings == ()


def test_a_message_counts_as_unanswered_on_a_day_before_its_reply() -> None:
    message(
        dt.date(2026, 5, 4), status=Message.Status.ANSWERED, answered_at=at(dt.date(2026, 11, 1))
    )
    before = rule_run("unanswered_messages", today=dt.date(2026, 10, 1), thresholds={})
    assert before.breached and "超过 3 个月未答复" in before.findings[0].message


def test_no_reply_published_for_two_months_costs_points() -> None:
    message(
        dt.date(2026, 9, 1),
        status=Message.Status.ANSWERED,
        publication=Message.Publication.PUBLISHED,
        published_at=at(dt.date(2026, 9, 25)),
    )
    result = rule_run("no_recent_replies", today=TODAY, thresholds=thresholds("no-recent-replies"))
    assert not result.breached and result.measured == 56
    later = rule_run("no_recent_replies", today=dt.date(2026, 11, 26), thresholds={"months": 2})
    assert later.breached and later.count == 1
    assert "2026-09-25" in later.findings[0].message


def test_a_site_that_never_published_a_reply_is_told_so() -> None:
    result = rule_run("no_recent_replies", today=TODAY, thresholds={"months": 2})
    assert result.breached and "从未公开过留言答复" in result.findings[0].message


def test_the_consultation_channel_exists_while_letters_get_answers() -> None:
    assert not rule_run("no_consultation_channel", today=TODAY, thresholds={}).breached
    message(dt.date(2026, 10, 1))
    result = rule_run("no_consultation_channel", today=TODAY, thresholds={})
    assert result.breached and "没有一件得到答复" in result.findings[0].message
    message(
        dt.date(2026, 10, 2), status=Message.Status.ANSWERED, answered_at=at(dt.date(2026, 10, 3))
    )
    assert not rule_run("no_consultation_channel", today=TODAY, thresholds={}).breached
