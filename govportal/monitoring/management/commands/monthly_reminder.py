"""python manage.py monthly_reminder [--month YYYY-MM]: 月单独提醒 (第二十二条(一)).

Each unit with open work orders or columns due within the month gets one reminder by mail (and
in the admin); a unit already reminded for the month is skipped, so it is safe to run twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from govportal.monitoring.supervision import monthly_reminders_send


class Command(BaseCommand):
    help = "月单独提醒：向各单位发送未整改工单和本月到期栏目的提醒（每单位每月一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="提醒月份（YYYY-MM），默认本月")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["month"]:
            try:
                month = dt.date.fromisoformat(f"{options['month']}-01")
            except ValueError as error:
                raise CommandError(f"月份无效：{options['month']!r}，应为 YYYY-MM。") from error
        else:
            month = timezone.localdate().replace(day=1)
        reminders = monthly_reminders_send(month=month)
        unsent = [r for r in reminders if r.sent_at is None]
        self.stdout.write(
            f"{month:%Y年%m月}月度提醒：本次生成 {len(reminders)} 份"
            + (f"，其中 {len(unsent)} 份邮件发送失败，下次运行时重试" if unsent else "")
            + "。"
        )
