"""The working-day calendar without a database: the library's data, overrides, missing years."""

from __future__ import annotations

import datetime as dt

import pytest

from govportal.lib.workdays import (
    CalendarDataMissing,
    DayKind,
    DayOverride,
    WorkdayCalendar,
    years_to_check,
)

D = dt.date


@pytest.fixture
def calendar() -> WorkdayCalendar:
    return WorkdayCalendar()


# regulations.md §8.4, every row: received, n, due.
WORKED_EXAMPLES = [
    (D(2025, 9, 30), 5, D(2025, 10, 14)),  # 10/1–10/8 off; Sat 10/11 (makeup) counts
    (D(2025, 1, 24), 5, D(2025, 2, 7)),  # Sun 1/26 (makeup) counts; 1/28–2/4 off
    (D(2026, 2, 13), 5, D(2026, 2, 27)),  # Sat 2/14 counts; 2/15–2/23 off
    (D(2026, 9, 18), 5, D(2026, 9, 24)),  # Sun 9/20 (makeup) counts
    (D(2025, 4, 25), 20, D(2025, 5, 27)),  # Sun 4/27 counts; 5/1–5/5 off
    (D(2025, 12, 31), 20, D(2026, 1, 29)),  # 1/1–1/3 off; Sun 1/4 counts
]


@pytest.mark.parametrize(("received", "n", "due"), WORKED_EXAMPLES)
def test_worked_examples_of_the_regulation_give_the_published_due_dates(
    calendar: WorkdayCalendar, received: dt.date, n: int, due: dt.date
) -> None:
    assert calendar.add(received, n) == due


@pytest.mark.parametrize(("received", "n", "due"), WORKED_EXAMPLES)
def test_between_counts_back_the_working_days_of_each_worked_example(
    calendar: WorkdayCalendar, received: dt.date, n: int, due: dt.date
) -> None:
    assert calendar.between(received, due) == n
    assert calendar.between(received, due - dt.timedelta(days=1)) == n - 1


def test_the_start_day_is_not_counted_even_when_it_is_a_working_day(
    calendar: WorkdayCalendar,
) -> None:
    # Mon 2025-03-03 is a working day; one working day later is Tue, not Mon itself.
    assert calendar.add(D(2025, 3, 3), 1) == D(2025, 3, 4)
    assert calendar.add(D(2025, 3, 3), 0) == D(2025, 3, 3)


def test_a_request_received_on_a_weekend_counts_from_the_next_working_day(
    calendar: WorkdayCalendar,
) -> None:
    assert calendar.add(D(2025, 3, 8), 1) == D(2025, 3, 10)  # Sat → Mon


def test_national_day_2026_is_off_from_the_first_to_the_seventh_of_october(
    calendar: WorkdayCalendar,
) -> None:
    for day in range(1, 8):
        assert not calendar.is_workday(D(2026, 10, day)), f"2026-10-{day:02d}"
    assert calendar.is_workday(D(2026, 10, 8))
    assert calendar.is_workday(D(2026, 10, 9))


def test_makeup_days_around_national_day_2026_are_working_days(
    calendar: WorkdayCalendar,
) -> None:
    assert D(2026, 9, 20).weekday() == 6  # a Sunday
    assert D(2026, 10, 10).weekday() == 5  # a Saturday
    assert calendar.is_workday(D(2026, 9, 20))
    assert calendar.is_workday(D(2026, 10, 10))
    assert not calendar.is_workday(D(2026, 10, 11))  # the Sunday after stays off
    assert not calendar.is_workday(D(2026, 9, 26))  # 中秋, a Saturday off


@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        # 9/25–9/27 中秋 and 10/1–10/7 国庆 off; 9/28, 9/29, 9/30 count.
        (D(2026, 9, 24), 3, D(2026, 9, 30)),
        (D(2026, 9, 24), 4, D(2026, 10, 8)),
        # 10/8, 10/9, Sat 10/10 (makeup), then Mon 10/12.
        (D(2026, 9, 30), 4, D(2026, 10, 12)),
        # 依申请公开 20 working days (第三十三条) from the day before the holiday.
        (D(2026, 9, 30), 20, D(2026, 11, 3)),
        # 补正 within 7 working days from inside the holiday.
        (D(2026, 10, 3), 7, D(2026, 10, 15)),
        # 15 working days across both holidays, from the Friday before the Sunday makeup day.
        (D(2026, 9, 18), 15, D(2026, 10, 15)),
    ],
)
def test_deadlines_across_the_2026_national_day_holiday(
    calendar: WorkdayCalendar, received: dt.date, n: int, due: dt.date
) -> None:
    assert calendar.add(received, n) == due
    assert calendar.between(received, due) == n


def test_between_is_negative_when_the_end_is_before_the_start(
    calendar: WorkdayCalendar,
) -> None:
    assert calendar.between(D(2026, 9, 24), D(2026, 9, 18)) == -5
    assert calendar.between(D(2026, 9, 18), D(2026, 9, 18)) == 0


def test_a_negative_number_of_working_days_is_refused(calendar: WorkdayCalendar) -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        calendar.add(D(2026, 9, 18), -1)


