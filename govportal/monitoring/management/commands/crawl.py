"""python manage.py crawl URL [--max-pages N] [--json PATH] [--scan]: crawl any site, list broken
links; with ``--scan`` also run its pages and attachments through the content checks
(monitoring/content_scan.py) and list what they find (the JSON file stays the broken links).

Exits 0 whenever the crawl ran, whatever it found; only a bad address is an error.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govportal.checks.checkers.links import blocked_domains
from govportal.checks.engine import CheckContext
from govportal.lib.crawl import ERROR_LABELS, CrawlConfig, CrawlReport, crawl, normalize_url


class Command(BaseCommand):
    help = "抓取一个网站，检查其中的每个链接，列出断链（可写入 JSON 文件）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="起始地址（http:// 或 https://）")
        parser.add_argument("--max-pages", type=int, default=10_000, help="最多抓取的页面数")
        parser.add_argument("--json", dest="json_path", help="把断链写入这个 JSON 文件")
        parser.add_argument("--concurrency", type=int, default=32, help="同时进行的请求数")
        parser.add_argument("--per-host", type=int, default=8, help="每个主机同时进行的请求数")
        parser.add_argument("--rate", type=float, default=None, help="每个主机每秒最多请求数")
        parser.add_argument("--timeout", type=float, default=10.0, help="单次请求超时（秒）")
        parser.add_argument("--no-robots", action="store_true", help="不遵守 robots.txt")
        parser.add_argument("--no-external", action="store_true", help="不检查外部链接")
        parser.add_argument(
            "--scan",
            action="store_true",
            help="同时对本站页面和附件做内容检查（涉密标识、错敏词、个人隐私），列出发现的问题",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        url = normalize_url(options["url"])
        if url is None:
            raise CommandError(
                f"地址无效：{options['url']!r}。请给出 http:// 或 https:// 开头的网址。"
            )
        if options["max_pages"] < 1:
            raise CommandError("--max-pages 至少为 1。")
        config = CrawlConfig(
            max_pages=options["max_pages"],
            concurrency=options["concurrency"],
            per_host=options["per_host"],
            rate=options["rate"],
            timeout=options["timeout"],
            deadline=max(30.0, options["timeout"] * 3),
            respect_robots=not options["no_robots"],
            check_external=not options["no_external"],
            blocked_domains=blocked_domains(CheckContext()),
            scan_content=options["scan"],
        )
        started = time.monotonic()

        def progress(visited: int, known: int, broken: int) -> None:
            self.stderr.write(f"已检查 {visited}/{known} 个地址，发现问题 {broken} 个……")

        self.stdout.write(f"开始抓取 {url}")
        report = asyncio.run(crawl(url, config, on_progress=progress))
        broken = report.broken_links()
        if options["json_path"]:
            Path(options["json_path"]).write_text(
                json.dumps([b.as_json() for b in broken], ensure_ascii=False, indent=2),
                encoding="utf-8",
            )
        start = report.start_result()
        if start is not None and start.error:
            self.stdout.write(f"起始页面无法抓取：{ERROR_LABELS.get(start.error, start.error)}")
        elif start is not None and start.status and start.status >= 400:
            self.stdout.write(f"起始页面返回 HTTP {start.status}")
        reasons = Counter(
            ERROR_LABELS.get(b.error, b.error) if b.error else f"HTTP {b.status}" for b in broken
        )
        self.stdout.write(
            f"完成：抓取页面 {report.pages} 个，检查地址 {len(report.results)} 个，"
            f"链接 {len(report.links)} 条，断链 {len(broken)} 条，用时 {time.monotonic() - started:.1f} 秒。"
        )
        for reason, count in reasons.most_common():
            self.stdout.write(f"  {reason}：{count} 条")
        if options["json_path"]:
            self.stdout.write(f"断链清单已写入 {options['json_path']}")
        if options["scan"]:
            self._scan(report)

    def _scan(self, report: CrawlReport) -> None:
        from govportal.monitoring.content_scan import scan_body, scan_context

        context = scan_context(None)  # the platform's lexicon and published phone numbers
        scanned = 0
        lines = []
        blocking = 0
        for url, result in sorted(report.results.items()):
            if result.body is None:
                continue
            scan = scan_body(
                url=url,
                content_type=result.content_type,
                body=result.body,
                context=context,
                truncated=result.error == "too_large",
            )
            result.body = None  # done with it: a big site's bodies need not stay in memory
            scanned += 1
            for finding in scan.findings:
                blocking += finding.blocks
                label = "禁止" if finding.blocks else "提示"
                lines.append(f"  [{label}] {url}：{finding.message}（摘录：{finding.excerpt}）")
        self.stdout.write(
            f"内容检查：扫描页面和附件 {scanned} 个，发现问题 {len(lines)} 条，"
            f"其中禁止发布的 {blocking} 条。"
        )
        for line in lines:
            self.stdout.write(line)
