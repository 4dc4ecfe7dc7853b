"""Check a text or HTML file (or standard input) and print one JSON object per finding."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from govportal.checks.engine import Finding, check
from govportal.checks.services import context_for_site

OUTPUT_KEYS = ("category", "severity", "start", "end", "match", "suggestion", "rule", "message")


def decode_input(data: bytes) -> str:
    """UTF-8, else GB18030, else UTF-8 keeping undecodable bytes as lone surrogates."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="surrogateescape")


def finding_json(finding: Finding) -> str:
    values = {key: getattr(finding, key) for key in OUTPUT_KEYS}
    line = json.dumps(values, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates in the match: escape them instead
        line = json.dumps(values, ensure_ascii=True)
    return line


class Command(BaseCommand):
    help = (
        "检查文本或 HTML 文件（PATH 为 - 时读标准输入），每条发现输出一行 JSON："
        "category、severity、start、end（按字符计的偏移）、match、suggestion。"
        "无论有无发现都以 0 退出；只有输入无法读取时报错。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="文件路径，或 - 表示标准输入")
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument("--html", action="store_true", help="按 HTML 检查（默认自动判断）")
        kind.add_argument("--text", action="store_true", help="按纯文本检查（默认自动判断）")
        parser.add_argument("--site", help="按该网站（域名）的词库和联系方式检查；默认用默认网站")
        parser.add_argument("--links", action="store_true", help="同时访问外部链接，检查能否打开")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["path"]
        try:
            data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        except FileNotFoundError:
            raise CommandError(f"无法读取输入：文件“{source}”不存在。") from None
        except IsADirectoryError:
            raise CommandError(f"无法读取输入：“{source}”是目录，不是文件。") from None
        except PermissionError:
            raise CommandError(f"无法读取输入：没有读取“{source}”的权限。") from None
        except OSError as exc:
            raise CommandError(f"无法读取输入“{source}”：{exc.strerror or exc}。") from None
        text = decode_input(data)
        site = self._site(options["site"])
        html = True if options["html"] else False if options["text"] else None
        context = context_for_site(site, check_external_links=options["links"])
        out = self.stdout
        for finding in check(text, html=html, context=context):
            out.write(finding_json(finding))

    def _site(self, hostname: str | None) -> Site | None:
        if hostname:
            site = Site.objects.filter(hostname__iexact=hostname).first()
            if site is None:
                raise CommandError(f"网站“{hostname}”不存在。")
            return site
        return Site.objects.filter(is_default_site=True).first()
