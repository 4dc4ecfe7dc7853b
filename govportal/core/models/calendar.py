"""The working-day calendar's own data: each year's holidays and makeup days, entered by the office.

`chinesecalendar` knows the years up to its last release; the State Council publishes the next
year's schedule every November, and the office enters it here. Entries also override the library
for the years it knows (a correction, or a local decision). `workday_calendar()` builds the
calendar every deadline in the platform uses.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from govportal.lib.workdays import DayKind, DayOverride, WorkdayCalendar

logger = logging.getLogger(__name__)

CALENDAR_VERSION_KEY = "core:workday-calendar:version"
# Reading the version key costs a Redis round trip (about 0.3 ms); a list page computing fifty
# deadlines should not pay it fifty times. Other processes see a change this much later.
VERSION_CHECK_INTERVAL = 1.0
# The version key lives in the "shared" cache (Redis, or without it a file cache every process of
# the machine reads: settings.CACHES), so every process sees an office's edit. A safety net for
# edits no code path reports (a restored backup): a process rebuilds after this many seconds.
LOCAL_MAX_AGE = 300.0


class CalendarDayKind(models.TextChoices):
    HOLIDAY = DayKind.HOLIDAY.value, "放假"
    MAKEUP = DayKind.MAKEUP.value, "上班（调休补班）"


class CalendarYearForm(WagtailAdminModelForm):
    """Records who entered the schedule; refuses days outside the year, and a "complete" year
    without a single holiday."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if not valid:
            return False
        year = self.cleaned_data["year"]
        days = [
            form
            for form in self.formsets["days"].forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for form in days:
            date = form.cleaned_data["date"]
            if date.year != year:
                form.add_error("date", f"日期 {date:%Y-%m-%d} 不在 {year} 年内。")
                valid = False
        holidays = [form for form in days if form.cleaned_data["kind"] == CalendarDayKind.HOLIDAY]
        if self.cleaned_data.get("complete") and not holidays:
            self.add_error(
                "complete",
                "已勾选“全年已录入完整”，但尚未录入任何放假日期。请按国务院办公厅通知录入全部放假和上班日期后再勾选。",
            )
            valid = False
        return valid

    def save(self, commit: bool = True) -> Any:
        user = getattr(self, "for_user", None)
        if user is not None and user.is_authenticated:
            self.instance.entered_by = user
        return super().save(commit=commit)


class CalendarYear(ClusterableModel):
    """One year's holiday schedule (国务院办公厅关于某年部分节假日安排的通知)."""

    year = models.PositiveSmallIntegerField(
        "年份",
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    complete = models.BooleanField(
        "全年已录入完整",
        default=False,
        help_text="全年的放假和上班（调休）日期全部录入后再勾选。未勾选时，系统不会用本年数据计算工作日期限，以免把“尚未录入”当作“没有节假日”。",
    )
    source = models.CharField(
        "依据",
        max_length=200,
        blank=True,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="录入人",
        editable=False,
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    base_form_class = CalendarYearForm
    panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("year"), FieldPanel("complete")]), FieldPanel("source")],
            heading="年度",
        ),
        InlinePanel("days", heading="放假与上班日期", label="日期"),
    ]

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        state = "已录入完整" if self.complete else "未录入完整"
        return f"{self.year} 年节假日安排（{state}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)  # ClusterableModel saves the inline days here too
        workday_calendar_changed()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        result = super().delete(*args, **kwargs)
        workday_calendar_changed()
        return result


class CalendarDay(models.Model):
    """A day off or a day worked that differs from the plain Monday–Friday week."""

    calendar_year = ParentalKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name="年度"
    )
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField("节日", max_length=50, blank=True, help_text="如：春节、国庆节")
    note = models.CharField("备注", max_length=200, blank=True)

    panels = [
        FieldPanel("calendar_year"),  # left out by the year screen's inline panel
        FieldRowPanel([FieldPanel("date"), FieldPanel("kind"), FieldPanel("name")]),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = "放假或上班日期"
        verbose_name_plural = "放假与上班日期"
        ordering = ["date"]

    def __str__(self) -> str:
        label = CalendarDayKind(self.kind).label
        return f"{self.date:%Y-%m-%d} {self.name} {label}".replace("  ", " ")

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        workday_calendar_changed()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        result = super().delete(*args, **kwargs)
        workday_calendar_changed()
        return result

    def clean(self) -> None:
        super().clean()
        year = _parent_year(self)
        if self.date and year is not None and self.date.year != year:
            raise ValidationError({"date": f"日期 {self.date:%Y-%m-%d} 不在 {year} 年内。"})


def _parent_year(day: CalendarDay) -> int | None:
    # An inline day of a year being created has its (unsaved) parent attached but no id yet.
    try:
        return day.calendar_year.year
    except CalendarYear.DoesNotExist:
        return None


def workday_calendar_changed() -> None:
    """Make every process rebuild its calendar: now, and again when the transaction commits.

    The second bump covers a process that rebuilt between the first one and the commit, from the
    data as it was before. Bulk queryset updates and deletes bypass this: call it after them.
    """
    workday_calendar_reset()
    transaction.on_commit(workday_calendar_reset)


def workday_calendar_reset() -> None:
    """Make every process rebuild its calendar on its next use. Needs no database.

    Tests call it around each test: a test's rolled-back rows leave the version untouched.
    """
    global _memo
    _memo = None
    try:
        caches["shared"].set(CALENDAR_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # a cache outage: the others rebuild after LOCAL_MAX_AGE
        logger.warning("working-day calendar: shared cache unavailable", exc_info=True)


@dataclass
class _Memo:
    version: str | None  # None: built while the shared cache was down
    built_at: float
    checked_at: float
    calendar: WorkdayCalendar


_memo: _Memo | None = None


def workday_calendar() -> WorkdayCalendar:
    """The platform's working-day calendar: the library's data under the office's entries.

    Built once per process and reused until the entries change: this process sees its own
    changes at once, other processes within VERSION_CHECK_INTERVAL seconds. Raises nothing
    itself: asking it about a year without data raises `CalendarDataMissing`.
    """
    global _memo
    now = time.monotonic()
    memo = _memo
    if memo is not None and now - memo.checked_at < VERSION_CHECK_INTERVAL:
        return memo.calendar
    version = _shared_version()
    if memo is not None and memo.version == version and now - memo.built_at < LOCAL_MAX_AGE:
        memo.checked_at = now
        return memo.calendar
    calendar = _calendar_from_db()
    _memo = _Memo(version=version, built_at=now, checked_at=now, calendar=calendar)
    return calendar


def _shared_version() -> str | None:
    """The calendar's version in the shared cache; None when the cache is down, and then the
    deadlines still come out right: the memo is rebuilt by age (LOCAL_MAX_AGE) instead."""
    shared = caches["shared"]
    try:
        version = shared.get(CALENDAR_VERSION_KEY)
        if version is None:
            shared.add(CALENDAR_VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = shared.get(CALENDAR_VERSION_KEY)
    except Exception:
        logger.warning("working-day calendar: shared cache unavailable", exc_info=True)
        return None
    return None if version is None else str(version)


def _calendar_from_db() -> WorkdayCalendar:
    overrides = [
        DayOverride(date=date, kind=DayKind(kind), name=name)
        for date, kind, name in CalendarDay.objects.values_list("date", "kind", "name")
    ]
    complete_years = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return WorkdayCalendar(overrides, complete_years)
