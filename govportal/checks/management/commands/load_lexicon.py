"""Load the starter lexicon, or lexicon files, into the database. Safe to run twice."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govportal.checks import services
from govportal.checks.lexicon import STARTER_LEXICON


class Command(BaseCommand):
    help = (
        "导入词库文件（.xlsx 或制表符分隔的 .txt）；不指定文件时导入内置的起步词库。"
        "默认只添加缺少的词语，已有词条保持不变，重复运行结果相同。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="*", help="词库文件；省略时为起步词库")
        parser.add_argument(
            "--update", action="store_true", help="同时按文件内容更新已有词条（默认不改动）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(p) for p in options["paths"]] or [STARTER_LEXICON]
        for path in paths:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"无法读取词库文件“{path}”：{exc.strerror or exc}。") from None
            try:
                rows = services.parse_lexicon_file(data, path.name)
                result = services.lexicon_import(rows=rows, update_existing=options["update"])
            except services.LexiconImportError as exc:
                details = "\n".join(str(e) for e in exc.errors[:50])
                raise CommandError(f"词库文件“{path}”有错误，未导入任何词条：\n{details}") from None
            self.stdout.write(
                f"{path.name}：新增 {result.created} 条，更新 {result.updated} 条，未变 {result.unchanged} 条。"
            )
