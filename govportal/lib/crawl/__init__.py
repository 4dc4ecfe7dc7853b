"""The crawler and link checker: fetch a site's pages, follow its links, check every target."""

from govportal.lib.crawl.crawler import (
    NOT_BROKEN_ERRORS,
    BrokenLink,
    CrawlConfig,
    CrawlReport,
    Kind,
    LinkRecord,
    SiteScope,
    UrlResult,
    Visitor,
    crawl,
    is_broken,
    link_kind,
)
from govportal.lib.crawl.fetch import ERROR_LABELS, Fetcher, FetchResult, classify_error
from govportal.lib.crawl.urls import normalize_url

__all__ = [
    "ERROR_LABELS",
    "NOT_BROKEN_ERRORS",
    "BrokenLink",
    "CrawlConfig",
    "CrawlReport",
    "FetchResult",
    "Fetcher",
    "Kind",
    "LinkRecord",
    "SiteScope",
    "UrlResult",
    "Visitor",
    "classify_error",
    "crawl",
    "is_broken",
    "link_kind",
    "normalize_url",
]