def test_a_datetime_is_refused_because_its_day_depends_on_the_time_zone(
    calendar: WorkdayCalendar,
) -> None:
    with pytest.raises(TypeError):
        calendar.add(dt.datetime(2026, 9, 18, 23, 0, tzinfo=dt.UTC), 1)


def test_an_override_turns_a_library_working_day_into_a_holiday() -> None:
    # Thu 2026-09-24 is a working day in the library; the office declares it off.
    calendar = WorkdayCalendar([DayOverride(D(2026, 9, 24), DayKind.HOLIDAY, "临时放假")])
    assert WorkdayCalendar().is_workday(D(2026, 9, 24))
    assert not calendar.is_workday(D(2026, 9, 24))
    assert calendar.add(D(2026, 9, 18), 5) == D(2026, 9, 28)


def test_an_override_turns_a_library_holiday_into_a_working_day() -> None:
    calendar = WorkdayCalendar([DayOverride(D(2026, 10, 7), DayKind.MAKEUP, "国庆节")])
    assert not WorkdayCalendar().is_workday(D(2026, 10, 7))
    assert calendar.is_workday(D(2026, 10, 7))
    assert calendar.add(D(2026, 9, 30), 1) == D(2026, 10, 7)


def test_an_override_turns_a_library_makeup_day_back_into_a_weekend() -> None:
    calendar = WorkdayCalendar([DayOverride(D(2026, 9, 20), DayKind.HOLIDAY)])
    assert not calendar.is_workday(D(2026, 9, 20))
    assert calendar.add(D(2026, 9, 18), 5) == D(2026, 9, 28)  # 9/25–9/27 off


def test_a_year_the_library_lacks_raises_calendar_data_missing_with_a_chinese_message(
    calendar: WorkdayCalendar,
) -> None:
    with pytest.raises(CalendarDataMissing) as excinfo:
        calendar.is_workday(D(2027, 3, 1))
    assert excinfo.value.year == 2027
    assert str(excinfo.value) == (
        "2027 年的节假日安排尚未录入，无法计算工作日期限，请在后台录入当年放假安排"
    )


def test_a_deadline_that_runs_into_a_missing_year_raises_instead_of_guessing(
    calendar: WorkdayCalendar,
) -> None:
    assert calendar.add(D(2026, 12, 1), 5) == D(2026, 12, 8)
    with pytest.raises(CalendarDataMissing, match="2027 年"):
        calendar.add(D(2026, 12, 21), 20)
    with pytest.raises(CalendarDataMissing):
        calendar.between(D(2026, 12, 30), D(2027, 1, 5))
    assert calendar.between(D(2026, 12, 30), D(2026, 12, 31)) == 1


def test_entered_days_without_the_complete_mark_do_not_make_a_year_known() -> None:
    calendar = WorkdayCalendar([DayOverride(D(2027, 1, 1), DayKind.HOLIDAY, "元旦")])
    assert not calendar.covers(2027)
    with pytest.raises(CalendarDataMissing):
        calendar.add(D(2027, 1, 4), 1)


def test_a_complete_year_from_the_office_is_counted_with_its_entered_days() -> None:
    # An illustrative schedule for the start of 2027, not the State Council's.
    calendar = WorkdayCalendar(
        [
            DayOverride(D(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
            DayOverride(D(2027, 2, 5), DayKind.HOLIDAY, "春节"),
            DayOverride(D(2027, 2, 8), DayKind.HOLIDAY, "春节"),
            DayOverride(D(2027, 2, 20), DayKind.MAKEUP, "春节"),  # a Saturday worked
        ],
        complete_years=[2027],
    )
    assert calendar.covers(2027)
    assert not calendar.is_workday(D(2027, 1, 1))
    assert calendar.is_workday(D(2027, 2, 20))
    # From Thu 2026-12-31: 1/1 off, then Mon 1/4 … → the 5th working day is Fri 1/8.
    assert calendar.add(D(2026, 12, 31), 5) == D(2027, 1, 8)
    # Thu 2/4, then Fri 2/5 and Mon 2/8 off: Tue 2/9 is the 2nd working day.
    assert calendar.add(D(2027, 2, 3), 2) == D(2027, 2, 9)
    assert calendar.add(D(2027, 2, 19), 1) == D(2027, 2, 20)
    assert calendar.between(D(2027, 2, 3), D(2027, 2, 22)) == 12


def test_without_the_library_a_known_year_needs_the_office_entries_too() -> None:
    calendar = WorkdayCalendar(use_library=False)
    with pytest.raises(CalendarDataMissing):
        calendar.is_workday(D(2026, 1, 5))


@pytest.mark.parametrize(
    ("today", "years"),
    [
        (D(2026, 1, 1), [2026]),
        (D(2026, 10, 31), [2026]),
        (D(2026, 11, 1), [2026, 2027]),
        (D(2026, 12, 31), [2026, 2027]),
    ],
)
def test_next_years_schedule_is_expected_from_november_on(today: dt.date, years: list[int]) -> None:
    assert years_to_check(today) == years


def test_missing_years_lists_only_the_years_without_data() -> None:
    calendar = WorkdayCalendar(complete_years=[2028])
    assert calendar.missing_years([2026, 2027, 2028]) == [2027]
