"""The nightly crawl's mode: incremental (304 pages and attachments keep last run's links and
findings) while the checks stay the same, full when they changed and at least once a week."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from wagtail.models import Site

from govportal.checks.models import LexiconEntry
from govportal.lib.crawl.testserver import Route, ServerThread
from govportal.monitoring.crawling import (
    CHECKS_FINGERPRINT,
    FULL_REASON,
    crawl_site_nightly,
    nightly_mode,
)
from govportal.monitoring.models import CrawlFinding, CrawlRun
from govportal.monitoring.tests.test_content_scan import WORD
from govportal.testing import Portal

FULL, INCREMENTAL = CrawlRun.Mode.FULL, CrawlRun.Mode.INCREMENTAL
NIGHT = dt.datetime(2026, 3, 2, 22, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = dt.date(2026, 3, 9)


def test_the_first_crawl_is_full() -> None:
    mode, reason = nightly_mode(
        fingerprint="a", previous_fingerprint=None, last_full_day=None, today=TODAY
    )
    assert mode == FULL and "首次" in reason


def test_a_change_of_the_checks_makes_a_full_crawl() -> None:
    day_before = TODAY - dt.timedelta(days=1)
    changed, reason = nightly_mode(
        fingerprint="b", previous_fingerprint="a", last_full_day=day_before, today=TODAY
    )
    assert changed == FULL and "敏感词库" in reason
    # A previous run that recorded no fingerprint (it scanned nothing) is no match either.
    unknown, _ = nightly_mode(
        fingerprint="b", previous_fingerprint=None, last_full_day=day_before, today=TODAY
    )
    assert unknown == FULL


def test_the_same_checks_stay_incremental_for_six_days_then_a_full_crawl() -> None:
    def mode(days_since_full: int) -> str:
        last_full = TODAY - dt.timedelta(days=days_since_full)
        return nightly_mode(
            fingerprint="a", previous_fingerprint="a", last_full_day=last_full, today=TODAY
        )[0]

    assert [mode(days) for days in range(1, 9)] == [INCREMENTAL] * 6 + [FULL, FULL]


def _page(body: str, etag: str) -> Route:
    html = f"<html><head><title>页</title></head><body>{body}</body></html>".encode()
    return Route(body=html, headers={"Content-Type": "text/html; charset=utf-8", "ETag": etag})


def _hosted(portal: Portal, base: str) -> Site:
    port = int(base.rsplit(":", 1)[1])
    Site.objects.filter(pk=portal.site.pk).update(hostname="127.0.0.1", port=port)
    return Site.objects.get(pk=portal.site.pk)


def _night(site: Site, night: dt.datetime) -> CrawlRun:
    with time_machine.travel(night, tick=False):
        run, worked = crawl_site_nightly(site=site, now=night)
    assert worked and run.state == CrawlRun.State.FINISHED
    return run


def _routes() -> dict[str, Route]:
    return {
        "/": _page('<a href="/news/">新闻</a>', '"home-1"'),
        "/news/": _page(f"<p>区政府召开常务会议，{WORD}。</p>", '"news-1"'),
    }


@pytest.mark.django_db
def test_a_word_added_to_the_lexicon_is_found_the_next_night_on_an_unchanged_page(
    portal: Portal,
) -> None:
    with ServerThread(_routes()) as base:
        site = _hosted(portal, base)
        first = _night(site, NIGHT)
        second = _night(site, NIGHT + dt.timedelta(days=1))
        LexiconEntry.objects.create(word=WORD, category="sensitive", severity="block")
        third = _night(site, NIGHT + dt.timedelta(days=2))
        fourth = _night(site, NIGHT + dt.timedelta(days=3))
    news = base + "/news/"
    assert (first.mode, second.mode, third.mode, fourth.mode) == (
        FULL, INCREMENTAL, FULL, INCREMENTAL
    )  # fmt: skip
    assert second.pages.get(url=news).status == 304  # the page did not change
    assert not CrawlFinding.objects.filter(run__in=[first, second]).exists()
    assert "敏感词库" in third.config[FULL_REASON]
    assert third.previous_id is None and third.pages.get(url=news).status == 200
    assert third.config[CHECKS_FINGERPRINT] != second.config[CHECKS_FINGERPRINT]
    for run in (third, fourth):  # found, then kept by the next incremental night
        rules = set(CrawlFinding.objects.filter(run=run).values_list("page__url", "rule"))
        assert rules == {(news, "lexicon.sensitive")}
    assert fourth.pages.get(url=news).status == 304


@pytest.mark.django_db
def test_the_same_checks_stay_incremental_within_the_week_and_a_full_crawl_follows(
    portal: Portal,
) -> None:
    routes = _routes()
    with ServerThread(routes) as base:
        site = _hosted(portal, base)
        runs = [_night(site, NIGHT + dt.timedelta(days=n)) for n in range(9)]
    assert [run.mode for run in runs] == [FULL] + [INCREMENTAL] * 6 + [FULL, INCREMENTAL]
    assert "已满 7 天" in runs[7].config[FULL_REASON]
    assert FULL_REASON not in runs[1].config
    # The full night downloaded every page again; the incremental ones got 304.
    statuses = [run.pages.get(url=base + "/news/").status for run in runs]
    assert statuses == [200] + [304] * 6 + [200, 304]
    assert routes["/news/"].hits == 9
