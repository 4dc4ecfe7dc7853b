"""Column freshness and next-due dates: pure functions of the dates, no database."""

import datetime as dt

import pytest

from govportal.core.freshness import add_months, is_stale, next_due, stale_cutoff

D = dt.date


def test_a_news_column_is_stale_after_two_weeks_without_an_update() -> None:
    today = D(2026, 11, 26)
    assert not is_stale(D(2026, 11, 12), 14, "day", today)
    assert is_stale(D(2026, 11, 11), 14, "day", today)


def test_a_notice_column_is_stale_after_six_months_counted_in_calendar_months() -> None:
    today = D(2026, 8, 31)
    assert stale_cutoff(today, 6, "month") == D(2026, 2, 28)
    assert not is_stale(D(2026, 2, 28), 6, "month", today)
    assert is_stale(D(2026, 2, 27), 6, "month", today)


def test_a_kind_without_a_freshness_class_is_never_stale_but_an_empty_column_with_one_is() -> None:
    today = D(2026, 11, 26)
    assert not is_stale(None, None, "day", today)
    assert not is_stale(D(2000, 1, 1), None, "day", today)
    assert is_stale(None, 12, "month", today)


def test_unknown_freshness_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown freshness unit"):
        stale_cutoff(D(2026, 1, 1), 3, "fortnight")


@pytest.mark.parametrize(
    ("frequency", "last", "due"),
    [
        ("daily", D(2026, 1, 30), D(2026, 1, 31)),
        ("weekly", D(2026, 1, 30), D(2026, 2, 6)),
        ("monthly", D(2026, 1, 31), D(2026, 2, 28)),
        ("quarterly", D(2026, 11, 30), D(2027, 2, 28)),
        ("yearly", D(2024, 2, 29), D(2025, 2, 28)),
    ],
)
def test_next_due_follows_the_promised_frequency(frequency: str, last: D, due: D) -> None:
    assert next_due(last, frequency, D(2026, 11, 26)) == due


def test_a_column_never_updated_is_due_today_unless_it_is_updated_as_needed() -> None:
    today = D(2026, 11, 26)
    assert next_due(None, "weekly", today) == today
    assert next_due(None, "as_needed", today) is None
    assert next_due(D(2026, 1, 1), "as_needed", today) is None


def test_add_months_clamps_to_the_end_of_a_shorter_month_and_goes_backwards() -> None:
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert add_months(D(2026, 1, 15), -13) == D(2024, 12, 15)
