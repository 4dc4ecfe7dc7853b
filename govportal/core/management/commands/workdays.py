"""Working days from the command line, for operators and scripts.

    python manage.py workdays add 2026-09-18 5        → 2026-09-24
    python manage.py workdays between 2026-09-18 2026-09-24   → 5

Only the answer goes to stdout; errors go to stderr with a non-zero exit code.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govportal.core.models.calendar import workday_calendar
from govportal.lib.workdays import CalendarDataMissing

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_date(value: str) -> dt.date:
    # fromisoformat alone would also take 20260918 and 2026-W38-5; scripts must send one form.
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"日期“{value}”无效，应为 YYYY-MM-DD 格式的真实日期，如 2026-09-18。"
        ) from None


def _parse_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise CommandError(f"工作日数“{value}”无效，应为不小于 0 的整数。") from None
    if count < 0:
        raise CommandError(f"工作日数不能为负数（收到 {count}）。")
    return count


class Command(BaseCommand):
    help = "按工作日计算期限（不含开始当日）：add 求到期日，between 求两日之间的工作日数。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add,between}")
        add = actions.add_parser("add", help="开始日期之后第 N 个工作日（到期日）")
        add.add_argument("start", help="开始日期（不计入），YYYY-MM-DD")
        add.add_argument("n", help="工作日数")
        between = actions.add_parser(
            "between", help="A 之后至 B（含 B）的工作日数；B 早于 A 时为负数"
        )
        between.add_argument("a", help="开始日期（不计入），YYYY-MM-DD")
        between.add_argument("b", help="结束日期（计入），YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "add":
                start, n = _parse_date(options["start"]), _parse_count(options["n"])
                self.stdout.write(workday_calendar().add(start, n).isoformat())
            else:
                a, b = _parse_date(options["a"]), _parse_date(options["b"])
                self.stdout.write(str(workday_calendar().between(a, b)))
        except CalendarDataMissing as exc:
            raise CommandError(str(exc)) from exc
