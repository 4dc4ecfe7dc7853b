"""manage.py scan_text and load_lexicon."""

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from govportal.checks.models import LexiconEntry

pytestmark = pytest.mark.django_db


def scan(path: str, *args: str, stdin: bytes | None = None, monkeypatch=None) -> list[dict]:
    out = io.StringIO()
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    call_command("scan_text", path, *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_scan_text_prints_one_json_object_per_finding(tmp_path: Path):
    path = tmp_path / "article.txt"
    path.write_text("请按装软件。身份证号11010519491231002X。\n机密★1年", encoding="utf-8")
    findings = scan(str(path))
    assert [
        (f["category"], f["severity"], f["start"], f["end"], f["match"], f["suggestion"])
        for f in findings
    ] == [
        ("typo", "warn", 1, 3, "按装", "安装"),
        ("personal_data", "block", 10, 28, "11010519491231002X", None),
        ("classified", "block", 30, 35, "机密★1年", None),
    ]


def test_scan_text_reads_standard_input_and_html(monkeypatch):
    findings = scan("-", stdin="<p>请按<b>装</b></p>".encode(), monkeypatch=monkeypatch)
    assert [(f["start"], f["end"], f["match"]) for f in findings] == [(4, 9, "按<b>装")]


def test_scan_text_prints_nothing_for_clean_text(tmp_path: Path):
    path = tmp_path / "clean.txt"
    path.write_text("区政府召开常务会议。", encoding="utf-8")
    assert scan(str(path)) == []


def test_scan_text_reads_gb18030_and_keeps_undecodable_bytes(tmp_path: Path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("请按装软件".encode("gb18030"))
    assert [f["match"] for f in scan(str(path))] == ["按装"]
    path.write_bytes(b"\xff\xfe\xfa" + "测试敏感词甲".encode() + b"\xc3")
    (finding,) = scan(str(path))
    assert finding["match"] == "测试敏感词甲"
    assert finding["start"] == 3  # three undecodable bytes, one character each


def test_scan_text_fails_clearly_only_for_unreadable_input(tmp_path: Path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("scan_text", str(tmp_path / "missing.txt"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="目录"):
        call_command("scan_text", str(tmp_path), stdout=io.StringIO())


def test_load_lexicon_loads_a_file_and_is_idempotent(tmp_path: Path):
    path = tmp_path / "office.txt"
    path.write_text("办公室测试词\t敏感词\n", encoding="utf-8")
    out = io.StringIO()
    call_command("load_lexicon", str(path), stdout=out)
    call_command("load_lexicon", str(path), stdout=out)
    assert LexiconEntry.objects.filter(word="办公室测试词").count() == 1
    assert "新增 1 条" in out.getvalue() and "未变 1 条" in out.getvalue()


def test_load_lexicon_rejects_a_file_with_bad_rows(tmp_path: Path):
    path = tmp_path / "bad.txt"
    path.write_text("好词测试\t敏感词\n坏词\t不存在\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行"):
        call_command("load_lexicon", str(path), stdout=io.StringIO())
    assert not LexiconEntry.objects.filter(word="好词测试").exists()
