"""Background crawl jobs (django-tasks): one job per site starts the run and hands it to
``workers`` batch jobs, which any number of ``db_worker`` processes may pick up."""

from __future__ import annotations

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
def crawl_batch(run_id: int) -> int:
    run = CrawlRun.objects.get(pk=run_id)
    return crawling.crawl_run_work(run)
