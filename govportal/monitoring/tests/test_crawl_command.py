"""manage.py crawl against a small site on 127.0.0.1."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from govportal.lib.crawl.testserver import Route, ServerThread


def page(body: str) -> Route:
    return Route(body=f"<html><head><title>页</title></head><body>{body}</body></html>".encode())


def test_crawl_writes_every_broken_link_as_json_and_summarises_in_chinese(tmp_path: Path):
    routes = {
        "/": page('<a href="/a.html">甲</a><a href="/missing.html">丢失</a><img src="/x.png">'),
        "/a.html": page('<a href="/missing.html">又丢失</a><a href="http://127.0.0.1:1/">外部</a>'),
    }
    out = StringIO()
    with ServerThread(routes) as base:
        call_command(
            "crawl",
            base + "/",
            "--json",
            str(tmp_path / "broken.json"),
            stdout=out,
            stderr=StringIO(),
        )
    found = json.loads((tmp_path / "broken.json").read_text(encoding="utf-8"))
    by_pair = {(item["source"], item["target"]): item for item in found}
    assert set(by_pair) == {
        (f"{base}/", f"{base}/missing.html"),
        (f"{base}/a.html", f"{base}/missing.html"),
        (f"{base}/", f"{base}/x.png"),
        (f"{base}/a.html", "http://127.0.0.1:1/"),
    }
    assert by_pair[(f"{base}/", f"{base}/missing.html")]["status"] == 404
    assert by_pair[(f"{base}/", f"{base}/missing.html")]["anchor"] == "丢失"
    assert by_pair[(f"{base}/a.html", "http://127.0.0.1:1/")]["error"] == "refused"
    assert "断链 4 条" in out.getvalue()
    assert "服务器拒绝连接：1 条" in out.getvalue()


def test_crawl_respects_max_pages(tmp_path: Path):
    routes = {f"/{n}.html": page(f'<a href="/{n + 1}.html">下一页</a>') for n in range(10)}
    routes["/"] = page('<a href="/0.html">0</a>')
    out = StringIO()
    with ServerThread(routes) as base:
        call_command("crawl", base + "/", "--max-pages", "3", stdout=out, stderr=StringIO())
    assert "抓取页面 3 个" in out.getvalue()


def test_crawl_of_a_site_that_does_not_answer_still_exits_normally():
    out = StringIO()
    call_command("crawl", "http://127.0.0.1:1/", "--timeout", "1", stdout=out, stderr=StringIO())
    assert "起始页面无法抓取：服务器拒绝连接" in out.getvalue()


@pytest.mark.parametrize("bad", ["not a url", "ftp://127.0.0.1/", "http://"])
def test_crawl_refuses_a_bad_address(bad: str):
    with pytest.raises(CommandError, match="地址无效"):
        call_command("crawl", bad, stdout=StringIO(), stderr=StringIO())
