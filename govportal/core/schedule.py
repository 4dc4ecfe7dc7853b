"""The periodic jobs and when each is due. `manage.py run_schedule` runs them (make run starts it
next to the web server and the worker); a scaled deployment runs it on one machine, or puts the
same commands in cron (docs/operations.md).

Every job is a management command that is safe to run twice, so a restart that runs a job again
early does no harm; the schedule only keeps them from running far more often than needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    """A management command run every `every`, or daily at `at` (local time), or monthly on
    `day` at `at`."""

    command: str
    label: str
    every: dt.timedelta | None = None
    at: dt.time | None = None
    day: int | None = None
    args: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (self.every is None) == (self.at is None):
            raise ValueError(f"{self.command}: give either `every` or `at`")
        if self.day is not None and (self.at is None or not 1 <= self.day <= 28):
            raise ValueError(f"{self.command}: a monthly job needs `at` and a day from 1 to 28")


MINUTE = dt.timedelta(minutes=1)

JOBS: tuple[Job, ...] = (
    Job("publish_scheduled", "定时发布", every=MINUTE),
    # 站点无法访问: the national indicator samples the home page at least 20 times a day.
    Job("probe_availability", "首页可用性探测", every=60 * MINUTE),
    # 第十八条: tampered pages are found within the hour.
    Job("check_integrity", "网页防篡改比对", every=60 * MINUTE),
    # 第十三条: a reminder one working day before a message is due, escalation when overdue.
    Job("mailbox_remind", "信箱到期提醒与督办", every=15 * MINUTE),
    # The broken-link indicators read each site's newest finished crawl: the night's crawls are
    # handed to the db_workers at 22:00, well before the daily check (issue 6: a hundred sites
    # in one night, shared by every worker).
    Job("crawl_sites", "夜间网站抓取（断链、内容检查）", at=dt.time(22, 0), args=("--enqueue",)),
    # 第二十二条: 日监测读网 every day, 月单独提醒 every month.
    Job("daily_check", "日监测读网", at=dt.time(2, 30)),
    Job("monthly_reminder", "月单独提醒", at=dt.time(8, 30), day=1),
)


def last_due_moment(job: Job, now: dt.datetime) -> dt.datetime | None:
    """The latest moment at or before `now` at which a daily or monthly job was due."""
    if job.at is None:
        return None
    moment = now.replace(hour=job.at.hour, minute=job.at.minute, second=0, microsecond=0)
    if job.day is None:
        return moment if moment <= now else moment - dt.timedelta(days=1)
    moment = moment.replace(day=job.day)
    if moment > now:
        # The same day of the previous month (day ≤ 28 exists in every month).
        previous = moment.replace(day=1) - dt.timedelta(days=1)
        moment = moment.replace(year=previous.year, month=previous.month)
    return moment


def is_due(job: Job, *, last_run: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether the job should start now, given when it last started (None: not since start-up).

    A job never run since start-up runs at once: its last due moment may have passed while the
    scheduler was stopped, and the commands are safe to run twice.
    """
    if last_run is None:
        return True
    if job.every is not None:
        return now - last_run >= job.every
    moment = last_due_moment(job, now)
    return moment is not None and last_run < moment
