"""python manage.py probe_availability: one visit of each active probe target's home page.

Meant for cron or the worker every N minutes (every 30 minutes gives 48 visits a day, well over
the 20 a day that 国办秘函〔2019〕19号 requires). Safe to run at any time: each run adds one record
per target. Exits 0 whenever it ran, whatever it found.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govportal.lib.crawl.fetch import ERROR_LABELS
from govportal.monitoring.integrity import probe_availability


class Command(BaseCommand):
    help = "访问每个可用性探测目标的首页一次并记录结果（供定时任务每隔 N 分钟运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--timeout", type=float, help="超时秒数，默认取“站点无法访问”指标的阈值（15 秒）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        timeout = options["timeout"]
        if timeout is not None and timeout <= 0:
            raise CommandError("超时秒数应大于 0。")
        probes = probe_availability(timeout=timeout)
        if not probes:
            self.stdout.write("没有启用的可用性探测目标，未探测。")
            return
        for probe in probes:
            if probe.ok:
                state = f"成功（HTTP {probe.status_code}，{probe.elapsed_ms} 毫秒）"
            else:
                problem = ERROR_LABELS.get(probe.error, "") or f"HTTP {probe.status_code}"
                state = f"失败（{problem}）"
            self.stdout.write(f"{probe.target.name} {probe.target.base_url}：{state}")
