"""The crawl the demo and the daily check's tests use (through Django in this process), and the
nightly crawl of the hosted sites (over the network, once a day)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine
from asgiref.sync import async_to_sync
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site
from wagtail.rich_text import RichText

from govportal.lib.crawl.testserver import ServerThread
from govportal.monitoring.crawling import (
    STALE_AFTER,
    InProcessTransport,
    OutsideTheSite,
    broken_links,
    claim_batch,
    crawl_in_process,
    crawl_run_start,
    crawl_run_work,
    crawl_runs_abandon,
    crawl_site_nightly,
)
from govportal.monitoring.models import CrawlRun
from govportal.monitoring.rules import broken_links as broken_links_rule
from govportal.monitoring.tests.test_crawl_runs import portal_site
from govportal.testing import Portal, add_article

# Tests collect no static files: WhiteNoise serves them from the finders, as runserver would.
SERVE_STATIC = override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)


@pytest.mark.django_db
@SERVE_STATIC
def test_an_in_process_crawl_finds_a_broken_link_in_an_article_and_names_the_unit(
    portal: Portal,
) -> None:
    body = [("paragraph", RichText('<p>详见<a href="/news/withdrawn-notice/">原通知</a>。</p>'))]
    article = add_article(portal.news, "一篇新闻", body=body)
    run = crawl_in_process(site=portal.site)
    assert run.state == CrawlRun.State.FINISHED
    found = [(link.source.url, link.target.url, link.target.status) for link in broken_links(run)]
    root = portal.site.root_url
    assert found == [(root + article.url, root + "/news/withdrawn-notice/", 404)]
    (link,) = broken_links(run)
    assert list(link.units.all()) == list(portal.news.responsible_units.all())
    # The 长者模式 switch is linked from every page, and the site's robots.txt keeps crawlers
    # from following it back to the page (which would fetch every page three times).
    elder = run.pages.filter(url__contains="/elder/")
    assert elder.exists()
    assert set(elder.values_list("error", flat=True)) == {"robots"}


def test_the_in_process_transport_never_leaves_the_machine() -> None:
    transport = InProcessTransport(["localhost"])

    async def fetch() -> None:
        async with httpx.AsyncClient(transport=transport) as client:
            await client.get("http://example.invalid/")

    with pytest.raises(OutsideTheSite, match="进程内抓取只访问本站"):
        async_to_sync(fetch)()


@pytest.mark.django_db
def test_the_nightly_crawl_runs_once_a_day_and_resumes_an_unfinished_run(portal: Portal) -> None:
    now = timezone.now()
    with ServerThread(portal_site()) as base:
        port = int(base.rsplit(":", 1)[1])
        Site.objects.filter(pk=portal.site.pk).update(hostname="127.0.0.1", port=port)
        site = Site.objects.get(pk=portal.site.pk)
        # A worker started tonight's run and died before finishing it.
        left = crawl_run_start(
            start_url=site.root_url + "/", site=site, mode=CrawlRun.Mode.INCREMENTAL
        )
        run, worked = crawl_site_nightly(site=site, now=now)
        assert worked and run.pk == left.pk
        assert run.state == CrawlRun.State.FINISHED
        assert len(broken_links(run)) == 2
        again, worked = crawl_site_nightly(site=site, now=now)
        assert not worked and again.pk == run.pk
        assert CrawlRun.objects.count() == 1
        tomorrow = now + dt.timedelta(days=1)
        with time_machine.travel(tomorrow, tick=False):
            following, worked = crawl_site_nightly(site=site, now=tomorrow)
    assert worked and following.pk != run.pk
    assert following.previous_id == run.pk  # incremental: conditional GETs against last night


@pytest.mark.django_db
def test_the_next_night_closes_a_run_its_workers_left_unfinished(portal: Portal) -> None:
    night = dt.datetime(2025, 3, 13, 22, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    next_night = night + dt.timedelta(days=1)
    with ServerThread(portal_site()) as base:
        port = int(base.rsplit(":", 1)[1])
        Site.objects.filter(pk=portal.site.pk).update(hostname="127.0.0.1", port=port)
        site = Site.objects.get(pk=portal.site.pk)
        with time_machine.travel(night, tick=False):
            # Last night's worker claimed the start page and died; no worker came back.
            left = crawl_run_start(
                start_url=site.root_url + "/", site=site, mode=CrawlRun.Mode.INCREMENTAL
            )
            assert claim_batch(left)
        with time_machine.travel(next_night, tick=False):
            run, worked = crawl_site_nightly(site=site, now=next_night)
            result = broken_links_rule(today=next_night.date(), thresholds={})
    left.refresh_from_db()
    assert left.state == CrawlRun.State.ABANDONED and left.finished_at == next_night
    assert "1 个地址未抓取" in left.config["abandoned"]
    assert worked and run.pk != left.pk and run.state == CrawlRun.State.FINISHED
    assert run.previous_id is None  # not an incremental crawl against the abandoned run
    assert (result.untested, result.count) == (False, 2)
    operator = Client()
    operator.force_login(portal.operator)
    listing = operator.get(reverse("monitoring_supervision:crawls")).content.decode()
    assert listing.count(">已中止</span>") == 1 and listing.count("<td>已完成</td>") == 1


@pytest.mark.django_db
def test_a_run_of_an_earlier_day_is_closed_only_when_no_worker_is_on_it() -> None:
    started = dt.datetime(2025, 3, 13, 23, 50, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(started, tick=False):
        run = crawl_run_start(start_url="http://127.0.0.1:9/")
    now = started + dt.timedelta(hours=22)
    with time_machine.travel(now - dt.timedelta(minutes=2), tick=False):
        assert claim_batch(run)  # a worker of a long crawl took a batch two minutes ago
    closed = crawl_runs_abandon(start_url=run.start_url, before=_midnight(now), now=now)
    run.refresh_from_db()
    assert (closed, run.state) == (0, CrawlRun.State.RUNNING)
    later = now + STALE_AFTER  # the claim has gone stale: the worker died
    with time_machine.travel(later, tick=False):
        assert crawl_runs_abandon(start_url=run.start_url, before=_midnight(later), now=later)
        run.refresh_from_db()
        assert run.state == CrawlRun.State.ABANDONED and run.finished_at == later
        # The broken-link indicator does not take its partial result (it is the only run),
        # and a worker left over from it claims nothing.
        assert broken_links_rule(today=later.date(), thresholds={}).untested
        assert crawl_run_work(run) == 0
        assert claim_batch(run) == []


def _midnight(moment: dt.datetime) -> dt.datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


@pytest.mark.django_db
def test_crawl_sites_also_crawls_the_sites_the_operator_lists(portal: Portal) -> None:
    import io

    from django.core.management import call_command

    from govportal.monitoring.models import ProbeTarget

    with ServerThread(portal_site()) as hosted, ServerThread(portal_site()) as department:
        port = int(hosted.rsplit(":", 1)[1])
        Site.objects.filter(pk=portal.site.pk).update(hostname="127.0.0.1", port=port)
        ProbeTarget.objects.create(name="区教育局网站", base_url=department + "/")
        ProbeTarget.objects.create(
            name="已停用的网站", base_url="http://127.0.0.1:9/", active=False
        )
        out = io.StringIO()
        call_command("crawl_sites", stdout=out)
        starts = set(CrawlRun.objects.values_list("start_url", flat=True))
        assert starts == {hosted + "/", department + "/"}
        assert CrawlRun.objects.filter(state=CrawlRun.State.FINISHED).count() == 2
        assert f"{department}/ 抓取已完成（全量，首次完整抓取" in out.getvalue()
        # The scheduler hands each site to the task workers instead (run inline in tests);
        # tonight's finished runs are not crawled again.
        CrawlRun.objects.all().delete()
        out = io.StringIO()
        call_command("crawl_sites", "--enqueue", stdout=out)
        assert f"{department}/ 已交给后台任务抓取" in out.getvalue()
        assert CrawlRun.objects.filter(state=CrawlRun.State.FINISHED).count() == 2
        call_command("crawl_sites", "--enqueue", stdout=io.StringIO())
        assert CrawlRun.objects.count() == 2
