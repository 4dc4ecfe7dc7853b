"""Background jobs (django-tasks): the crawl (one job per site starts the run and hands it to
``workers`` batch jobs, which any number of ``db_worker`` processes may pick up) and the daily
check and monthly reminder, which the scheduler may enqueue instead of running the commands."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from govportal.monitoring import crawling
from govportal.monitoring.models import CrawlRun


@task()
def crawl_site(
    start_url: str, mode: str = "full", workers: int = 2, config: dict | None = None
) -> int:
    run = crawling.crawl_run_start(start_url=start_url, mode=mode, config=config or {})
    for _ in range(workers):
        crawl_batch.enqueue(run.pk)
    return run.pk


@task()
def crawl_site_tonight(site_id: int | None = None, start_url: str | None = None) -> int:
    """One site's nightly crawl (``crawling.crawl_site_nightly``) for any db_worker, so that the
    sites of one night are shared by every worker on every machine; returns the run id."""
    from wagtail.models import Site

    site = Site.objects.get(pk=site_id) if site_id is not None else None
    run, _ = crawling.crawl_site_nightly(site=site, start_url=start_url)
    return run.pk


@task()
def crawl_batch(run_id: int) -> int:
    run = CrawlRun.objects.get(pk=run_id)
    return crawling.crawl_run_work(run)


@task()
def daily_check_run(date: str | None = None) -> int:
    """日监测读网 for `date` (YYYY-MM-DD; today by default); returns the CheckRun id."""
    from django.utils import timezone

    from govportal.monitoring.supervision import daily_check

    today = dt.date.fromisoformat(date) if date else timezone.localdate()
    run, _ = daily_check(today=today)
    return run.pk


@task()
def monthly_reminder_run(month: str | None = None) -> int:
    """月单独提醒 for `month` (YYYY-MM; this month by default); returns how many were sent."""
    from django.utils import timezone

    from govportal.monitoring.supervision import monthly_reminders_send

    start = dt.date.fromisoformat(f"{month}-01") if month else timezone.localdate().replace(day=1)
    return len(monthly_reminders_send(month=start))
