"""The database-backed crawl: the frontier lives in ``CrawlPage``, so several workers share one
run and a run killed halfway resumes where it stopped.

A worker claims a batch of queued addresses with a conditional UPDATE (``state = queued`` in
the WHERE clause, its own token in SET): of two workers racing for an address exactly one
updates the row, so no address is fetched twice. Claims older than ``STALE_AFTER`` belong to a
worker that died; they go back to the queue. New addresses are inserted with
``ignore_conflicts`` on the (run, url) constraint, so none is queued twice either.

One call of ``crawl_run_work`` runs one event loop with one ``Fetcher`` (its kept-alive
connections, per-host limits and rate) and one ``Visitor`` (robots.txt read once per host) for
all its batches. The database work of a batch (claim, store, links, findings) runs back on the
calling thread (asgiref's ``sync_to_async``), between the fetches of one batch and the next.
A batch's results are stored with one upsert on the primary key (``bulk_create`` with
``update_conflicts``), not ``bulk_update``, whose CASE per field and row cost about as much to
build as fetching the batch.

A crawl may be given an httpx transport instead of the network: ``InProcessTransport`` hands
each request to Django's WSGI handler in this process, so the demo (loaded before any server is
up) and the tests can crawl the site they just built. The event loop is started with asgiref's
``async_to_sync``, whose thread-sensitive calls run back in the calling thread: the WSGI handler
then uses the caller's database connection, and sees a transaction the caller has not
committed yet.

A run none of whose workers came back (every claim stale, the queue never emptied) is closed
by the next night's crawl of its site (``crawl_runs_abandon``): state ``abandoned`` (已中止),
with the reason in its config (``abandoned``), so the broken-link indicators, the content
scan's rules and the next incremental run, which read ``finished`` runs only, never take its
partial results.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import httpx
from asgiref.sync import async_to_sync, sync_to_async
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from govportal.checks.engine import CheckContext
from govportal.core.models import ColumnPage, responsible_unit_ids
from govportal.lib.crawl import (
    NOT_BROKEN_ERRORS,
    CrawlConfig,
    Kind,
    SiteScope,
    UrlResult,
    Visitor,
    link_kind,
)
from govportal.lib.crawl.extract import FoundLink
from govportal.lib.crawl.urls import host_of, normalize_url
from govportal.monitoring.content_scan import (
    Fetched,
    carry_over_findings,
    checks_fingerprint,
    record_findings,
    scan_context,
    scan_fetched,
)
from govportal.monitoring.models import CrawlLink, CrawlPage, CrawlRun

__all__ = [
    "STALE_AFTER",
    "InProcessTransport",
    "claim_batch",
    "crawl_in_process",
    "crawl_run_finish",
    "crawl_run_start",
    "crawl_run_work",
    "crawl_runs_abandon",
    "crawl_site_nightly",
    "nightly_mode",
    "release_stale_claims",
]

STALE_AFTER = dt.timedelta(minutes=10)
BATCH_SIZE = 50
# What processing an address fills in (the rest is the frontier's: url, kind, claim).
RESULT_FIELDS = [
    "status", "error", "final_url", "redirects", "elapsed", "content_type", "content_hash",
    "title", "etag", "last_modified", "fetched_at", "state", "column", "unchanged",
]  # fmt: skip
# Where a run that was given up keeps the reason (a config key that is no CrawlConfig field).
ABANDONED = "abandoned"
# Config keys that are no CrawlConfig fields either: the fingerprint of the checks a scanning
# run used (content_scan.checks_fingerprint), and why a nightly run is a full one.
CHECKS_FINGERPRINT = "checks_fingerprint"
FULL_REASON = "full_reason"
# The nightly crawl reads every page and attachment again at least this often.
FULL_CRAWL_EVERY_DAYS = 7
_CONFIG_FIELDS = {f.name for f in dataclasses.fields(CrawlConfig)}
T = TypeVar("T")


class OutsideTheSite(httpx.ConnectError):
    """An in-process crawl was asked for another host: it never leaves the machine."""


class InProcessTransport(httpx.AsyncBaseTransport):
    """Answer the crawler's requests with this process's Django, not over the network.

    Only the site's own hosts (``host[:port]`` as the crawl names them) are served; any other
    host is refused with ``OutsideTheSite``. In-process crawls start with ``check_external``
    off (``in_process_config``), so the crawler never asks for one and nothing refused is
    counted as a broken link.
    """

    def __init__(self, hosts: Iterable[str]) -> None:
        self.hosts = frozenset(h.lower() for h in hosts)
        self._wsgi = httpx.WSGITransport(app=WSGIHandler())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = host_of(str(request.url)).lower()
        if host not in self.hosts:
            raise OutsideTheSite(
                f"进程内抓取只访问本站（{'、'.join(sorted(self.hosts))}），不访问 {host}。",
                request=request,
            )
        await request.aread()
        status, headers, content = await _db(self._handle)(request)
        # A stream, not `content=`: a response built with content counts as read already, and
        # the Fetcher reads the raw stream (to cap and decompress it itself).
        return httpx.Response(
            status, headers=headers, stream=httpx.ByteStream(content), request=request
        )

    def _handle(self, request: httpx.Request) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        # Django closes "old" connections around each request, which would close the caller's
        # connection in the middle of its transaction; the test client skips it the same way.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self._wsgi.handle_request(request)
            try:
                content = response.read()
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return response.status_code, response.headers.raw, content


def in_process_config(**values: object) -> dict[str, object]:
    """A crawl configuration for ``InProcessTransport``: external links are not followed."""
    return {**values, "check_external": False}


def _run_loop(main: Callable[[], Awaitable[T]]) -> T:
    """Run the crawl's event loop. asgiref's async_to_sync rather than asyncio.run: the
    database work and the in-process transport's thread-sensitive calls come back to this
    thread (see above)."""
    return async_to_sync(main)()  # type: ignore[arg-type]


def _db(func: Callable[..., T]) -> Callable[..., Awaitable[T]]:
    """``func`` run from the event loop on the thread that started it: its connection, its
    transaction (Django refuses database work on the loop's own thread)."""
    return sync_to_async(func, thread_sensitive=True)


def run_config(run: CrawlRun) -> CrawlConfig:
    values = {k: v for k, v in run.config.items() if k in _CONFIG_FIELDS}
    for name in ("blocked_domains", "extra_hosts"):
        if name in values:
            values[name] = frozenset(values[name])
    return CrawlConfig(**values)


@transaction.atomic
def crawl_run_start(
    *,
    start_url: str,
    site: object | None = None,
    mode: str = CrawlRun.Mode.FULL,
    config: dict[str, object] | None = None,
) -> CrawlRun:
    url = normalize_url(start_url)
    if url is None:
        raise ValueError(f"not an http(s) address: {start_url!r}")
    previous = None
    if mode == CrawlRun.Mode.INCREMENTAL:
        previous = (
            CrawlRun.objects.filter(start_url=url, state=CrawlRun.State.FINISHED)
            .order_by("-finished_at")
            .first()
        )
    # Runs kept in the database scan what they fetch (issue 6, 检查 2) unless told otherwise;
    # the in-memory crawl (the crawl command, the bench) does not.
    config = {"scan_content": True, **(config or {})}
    if config["scan_content"] and CHECKS_FINGERPRINT not in config:
        # What the scan checked with, for the next nightly crawl to compare (nightly_mode).
        config[CHECKS_FINGERPRINT] = checks_fingerprint(scan_context(site))
    run = CrawlRun.objects.create(
        start_url=url, site=site, mode=mode, config=config, previous=previous
    )
    _queue(run, [(url, Kind.PAGE)])
    return run


def _queue(run: CrawlRun, items: Iterable[tuple[str, str]]) -> None:
    CrawlPage.objects.bulk_create(
        [CrawlPage(run=run, url=url, kind=kind) for url, kind in items], ignore_conflicts=True
    )


def release_stale_claims(run: CrawlRun, *, now: dt.datetime | None = None) -> int:
    """Give the claims of workers that died back to the queue."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return CrawlPage.objects.filter(
        run=run, state=CrawlPage.State.CLAIMED, claimed_at__lt=cutoff
    ).update(state=CrawlPage.State.QUEUED, claimed_by="", claimed_at=None)


def claim_batch(run: CrawlRun, *, size: int = BATCH_SIZE) -> list[CrawlPage]:
    token = uuid.uuid4().hex
    # Nothing from a run that is closed: a crawl_batch task left over from an abandoned run
    # stops at once.
    candidates = list(
        CrawlPage.objects.filter(
            run=run, state=CrawlPage.State.QUEUED, run__state=CrawlRun.State.RUNNING
        )
        .order_by("id")
        .values_list("id", flat=True)[:size]
    )
    if not candidates:
        return []
    # The conditional UPDATE is the claim: a row another worker took meanwhile no longer
    # matches state=queued and stays theirs.
    CrawlPage.objects.filter(id__in=candidates, state=CrawlPage.State.QUEUED).update(
        state=CrawlPage.State.CLAIMED, claimed_by=token, claimed_at=timezone.now()
    )
    return list(CrawlPage.objects.filter(id__in=candidates, claimed_by=token))


class ColumnIndex:
    """The column that owns an address: the deepest column page whose path is its prefix."""

    def __init__(self, run: CrawlRun) -> None:
        self.prefixes: list[tuple[str, int]] = []
        if run.site_id is None:
            return
        site = run.site
        assert site is not None  # noqa: S101 - site_id is set
        # The path under the site's root page, computed here rather than with get_url_parts:
        # that reads the site root paths from the shared cache, which another process (or a
        # test of another database) may have filled with other sites' ids.
        root_path = site.root_page.url_path
        columns = ColumnPage.objects.live().descendant_of(site.root_page, inclusive=True)
        for url_path, column_id in columns.values_list("url_path", "id"):
            self.prefixes.append(("/" + url_path[len(root_path) :], column_id))
        self.prefixes.sort(key=lambda item: len(item[0]), reverse=True)

    def column_for(self, url: str) -> int | None:
        path = unquote(urlsplit(url).path)
        for prefix, column_id in self.prefixes:
            if path.startswith(prefix):
                return column_id
        return None


async def _visit_all(
    run: CrawlRun, visitor: Visitor, pages: list[CrawlPage]
) -> list[tuple[UrlResult, list[FoundLink]]]:
    """Fetch a batch; in incremental mode with the validators of the previous run's pages."""
    previous = await _db(_validators)(run, pages)

    async def one(page: CrawlPage) -> tuple[UrlResult, list[FoundLink]]:
        headers = {}
        before = previous.get(page.url)
        if before is not None and before[0]:
            headers["If-None-Match"] = before[0]
        if before is not None and before[1]:
            headers["If-Modified-Since"] = before[1]
        result, links = await visitor.visit(page.url, page.kind, headers=headers or None)
        if result.status == 304 and before is not None:
            # A 304 need not repeat the validators; keep last run's so the next night asks again.
            result.etag = result.etag or before[0]
            result.last_modified = result.last_modified or before[1]
        return result, links

    return await asyncio.gather(*(one(page) for page in pages))


def _validators(run: CrawlRun, pages: list[CrawlPage]) -> dict[str, tuple[str, str]]:
    """ETag and Last-Modified of the batch's addresses in the previous run, by address. The
    Visitor sends them where it reads the body: pages, and the attachments it reads for the
    content scan (a HEAD check ignores them)."""
    if run.previous_id is None:
        return {}
    rows = CrawlPage.objects.filter(
        run_id=run.previous_id, url__in=[p.url for p in pages]
    ).values_list("url", "etag", "last_modified")
    return {url: (etag, last_modified) for url, etag, last_modified in rows}


def _process(
    run: CrawlRun,
    config: CrawlConfig,
    pages: list[CrawlPage],
    outcomes: list[tuple[UrlResult, list[FoundLink]]],
    columns: ColumnIndex,
    context: CheckContext | None,
) -> None:
    """Store a fetched batch: the pages' results, their links (queuing new addresses) and what
    the content scan finds (``context``: the site's checks, with config.scan_content)."""
    scope = SiteScope(run.start_url, config.extra_hosts)
    now = timezone.now()
    found: list[tuple[CrawlPage, FoundLink]] = []
    unchanged: list[CrawlPage] = []
    for page, (result, links) in zip(pages, outcomes, strict=True):
        page.status = result.status
        page.error = result.error or ""
        page.final_url = result.final_url[:2000]
        page.redirects = list(result.redirects)
        page.elapsed = result.elapsed
        page.content_type = result.content_type
        page.content_hash = result.content_hash
        page.title = result.title[:300]
        page.etag = result.etag
        page.last_modified = result.last_modified
        page.fetched_at = now
        page.state = CrawlPage.State.DONE
        if page.kind == Kind.PAGE:
            page.column_id = columns.column_for(page.url)
        if result.status == 304:
            page.unchanged = True
            unchanged.append(page)
        found.extend((page, link) for link in links)
    # The content scan reads the kept bodies before the transaction, so no lock is held while
    # it works.
    kept = [
        Fetched(page, result.content_type, result.body, truncated=result.error == "too_large")
        for page, (result, _) in zip(pages, outcomes, strict=True)
        if result.body is not None
    ]
    scanned = scan_fetched(kept, context) if kept and context is not None else []
    with transaction.atomic():
        _store_pages(pages)
        if unchanged and run.previous_id is not None:
            found.extend(_previous_links(run, unchanged))
        _record_links(run, config, scope, found)
        record_findings(run=run, scanned=scanned)
        if config.scan_content:
            carry_over_findings(run=run, pages=unchanged)


def _store_pages(pages: list[CrawlPage]) -> None:
    """Write the batch's results: an upsert on the primary key, which always finds the claimed
    row and so only updates it. One statement for a batch (two on SQLite, whose 999 parameters
    Django keeps to hold 49 rows of 20 columns), where bulk_update built a CASE per field and
    row."""
    CrawlPage.objects.bulk_create(
        pages, update_conflicts=True, unique_fields=["id"], update_fields=RESULT_FIELDS
    )


def _previous_links(run: CrawlRun, pages: list[CrawlPage]) -> list[tuple[CrawlPage, FoundLink]]:
    """Incremental mode: a page the server says is unchanged keeps last time's links."""
    by_url = {p.url: p for p in pages}
    old = CrawlLink.objects.filter(
        run_id=run.previous_id, source__url__in=list(by_url)
    ).values_list("source__url", "target__url", "anchor", "tag")
    return [(by_url[s], FoundLink(t, a, tag)) for s, t, a, tag in old]


def _record_links(
    run: CrawlRun,
    config: CrawlConfig,
    scope: SiteScope,
    found: list[tuple[CrawlPage, FoundLink]],
) -> None:
    if not found:
        return
    # Lock the run row so that the page limit holds with several workers inserting at once.
    CrawlRun.objects.select_for_update().filter(pk=run.pk).first()
    targets: dict[str, str] = {}
    for _, link in found:
        kind = scope.kind_of(link)
        if kind == Kind.EXTERNAL and not config.check_external:
            continue
        targets.setdefault(link.url, kind)
    known = dict(CrawlPage.objects.filter(run=run, url__in=list(targets)).values_list("url", "id"))
    new_pages = [u for u, k in targets.items() if u not in known and k == Kind.PAGE]
    if new_pages:
        room = config.max_pages - CrawlPage.objects.filter(run=run, kind=Kind.PAGE).count()
        for url in new_pages[max(room, 0) :]:
            targets[url] = Kind.RESOURCE  # over the limit: checked, not followed
    _queue(run, [(u, k) for u, k in targets.items() if u not in known])
    ids = dict(CrawlPage.objects.filter(run=run, url__in=list(targets)).values_list("url", "id"))
    CrawlLink.objects.bulk_create(
        [
            CrawlLink(
                run=run,
                source=page,
                target_id=ids[link.url],
                anchor=link.anchor[:200],
                tag=link.tag,
                kind=link_kind(link.tag, link.url),
                column_id=page.column_id,
            )
            for page, link in found
            if link.url in ids
        ],
        batch_size=500,
    )


def crawl_run_finish(run: CrawlRun) -> bool:
    """Close the run when nothing is queued or claimed; True for the one call that closed it."""
    busy = CrawlPage.objects.filter(
        run=run, state__in=[CrawlPage.State.QUEUED, CrawlPage.State.CLAIMED]
    )
    if busy.exists():
        return False
    with transaction.atomic():
        closed = CrawlRun.objects.filter(pk=run.pk, state=CrawlRun.State.RUNNING).update(
            state=CrawlRun.State.FINISHED, finished_at=timezone.now()
        )
        if closed:
            _attribute_units(run)
    return bool(closed)


# A link whose target answered 400 or more, or failed: lib.crawl's is_broken as a filter (robots
# and too_large are the crawler's own choice, not a fault of the link).
_BROKEN = Q(target__status__gte=400) | (
    ~Q(target__error="") & ~Q(target__error__in=sorted(NOT_BROKEN_ERRORS))
)


def broken_links(run: CrawlRun) -> list[CrawlLink]:
    links = (
        CrawlLink.objects.filter(run=run)
        .select_related("source", "target", "column")
        .prefetch_related("units")
    )
    return list(links.filter(_BROKEN).order_by("id"))


def _attribute_units(run: CrawlRun) -> None:
    """Each broken link goes to the units responsible for its column (栏目责任明细表)."""
    links = list(
        CrawlLink.objects.filter(run=run, column__isnull=False)
        .filter(_BROKEN)
        .values_list("id", "column_id")
    )
    if not links:
        return
    units = responsible_unit_ids(column_id for _, column_id in links)
    through = CrawlLink.units.through
    through.objects.bulk_create(
        [
            through(crawllink_id=link_id, unit_id=unit_id)
            for link_id, column_id in links
            for unit_id in units.get(column_id, [])
        ],
        ignore_conflicts=True,
    )


def crawl_run_work(
    run: CrawlRun,
    *,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    wait: bool = True,
    poll: float = 0.5,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """Claim and process batches until the run is done; returns the number of addresses this
    worker visited. Safe to run in any number of workers at once, and again after a crash.

    With ``wait`` a worker that finds the queue empty while others hold claims waits for them
    (their pages may add work, or their claims go stale); without, it returns. ``transport``
    replaces the network (``InProcessTransport``). One event loop, Fetcher and Visitor serve
    every batch of the call (see above)."""
    config = run_config(run)
    columns = ColumnIndex(run)
    context = scan_context(run.site) if config.scan_content else None

    async def main() -> int:
        visited = 0
        batches = 0
        async with config.fetcher(transport) as fetcher:
            visitor = Visitor(fetcher, config, SiteScope(run.start_url, config.extra_hosts))
            while max_batches is None or batches < max_batches:
                pages = await _db(_next_batch)(run, batch_size)
                if not pages:
                    if await _db(_closed)(run) or not wait:
                        break
                    await asyncio.sleep(poll)  # others still hold claims; their pages may add work
                    continue
                if config.use_sitemap and any(page.url == run.start_url for page in pages):
                    # Only the worker whose conditional UPDATE claimed the start page reads the
                    # sitemap, so two workers starting together do not both fetch it. A worker
                    # that dies first leaves the claim, and whoever takes it over seeds again
                    # (queuing is idempotent).
                    await _seed_sitemap(run, config, visitor)
                outcomes = await _visit_all(run, visitor, pages)
                await _db(_process)(run, config, pages, outcomes, columns, context)
                visited += len(pages)
                batches += 1
        return visited

    return _run_loop(main)


def _next_batch(run: CrawlRun, size: int) -> list[CrawlPage]:
    release_stale_claims(run)
    return claim_batch(run, size=size)


def _closed(run: CrawlRun) -> bool:
    """Whether the run is over: this call closed it, or it was closed already."""
    return crawl_run_finish(run) or run_is_finished(run)


def crawl_in_process(*, site: Any, config: dict[str, object] | None = None) -> CrawlRun:
    """Crawl a hosted site through this process's Django (``InProcessTransport``), to the end.

    For the demo, loaded before any server is up, and for tests; the nightly crawl of a running
    site goes over the network (``crawl_sites``)."""
    run = crawl_run_start(
        start_url=site.root_url + "/", site=site, config=in_process_config(**(config or {}))
    )
    transport = InProcessTransport([host_of(run.start_url)])
    crawl_run_work(run, transport=transport, wait=False)
    run.refresh_from_db()
    return run


def crawl_site_nightly(
    *, site: Any = None, start_url: str | None = None, now: dt.datetime | None = None
) -> tuple[CrawlRun, bool]:
    """The nightly crawl of a hosted site (or of `start_url`, a site the operator listed), over
    the network, for the next daily check (whose broken-link indicators read each site's newest
    finished crawl). Returns the run and whether this call worked on it.

    Safe to run twice: a site crawled to the end today is left alone, and a run of today still
    open (a worker died, or one is working on it) is resumed rather than started again; a run of
    an earlier day still open is closed as abandoned (``crawl_runs_abandon``).
    Incremental after the first run (unchanged pages and attachments answer 304 and keep their
    links and findings), full when the checks changed since the previous finished run and at
    least once a week (``nightly_mode``; the reason in the run's ``config["full_reason"]``)."""
    now = now or timezone.now()
    address = start_url or site.root_url + "/"
    normalized = normalize_url(address)
    if normalized is None:
        raise ValueError(f"not an http(s) address: {address!r}")
    today = _start_of_day(now)
    crawl_runs_abandon(start_url=normalized, before=today, now=now)
    today_runs = CrawlRun.objects.filter(start_url=normalized, started_at__gte=today).order_by(
        "-id"
    )
    run = today_runs.first()
    if run is not None and run.state == CrawlRun.State.FINISHED:
        return run, False
    if run is None:
        fingerprint = checks_fingerprint(scan_context(site))
        finished = CrawlRun.objects.filter(start_url=normalized, state=CrawlRun.State.FINISHED)
        previous = finished.order_by("-finished_at").first()
        # A run with nothing to compare with read everything, whatever its mode says.
        last_full = (
            finished.filter(Q(mode=CrawlRun.Mode.FULL) | Q(previous__isnull=True))
            .order_by("-started_at")
            .first()
        )
        mode, reason = nightly_mode(
            fingerprint=fingerprint,
            previous_fingerprint=previous.config.get(CHECKS_FINGERPRINT) if previous else None,
            last_full_day=timezone.localdate(last_full.started_at) if last_full else None,
            today=timezone.localdate(now),
        )
        config: dict[str, object] = {CHECKS_FINGERPRINT: fingerprint}
        if reason:
            config[FULL_REASON] = reason
        run = crawl_run_start(start_url=address, site=site, mode=mode, config=config)
    crawl_run_work(run)
    run.refresh_from_db()
    return run, True


def nightly_mode(
    *,
    fingerprint: str,
    previous_fingerprint: str | None,
    last_full_day: dt.date | None,
    today: dt.date,
) -> tuple[str, str]:
    """The mode of tonight's crawl and, for a full one, why (shown to the operator).

    Incremental keeps last run's findings on every page and attachment that answers 304, which
    is right only when they were found with the same checks: a word added to the lexicon (or
    any change ``checks_fingerprint`` sees) makes a full run, which reads everything again.
    Whatever happens, a full run at least every ``FULL_CRAWL_EVERY_DAYS`` days, so a page whose
    server answers 304 wrongly is not left unchecked for long (第二十二条 日监测读网)."""
    if last_full_day is None:
        return CrawlRun.Mode.FULL, "首次完整抓取：此前没有已完成的完整抓取。"
    if previous_fingerprint != fingerprint:
        return (
            CrawlRun.Mode.FULL,
            "内容检查的配置（敏感词库、可公开的联系电话和邮箱等）自上次抓取以来有变化，"
            "全部页面和附件重新检查。",
        )
    if (today - last_full_day).days >= FULL_CRAWL_EVERY_DAYS:
        return (
            CrawlRun.Mode.FULL,
            f"上次完整抓取在 {last_full_day:%Y-%m-%d}，已满 {FULL_CRAWL_EVERY_DAYS} 天，"
            "每周至少完整抓取一次。",
        )
    return CrawlRun.Mode.INCREMENTAL, ""


def crawl_runs_abandon(*, start_url: str, before: dt.datetime, now: dt.datetime) -> int:
    """Close the runs of ``start_url`` started before ``before`` that are still open with no
    worker on them (no claim younger than ``STALE_AFTER``); returns how many it closed.

    Such a run would stay 进行中 for ever, its queue never emptied. It becomes ``abandoned``
    (已中止), closed at ``now``, with the reason under ``config["abandoned"]``: the readers of
    finished runs (the broken-link and content rules, the next incremental run) take only
    ``finished`` ones, so none takes this one's partial results, and no worker claims from it."""
    working = CrawlPage.objects.filter(
        run=OuterRef("pk"), state=CrawlPage.State.CLAIMED, claimed_at__gte=now - STALE_AFTER
    )
    open_runs = CrawlRun.objects.filter(
        start_url=start_url, state=CrawlRun.State.RUNNING, started_at__lt=before
    ).exclude(Exists(working))
    closed = 0
    for run in open_runs:
        left = run.pages.exclude(state=CrawlPage.State.DONE).count()
        reason = (
            f"{timezone.localtime(now):%Y-%m-%d %H:%M} 开始新的夜间抓取时，本次抓取仍有 {left} 个"
            "地址未抓取且已无进程在抓取，已中止；断链和内容检查不采用本次结果。"
        )
        # Conditional: a worker that finished the run meanwhile keeps its result.
        closed += CrawlRun.objects.filter(pk=run.pk, state=CrawlRun.State.RUNNING).update(
            state=CrawlRun.State.ABANDONED,
            finished_at=now,
            config={**run.config, ABANDONED: reason},
        )
    return closed


def _start_of_day(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def run_is_finished(run: CrawlRun) -> bool:
    """True once the run is closed: finished, or abandoned by a later night."""
    return CrawlRun.objects.filter(pk=run.pk).exclude(state=CrawlRun.State.RUNNING).exists()


async def _seed_sitemap(run: CrawlRun, config: CrawlConfig, visitor: Visitor) -> None:
    urls = (await visitor.sitemap_urls(run.start_url))[: config.max_pages]
    await _db(_queue)(run, [(u, Kind.PAGE) for u in urls])
