"""Working days (工作日): Monday–Friday, minus statutory holidays, plus makeup working days (调休).

Pure: no Django here. The calendar is built from the `chinesecalendar` data for the years that
library knows, and from overrides (holidays and makeup days entered by the office) that take
precedence and cover the years the library does not know yet. `core.models.calendar` builds one
from the database; tests build one directly.

Counting follows 民法典 第二百零一条: "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算",
and 行政许可法 第八十二条: "期限以工作日计算，不含法定节假日". A makeup day (a Saturday or Sunday the
State Council declares a working day) counts as a working day, as government offices work on it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)


class DayKind(StrEnum):
    HOLIDAY = "holiday"  # 放假: a day off, even when it is a Monday–Friday
    MAKEUP = "makeup"  # 补班 (调休): a day worked, even when it is a Saturday or Sunday


@dataclass(frozen=True)
class DayOverride:
    """One day whose status the office has entered; it wins over the library and the weekday."""

    date: dt.date
    kind: DayKind
    name: str = ""


class CalendarDataMissing(LookupError):
    """A year has no holiday schedule: counting working days in it would be a guess."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year} 年的节假日安排尚未录入，无法计算工作日期限，请在后台录入当年放假安排"
        )


@cache
def _library_workdays(year: int) -> frozenset[dt.date] | None:
    """The working days of a year according to `chinesecalendar`, or None if it lacks the year."""
    day = dt.date(year, 1, 1)
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:  # the library's way of saying "no data for this year"
        return None
    days = set()
    while day.year == year:
        if chinese_calendar.is_workday(day):
            days.add(day)
        day += ONE_DAY
    return frozenset(days)


def library_covers(year: int) -> bool:
    return _library_workdays(year) is not None


def years_to_check(today: dt.date) -> list[int]:
    """The years whose schedule must be on file by `today`.

    The current year always; from November on also the next one, because the State Council
    publishes next year's schedule in November and deadlines started in December run into it.
    """
    if today.month >= 11:
        return [today.year, today.year + 1]
    return [today.year]


def _as_date(value: dt.date) -> dt.date:
    # A datetime is a date too, but comparing one with dates fails, and its calendar day depends
    # on the time zone: the caller converts a receipt time to a Beijing date first.
    if isinstance(value, dt.datetime):
        raise TypeError("pass a local date (timezone.localdate(value)), not a datetime")
    return value


class WorkdayCalendar:
    """Answers whether a day is a working day and counts working days, year by year.

    Each year's working days are computed once, on first use, into a sorted tuple: `add` and
    `between` are then two binary searches per year crossed.
    """

    def __init__(
        self,
        overrides: Iterable[DayOverride] = (),
        complete_years: Iterable[int] = (),
        *,
        use_library: bool = True,
    ) -> None:
        self._overrides: dict[int, dict[dt.date, DayKind]] = defaultdict(dict)
        for override in overrides:
            self._overrides[override.date.year][override.date] = DayKind(override.kind)
        # A year is only known from the overrides when the office has marked it complete:
        # "no holiday entered yet" must never be read as "no holidays that year".
        self._complete_years = frozenset(complete_years)
        self._use_library = use_library
        self._years: dict[int, tuple[dt.date, ...]] = {}

    def covers(self, year: int) -> bool:
        return year in self._complete_years or (self._use_library and library_covers(year))

    def missing_years(self, years: Iterable[int]) -> list[int]:
        return [year for year in years if not self.covers(year)]

    def _workdays(self, year: int) -> tuple[dt.date, ...]:
        days = self._years.get(year)
        if days is None:
            days = self._build_year(year)
            self._years[year] = days
        return days

    def _build_year(self, year: int) -> tuple[dt.date, ...]:
        base = _library_workdays(year) if self._use_library else None
        if base is None:
            if year not in self._complete_years:
                raise CalendarDataMissing(year)
            base = frozenset(_weekdays(year))
        days = set(base)
        for day, kind in self._overrides.get(year, {}).items():
            if kind == DayKind.MAKEUP:
                days.add(day)
            else:
                days.discard(day)
        return tuple(sorted(days))

    def is_workday(self, day: dt.date) -> bool:
        day = _as_date(day)
        days = self._workdays(day.year)
        i = bisect.bisect_left(days, day)
        return i < len(days) and days[i] == day

    def add(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start`; `start` itself is not counted (民法典 第二百零一条).

        A message received on 2026-09-18 with 5 working days to reply is due on 2026-09-24.
        """
        start = _as_date(start)
        if n < 0:
            raise ValueError(f"工作日数不能为负数（收到 {n}）")
        if n == 0:
            return start
        remaining = n
        year = start.year
        days = self._workdays(year)
        i = bisect.bisect_right(days, start)
        while remaining > len(days) - i:
            remaining -= len(days) - i
            year += 1
            days = self._workdays(year)
            i = 0
        return days[i + remaining - 1]

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is earlier.

        `add(a, n) == b` implies `between(a, b) == n`. `between(today, due)` is what is left
        before a deadline; `between(due, today)` how many working days it is overdue.
        """
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return -self.between(end, start)
        total = 0
        for year in range((start + ONE_DAY).year, end.year + 1):
            days = self._workdays(year)
            total += bisect.bisect_right(days, end) - bisect.bisect_right(days, start)
        return total


def _weekdays(year: int) -> Iterable[dt.date]:
    day = dt.date(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5:
            yield day
        day += ONE_DAY
