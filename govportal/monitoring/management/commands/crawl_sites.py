"""python manage.py crawl_sites: the nightly crawl of every hosted site (Wagtail Site) and of
the other sites the operator lists (可用性探测目标 without a hosted site: department sites
elsewhere), stored for the daily check's broken-link indicators (扣分“首页断链”“其他页面断链”)
and its content scan.

Safe to run twice: a site already crawled to the end today is skipped, an unfinished run of
today is resumed. Exits 0 whenever it ran, whatever it found."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from wagtail.models import Site

from govportal.monitoring.crawling import broken_links, crawl_site_nightly
from govportal.monitoring.models import CrawlRun, ProbeTarget


class Command(BaseCommand):
    help = "夜间抓取全部网站，检查断链，供日监测读网使用（同一天重复运行不会重复抓取）。"

    def handle(self, *args: Any, **options: Any) -> None:
        for site in Site.objects.order_by("id"):
            self._report(*crawl_site_nightly(site=site))
        external = ProbeTarget.objects.filter(active=True, site__isnull=True).order_by("id")
        for target in external:
            self._report(*crawl_site_nightly(start_url=target.base_url))

    def _report(self, run: CrawlRun, worked: bool) -> None:
        if not worked:
            self.stdout.write(f"{run.start_url} 今天已抓取完成，跳过。")
            return
        self.stdout.write(
            f"{run.start_url} 抓取{run.get_state_display()}：地址 {run.pages.count()} 个，"
            f"断链 {len(broken_links(run))} 条。"
        )
