"""Reply deadlines (第十三条: 5 working days) across the 2026 Mid-Autumn and National Day holidays.

2026 schedule: 9/25–9/27 and 10/1–10/7 off; Sunday 9/20 and Saturday 10/10 are makeup working
days (国务院办公厅关于2026年部分节假日安排的通知).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from govportal.core.models import CalendarDay, CalendarDayKind, CalendarYear
from govportal.interaction.mailbox import deadlines
from govportal.interaction.mailbox.deadlines import DeadlineStatus
from govportal.interaction.mailbox.services import form_token_new, form_token_read, message_submit
from govportal.interaction.models import MessageType, MessageTypeRule
from govportal.lib.workdays import CalendarDataMissing, WorkdayCalendar

CAL = WorkdayCalendar()
D = dt.date


@pytest.fixture(autouse=True)
def _private_files(settings: object, tmp_path: Path) -> None:
    settings.MAILBOX_FILES_ROOT = tmp_path  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 9, 18), D(2026, 9, 24)),  # Friday; the makeup Sunday 9/20 counts
        (D(2026, 9, 24), D(2026, 10, 9)),  # Mid-Autumn 9/25–27, National Day 10/1–7
        (D(2026, 9, 30), D(2026, 10, 13)),  # the makeup Saturday 10/10 counts
        (D(2026, 10, 3), D(2026, 10, 13)),  # received on a holiday: counting starts after it
        (D(2026, 10, 10), D(2026, 10, 16)),  # received on the makeup Saturday
    ],
)
def test_reply_is_due_five_working_days_after_receipt(received: dt.date, due: dt.date) -> None:
    assert deadlines.reply_due(received, CAL, 5) == due


def test_status_runs_from_on_time_to_due_soon_to_overdue_across_national_day() -> None:
    due = deadlines.reply_due(D(2026, 9, 30), CAL, 5)  # 2026-10-13

    def status(today: dt.date) -> DeadlineStatus:
        return deadlines.deadline_status(due_on=due, today=today, calendar=CAL)

    assert status(D(2026, 9, 30)) == DeadlineStatus.ON_TIME
    assert status(D(2026, 10, 10)) == DeadlineStatus.ON_TIME  # 10/12 and 10/13 still ahead
    assert status(D(2026, 10, 11)) == DeadlineStatus.ON_TIME  # Sunday: 10/12 and 10/13 left
    assert status(D(2026, 10, 12)) == DeadlineStatus.DUE_SOON
    assert status(D(2026, 10, 13)) == DeadlineStatus.DUE_SOON  # due today, by end of day
    assert status(D(2026, 10, 14)) == DeadlineStatus.OVERDUE


def test_a_message_due_after_the_holiday_is_reminded_on_the_last_working_day_before_it() -> None:
    due = deadlines.reply_due(D(2026, 9, 28), CAL, 2)  # 9/29, 9/30 → due 9/30
    assert due == D(2026, 9, 30)
    due = deadlines.reply_due(D(2026, 9, 29), CAL, 2)  # 9/30, then 10/8
    assert due == D(2026, 10, 8)
    assert deadlines.reminder_due(due_on=due, today=D(2026, 9, 29), calendar=CAL) is False
    assert deadlines.reminder_due(due_on=due, today=D(2026, 9, 30), calendar=CAL) is True
    assert deadlines.reminder_due(due_on=due, today=D(2026, 10, 9), calendar=CAL) is False


def test_answered_status_compares_the_reply_day_with_the_due_day() -> None:
    due = D(2026, 10, 13)
    on_time = deadlines.deadline_status(
        due_on=due, today=D(2026, 10, 20), calendar=CAL, answered_on=D(2026, 10, 13)
    )
    late = deadlines.deadline_status(
        due_on=due, today=D(2026, 10, 20), calendar=CAL, answered_on=D(2026, 10, 14)
    )
    assert (on_time, late) == (DeadlineStatus.ANSWERED_ON_TIME, DeadlineStatus.ANSWERED_LATE)


def test_same_day_goal_and_handling_days() -> None:
    assert deadlines.answered_same_day(D(2026, 9, 30), D(2026, 9, 30))
    assert not deadlines.answered_same_day(D(2026, 9, 30), D(2026, 10, 8))
    assert not deadlines.answered_same_day(D(2026, 9, 30), None)
    assert deadlines.handling_days(D(2026, 9, 30), D(2026, 10, 8), CAL) == 1
    assert deadlines.handling_days(D(2026, 9, 30), D(2026, 9, 30), CAL) == 0


def test_an_extension_counts_working_days_from_the_old_due_date() -> None:
    assert deadlines.extended_due(D(2026, 9, 30), 3, CAL) == D(2026, 10, 10)


def test_a_year_without_holiday_data_refuses_to_guess() -> None:
    with pytest.raises(CalendarDataMissing) as info:
        deadlines.reply_due(D(2027, 12, 28), WorkdayCalendar(), 5)
    assert "2027 年的节假日安排尚未录入" in str(info.value)


def _submit(now: dt.datetime, message_type: str = MessageType.CONSULTATION) -> object:
    token = form_token_read(form_token_new())
    assert token is not None
    return message_submit(
        form_token=token,
        message_type=message_type,
        subject="咨询",
        content="内容",
        name="王小明",
        phone="13800000000",
        now=now,
    ).message


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.mark.django_db
def test_a_submitted_message_gets_its_due_date_from_the_calendar() -> None:
    message = _submit(_at(D(2026, 9, 30)))
    assert message.due_on == D(2026, 10, 13)  # type: ignore[attr-defined]
    assert message.original_due_on == D(2026, 10, 13)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_reply_period_is_configurable_per_type() -> None:
    MessageTypeRule.objects.create(message_type=MessageType.COMPLAINT, reply_days=3)
    complaint = _submit(_at(D(2026, 9, 30)), MessageType.COMPLAINT)
    consultation = _submit(_at(D(2026, 9, 30)))
    assert complaint.due_on == D(2026, 10, 10)  # type: ignore[attr-defined]
    assert consultation.due_on == D(2026, 10, 13)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_message_in_a_year_without_holiday_data_is_kept_without_a_due_date() -> None:
    message = _submit(_at(D(2027, 12, 28)))
    assert message.pk is not None  # type: ignore[attr-defined]
    assert message.due_on is None  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_office_entries_for_a_new_year_give_due_dates_there() -> None:
    year = CalendarYear.objects.create(year=2027, complete=True, source="测试")
    CalendarDay.objects.create(
        calendar_year=year, date=D(2027, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦"
    )
    # 2026-12-31 is a Thursday; 2027-01-01 off; 1/4–1/8 Monday to Friday.
    message = _submit(_at(D(2026, 12, 31)))
    assert message.due_on == D(2027, 1, 8)  # type: ignore[attr-defined]
