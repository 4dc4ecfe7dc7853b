"""Crawl a site and check every link on it.

Pages inside the site (its host, and any extra hosts that count as the site) are fetched and
their links followed; images, scripts, style sheets and attachments inside the site and every
link to another site are checked (HEAD, then GET when HEAD is refused) but not followed.
Every address is visited once per crawl, whatever number of pages link to it.

``Visitor.visit`` does the work for one address and is shared by the in-memory ``crawl``
below (the ``crawl`` command and the bench) and by the database-backed crawl of the
monitoring app, which hands out addresses to several workers.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from lxml import etree

from govportal.lib.crawl.decode import decode_html
from govportal.lib.crawl.extract import FoundLink, extract, looks_like_soft_404
from govportal.lib.crawl.fetch import ROBOTS_AGENT, Fetcher, FetchResult
from govportal.lib.crawl.urls import host_listed, host_of, normalize_url

__all__ = [
    "NOT_BROKEN_ERRORS",
    "BrokenLink",
    "CrawlConfig",
    "CrawlReport",
    "Kind",
    "LinkRecord",
    "SiteScope",
    "UrlResult",
    "Visitor",
    "crawl",
    "is_broken",
    "link_kind",
]


class Kind:
    PAGE = "page"  # inside the site and followed
    RESOURCE = "resource"  # inside the site, checked only (images, scripts, attachments)
    EXTERNAL = "external"  # another site, checked only


# Not a fault of the link: the crawler chose not to fetch, or read only part of a big page.
NOT_BROKEN_ERRORS = frozenset({"robots", "too_large"})
_ATTACHMENT = re.compile(
    r"\.(pdf|docx?|xlsx?|pptx?|wps|et|dps|ofd|txt|rtf|zip|rar|7z|csv)$", re.IGNORECASE
)
_FOLLOWED_TAGS = frozenset({"a", "area", "iframe", "frame"})
_SITEMAP_MAX = 50_000


def is_broken(status: int | None, error: str | None) -> bool:
    if error is not None:
        return error not in NOT_BROKEN_ERRORS
    return status is not None and status >= 400


def link_kind(tag: str, url: str) -> str:
    """image, attachment, page or resource: how a broken link is reported."""
    if tag == "img":
        return "image"
    if _ATTACHMENT.search(urlsplit(url).path):
        return "attachment"
    return "page" if tag in _FOLLOWED_TAGS else "resource"


@dataclass(frozen=True)
class CrawlConfig:
    max_pages: int = 10_000
    concurrency: int = 32
    per_host: int = 8
    rate: float | None = None  # request starts per second and host; None: no limit
    timeout: float = 10.0
    deadline: float = 30.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 10
    retries: int = 2
    backoff: float = 0.5
    respect_robots: bool = True
    use_sitemap: bool = True
    check_external: bool = True
    blocked_domains: frozenset[str] = frozenset()
    extra_hosts: frozenset[str] = frozenset()  # hosts that count as the same site
    # crawl() only: processes that fetch and parse (see workers.py). Concurrency, the per-host
    # limit and the rate are shared out between them, so the site sees the same load.
    processes: int = 1
    # Keep the body of each page inside the site and GET its attachments (up to max_bytes)
    # instead of a HEAD, for the content scan (monitoring/content_scan.py). Off by default:
    # a link check needs neither.
    scan_content: bool = False

    def share(self) -> CrawlConfig:
        """The settings of each of ``processes`` processes."""
        if self.processes <= 1:
            return self
        return dataclasses.replace(
            self,
            concurrency=max(1, self.concurrency // self.processes),
            per_host=max(1, self.per_host // self.processes),
            rate=self.rate / self.processes if self.rate else self.rate,
            processes=1,
        )

    def fetcher(self, transport: httpx.AsyncBaseTransport | None = None) -> Fetcher:
        """A Fetcher with these limits; ``transport`` replaces the network (see Fetcher)."""
        return Fetcher(
            timeout=self.timeout,
            deadline=self.deadline,
            max_bytes=self.max_bytes,
            max_redirects=self.max_redirects,
            per_host=self.per_host,
            rate=self.rate,
            retries=self.retries,
            backoff=self.backoff,
            transport=transport,
        )


@dataclass(slots=True)
class UrlResult:
    url: str
    kind: str
    status: int | None = None
    error: str | None = None
    final_url: str = ""
    redirects: tuple[str, ...] = ()
    elapsed: float = 0.0
    content_type: str = ""
    content_hash: str = ""
    title: str = ""
    etag: str = ""
    last_modified: str = ""
    encoding: str = ""
    # With CrawlConfig.scan_content: the body of a page or attachment inside the site (cut at
    # max_bytes when the error is too_large), for the content scan. None otherwise.
    body: bytes | None = None

    @property
    def broken(self) -> bool:
        return is_broken(self.status, self.error)


@dataclass(frozen=True, slots=True)
class LinkRecord:
    source: str
    target: str
    anchor: str
    tag: str


@dataclass(frozen=True, slots=True)
class BrokenLink:
    source: str
    target: str
    anchor: str
    tag: str
    kind: str  # link_kind
    status: int | None
    error: str | None
    final_url: str

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "source": self.source,
            "target": self.target,
            "anchor": self.anchor,
            "kind": self.kind,
        }
        if self.error is not None:
            data["error"] = self.error
        if self.status is not None:
            data["status"] = self.status
        if self.final_url and self.final_url != self.target:
            data["final_url"] = self.final_url
        return data


class SiteScope:
    """Which addresses belong to the crawled site."""

    def __init__(self, start_url: str, extra_hosts: Iterable[str] = ()) -> None:
        self.hosts = {host_of(start_url)} | {h.lower() for h in extra_hosts}

    def inside(self, url: str) -> bool:
        return host_of(url) in self.hosts

    def kind_of(self, link: FoundLink) -> str:
        if not self.inside(link.url):
            return Kind.EXTERNAL
        # A found link is normalised: no fragment, so its path ends at the first "?".
        if link.tag in _FOLLOWED_TAGS and not _ATTACHMENT.search(link.url.partition("?")[0]):
            return Kind.PAGE
        return Kind.RESOURCE


class Visitor:
    """Fetch one address and say what it links to."""

    def __init__(self, fetcher: Fetcher, config: CrawlConfig, scope: SiteScope) -> None:
        self.fetcher = fetcher
        self.config = config
        self.scope = scope
        self._robots: dict[str, RobotFileParser | None] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        if not self.config.respect_robots:
            return True
        host = host_of(url)
        lock = self._robots_locks.setdefault(host, asyncio.Lock())
        async with lock:
            if host not in self._robots:
                self._robots[host] = await self._load_robots(url)
        parser = self._robots[host]
        return parser is None or parser.can_fetch(ROBOTS_AGENT, url)

    async def _load_robots(self, url: str) -> RobotFileParser | None:
        parts = urlsplit(url)
        fetched = await self.fetcher.fetch(
            f"{parts.scheme}://{parts.netloc}/robots.txt", any_type=True
        )
        # No robots.txt, or one that cannot be read: everything may be fetched.
        if fetched.error or fetched.status != 200 or fetched.body is None:
            return None
        parser = RobotFileParser()
        parser.parse(fetched.body.decode("utf-8", "replace").splitlines())
        return parser

    async def sitemap_urls(self, start_url: str) -> list[str]:
        """Addresses inside the site listed in /sitemap.xml (and the sitemaps it lists)."""
        parts = urlsplit(start_url)
        queue = [f"{parts.scheme}://{parts.netloc}/sitemap.xml"]
        found: list[str] = []
        for sitemap in queue[:20]:
            fetched = await self.fetcher.fetch(sitemap, any_type=True)
            if fetched.error or fetched.status != 200 or not fetched.body:
                continue
            try:
                root = etree.fromstring(
                    fetched.body, parser=etree.XMLParser(recover=True, resolve_entities=False)
                )
            except etree.XMLSyntaxError:
                continue
            if root is None:
                continue
            for loc in root.iter("{*}loc"):
                url = normalize_url(loc.text or "", sitemap)
                if url is None or not self.scope.inside(url):
                    continue
                if str(root.tag).endswith("sitemapindex"):
                    queue.append(url)
                elif len(found) < _SITEMAP_MAX:
                    found.append(url)
        return found

    async def visit(
        self, url: str, kind: str, *, headers: dict[str, str] | None = None
    ) -> tuple[UrlResult, list[FoundLink]]:
        """``headers`` make a conditional GET (If-None-Match, If-Modified-Since) of a page or of
        an attachment read for the content scan: 304 is fine. A HEAD check sends none."""
        host = urlsplit(url).hostname or ""
        if host_listed(host, self.config.blocked_domains):
            # 第十九条: 不得与不良网站、非法网站建立链接. Not fetched at all.
            return UrlResult(url, kind, error="blocked_domain", final_url=url), []
        if kind == Kind.PAGE:
            if not await self.allowed(url):
                return UrlResult(url, kind, error="robots", final_url=url), []
            # The scan also reads what a followed link serves that is not HTML (an attachment
            # at an address without an extension, /documents/12/download).
            fetched = await self.fetcher.fetch(
                url, headers=headers, any_type=self.config.scan_content
            )
        elif self._scanned_attachment(url, kind):
            fetched = await self.fetcher.fetch(url, headers=headers, any_type=True)
        else:
            fetched = await self.fetcher.check(url, read_body=kind == Kind.EXTERNAL)
        result = _result(url, kind, fetched)
        if (
            self.config.scan_content
            and fetched.body is not None
            and result.status == 200
            and kind != Kind.EXTERNAL
            and self.scope.inside(fetched.final_url)
        ):
            result.body = fetched.body
        links: list[FoundLink] = []
        if fetched.body is not None and fetched.is_html and result.status == 200:
            text, result.encoding = decode_html(fetched.body, fetched.content_type)
            content = extract(text, fetched.final_url)
            result.title = content.title
            if looks_like_soft_404(content):
                result.error = "soft_404"
            elif kind == Kind.PAGE and self.scope.inside(fetched.final_url):
                links = content.links
        return result, links

    def _scanned_attachment(self, url: str, kind: str) -> bool:
        """An attachment inside the site, read whole for the content scan."""
        return (
            self.config.scan_content
            and kind == Kind.RESOURCE
            and _ATTACHMENT.search(url.partition("?")[0]) is not None
        )


def _result(url: str, kind: str, fetched: FetchResult) -> UrlResult:
    error = fetched.error
    if error is None and fetched.truncated:
        error = "too_large"
    return UrlResult(
        url=url,
        kind=kind,
        status=fetched.status,
        error=error,
        final_url=fetched.final_url,
        redirects=tuple(fetched.redirects),
        elapsed=fetched.elapsed,
        content_type=fetched.content_type[:100],
        content_hash=fetched.content_hash,
        etag=fetched.etag[:200],
        last_modified=fetched.last_modified[:100],
    )


@dataclass(repr=False)
class CrawlReport:
    start_url: str
    results: dict[str, UrlResult] = field(default_factory=dict)
    links: list[LinkRecord] = field(default_factory=list)

    def __repr__(self) -> str:
        # Short: asyncio.run() formats the finished task's result when it restores the SIGINT
        # handler (signal.getsignal); the default repr of a big crawl took a second there.
        return f"CrawlReport({self.start_url!r}, {len(self.results)} addresses, {len(self.links)} links)"

    @property
    def pages(self) -> int:
        return sum(1 for r in self.results.values() if r.kind == Kind.PAGE)

    def broken_links(self) -> list[BrokenLink]:
        broken = []
        for link in self.links:
            result = self.results.get(link.target)
            if result is None or not result.broken:
                continue
            broken.append(
                BrokenLink(
                    source=link.source,
                    target=link.target,
                    anchor=link.anchor,
                    tag=link.tag,
                    kind=link_kind(link.tag, link.target),
                    status=result.status,
                    error=result.error,
                    final_url=result.final_url,
                )
            )
        return broken

    def start_result(self) -> UrlResult | None:
        return self.results.get(self.start_url)


ProgressCallback = Callable[[int, int, int], None]  # visited, known, broken


async def crawl(
    start_url: str,
    config: CrawlConfig | None = None,
    *,
    on_progress: ProgressCallback | None = None,
    progress_every: int = 200,
) -> CrawlReport:
    """Crawl the site of ``start_url`` in memory and return every address and link."""
    config = config or CrawlConfig()
    start = normalize_url(start_url)
    if start is None:
        raise ValueError(f"not an http(s) address: {start_url!r}")
    scope = SiteScope(start, config.extra_hosts)
    report = CrawlReport(start_url=start)
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    seen: set[str] = set()
    pages = 0
    visited = 0
    broken = 0

    def enqueue(url: str, kind: str) -> None:
        nonlocal pages
        if url in seen:
            return
        if kind == Kind.PAGE:
            if pages >= config.max_pages:
                kind = Kind.RESOURCE  # over the limit: checked, not followed
            else:
                pages += 1
        elif kind == Kind.EXTERNAL and not config.check_external:
            return
        seen.add(url)
        queue.put_nowait((url, kind))

    # Processes beyond this one are helpers (workers.py). No more of them than the per-host
    # limit, which is shared out: each process takes at most share.concurrency addresses.
    processes = max(1, min(config.processes, config.per_host))
    share = dataclasses.replace(config, processes=processes).share()
    # Imported here: ``python -m govportal.lib.crawl.workers`` must not find it imported.
    from govportal.lib.crawl.workers import HelperGone, RemoteVisitor

    helpers = [RemoteVisitor(share, start) for _ in range(processes - 1)]
    tasks: list[asyncio.Task[None]] = []

    async with share.fetcher() as fetcher:
        visitor = Visitor(fetcher, share, scope)

        async def worker(
            visit: Callable[[str, str], Awaitable[tuple[UrlResult, list[FoundLink]]]],
        ) -> None:
            nonlocal visited, broken
            while True:
                url, kind = await queue.get()
                try:
                    try:
                        result, links = await visit(url, kind)
                    except HelperGone:
                        result, links = await visitor.visit(url, kind)
                    report.results[url] = result
                    for link in links:
                        report.links.append(LinkRecord(url, link.url, link.anchor, link.tag))
                        enqueue(link.url, scope.kind_of(link))
                    visited += 1
                    broken += result.broken
                    if on_progress is not None and visited % progress_every == 0:
                        on_progress(visited, len(seen), broken)
                finally:
                    queue.task_done()

        async def helper_workers(helper: RemoteVisitor) -> None:
            await helper.start()
            if await helper.wait_ready():
                tasks.extend(
                    asyncio.create_task(worker(helper.visit)) for _ in range(share.concurrency)
                )

        try:
            tasks.extend(asyncio.create_task(helper_workers(helper)) for helper in helpers)
            enqueue(start, Kind.PAGE)
            if config.use_sitemap:
                for url in await visitor.sitemap_urls(start):
                    enqueue(url, Kind.PAGE)
            tasks.extend(
                asyncio.create_task(worker(visitor.visit)) for _ in range(share.concurrency)
            )
            await queue.join()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for helper in helpers:
                await helper.close()
    if on_progress is not None:
        on_progress(visited, len(seen), broken)
    return report
