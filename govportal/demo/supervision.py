"""Demo data for supervision: the first daily check (日监测读网) of the demo district.

It judges everything the earlier parts built (columns, articles, messages …), so the dashboard
has a verdict and the planted faults (demo/columns.py STALE_COLUMNS and EMPTY_COLUMNS, the
mailbox's unanswered message, demo/links.py's broken links) are work orders waiting at the
units responsible for them. The check reads the newest finished crawl, so the site is crawled
first; no server is up yet, so the crawl goes through Django in this process.
Called from builder._build, last.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from govportal.demo.builder import DemoWorld


def load(world: DemoWorld) -> None:
    import time

    from wagtail.models import Site

    from govportal.monitoring.crawling import broken_links, crawl_in_process
    from govportal.monitoring.supervision import daily_check

    if world.crawl:
        started = time.monotonic()
        crawl = crawl_in_process(site=Site.objects.get(is_default_site=True))
        pages = crawl.pages.count()
        world.log(
            f"网站抓取（进程内）: {pages} 个地址，断链 {len(broken_links(crawl))} 条，"
            f"用时 {time.monotonic() - started:.1f} 秒"
        )
    else:
        world.log("网站抓取: 跳过（--no-crawl），断链指标未测")
    today = timezone.localdate(world.now)
    run, sync = daily_check(today=today, now=world.now)
    vetoes = "、".join(run.summary.get("vetoes", [])) or "无"
    world.log(f"日监测读网: {run.verdict_label}（单项否决: {vetoes}），工单 {len(sync.opened)} 个")


def remove() -> None:
    """Delete the supervision records of the demo site (demo_remove only): they are about pages
    and units that go with it."""
    from govportal.monitoring.models import (
        AccountabilityMeasure,
        CheckRun,
        CrawlRun,
        UnitReminder,
        WorkOrder,
    )

    AccountabilityMeasure.objects.all().delete()
    WorkOrder.objects.all().delete()
    UnitReminder.objects.all().delete()
    CheckRun.objects.all().delete()
    CrawlRun.objects.all().delete()
