"""Page elements (国办发〔2017〕47号 底部功能区; 国办秘函〔2019〕19号 功能设计): footer identifiers,
the 我为政府网站找错 entry, search and the site map, judged on the rendered HTML."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from govportal.core.models import SiteIdentity
from govportal.lib.crawl.testserver import Route, ServerThread
from govportal.monitoring import integrity_rules
from govportal.monitoring.integrity import elements_check, page_elements, sample_pages
from govportal.monitoring.models import ElementCheck
from govportal.monitoring.rules import RULES
from govportal.testing import Portal, add_article

TODAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)

FOOTER = """<html><body>
<form role="search" action="/search/"><label for="q">站内搜索</label><input id="q" name="q"></form>
<main><p>正文</p></main>
<footer><a href="/sitemap/">网站地图</a> <a href="https://zfwzzc.www.gov.cn/">我为政府网站找错</a>
<img src="/media/mark.png" alt="党政机关网站标识">
<span>网站标识码：6103020001</span> <a>陕ICP备05001234号-1</a> <a>陕公网安备 61030202000123号</a>
</footer></body></html>"""


def run(key: str, today: dt.date = TODAY) -> integrity_rules.CheckResult:
    return RULES[key](today=today, thresholds={})


# --- Pure ---------------------------------------------------------------------------------------


def test_every_required_element_is_found_in_a_complete_footer() -> None:
    found = page_elements(FOOTER)
    assert found.found == {
        "site_code",
        "icp",
        "police",
        "party_mark",
        "error_report",
        "search",
        "site_map",
    }
    assert (found.search_action, found.search_field, found.site_map_href) == (
        "/search/",
        "q",
        "/sitemap/",
    )


@pytest.mark.parametrize(
    ("cut", "missing"),
    [
        ("网站标识码：6103020001", "site_code"),
        ("陕ICP备05001234号-1", "icp"),
        ("陕公网安备 61030202000123号", "police"),
        ('alt="党政机关网站标识"', "party_mark"),
        ("我为政府网站找错", "error_report"),
        ('role="search" action="/search/"', "search"),
        (">网站地图<", "site_map"),
    ],
)
def test_a_missing_element_is_named(cut: str, missing: str) -> None:
    html = FOOTER.replace(cut, "><" if cut.startswith(">") else "")
    assert page_elements(html).missing(
        ["site_code", "icp", "police", "party_mark", "error_report", "search", "site_map"]
    ) == [missing]


def test_the_sample_of_pages_is_the_same_for_the_same_date() -> None:
    paths = [f"/p{n}/" for n in range(40)]
    assert sample_pages(paths, today=TODAY, size=5) == sample_pages(paths, today=TODAY, size=5)
    assert len(sample_pages(paths, today=TODAY, size=5)) == 5
    assert sample_pages(paths[:3], today=TODAY, size=5) == paths[:3]


# --- In process, on the test portal -------------------------------------------------------------


def test_the_portal_lacks_only_the_party_mark_until_one_is_uploaded(portal: Portal) -> None:
    add_article(portal.news, "一篇文章")
    check = elements_check(site=portal.site, today=TODAY, now=NOW)

    assert check.via.startswith("进程内渲染")
    assert check.pages[0]["url"] == "/"
    assert {tuple(p["missing"]) for p in check.pages} == {("party_mark",)}
    assert check.search_ok and check.site_map_ok
    result = run("footer_identifiers")
    assert result.breached
    assert result.findings[0].message == "首页 / 缺少：党政机关网站标识。"
    assert not run("error_report_entry").breached
    assert not run("site_search").breached
    assert not run("site_map").breached

    image = Image.objects.create(title="党政机关网站标识", file=get_test_image_file())
    # As the operator's settings form does: a save, which the site memo hears.
    identity = SiteIdentity.for_site(portal.site)
    identity.party_mark = image
    identity.party_mark_url = "https://bszs.conac.cn/"
    identity.save()
    elements_check(site=portal.site, today=TODAY, now=NOW + dt.timedelta(hours=1))
    assert not run("footer_identifiers").breached


# --- Over HTTP, as the public receives it --------------------------------------------------------


def test_over_http_a_stripped_footer_and_a_dead_search_are_findings(portal: Portal) -> None:
    client = Client(HTTP_HOST="localhost")
    home = client.get("/").content.replace("陕ICP备05001234号-1".encode(), b"")
    routes = {
        "/": Route(200, home, {"Content-Type": "text/html; charset=utf-8"}),
        "/sitemap/": Route(200, client.get("/sitemap/").content),
        "/search/": Route(500, b"error"),
    }
    for path in ("/news/", "/affairs/", "/affairs/notices/"):
        routes[path] = Route(200, client.get(path).content)
    with ServerThread(routes) as base:
        check = elements_check(
            site=portal.site, today=TODAY, base_url=base + "/", timeout=2, now=NOW
        )
    assert check.via == f"HTTP {base}/"
    assert check.pages[0]["missing"] == ["icp", "party_mark"]
    assert "HTTP 500" in check.search_detail and not check.search_ok
    assert check.site_map_ok
    findings = [f.message for f in run("footer_identifiers").findings]
    assert "首页 / 缺少：ICP备案号、党政机关网站标识。" in findings
    assert run("site_search").findings[-1].message.startswith("站内搜索不可用：访问 /search/")


# --- 未测 --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_a_recent_check_every_element_rule_is_untested() -> None:
    for key in ("footer_identifiers", "error_report_entry", "site_search", "site_map"):
        assert "没有页面要素检查记录" in run(key).untested_reason


@pytest.mark.django_db
def test_a_check_older_than_a_week_does_not_count() -> None:
    ElementCheck.objects.create(checked_at=NOW - dt.timedelta(days=9), via="x", pages=[])
    assert run("site_map").untested
    assert not run("site_map", today=TODAY - dt.timedelta(days=5)).untested
