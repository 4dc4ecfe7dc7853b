"""python manage.py check_integrity [--site HOST] [--base-url URL | --in-process] [--no-elements]

防篡改 (第十八条): fetch every live page of each hosted site and compare it with what the page
published; a difference no publication explains raises a critical alert (stored, shown in the
admin, e-mailed to the operator and the security admin). Also checks the page elements (footer
identifiers, 找错 entry, search, site map) unless --no-elements. Safe to run twice: a page has
at most one open alert. Exits 0 whenever it ran, whatever it found.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from wagtail.models import Site

from govportal.monitoring.integrity import ELEMENT_LABELS, elements_check, integrity_check

SHOWN = 20  # pages listed by name; the rest are counted


class Command(BaseCommand):
    help = "防篡改检查：比对线上页面与已发布版本，并检查页面要素。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", help="只检查这个站点（主机名）")
        parser.add_argument(
            "--base-url",
            help="从这个地址访问页面（默认取站点的可用性探测目标，未配置则进程内渲染）",
        )
        parser.add_argument(
            "--in-process", action="store_true", help="不经网络，在进程内渲染页面后比对"
        )
        parser.add_argument("--timeout", type=float, default=15.0, help="每个页面的超时秒数")
        parser.add_argument("--no-elements", action="store_true", help="不检查页面要素")

    def handle(self, *args: Any, **options: Any) -> None:
        sites = Site.objects.select_related("root_page").order_by("hostname")
        if options["site"]:
            sites = sites.filter(hostname=options["site"])
            if not sites.exists():
                raise CommandError(f"没有主机名为 {options['site']!r} 的站点。")
        if options["timeout"] <= 0:
            raise CommandError("超时秒数应大于 0。")
        today = timezone.localdate()
        base_url = "" if options["in_process"] else options["base_url"]
        for site in sites:
            report = integrity_check(site=site, base_url=base_url, timeout=options["timeout"])
            check = report.check
            self.stdout.write(
                f"{site.hostname}（{check.base_url or '进程内渲染'}）：检查 {check.pages} 个页面，"
                f"一致 {check.matched}，新发布或相关内容更新 {check.rebaselined}，"
                f"无法访问 {check.unreachable}，新告警 {check.alerts}。"
            )
            for alert in report.new_alerts:
                self.stdout.write(
                    f"  告警：{alert.page_title} {alert.url}（{alert.get_kind_display()}）"
                )
            failed = [o for o in report.outcomes if o.result in ("unreachable", "render_failed")]
            for outcome in failed[:SHOWN]:
                self.stdout.write(f"  无法检查：{outcome.url}（{outcome.detail}）")
            if len(failed) > SHOWN:
                self.stdout.write(f"  ……另有 {len(failed) - SHOWN} 个页面无法检查。")
            if options["no_elements"]:
                continue
            elements = elements_check(
                site=site, today=today, base_url=base_url, timeout=options["timeout"]
            )
            for page in elements.pages:
                if page["missing"] or page.get("problem"):
                    missing = "、".join(ELEMENT_LABELS.get(k, k) for k in page["missing"])
                    self.stdout.write(
                        f"  页面要素：{page['url']} {page.get('problem') or '缺少 ' + missing}"
                    )
            self.stdout.write(
                f"  搜索：{elements.search_detail}  网站地图：{elements.site_map_detail}"
            )
