"""The database-backed crawl: the frontier lives in ``CrawlPage``, so several workers share one
run and a run killed halfway resumes where it stopped.

A worker claims a batch of queued addresses with a conditional UPDATE (``state = queued`` in
the WHERE clause, its own token in SET): of two workers racing for an address exactly one
updates the row, so no address is fetched twice. Claims older than ``STALE_AFTER`` belong to a
worker that died; they go back to the queue. New addresses are inserted with
``ignore_conflicts`` on the (run, url) constraint, so none is queued twice either.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import time
import uuid
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from govportal.core.models import ColumnPage
from govportal.lib.crawl import CrawlConfig, Kind, SiteScope, UrlResult, Visitor, link_kind
from govportal.lib.crawl.extract import FoundLink
from govportal.lib.crawl.urls import normalize_url
from govportal.monitoring.models import CrawlLink, CrawlPage, CrawlRun

__all__ = [
    "STALE_AFTER",
    "claim_batch",
    "crawl_run_finish",
    "crawl_run_start",
    "crawl_run_work",
    "release_stale_claims",
]

STALE_AFTER = dt.timedelta(minutes=10)
BATCH_SIZE = 50
_CONFIG_FIELDS = {f.name for f in dataclasses.fields(CrawlConfig)}


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
    run = CrawlRun.objects.create(
        start_url=url, site=site, mode=mode, config=config or {}, previous=previous
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
    candidates = list(
        CrawlPage.objects.filter(run=run, state=CrawlPage.State.QUEUED)
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
        columns = ColumnPage.objects.live().descendant_of(site.root_page, inclusive=True)
        for column in columns.specific(defer=True).only("id", "url_path"):
            parts = column.get_url_parts()
            if parts is not None and parts[0] == site.id:
                self.prefixes.append((parts[2], column.id))
        self.prefixes.sort(key=lambda item: len(item[0]), reverse=True)

    def column_for(self, url: str) -> int | None:
        path = unquote(urlsplit(url).path)
        for prefix, column_id in self.prefixes:
            if path.startswith(prefix):
                return column_id
        return None


def _visit_all(
    run: CrawlRun, config: CrawlConfig, pages: list[CrawlPage]
) -> list[tuple[UrlResult, list[FoundLink]]]:
    previous = {}
    if run.previous_id is not None:
        previous = {
            p.url: p
            for p in CrawlPage.objects.filter(
                run_id=run.previous_id, url__in=[p.url for p in pages], kind=Kind.PAGE
            ).only("url", "etag", "last_modified")
        }

    async def main() -> list[tuple[UrlResult, list[FoundLink]]]:
        async with config.fetcher() as fetcher:
            visitor = Visitor(fetcher, config, SiteScope(run.start_url, config.extra_hosts))

            async def one(page: CrawlPage) -> tuple[UrlResult, list[FoundLink]]:
                headers = {}
                before = previous.get(page.url)
                if before is not None and before.etag:
                    headers["If-None-Match"] = before.etag
                if before is not None and before.last_modified:
                    headers["If-Modified-Since"] = before.last_modified
                return await visitor.visit(page.url, page.kind, headers=headers or None)

            return await asyncio.gather(*(one(page) for page in pages))

    return asyncio.run(main())


def _process(
    run: CrawlRun, config: CrawlConfig, pages: list[CrawlPage], columns: ColumnIndex
) -> None:
    outcomes = _visit_all(run, config, pages)
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
    with transaction.atomic():
        CrawlPage.objects.bulk_update(
            pages,
            [
                "status", "error", "final_url", "redirects", "elapsed", "content_type",
                "content_hash", "title", "etag", "last_modified", "fetched_at", "state",
                "column", "unchanged",
            ],
        )  # fmt: skip
        if unchanged and run.previous_id is not None:
            found.extend(_previous_links(run, unchanged))
        _record_links(run, config, scope, found)


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


def broken_links(run: CrawlRun) -> list[CrawlLink]:
    links = CrawlLink.objects.filter(run=run).select_related("source", "target", "column")
    broken = Q(target__status__gte=400) | (
        ~Q(target__error="") & ~Q(target__error__in=["robots", "too_large"])
    )
    return list(links.filter(broken).order_by("id"))


def _attribute_units(run: CrawlRun) -> None:
    """Each broken link goes to the units responsible for its column (栏目责任明细表)."""
    through = CrawlLink.units.through
    rows = []
    unit_cache: dict[int, list[int]] = {}
    for link in broken_links(run):
        if link.column_id is None:
            continue
        if link.column_id not in unit_cache:
            unit_cache[link.column_id] = list(
                ColumnPage.objects.get(pk=link.column_id).responsible_units.values_list(
                    "id", flat=True
                )
            )
        rows += [through(crawllink_id=link.id, unit_id=u) for u in unit_cache[link.column_id]]
    through.objects.bulk_create(rows, ignore_conflicts=True)


def crawl_run_work(
    run: CrawlRun,
    *,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    wait: bool = True,
    poll: float = 0.5,
) -> int:
    """Claim and process batches until the run is done; returns the number of addresses this
    worker visited. Safe to run in any number of workers at once, and again after a crash.

    With ``wait`` a worker that finds the queue empty while others hold claims waits for them
    (their pages may add work, or their claims go stale); without, it returns."""
    config = run_config(run)
    columns = ColumnIndex(run)
    if (
        config.use_sitemap
        and not CrawlPage.objects.filter(run=run).exclude(state=CrawlPage.State.QUEUED).exists()
    ):
        _seed_sitemap(run, config)
    visited = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        release_stale_claims(run)
        pages = claim_batch(run, size=batch_size)
        if not pages:
            if crawl_run_finish(run) or run_is_finished(run) or not wait:
                break
            time.sleep(poll)  # others still hold claims; their pages may add work
            continue
        _process(run, config, pages, columns)
        visited += len(pages)
        batches += 1
    return visited


def run_is_finished(run: CrawlRun) -> bool:
    return CrawlRun.objects.filter(pk=run.pk, state=CrawlRun.State.FINISHED).exists()


def _seed_sitemap(run: CrawlRun, config: CrawlConfig) -> None:
    async def main() -> list[str]:
        async with config.fetcher() as fetcher:
            visitor = Visitor(fetcher, config, SiteScope(run.start_url, config.extra_hosts))
            return await visitor.sitemap_urls(run.start_url)

    urls = asyncio.run(main())[: config.max_pages]
    _queue(run, [(u, Kind.PAGE) for u in urls])
