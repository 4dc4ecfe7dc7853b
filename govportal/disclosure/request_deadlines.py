"""Reply deadlines of disclosure requests, counted in working days (regulations.md §5.3, §8).

- 第三十三条: reply within 20 working days of receipt; with the 机构负责人's consent, up to 20
  more, the applicant told. Time spent consulting third parties or other organs is excluded.
- 第三十条: an unclear request gets one 补正 notice within 7 working days of receipt; the clock
  starts again when the correction arrives.
- 第三十二条: the third party answers within 15 working days; silence ends the pause then.

`reply_deadline` and `deadline_status` are pure: the calendar and `today` are arguments. They let
`CalendarDataMissing` through: a deadline in a year without holiday data is never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from govportal.lib.workdays import CalendarDataMissing, WorkdayCalendar

if TYPE_CHECKING:
    from govportal.disclosure.models import DisclosureRequest

__all__ = [
    "CONSULTATION_MAX_DAYS",
    "CORRECTION_ASK_DAYS",
    "DUE_SOON_DAYS",
    "EXTENSION_MAX_DAYS",
    "REPLY_DAYS",
    "ClockEvent",
    "Deadline",
    "DeadlineInfo",
    "DeadlineStatus",
    "correction_ask_deadline",
    "deadline_info",
    "deadline_status",
    "reply_deadline",
]

REPLY_DAYS = 20  # 第三十三条第二款
EXTENSION_MAX_DAYS = 20  # 第三十三条第二款
CORRECTION_ASK_DAYS = 7  # 第三十条
CONSULTATION_MAX_DAYS = 15  # 第三十二条
DUE_SOON_DAYS = 3  # working days left at which the queue warns

# Event kinds (EventKind values) that move the clock.
CORRECTION_ASKED = "correction_asked"
CORRECTION_RECEIVED = "correction_received"
CONSULTATION_STARTED = "consultation_started"
CONSULTATION_ENDED = "consultation_ended"
EXTENDED = "extended"
CLOCK_KINDS = frozenset(
    {CORRECTION_ASKED, CORRECTION_RECEIVED, CONSULTATION_STARTED, CONSULTATION_ENDED, EXTENDED}
)


@dataclass(frozen=True)
class ClockEvent:
    kind: str
    on: dt.date
    days: int = 0


@dataclass(frozen=True)
class Deadline:
    start: dt.date  # the day the clock (re)started: receipt, or the correction's arrival
    due: dt.date | None  # None while the applicant's correction is awaited
    extension_days: int
    paused_days: int  # working days excluded for consultations
    paused_since: dt.date | None  # an open consultation
    waiting_correction: bool


class DeadlineStatus(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    WAITING_CORRECTION = "waiting_correction"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[DeadlineStatus, str] = {
    DeadlineStatus.ON_TIME: "按期办理中",
    DeadlineStatus.DUE_SOON: "即将到期",
    DeadlineStatus.OVERDUE: "已超期",
    DeadlineStatus.PAUSED: "暂停计时（征求意见）",
    DeadlineStatus.WAITING_CORRECTION: "等待补正（补正后重新计时）",
    DeadlineStatus.DONE_ON_TIME: "已按期答复",
    DeadlineStatus.DONE_LATE: "已答复（超期）",
    DeadlineStatus.UNKNOWN: "无法计算期限",
}


def correction_ask_deadline(received_on: dt.date, *, calendar: WorkdayCalendar) -> dt.date:
    """The last day to tell the applicant, once, what to correct (第三十条)."""
    return calendar.add(received_on, CORRECTION_ASK_DAYS)


def reply_deadline(
    received_on: dt.date,
    events: Iterable[ClockEvent],
    *,
    today: dt.date,
    calendar: WorkdayCalendar,
) -> Deadline:
    """The reply due date from the receipt date and the clock events, in order.

    The start day is not counted (民法典 第二百零一条). A correction restarts the clock from
    its arrival. A consultation excludes the working days after its start up to its end, at most
    15; an open one counts up to `today` (the due date moves while the clock stands still).
    """
    start = received_on
    extension = 0
    paused = 0
    open_since: dt.date | None = None
    waiting = False
    for event in events:
        if event.kind == CORRECTION_ASKED:
            waiting = True
        elif event.kind == CORRECTION_RECEIVED:
            # 第三十条: 答复期限自行政机关收到补正的申请之日起计算.
            start, waiting, paused, extension, open_since = event.on, False, 0, 0, None
        elif event.kind == CONSULTATION_STARTED:
            open_since = event.on
        elif event.kind == CONSULTATION_ENDED and open_since is not None:
            paused += _paused_between(open_since, event.on, calendar)
            open_since = None
        elif event.kind == EXTENDED:
            extension += event.days
    if open_since is not None:
        paused += _paused_between(open_since, max(today, open_since), calendar)
    due = None if waiting else calendar.add(start, REPLY_DAYS + extension + paused)
    return Deadline(
        start=start,
        due=due,
        extension_days=extension,
        paused_days=paused,
        paused_since=open_since,
        waiting_correction=waiting,
    )


def _paused_between(begin: dt.date, end: dt.date, calendar: WorkdayCalendar) -> int:
    # 第三十二条: the third party has 15 working days; its silence does not stop the clock longer.
    return min(calendar.between(begin, end), CONSULTATION_MAX_DAYS)


def deadline_status(
    deadline: Deadline,
    *,
    today: dt.date,
    calendar: WorkdayCalendar,
    answered_on: dt.date | None = None,
) -> DeadlineStatus:
    if answered_on is not None:
        if deadline.due is None or answered_on <= deadline.due:
            return DeadlineStatus.DONE_ON_TIME
        return DeadlineStatus.DONE_LATE
    if deadline.waiting_correction or deadline.due is None:
        return DeadlineStatus.WAITING_CORRECTION
    if deadline.paused_since is not None:
        return DeadlineStatus.PAUSED
    if today > deadline.due:
        return DeadlineStatus.OVERDUE
    if calendar.between(today, deadline.due) <= DUE_SOON_DAYS:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.ON_TIME


@dataclass(frozen=True)
class DeadlineInfo:
    """What the queue, the detail page and the applicant's lookup show for one request."""

    deadline: Deadline | None
    status: DeadlineStatus
    error: str = ""  # a loud Chinese message when the calendar lacks a year

    @property
    def due(self) -> dt.date | None:
        return self.deadline.due if self.deadline else None


def clock_events(request: DisclosureRequest) -> list[ClockEvent]:
    # Uses the prefetched events when the caller prefetched them (the queue does).
    return [
        ClockEvent(kind=e.kind, on=e.effective_on, days=e.days or 0)
        for e in request.events.all()
        if e.kind in CLOCK_KINDS
    ]


def deadline_info(
    request: DisclosureRequest, *, today: dt.date, calendar: WorkdayCalendar
) -> DeadlineInfo:
    """The request's deadline and status; a missing calendar year becomes a message, not a 500."""
    on = request.reply_on or today
    try:
        deadline = reply_deadline(
            request.received_on, clock_events(request), today=on, calendar=calendar
        )
        status = deadline_status(
            deadline, today=today, calendar=calendar, answered_on=request.reply_on
        )
    except CalendarDataMissing as error:
        return DeadlineInfo(
            deadline=None,
            status=DeadlineStatus.UNKNOWN,
            error=f"⚠ {error}：本申请的答复期限暂无法计算，不作推测。",
        )
    return DeadlineInfo(deadline=deadline, status=status)
