"""The working-day calendar from the database: entries, caching, admin screens, the warning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from govportal.accounts.models import User
from govportal.core.models import CalendarDay, CalendarDayKind, CalendarYear
from govportal.core.models.calendar import workday_calendar, workday_calendar_reset
from govportal.lib.workdays import CalendarDataMissing
from govportal.testing import Portal, UserFactory

D = dt.date
BEIJING = ZoneInfo("Asia/Shanghai")
ADD_URL = "/admin/snippets/core/calendaryear/add/"
MISSING_2027 = "2027 年的节假日安排尚未录入"


@pytest.fixture(autouse=True)
def fresh_calendar() -> Iterator[None]:
    # The cached calendar outlives a test's rolled-back transaction: start and end clean.
    workday_calendar_reset()
    yield
    workday_calendar_reset()


def year_2027(*, complete: bool = True) -> CalendarYear:
    """An illustrative start of 2027 (not the State Council's schedule): 元旦 on Fri 1/1."""
    year = CalendarYear.objects.create(year=2027, complete=complete, source="测试用安排")
    CalendarDay.objects.create(
        calendar_year=year, date=D(2027, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦"
    )
    CalendarDay.objects.create(
        calendar_year=year, date=D(2027, 2, 20), kind=CalendarDayKind.MAKEUP, name="春节"
    )
    return year


@pytest.fixture
def admin_client(db: None) -> tuple[Client, User]:
    user = UserFactory.create(username="calendar_admin", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    return client, user


# --- the calendar built from the table --------------------------------------------------------


@pytest.mark.django_db
def test_with_an_empty_table_2026_deadlines_come_from_the_library() -> None:
    assert workday_calendar().add(D(2026, 9, 18), 5) == D(2026, 9, 24)


@pytest.mark.django_db
def test_with_an_empty_table_a_2027_deadline_raises_calendar_data_missing() -> None:
    with pytest.raises(CalendarDataMissing, match=MISSING_2027):
        workday_calendar().add(D(2027, 3, 1), 5)


@pytest.mark.django_db
def test_entered_2027_days_count_only_once_the_year_is_marked_complete() -> None:
    year = year_2027(complete=False)
    with pytest.raises(CalendarDataMissing):
        workday_calendar().add(D(2026, 12, 21), 20)

    year.complete = True
    year.save()
    calendar = workday_calendar()
    # Dec: 8 working days after 12/21; 1/1 off; 1/4–1/15 are 10 more; then 1/18, 1/19.
    assert calendar.add(D(2026, 12, 21), 20) == D(2027, 1, 19)
    assert calendar.is_workday(D(2027, 2, 20))  # the Saturday entered as 上班


@pytest.mark.django_db
def test_with_the_shared_cache_down_deadlines_still_come_out_and_this_process_sees_its_edits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def down(*_args: object, **_kwargs: object) -> None:
        raise ConnectionError("the shared cache is down")

    for method in ("get", "add", "set"):
        monkeypatch.setattr(caches["shared"], method, down)
    assert workday_calendar().add(D(2026, 9, 18), 5) == D(2026, 9, 24)
    year = CalendarYear.objects.create(year=2026)
    CalendarDay.objects.create(
        calendar_year=year, date=D(2026, 9, 24), kind=CalendarDayKind.HOLIDAY, name="临时放假"
    )  # the save resets this process's calendar, though it cannot tell the others
    assert workday_calendar().add(D(2026, 9, 18), 5) == D(2026, 9, 28)


@pytest.mark.django_db
def test_a_holiday_entered_for_a_library_year_wins_over_the_library() -> None:
    year = CalendarYear.objects.create(year=2026)  # no complete mark needed: the library knows 2026
    assert workday_calendar().is_workday(D(2026, 9, 24))
    day = CalendarDay.objects.create(
        calendar_year=year, date=D(2026, 9, 24), kind=CalendarDayKind.HOLIDAY, name="临时放假"
    )
    assert not workday_calendar().is_workday(D(2026, 9, 24))
    assert workday_calendar().add(D(2026, 9, 18), 5) == D(2026, 9, 28)

    day.delete()
    assert workday_calendar().add(D(2026, 9, 18), 5) == D(2026, 9, 24)


@pytest.mark.django_db
def test_a_working_day_entered_for_a_library_holiday_wins_over_the_library() -> None:
    year = CalendarYear.objects.create(year=2026)
    CalendarDay.objects.create(calendar_year=year, date=D(2026, 10, 7), kind=CalendarDayKind.MAKEUP)
    assert workday_calendar().add(D(2026, 9, 30), 1) == D(2026, 10, 7)


@pytest.mark.django_db
def test_the_calendar_is_reused_until_an_entry_changes() -> None:
    first = workday_calendar()
    assert workday_calendar() is first
    year_2027()
    assert workday_calendar() is not first


@pytest.mark.django_db
def test_deleting_a_complete_year_makes_its_deadlines_fail_again() -> None:
    year = year_2027()
    assert workday_calendar().add(D(2027, 1, 4), 1) == D(2027, 1, 5)
    year.delete()
    assert not CalendarDay.objects.exists()
    with pytest.raises(CalendarDataMissing):
        workday_calendar().add(D(2027, 1, 4), 1)


@pytest.mark.django_db
def test_a_day_outside_its_year_is_refused_by_validation() -> None:
    year = CalendarYear.objects.create(year=2027)
    day = CalendarDay(calendar_year=year, date=D(2026, 12, 31), kind=CalendarDayKind.HOLIDAY)
    with pytest.raises(ValidationError, match="不在 2027 年内"):
        day.full_clean()


# --- admin screens ------------------------------------------------------------------------------


def year_form(*, year: int, complete: bool, days: list[dict[str, str]]) -> dict[str, object]:
    return nested_form_data(
        {
            "year": str(year),
            "complete": "on" if complete else "",
            "source": f"国务院办公厅关于{year}年部分节假日安排的通知",
            "days": inline_formset(days),
        }
    )


def test_the_office_enters_a_year_with_its_days_in_one_screen(
    admin_client: tuple[Client, User],
) -> None:
    client, user = admin_client
    response = client.post(
        ADD_URL,
        year_form(
            year=2027,
            complete=True,
            days=[
                {"date": "2027-01-01", "kind": "holiday", "name": "元旦", "note": ""},
                {"date": "2027-02-20", "kind": "makeup", "name": "春节", "note": "周六上班"},
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2027)
    assert year.entered_by == user
    assert sorted(year.days.values_list("date", "kind")) == [
        (D(2027, 1, 1), "holiday"),
        (D(2027, 2, 20), "makeup"),
    ]
    assert workday_calendar().add(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_a_year_marked_complete_without_any_holiday_is_refused(
    admin_client: tuple[Client, User],
) -> None:
    client, _ = admin_client
    response = client.post(ADD_URL, year_form(year=2027, complete=True, days=[]))
    assert response.status_code == 200
    assert "尚未录入任何放假日期" in response.content.decode()
    assert not CalendarYear.objects.exists()


def test_a_day_from_another_year_is_refused_in_the_admin(
    admin_client: tuple[Client, User],
) -> None:
    client, _ = admin_client
    response = client.post(
        ADD_URL,
        year_form(
            year=2027,
            complete=False,
            days=[{"date": "2028-01-01", "kind": "holiday", "name": "元旦", "note": ""}],
        ),
    )
    assert response.status_code == 200
    assert "不在 2027 年内" in response.content.decode()
    assert not CalendarYear.objects.exists()


def test_the_calendar_lists_show_entries_in_chinese(admin_client: tuple[Client, User]) -> None:
    client, _ = admin_client
    year_2027()
    years = client.get("/admin/snippets/core/calendaryear/")
    assert years.status_code == 200
    assert "全年已录入完整" in years.content.decode()
    days = client.get("/admin/snippets/core/calendarday/?kind=makeup")
    assert days.status_code == 200
    body = days.content.decode()
    assert "2027-02-20" in body or "2027年2月20日" in body
    assert "元旦" not in body


def test_a_single_day_added_from_the_day_list_is_checked_against_its_year(
    admin_client: tuple[Client, User],
) -> None:
    client, _ = admin_client
    year = year_2027()
    url = "/admin/snippets/core/calendarday/add/"
    fields = {"calendar_year": str(year.pk), "kind": "holiday", "name": "春节", "note": ""}

    refused = client.post(url, {**fields, "date": "2028-02-05"})
    assert refused.status_code == 200
    assert "不在 2027 年内" in refused.content.decode()

    added = client.post(url, {**fields, "date": "2027-02-05"})
    assert added.status_code == 302
    assert not workday_calendar().is_workday(D(2027, 2, 5))


# --- the dashboard warning ------------------------------------------------------------------------


def dashboard(user: User, when: dt.date) -> str:
    """The admin home page as `user` sees it at 10:00 Beijing time on `when`."""
    moment = dt.datetime(when.year, when.month, when.day, 10, 0, tzinfo=BEIJING)
    with time_machine.travel(moment, tick=False):
        client = Client()
        client.force_login(user)
        response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_from_november_the_dashboard_warns_that_next_years_schedule_is_missing(
    admin_client: tuple[Client, User],
) -> None:
    _, user = admin_client
    body = dashboard(user, D(2026, 11, 26))
    assert MISSING_2027 in body
    assert ADD_URL in body


def test_before_november_the_dashboard_does_not_ask_for_next_year(
    admin_client: tuple[Client, User],
) -> None:
    _, user = admin_client
    assert "节假日安排尚未录入" not in dashboard(user, D(2026, 10, 31))


def test_the_warning_goes_away_once_next_year_is_complete(
    admin_client: tuple[Client, User],
) -> None:
    _, user = admin_client
    year_2027()
    assert "节假日安排尚未录入" not in dashboard(user, D(2026, 11, 26))


def test_a_missing_current_year_is_named_in_the_warning(
    admin_client: tuple[Client, User],
) -> None:
    _, user = admin_client
    assert MISSING_2027 in dashboard(user, D(2027, 3, 1))


def test_staff_who_cannot_enter_the_calendar_are_told_whom_to_ask(portal: Portal) -> None:
    body = dashboard(portal.editor_a, D(2026, 11, 26))
    assert MISSING_2027 in body
    assert ADD_URL not in body
    assert "请联系网站承办单位" in body
