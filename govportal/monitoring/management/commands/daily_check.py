"""python manage.py daily_check [--date YYYY-MM-DD]: 日监测读网 (第二十一条(四), 第二十二条(一)).

Runs every active indicator, stores the measurements, opens, verifies and reopens the work orders
and writes the day's duty log (值班读网记录). Safe to run twice for a date: the second run replaces
that day's measurements and finds the same orders. Exits 0 whenever it ran."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from govportal.monitoring.indicators import DEFAULT_EDITION
from govportal.monitoring.supervision import daily_check


class Command(BaseCommand):
    help = "日监测读网：运行全部检查指标，保存监测结果，生成或核验工单，写入值班读网记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="监测日期（YYYY-MM-DD），默认今天")
        parser.add_argument("--edition", default=DEFAULT_EDITION, help="指标版本")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"日期无效：{options['date']!r}，应为 YYYY-MM-DD。") from error
        else:
            today = timezone.localdate()
        run, sync = daily_check(today=today, edition=options["edition"])
        self.stdout.write(
            f"{today:%Y-%m-%d} 日监测读网完成：{run.verdict_label}"
            + ("" if run.score is None else f"（{run.score} 分）")
            + f"；新发现问题 {len(sync.opened)} 个，复查仍存在 {len(sync.still_open)} 个，"
            f"重新打开 {len(sync.reopened)} 个，核验已整改 {len(sync.verified)} 个。"
        )
