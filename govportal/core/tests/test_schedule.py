"""When the periodic jobs are due (core/schedule.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from govportal.core.schedule import Job, is_due, last_due_moment

HOURLY = Job("probe_availability", "探测", every=dt.timedelta(hours=1))
DAILY = Job("daily_check", "日监测", at=dt.time(2, 30))
MONTHLY = Job("monthly_reminder", "月提醒", at=dt.time(8, 30), day=1)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_every_job_runs_once_at_start_up() -> None:
    for job in (HOURLY, DAILY, MONTHLY):
        assert is_due(job, last_run=None, now=at("2026-11-26 10:00"))


def test_interval_job_waits_its_interval() -> None:
    assert not is_due(HOURLY, last_run=at("2026-11-26 10:00"), now=at("2026-11-26 10:59"))
    assert is_due(HOURLY, last_run=at("2026-11-26 10:00"), now=at("2026-11-26 11:00"))


def test_daily_job_runs_after_its_time_once_a_day() -> None:
    ran = at("2026-11-26 02:30")
    assert not is_due(DAILY, last_run=ran, now=at("2026-11-26 23:59"))
    assert not is_due(DAILY, last_run=ran, now=at("2026-11-27 02:29"))
    assert is_due(DAILY, last_run=ran, now=at("2026-11-27 02:30"))


def test_daily_job_missed_while_stopped_runs_when_the_scheduler_is_back() -> None:
    assert is_due(DAILY, last_run=at("2026-11-24 02:30"), now=at("2026-11-26 09:00"))


def test_monthly_job_is_due_on_its_day_and_not_again_that_month() -> None:
    assert last_due_moment(MONTHLY, at("2026-11-26 10:00")) == at("2026-11-01 08:30")
    assert last_due_moment(MONTHLY, at("2026-01-01 08:00")) == at("2025-12-01 08:30")
    assert not is_due(MONTHLY, last_run=at("2026-11-01 08:30"), now=at("2026-11-30 23:00"))
    assert is_due(MONTHLY, last_run=at("2026-11-01 08:30"), now=at("2026-12-01 08:30"))


def test_a_job_needs_exactly_one_kind_of_timing() -> None:
    with pytest.raises(ValueError, match="either"):
        Job("x", "x")
    with pytest.raises(ValueError, match="either"):
        Job("x", "x", every=dt.timedelta(hours=1), at=dt.time(1))
    with pytest.raises(ValueError, match="monthly"):
        Job("x", "x", at=dt.time(1), day=31)
