"""python manage.py assess [--date YYYY-MM-DD] [--json PATH]: the verdict against the national
indicators (国办秘函〔2019〕19号) with its reasons. Exits 0 whenever it ran, whatever it found.

With `--date` the verdict is judged from the measurements that day's check (`daily_check`)
stored; a date without a stored check is said so, and nothing is measured. Without `--date`
today's stored check is used when there is one, else the platform is measured now."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from govportal.monitoring.indicators import (
    DEFAULT_EDITION,
    Assessment,
    assess,
    stored_assessment,
)


class Command(BaseCommand):
    help = "按政府网站检查指标评估网站，输出合格或不合格及其理由（可写入 JSON 文件）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="评估日期（YYYY-MM-DD），默认今天")
        parser.add_argument("--json", dest="json_path", help="把评估结果写入这个 JSON 文件")
        parser.add_argument("--edition", default=DEFAULT_EDITION, help="指标版本")

    def handle(self, *args: Any, **options: Any) -> None:
        edition = options["edition"]
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"日期无效：{options['date']!r}，应为 YYYY-MM-DD。") from error
            assessment = stored_assessment(today, edition=edition)
            if assessment is None:
                self.stdout.write(
                    f"{today:%Y-%m-%d} 没有日监测读网记录，无法评估（{edition}）。"
                    f"请先运行：python manage.py daily_check --date {today:%Y-%m-%d}"
                )
                if options["json_path"]:
                    Path(options["json_path"]).write_text(
                        json.dumps(
                            {"date": today.isoformat(), "edition": edition, "source": "none"},
                            ensure_ascii=False,
                            indent=2,
                        ),
                        encoding="utf-8",
                    )
                return
        else:
            today = timezone.localdate()
            assessment = stored_assessment(today, edition=edition) or assess(today, edition=edition)
        self.stdout.write(report_text(assessment))
        if options["json_path"]:
            Path(options["json_path"]).write_text(
                json.dumps(assessment.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
            )


def report_text(assessment: Assessment) -> str:
    v = assessment.verdict
    lines = [f"{assessment.today:%Y-%m-%d} 评估结论：{v.label}（{assessment.edition}）"]
    if v.untested:
        lines.append(f"注意：有 {len(v.untested)} 项指标未测，结论只反映已测指标。")
    if v.vetoes:
        lines.append("单项否决：")
        for hit in v.vetoes:
            lines.append(f"  - {hit.indicator.name}（测得 {_measured(hit.result.measured)}）")
            lines.extend(f"      {finding.message}" for finding in hit.result.findings[:20])
            if len(hit.result.findings) > 20:
                lines.append(f"      ……另有 {len(hit.result.findings) - 20} 处")
        lines.append("存在单项否决，其他指标不计分。")
    else:
        lines.append(f"得分：{v.score}（低于 60 分为不合格）")
    if v.deductions:
        lines.append("扣分：")
        for hit in v.deductions:
            lines.append(f"  - {hit.indicator.name}：扣 {hit.points} 分")
            lines.extend(f"      {finding.message}" for finding in hit.result.findings[:20])
    if v.untested:
        lines.append(f"未测（{len(v.untested)} 项，不计入结论）：")
        lines.extend(f"  - {indicator.name}：{reason}" for indicator, reason in v.untested)
    if assessment.run_id is not None:
        lines.append(f"（依据 {assessment.today:%Y-%m-%d} 日监测读网记录）")
    return "\n".join(lines)


def _measured(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
