"""Admin screens for the working-day calendar, and the dashboard warning when a year is missing.

Registered from `core/wagtail_hooks.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from govportal.core.models.calendar import CalendarDay, CalendarYear, workday_calendar
from govportal.lib.workdays import years_to_check


class CalendarYearViewSet(SnippetViewSet):
    model = CalendarYear
    icon = "date"
    menu_label = "年度节假日安排"
    list_display = [
        Column("year", label="年份", sort_key="year"),
        BooleanColumn("complete", label="全年已录入完整"),
        Column("source", label="依据"),
        Column("entered_by", label="录入人"),
        Column("entered_at", label="录入时间", sort_key="entered_at"),
    ]
    ordering = ["-year"]


class CalendarDayViewSet(SnippetViewSet):
    model = CalendarDay
    icon = "calendar-alt"
    menu_label = "放假与上班日期"
    list_display = ["date", "kind", "name", "note", "calendar_year"]
    list_filter = ["kind", "calendar_year"]
    search_fields = ["name", "note"]
    ordering = ["-date"]


class WorkdayCalendarViewSetGroup(SnippetViewSetGroup):
    items = (CalendarYearViewSet, CalendarDayViewSet)
    menu_label = "工作日历"
    menu_icon = "date"
    menu_name = "workday-calendar"
    menu_order = 220
    add_to_admin_menu = True


class CalendarMissingPanel(Component):
    """Says loudly that deadlines cannot be computed in a year the calendar has no data for."""

    name = "workday_calendar_missing"
    order = 10  # above Wagtail's own panels
    template_name = "core/admin/calendar_warning_panel.html"

    def __init__(self, years: list[int], add_url: str | None) -> None:
        self.years = years
        self.add_url = add_url

    def get_context_data(self, parent_context: Mapping[str, Any] | None) -> dict[str, Any]:
        return {
            "years": self.years,
            "years_label": "、".join(str(year) for year in self.years),
            "add_url": self.add_url,
        }


def calendar_missing_years() -> list[int]:
    """This year, and from November on next year, when the calendar has no data for them."""
    return workday_calendar().missing_years(years_to_check(timezone.localdate()))


def construct_homepage_panels(request: HttpRequest, panels: list[Any]) -> None:
    years = calendar_missing_years()
    if not years:
        return
    add_url = None
    if request.user.has_perm("core.add_calendaryear"):
        add_url = reverse(CalendarYear.snippet_viewset.get_url_name("add"))  # type: ignore[attr-defined]
    panels.append(CalendarMissingPanel(years, add_url))
