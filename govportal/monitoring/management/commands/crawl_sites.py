"""python manage.py crawl_sites: the nightly crawl of every hosted site (Wagtail Site) and of
the other sites the operator lists (可用性探测目标 without a hosted site: department sites
elsewhere), stored for the daily check's broken-link indicators (扣分“首页断链”“其他页面断链”)
and its content scan.

With --enqueue each site becomes a task (`crawl_site_tonight`) for the db_worker processes, so
a hundred sites are shared by every worker on every machine; the scheduler runs it so at 22:00.
Safe to run twice: a site already crawled to the end today is skipped, an unfinished run of
today is resumed. Exits 0 whenever it ran, whatever it found."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from wagtail.models import Site

from govportal.monitoring.crawling import FULL_REASON, broken_links, crawl_site_nightly
from govportal.monitoring.models import CrawlRun, ProbeTarget
from govportal.monitoring.tasks import crawl_site_tonight


class Command(BaseCommand):
    help = "夜间抓取全部网站，检查断链，供日监测读网使用（同一天重复运行不会重复抓取）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="每个网站交给后台任务（db_worker）抓取，多台机器上的多个进程共同完成。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        targets: list[tuple[Site | None, str | None]] = [
            (site, None) for site in Site.objects.order_by("id")
        ]
        external = ProbeTarget.objects.filter(active=True, site__isnull=True).order_by("id")
        targets += [(None, target.base_url) for target in external]
        for site, start_url in targets:
            if options["enqueue"]:
                crawl_site_tonight.enqueue(site_id=site.pk if site else None, start_url=start_url)
                address = start_url if site is None else site.root_url + "/"
                self.stdout.write(f"{address} 已交给后台任务抓取。")
                continue
            self._report(*crawl_site_nightly(site=site, start_url=start_url))

    def _report(self, run: CrawlRun, worked: bool) -> None:
        if not worked:
            self.stdout.write(f"{run.start_url} 今天已抓取完成，跳过。")
            return
        # Full or incremental, and why a full one (crawling.nightly_mode).
        mode = run.get_mode_display() + (
            f"，{run.config[FULL_REASON]}" if run.config.get(FULL_REASON) else ""
        )
        self.stdout.write(
            f"{run.start_url} 抓取{run.get_state_display()}（{mode}）：地址 {run.pages.count()} 个，"
            f"断链 {len(broken_links(run))} 条。"
        )
