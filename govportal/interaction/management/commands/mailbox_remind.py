"""manage.py mailbox_remind: reminders one working day before the due date, escalation when
overdue (第十三条). Safe to run twice; run it every hour from cron (docs/mailbox.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from govportal.interaction.mailbox.reminders import mailbox_remind


class Command(BaseCommand):
    help = "区长信箱：到期前一个工作日提醒承办单位，超期留言督办（可重复运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", help="按此时间运行（ISO 格式，如 2026-10-12T09:00），用于补跑或测试。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options.get("now"):
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(
                    f"时间格式不正确：{options['now']}（示例 2026-10-12T09:00）"
                ) from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        result = mailbox_remind(now=now)
        for problem in result.problems:
            self.stderr.write(f"期限无法计算：{problem}")
        self.stdout.write(
            f"补算期限 {result.due_dates} 条，到期提醒 {result.reminded} 条，超期督办 {result.escalated} 条。"
        )
