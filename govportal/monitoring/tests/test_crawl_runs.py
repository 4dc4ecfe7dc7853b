"""The database-backed crawl: records, attribution to columns and units, resume, incremental
mode, and two db_worker processes sharing one run on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from govportal.lib.crawl.testserver import Route, ServerThread
from govportal.monitoring.crawling import (
    broken_links,
    claim_batch,
    crawl_run_start,
    crawl_run_work,
)
from govportal.monitoring.models import CrawlLink, CrawlPage, CrawlRun

FAST = {"timeout": 1.0, "deadline": 3.0, "retries": 0, "use_sitemap": False}
ROOT = Path(__file__).resolve().parents[3]


def page(body: str, **headers: str) -> Route:
    html = f"<html><head><title>页</title></head><body>{body}</body></html>".encode()
    return Route(body=html, headers={"Content-Type": "text/html", **headers})


def portal_site() -> dict[str, Route]:
    return {
        "/": page('<a href="/news/">新闻</a><a href="/affairs/notices/n1.html">通知</a>'),
        "/news/": page('<a href="/news/gone.html">旧闻</a><a href="/">首页</a>'),
        "/affairs/notices/n1.html": page('<img src="/img/none.png" alt="示意图">'),
    }


@pytest.mark.django_db
def test_a_crawl_run_records_pages_and_links_and_attributes_broken_ones_to_column_units(portal):
    routes = portal_site()
    with ServerThread(routes) as base:
        run = crawl_run_start(start_url=base + "/", site=portal.site, config=FAST)
        crawl_run_work(run)
    run.refresh_from_db()
    assert run.state == CrawlRun.State.FINISHED
    assert CrawlPage.objects.filter(run=run).count() == 5
    assert CrawlLink.objects.filter(run=run).count() == 5
    found = {
        link.target.url: (link.source.url, link.anchor, link.column, set(link.units.all()))
        for link in broken_links(run)
    }
    assert found == {
        f"{base}/news/gone.html": (f"{base}/news/", "旧闻", portal.news, {portal.unit_a}),
        f"{base}/img/none.png": (
            f"{base}/affairs/notices/n1.html",
            "示意图",
            portal.notices,
            {portal.unit_b},
        ),
    }


@pytest.mark.django_db
def test_a_crawl_killed_halfway_resumes_without_fetching_anything_twice():
    routes = {f"/{n}.html": page(f'<a href="/{n + 1}.html">下一页</a>') for n in range(12)}
    routes["/"] = page("".join(f'<a href="/{n}.html">{n}</a>' for n in range(0, 12, 2)))
    with ServerThread(routes) as base:
        run = crawl_run_start(start_url=base + "/", config=FAST)
        crawl_run_work(run, batch_size=2, max_batches=2)
        # A worker claims a batch and dies before it fetches anything.
        lost = claim_batch(run, size=2)
        assert lost
        assert crawl_run_work(run, batch_size=2, wait=False) > 0
        run.refresh_from_db()
        assert run.state == CrawlRun.State.RUNNING  # the lost claims still hold
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
            crawl_run_work(run, batch_size=2)
    run.refresh_from_db()
    assert run.state == CrawlRun.State.FINISHED
    assert not CrawlPage.objects.filter(run=run).exclude(state=CrawlPage.State.DONE).exists()
    hits = {path: route.hits for path, route in routes.items()}
    assert set(hits.values()) == {1}, hits


@pytest.mark.django_db
def test_an_incremental_crawl_skips_unchanged_pages_but_keeps_their_broken_links():
    routes = {
        "/": page('<a href="/a.html">甲</a>', ETag='"home-1"'),
        "/a.html": page('<a href="/missing.html">丢失</a>', ETag='"a-1"'),
    }
    with ServerThread(routes) as base:
        first = crawl_run_start(start_url=base + "/", config=FAST)
        crawl_run_work(first)
        routes["/a.html"] = page('<a href="/missing-2.html">丢失二</a>', ETag='"a-2"')
        second = crawl_run_start(start_url=base + "/", mode=CrawlRun.Mode.INCREMENTAL, config=FAST)
        crawl_run_work(second)
    assert second.previous == first
    pages = {p.url: p for p in CrawlPage.objects.filter(run=second, kind="page")}
    assert pages[base + "/"].unchanged
    assert pages[base + "/"].status == 304
    assert not pages[base + "/a.html"].unchanged
    assert {link.target.url for link in broken_links(second)} == {base + "/missing-2.html"}


@pytest.mark.django_db
def test_a_worker_reads_robots_txt_once_for_all_its_batches_and_keeps_obeying_it():
    routes = {f"/{n}.html": page(f"第{n}页") for n in range(6)}
    routes["/"] = page(
        "".join(f'<a href="/{n}.html">{n}</a>' for n in range(6))
        + '<a href="/private/a.html">内部</a>'
    )
    routes["/private/a.html"] = page("内部")
    routes["/robots.txt"] = Route(
        body=b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}
    )
    with ServerThread(routes) as base:
        run = crawl_run_start(start_url=base + "/", config=FAST)
        assert crawl_run_work(run, batch_size=2) == 8  # four batches
    assert routes["/robots.txt"].hits == 1
    assert routes["/private/a.html"].hits == 0
    private = CrawlPage.objects.get(run=run, url=base + "/private/a.html")
    assert (private.state, private.error) == (CrawlPage.State.DONE, "robots")
    assert {p.status for p in CrawlPage.objects.filter(run=run).exclude(pk=private.pk)} == {200}


def _postgres_reason() -> str | None:
    if connection.vendor != "postgresql":
        return (
            "needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/govportal "
            "(make test-postgres); this leg runs on " + connection.vendor
        )
    return None


@pytest.mark.postgres
# Every transactional test restores the migrations' rows (serialized_rollback): a flush that
# re-runs post_migrate would give content types new ids, and the next such test could not
# restore its copy.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_db_workers_share_one_crawl_and_check_every_address_exactly_once():
    reason = _postgres_reason()
    if reason:
        pytest.skip(reason)
    pages = 400
    routes = {f"/p/{n}.html": page(f'<a href="/p/{n + 1}.html">下</a>') for n in range(pages)}
    # The home page links to every page, so both workers find a full queue at once.
    routes["/"] = page("".join(f'<a href="/p/{n}.html">{n}</a>' for n in range(pages)))
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govportal.settings",
        "DATABASE_URL": f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    with ServerThread(routes) as base:
        run = crawl_run_start(start_url=base + "/", config={**FAST, "rate": 150.0})
        subprocess.run(  # noqa: S603 - our own manage.py
            [*manage, "shell", "-c",
             "from govportal.monitoring.tasks import crawl_batch\n"
             f"crawl_batch.enqueue({run.pk}); crawl_batch.enqueue({run.pk})"],
            env=env, check=True, timeout=120,
        )  # fmt: skip
        workers = [
            subprocess.Popen(  # noqa: S603 - our own manage.py
                [*manage, "db_worker", "--batch", "--max-tasks", "1", "--no-startup-delay"],
                env=env,
                stdout=subprocess.DEVNULL,
            )
            for _ in range(2)
        ]
        for worker in workers:
            assert worker.wait(timeout=300) == 0
    from django_tasks_db.models import DBTaskResult

    results = list(DBTaskResult.objects.values_list("status", "return_value"))
    assert [status for status, _ in results] == ["SUCCESSFUL", "SUCCESSFUL"]
    visited = [value for _, value in results]
    # The pages, the home page, and the missing page the last one links to.
    assert sum(visited) == CrawlPage.objects.filter(run=run).count() == pages + 2
    assert all(v > 0 for v in visited), visited
    assert {route.hits for route in routes.values()} == {1}
    run.refresh_from_db()
    assert run.state == CrawlRun.State.FINISHED


@pytest.mark.django_db
def test_two_workers_starting_together_read_the_sitemap_once(portal):
    routes = portal_site()
    routes["/sitemap.xml"] = Route(
        body=b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>/news/</loc></url></urlset>",
        headers={"Content-Type": "application/xml"},
    )
    with ServerThread(routes) as base:
        routes["/sitemap.xml"].body = routes["/sitemap.xml"].body.replace(
            b"<loc>/", f"<loc>{base}/".encode()
        )
        run = crawl_run_start(
            start_url=base + "/", site=portal.site, config={**FAST, "use_sitemap": True}
        )
        # Both workers look at the run before either has claimed a page …
        crawl_run_work(run, max_batches=0)
        crawl_run_work(run, max_batches=0)
        # … then they work it to the end.
        crawl_run_work(run, wait=False)
        crawl_run_work(run, wait=False)
    run.refresh_from_db()
    assert run.state == CrawlRun.State.FINISHED
    assert routes["/sitemap.xml"].hits == 1
    assert CrawlPage.objects.filter(run=run, url=f"{base}/news/").count() == 1
