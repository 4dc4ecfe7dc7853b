"""Public statistics of the mailbox (第二十一条(五): 按要求公开留言受理反馈情况统计数据).

Computed from the messages as they stand, cached for a minute at most: received, accepted,
closed (answered, or 未补充办结), rejected, average handling time in working days, public
replies and satisfaction, by month and by unit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from govportal.core.models.calendar import workday_calendar
from govportal.interaction.mailbox.deadlines import handling_days
from govportal.interaction.models import Message, ReplyDraft
from govportal.lib.workdays import CalendarDataMissing

CACHE_SECONDS = 60


@dataclass
class Row:
    label: str
    received: int = 0
    accepted: int = 0
    closed: int = 0
    rejected: int = 0
    published: int = 0
    same_day: int = 0
    handling_total: int = 0
    handling_count: int = 0
    ratings: dict[str, int] = field(default_factory=dict)  # plain dict: cached by pickling

    @property
    def average_days(self) -> float | None:
        if not self.handling_count:
            return None
        return round(self.handling_total / self.handling_count, 1)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfaction(self) -> float | None:
        """满意 and 基本满意 as a share of all ratings, in percent."""
        if not self.rated:
            return None
        good = self.satisfied + self.basic
        return round(100 * good / self.rated, 1)

    @property
    def satisfied(self) -> int:
        return self.ratings.get(Message.Rating.SATISFIED, 0)

    @property
    def basic(self) -> int:
        return self.ratings.get(Message.Rating.BASIC, 0)

    @property
    def unsatisfied(self) -> int:
        return self.ratings.get(Message.Rating.UNSATISFIED, 0)


@dataclass
class Statistics:
    today: dt.date
    total: Row
    months: list[Row]
    units: list[Row]
    calendar_problem: str = ""


def _count(row: Row, message: Message, days: int | None) -> None:
    row.received += 1
    if message.accepted_at is not None:
        row.accepted += 1
    if message.status == Message.Status.NO_INFO:
        row.closed += 1  # 未补充办结: closed, but no reply, so no handling time
    if message.status == Message.Status.ANSWERED:
        row.closed += 1
        if days is not None:
            row.handling_total += days
            row.handling_count += 1
            row.same_day += days == 0
    if message.status == Message.Status.REJECTED:
        row.rejected += 1
    if message.publication == Message.Publication.PUBLISHED:
        row.published += 1
    if message.rating:
        row.ratings[message.rating] = row.ratings.get(message.rating, 0) + 1


def statistics_compute(*, today: dt.date, months: int = 12) -> Statistics:
    """The figures of the last `months` months (by month of receipt) up to `today`."""
    first = dt.date(today.year, today.month, 1)
    for _ in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    messages = list(
        Message.objects.filter(received_at__gte=start).only(
            "id",
            "received_at",
            "accepted_at",
            "answered_at",
            "status",
            "publication",
            "rating",
        )
    )
    units_of: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for message_id, unit_id, unit_name in ReplyDraft.objects.filter(
        message__in=[m.pk for m in messages], state=ReplyDraft.State.APPROVED
    ).values_list("message_id", "unit_id", "unit__name"):
        units_of[message_id].add((unit_id, unit_name))
    from govportal.interaction.models import MessageAssignment

    for message_id, unit_id, unit_name in MessageAssignment.objects.filter(
        message__in=[m.pk for m in messages], state=MessageAssignment.State.ACTIVE
    ).values_list("message_id", "unit_id", "unit__name"):
        units_of[message_id].add((unit_id, unit_name))

    calendar = workday_calendar()
    problem = ""
    total = Row("合计")
    by_month: dict[str, Row] = {}
    month = first
    while month <= today:
        label = f"{month:%Y-%m}"
        by_month[label] = Row(label)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    by_unit: dict[int, Row] = {}
    for message in messages:
        days = None
        if message.status == Message.Status.ANSWERED and message.answered_at is not None:
            try:
                days = handling_days(
                    timezone.localdate(message.received_at),
                    timezone.localdate(message.answered_at),
                    calendar,
                )
            except CalendarDataMissing as exc:
                problem = str(exc)
        _count(total, message, days)
        label = f"{timezone.localdate(message.received_at):%Y-%m}"
        if label in by_month:
            _count(by_month[label], message, days)
        for unit_id, unit_name in units_of.get(message.pk, ()):
            _count(by_unit.setdefault(unit_id, Row(unit_name)), message, days)
    return Statistics(
        today=today,
        total=total,
        months=list(reversed(by_month.values())),
        units=sorted(by_unit.values(), key=lambda r: (-r.received, r.label)),
        calendar_problem=problem,
    )


def statistics_current(today: dt.date | None = None) -> Statistics:
    """The statistics for the public page, cached for a minute."""
    today = today or timezone.localdate()
    key = f"mailbox:stats:{today:%Y%m%d}"
    stats: Statistics | None = cache.get(key)
    if stats is None:
        stats = statistics_compute(today=today)
        cache.set(key, stats, CACHE_SECONDS)
    return stats
