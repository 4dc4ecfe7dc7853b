"""The crawl's content scan (issue 6, 检查 2): every page and in-site attachment a crawl fetches
goes through the content checks; the findings reach the column and units of the page, and the
veto 安全、泄密事故等严重问题 reads them instead of the database."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from govportal.checks.models import LexiconEntry
from govportal.lib.crawl.testserver import Route, ServerThread
from govportal.monitoring.crawling import crawl_run_start, crawl_run_work
from govportal.monitoring.models import CrawlFinding, CrawlRun
from govportal.monitoring.rules import rule_run
from govportal.monitoring.tests.test_content_scan import (
    ID_NUMBER,
    WORD,
    docx_bytes,
    pdf_bytes,
)
from govportal.testing import Portal

FAST = {"timeout": 1.0, "deadline": 3.0, "retries": 0, "use_sitemap": False}
SCAN: dict[str, object] = {**FAST, "scan_content": True}
TODAY = dt.date(2026, 6, 15)
FINISHED = dt.datetime(2026, 6, 14, 23, 0, tzinfo=dt.UTC)
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def page(body: str) -> Route:
    html = f"<html><head><title>页</title></head><body>{body}</body></html>".encode()
    return Route(body=html, headers={"Content-Type": "text/html; charset=utf-8"})


def gbk_page(body: str) -> Route:
    html = f'<html><head><meta charset="gbk"><title>旧页</title></head><body>{body}</body></html>'
    return Route(body=html.encode("gbk"), headers={"Content-Type": "text/html"})


def attachment(data: bytes, content_type: str) -> Route:
    return Route(body=data, headers={"Content-Type": content_type})


def planted_site(external: str) -> dict[str, Route]:
    """Problems in two columns: 新闻 (区政府办公室) and 政务 › 通知公告 (区教育局). The
    attachments sit under /files/, outside any column: they belong to the pages linking them."""
    return {
        "/": page(
            '<a href="/news/">新闻</a><a href="/affairs/notices/n1.html">通知</a>'
            f'<a href="{external}/">友情链接</a>'
        ),
        "/news/": page(
            "<p>机密★1年</p><p>区政府召开常务会议。</p>"
            '<a href="/files/report.pdf">报告</a><a href="/news/old.html">旧闻</a>'
        ),
        "/news/old.html": gbk_page(f"<p>本页含{WORD}。</p>"),
        "/affairs/notices/n1.html": page(
            f"<p>申请人身份证号 {ID_NUMBER}。</p><a href='/files/list.docx'>名单</a>"
        ),
        "/files/report.pdf": attachment(pdf_bytes(f"年度报告：{WORD}。"), PDF),
        "/files/list.docx": attachment(docx_bytes("名单", f"备注：{WORD}"), DOCX),
    }


def crawl(portal: Portal, routes: Any, config: dict[str, Any]) -> CrawlRun:
    """Crawl `routes` (or `routes(external_base)`) with the scan options, finished at FINISHED."""
    # Another site on this machine: another port is another host, which is never scanned.
    outside = {"/": page(f"<p>{WORD} 机密★</p>")}
    with (
        ServerThread(outside) as external,
        ServerThread(routes(external) if callable(routes) else routes) as base,
    ):
        run = crawl_run_start(start_url=base + "/", site=portal.site, config=config)
        crawl_run_work(run)
    run.refresh_from_db()
    assert run.state == CrawlRun.State.FINISHED
    CrawlRun.objects.filter(pk=run.pk).update(finished_at=FINISHED)
    return run


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def found(run: CrawlRun) -> set[tuple[str, str, Any, frozenset[Any]]]:
    return {
        (path_of(f.page.url), f.rule, f.column, frozenset(f.units.all()))
        for f in CrawlFinding.objects.filter(run=run).select_related("page", "column")
    }


@pytest.fixture
def flagged_word(db: None) -> LexiconEntry:
    return LexiconEntry.objects.create(word=WORD, category="sensitive", severity="block")


@pytest.mark.django_db
def test_planted_problems_on_pages_and_attachments_are_found_and_reach_their_units(
    portal: Portal, flagged_word: LexiconEntry
) -> None:
    run = crawl(portal, planted_site, SCAN)
    news, notices = portal.news, portal.notices
    a, b = frozenset({portal.unit_a}), frozenset({portal.unit_b})
    assert found(run) == {
        ("/news/", "classified.marking", news, a),
        ("/news/old.html", "lexicon.sensitive", news, a),  # a GBK page, decoded
        ("/files/report.pdf", "lexicon.sensitive", news, a),  # linked from 新闻
        ("/affairs/notices/n1.html", "personal_data.resident_id", notices, b),
        ("/files/list.docx", "lexicon.sensitive", notices, b),  # linked from 通知公告
    }
    stored = " ".join(
        f"{f.message} {f.excerpt} {f.key}" for f in CrawlFinding.objects.filter(run=run)
    )
    assert ID_NUMBER not in stored


@pytest.mark.django_db
def test_the_veto_reads_the_newest_crawl_and_sends_each_problem_to_its_unit(
    portal: Portal, flagged_word: LexiconEntry
) -> None:
    crawl(portal, planted_site, SCAN)
    result = rule_run("security_incidents", today=TODAY, thresholds={})
    assert result.breached
    by_path = {path_of(f.url): f for f in result.findings}
    assert set(by_path) == {
        "/news/",
        "/news/old.html",
        "/files/report.pdf",
        "/affairs/notices/n1.html",
        "/files/list.docx",
    }
    assert by_path["/files/list.docx"].unit_ids == (portal.unit_b.pk,)
    assert by_path["/files/list.docx"].column_id == portal.notices.pk
    assert by_path["/news/"].unit_ids == (portal.unit_a.pk,)
    assert all(f.message.startswith("【网站抓取·内容检查】") for f in result.findings)
    assert not any(ID_NUMBER in f.message or ID_NUMBER in f.key for f in result.findings)


@pytest.mark.django_db
def test_personal_data_counts_for_the_veto_unless_the_thresholds_switch_it_off(
    portal: Portal, flagged_word: LexiconEntry
) -> None:
    crawl(portal, planted_site, SCAN)
    result = rule_run("security_incidents", today=TODAY, thresholds={"personal_data": False})
    assert "/affairs/notices/n1.html" not in {path_of(f.url) for f in result.findings}
    assert result.breached  # the marking and the words still do


@pytest.mark.django_db
def test_a_crawl_older_than_a_week_leaves_the_veto_to_the_published_pages(
    portal: Portal, flagged_word: LexiconEntry
) -> None:
    crawl(portal, planted_site, SCAN)
    result = rule_run("security_incidents", today=TODAY + dt.timedelta(days=8), thresholds={})
    # The portal's published pages are clean: only the crawl saw the planted problems.
    assert not result.breached
    assert result.findings == ()


@pytest.mark.django_db
def test_a_clean_site_gives_no_findings_and_no_veto(
    portal: Portal, flagged_word: LexiconEntry
) -> None:
    routes = {
        "/": page('<a href="/news/">新闻</a><a href="/files/a.pdf">附件</a>'),
        "/news/": page("<p>区政府召开常务会议，研究秋季防汛工作。联系电话 0917-3210000。</p>"),
        "/files/a.pdf": attachment(pdf_bytes("年度工作报告。"), PDF),
    }
    run = crawl(portal, routes, SCAN)
    assert found(run) == set()
    assert not rule_run("security_incidents", today=TODAY, thresholds={}).breached


@pytest.mark.django_db
def test_without_the_scan_option_attachments_are_only_checked_and_nothing_is_scanned(
    portal: Portal, flagged_word: LexiconEntry
) -> None:
    routes = planted_site("http://127.0.0.1:9")
    routes["/files/report.pdf"].behaviour = "no_head"  # HEAD refused: asked again with GET
    run = crawl(portal, routes, {**FAST, "check_external": False, "scan_content": False})
    assert found(run) == set()
    assert routes["/files/report.pdf"].hits == 2  # the link check's HEAD came first


@pytest.mark.django_db
def test_the_crawl_command_lists_what_the_scan_finds_with_personal_data_masked(
    flagged_word: LexiconEntry,
) -> None:
    out = StringIO()
    with ServerThread(planted_site("http://127.0.0.1:1")) as base:
        call_command("crawl", base + "/", "--scan", "--no-external", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "发现问题 5 条，其中禁止发布的 5 条" in text
    assert f"[禁止] {base}/files/list.docx：含敏感词“{WORD}”" in text
    assert "机密★1年" in text
    assert ID_NUMBER not in text
    assert "断链 0 条" in text  # the link report is as before


@pytest.mark.django_db
def test_an_unchanged_page_of_an_incremental_crawl_keeps_its_findings(portal: Portal) -> None:
    marked = page("<p>机密★1年</p>")
    marked.headers["ETag"] = '"n-1"'
    routes = {"/": page('<a href="/news/">新闻</a>'), "/news/": marked}
    with ServerThread(routes) as base:
        first = crawl_run_start(start_url=base + "/", site=portal.site, config=SCAN)
        crawl_run_work(first)
        second = crawl_run_start(
            start_url=base + "/", site=portal.site, mode=CrawlRun.Mode.INCREMENTAL, config=SCAN
        )
        crawl_run_work(second)
    assert second.pages.get(url=base + "/news/").status == 304
    a = frozenset({portal.unit_a})
    assert found(second) == {("/news/", "classified.marking", portal.news, a)}


@pytest.mark.django_db
def test_an_unchanged_attachment_is_not_downloaded_again_and_keeps_its_findings(
    portal: Portal, flagged_word: LexiconEntry
) -> None:
    report = attachment(pdf_bytes(f"年度报告：{WORD}。"), PDF)
    report.headers["ETag"] = '"r-1"'
    routes = {
        "/": page('<a href="/news/">新闻</a>'),
        "/news/": page('<p>区政府召开常务会议。</p><a href="/files/report.pdf">报告</a>'),
        "/files/report.pdf": report,
    }
    a = frozenset({portal.unit_a})
    with ServerThread(routes) as base:
        pdf = base + "/files/report.pdf"
        first = crawl_run_start(start_url=base + "/", site=portal.site, config=SCAN)
        crawl_run_work(first)
        second = crawl_run_start(
            start_url=base + "/", site=portal.site, mode=CrawlRun.Mode.INCREMENTAL, config=SCAN
        )
        crawl_run_work(second)
        # The file changes: a new ETag, and the word is gone.
        routes["/files/report.pdf"] = Route(
            body=pdf_bytes("年度报告。"), headers={"Content-Type": PDF, "ETag": '"r-2"'}
        )
        third = crawl_run_start(
            start_url=base + "/", site=portal.site, mode=CrawlRun.Mode.INCREMENTAL, config=SCAN
        )
        crawl_run_work(third)
    assert (first.pages.get(url=pdf).status, first.pages.get(url=pdf).etag) == (200, '"r-1"')
    # Asked with If-None-Match, the server answered 304 without the file.
    assert second.pages.get(url=pdf).status == 304
    assert second.pages.get(url=pdf).unchanged
    assert found(second) == {("/files/report.pdf", "lexicon.sensitive", portal.news, a)}
    assert third.pages.get(url=pdf).status == 200
    assert found(third) == set()
