"""Pure rules of disclosure requests: reply deadlines (working days) and 信息处理费."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from govportal.disclosure.request_deadlines import (
    ClockEvent,
    DeadlineStatus,
    correction_ask_deadline,
    deadline_status,
    reply_deadline,
)
from govportal.disclosure.request_fees import fee_for, fee_per_application, fee_per_page
from govportal.lib.workdays import CalendarDataMissing, WorkdayCalendar

D = dt.date
CAL = WorkdayCalendar()  # chinesecalendar's data; no office entries


def due(received: dt.date, *events: ClockEvent, today: dt.date | None = None) -> dt.date | None:
    return reply_deadline(received, events, today=today or received, calendar=CAL).due


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # regulations.md §8.4, n = 20
        (D(2025, 4, 25), D(2025, 5, 27)),  # Sun 4/27 (makeup) counts; 5/1–5/5 off
        (D(2025, 12, 31), D(2026, 1, 29)),  # 1/1–1/3 off; Sun 1/4 (makeup) counts
        # 2026 National Day: 10/1–10/7 off, Sat 10/10 (makeup) counts
        (D(2026, 9, 30), D(2026, 11, 3)),
    ],
)
def test_reply_is_due_20_working_days_after_receipt(received: dt.date, expected: dt.date) -> None:
    assert due(received) == expected


def test_correction_must_be_asked_within_7_working_days() -> None:
    # §8.4: 2026-02-13 + 5 = 02-27 (Sat 2/14 counts, 2/15–2/23 off); then Sat 2/28 (makeup)
    # and Mon 3/2.
    assert correction_ask_deadline(D(2026, 2, 13), calendar=CAL) == D(2026, 3, 2)


def test_correction_restarts_the_clock_from_its_arrival() -> None:
    asked = ClockEvent("correction_asked", D(2026, 3, 4))
    received = ClockEvent("correction_received", D(2026, 3, 10))
    waiting = reply_deadline(D(2026, 3, 2), [asked], today=D(2026, 3, 5), calendar=CAL)
    assert waiting.due is None and waiting.waiting_correction
    # 3/10 + 20 working days, 清明 4/4–4/6 off: 4/8 (without the correction it was 3/30).
    assert due(D(2026, 3, 2)) == D(2026, 3, 30)
    assert due(D(2026, 3, 2), asked, received) == D(2026, 4, 8)


def test_extension_adds_working_days() -> None:
    assert due(D(2026, 3, 2), ClockEvent("extended", D(2026, 3, 20), 20)) == D(2026, 4, 28)


def test_consultation_pause_spanning_national_day_excludes_only_its_working_days() -> None:
    start = ClockEvent("consultation_started", D(2026, 9, 28))
    end = ClockEvent("consultation_ended", D(2026, 10, 12))
    assert due(D(2026, 9, 21)) == D(2026, 10, 26)
    # Paused: 9/29, 9/30, 10/8, 10/9, Sat 10/10 (makeup), 10/12 = 6 working days.
    deadline = reply_deadline(D(2026, 9, 21), [start, end], today=D(2026, 10, 20), calendar=CAL)
    assert deadline.paused_days == 6
    assert deadline.due == D(2026, 11, 3)


def test_open_consultation_moves_the_due_date_but_never_beyond_15_working_days() -> None:
    start = ClockEvent("consultation_started", D(2026, 3, 2))
    assert due(D(2026, 3, 2), start, today=D(2026, 3, 4)) == D(2026, 4, 1)  # 2 days paused
    long_ago = reply_deadline(D(2026, 3, 2), [start], today=D(2026, 4, 30), calendar=CAL)
    assert long_ago.paused_days == 15
    assert long_ago.due == D(2026, 4, 21)
    status = deadline_status(long_ago, today=D(2026, 4, 30), calendar=CAL)
    assert status == DeadlineStatus.PAUSED


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (D(2026, 3, 24), DeadlineStatus.ON_TIME),  # 4 working days left
        (D(2026, 3, 25), DeadlineStatus.DUE_SOON),  # 3 left
        (D(2026, 3, 30), DeadlineStatus.DUE_SOON),  # the last day
        (D(2026, 3, 31), DeadlineStatus.OVERDUE),
    ],
)
def test_status_on_time_due_soon_overdue(today: dt.date, status: DeadlineStatus) -> None:
    deadline = reply_deadline(D(2026, 3, 2), [], today=today, calendar=CAL)
    assert deadline_status(deadline, today=today, calendar=CAL) == status


def test_answered_requests_are_judged_by_their_reply_day() -> None:
    deadline = reply_deadline(D(2026, 3, 2), [], today=D(2026, 3, 2), calendar=CAL)
    on_time = deadline_status(
        deadline, today=D(2026, 6, 1), calendar=CAL, answered_on=D(2026, 3, 30)
    )
    late = deadline_status(deadline, today=D(2026, 6, 1), calendar=CAL, answered_on=D(2026, 3, 31))
    assert on_time == DeadlineStatus.DONE_ON_TIME
    assert late == DeadlineStatus.DONE_LATE


def test_deadline_in_a_year_without_calendar_data_is_refused_not_guessed() -> None:
    with pytest.raises(CalendarDataMissing) as raised:
        due(D(2026, 12, 15))
    assert "2027 年的节假日安排尚未录入" in str(raised.value)


@pytest.mark.parametrize(
    ("ordinal", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)],
)
def test_fee_per_application_is_progressive_per_month(ordinal: int, fee: int) -> None:
    assert fee_per_application(ordinal) == Decimal(fee)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        (0, 0),
        (30, 0),
        (31, 10),
        (100, 700),  # 70 × 10
        (101, 720),  # 700 + 1 × 20
        (200, 2700),  # 700 + 100 × 20
        (201, 2740),  # 2700 + 1 × 40
        (250, 4700),  # 2700 + 50 × 40
    ],
)
def test_fee_per_page_charges_each_bracket_only_above_its_threshold(pages: int, fee: int) -> None:
    assert fee_per_page(pages) == Decimal(fee)


def test_fee_methods_are_chosen_by_name_and_bad_input_is_refused() -> None:
    assert fee_for("per_page", 31) == Decimal(10)
    assert fee_for("per_application", 11) == Decimal(100)
    with pytest.raises(ValueError, match="未知的计收方式"):
        fee_for("both", 1)
    with pytest.raises(ValueError, match="页数不能为负数"):
        fee_per_page(-1)
    with pytest.raises(ValueError, match="件序"):
        fee_per_application(0)


def test_every_reply_type_maps_to_outcome_rows_and_every_row_is_reachable() -> None:
    from govportal.disclosure.models import ReplyType
    from govportal.disclosure.request_services import REPLY_OUTCOMES
    from govportal.disclosure.request_stats import OUTCOME_ROWS

    rows = {key for key, _, _ in OUTCOME_ROWS}
    assert set(REPLY_OUTCOMES) == set(ReplyType.values)
    reachable = {outcome for outcomes in REPLY_OUTCOMES.values() for outcome in outcomes}
    assert reachable == rows
