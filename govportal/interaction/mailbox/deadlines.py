"""Reply deadlines of mailbox messages: pure functions of dates and a working-day calendar.

第十三条: 对网民留言，应迅速办理，力争当日有效回复，最晚答复时间不得超过5个工作日，不得推诿、
敷衍、超期答复. The reply is due on the 5th working day after the day of receipt (the receipt day
is not counted, 民法典 第二百零一条), by the end of that day. "Same day" is the goal dashboards
highlight. All functions take the calendar and `today` as arguments; the calendar raises
`CalendarDataMissing` for a year without data, and callers show that message.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from govportal.lib.workdays import WorkdayCalendar

DEFAULT_REPLY_DAYS = 5  # 第十三条: 最晚答复时间不得超过5个工作日
DUE_SOON_DAYS = 1  # a reminder goes to the unit one working day before the due date


class DeadlineStatus(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ANSWERED_ON_TIME = "answered_on_time"
    ANSWERED_LATE = "answered_late"

    @property
    def label(self) -> str:
        return DEADLINE_LABELS[self]


DEADLINE_LABELS = {
    DeadlineStatus.ON_TIME: "按期办理中",
    DeadlineStatus.DUE_SOON: "即将到期",
    DeadlineStatus.OVERDUE: "已超期",
    DeadlineStatus.ANSWERED_ON_TIME: "按期答复",
    DeadlineStatus.ANSWERED_LATE: "超期答复",
}


def reply_due(received_on: dt.date, calendar: WorkdayCalendar, days: int) -> dt.date:
    """The last day to reply: the `days`-th working day after the day of receipt."""
    return calendar.add(received_on, days)


def deadline_status(
    *,
    due_on: dt.date,
    today: dt.date,
    calendar: WorkdayCalendar,
    answered_on: dt.date | None = None,
) -> DeadlineStatus:
    """On time, due soon (one working day or less left), overdue (past the due day)."""
    if answered_on is not None:
        late = answered_on > due_on
        return DeadlineStatus.ANSWERED_LATE if late else DeadlineStatus.ANSWERED_ON_TIME
    if today > due_on:
        return DeadlineStatus.OVERDUE
    if calendar.between(today, due_on) <= DUE_SOON_DAYS:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.ON_TIME


def reminder_due(*, due_on: dt.date, today: dt.date, calendar: WorkdayCalendar) -> bool:
    """Whether the unit's reminder is due: one working day or less before the due day."""
    return today <= due_on and calendar.between(today, due_on) <= DUE_SOON_DAYS


def is_overdue(*, due_on: dt.date, today: dt.date) -> bool:
    return today > due_on


def answered_same_day(received_on: dt.date, answered_on: dt.date | None) -> bool:
    """力争当日有效回复: the reply went out on the (local) day the message arrived."""
    return answered_on is not None and answered_on == received_on


def handling_days(received_on: dt.date, answered_on: dt.date, calendar: WorkdayCalendar) -> int:
    """Working days from receipt to reply (0 when answered the same day)."""
    return max(0, calendar.between(received_on, answered_on))


def extended_due(due_on: dt.date, days: int, calendar: WorkdayCalendar) -> dt.date:
    """The new due date after an approved extension of `days` working days."""
    return calendar.add(due_on, days)
