"""Column freshness: pure functions of the last update, the rules and today's date.

The freshness classes themselves (how many days a column kind may go without an update before the
national indicators count it as stale) are data in ColumnKind, not code.
"""

import datetime as dt
from enum import StrEnum


class UpdateFrequency(StrEnum):
    """The update frequency a unit promises in the column responsibility table (第四条)."""

    REALTIME = "realtime"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    AS_NEEDED = "as_needed"

    @property
    def label(self) -> str:
        return FREQUENCY_LABELS[self]


FREQUENCY_LABELS: dict[UpdateFrequency, str] = {
    UpdateFrequency.REALTIME: "实时",
    UpdateFrequency.DAILY: "每日",
    UpdateFrequency.WEEKLY: "每周",
    UpdateFrequency.MONTHLY: "每月",
    UpdateFrequency.QUARTERLY: "每季",
    UpdateFrequency.YEARLY: "每年",
    UpdateFrequency.AS_NEEDED: "按需",
}
FREQUENCY_CHOICES = [(f.value, FREQUENCY_LABELS[f]) for f in UpdateFrequency]
FREQUENCY_BY_LABEL = {label: f for f, label in FREQUENCY_LABELS.items()}


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # Clamp to the last day of the target month (31 Jan + 1 month = 28/29 Feb).
    for candidate in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def next_due(last_update: dt.date | None, frequency: str, today: dt.date) -> dt.date | None:
    """The date by which a column must next be updated, or None when it has no schedule.

    A column that was never updated is due today (unless it is updated only as needed).
    """
    freq = UpdateFrequency(frequency)
    if freq is UpdateFrequency.AS_NEEDED:
        return None
    if last_update is None:
        return today
    match freq:
        case UpdateFrequency.REALTIME | UpdateFrequency.DAILY:
            return last_update + dt.timedelta(days=1)
        case UpdateFrequency.WEEKLY:
            return last_update + dt.timedelta(days=7)
        case UpdateFrequency.MONTHLY:
            return add_months(last_update, 1)
        case UpdateFrequency.QUARTERLY:
            return add_months(last_update, 3)
        case UpdateFrequency.YEARLY:
            return add_months(last_update, 12)
    raise AssertionError(f"unhandled frequency {freq}")


def stale_cutoff(today: dt.date, amount: int, unit: str) -> dt.date:
    """The earliest last-update date that still counts as fresh on `today`."""
    if unit == "day":
        return today - dt.timedelta(days=amount)
    if unit == "month":
        return add_months(today, -amount)
    raise ValueError(f"unknown freshness unit {unit!r}")


def is_stale(last_update: dt.date | None, amount: int | None, unit: str, today: dt.date) -> bool:
    """True when a column of a kind with this freshness class counts as not updated.

    第十四条 / 国办秘函〔2019〕19号: 动态要闻 2 weeks, 通知公告/政策文件 6 months, 人事/规划计划 1 year.
    A kind without a freshness class (amount None) is never stale; an empty column (never
    updated) is stale when its kind has a class. Empty columns are also counted separately.
    """
    if amount is None:
        return False
    if last_update is None:
        return True
    return last_update < stale_cutoff(today, amount, unit)
