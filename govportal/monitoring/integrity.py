"""Availability (站点无法访问), page elements and tamper detection (防篡改, 第十八条).

Pure parts first (no database): the failure share of stored probes for a date, the main content
region of a page as comparable text, the page elements found in a page's HTML. Then the services
(keyword-only, one state change each): probe a site, fingerprint a published page, check the
live pages against their fingerprints, raise an alert, restore the published version, and check
the page elements. See docs/integrity.md for the design and the reasons behind it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import random
import re
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task
from lxml import etree
from lxml import html as lxml_html
from wagtail.models import Page, PageViewRestriction, Revision, Site

from govportal.accounts.roles import Role
from govportal.lib.crawl.fetch import ERROR_LABELS, Fetcher
from govportal.monitoring.models import (
    AvailabilityProbe,
    ElementCheck,
    Indicator,
    IntegrityAlert,
    IntegrityCheck,
    PageFingerprint,
    ProbeTarget,
)

logger = logging.getLogger(__name__)

# 国办秘函〔2019〕19号 单项否决“站点无法访问”: 监测1周，每天不少于20次，超过15秒未打开为失败，
# 累计失败比例≥5%即否决. The Indicator row holds these numbers; these are the fallbacks.
DEFAULT_THRESHOLDS: dict[str, Any] = {
    "days": 7,
    "visits_per_day": 20,
    "timeout_seconds": 15,
    "failure_share": 0.05,
}


# === Availability: pure ========================================================================


@dataclass(frozen=True)
class ProbeRecord:
    at: dt.datetime
    ok: bool


@dataclass(frozen=True)
class AvailabilityMeasure:
    """The failure share of one target over the window before `today`."""

    first_day: dt.date
    last_day: dt.date
    probes: int
    failures: int
    short_days: tuple[tuple[dt.date, int], ...]  # days with fewer visits than required

    @property
    def share(self) -> float | None:
        return self.failures / self.probes if self.probes else None

    @property
    def complete(self) -> bool:
        return self.probes > 0 and not self.short_days


def availability_window(today: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """The `days` full days before `today` (监测时间点前1周): today itself is still running."""
    return today - dt.timedelta(days=days), today - dt.timedelta(days=1)


def availability_measure(
    probes: Iterable[ProbeRecord],
    *,
    today: dt.date,
    days: int = 7,
    visits_per_day: int = 20,
    tz: dt.tzinfo | None = None,
) -> AvailabilityMeasure:
    """Failure share over the window; each day must have `visits_per_day` visits to count."""
    first, last = availability_window(today, days)
    zone = tz or timezone.get_current_timezone()
    per_day: dict[dt.date, int] = {}
    total = failures = 0
    for probe in probes:
        day = probe.at.astimezone(zone).date()
        if not first <= day <= last:
            continue
        per_day[day] = per_day.get(day, 0) + 1
        total += 1
        failures += not probe.ok
    short = tuple(
        (day, per_day.get(day, 0))
        for day in (first + dt.timedelta(days=n) for n in range(days))
        if per_day.get(day, 0) < visits_per_day
    )
    return AvailabilityMeasure(first, last, total, failures, short)


# === Main content region: pure =================================================================

# The region a fingerprint covers: an element the template marks data-integrity="content", else
# <main>, else <body>. Inside it, what legitimately changes when *other* pages publish, with the
# date, or per request is left out (docs/integrity.md, "What a fingerprint covers"):
SKIP_TAGS = frozenset(
    {
        "nav",  # breadcrumbs, side menus, pagination: built from other pages' titles
        "form",  # CSRF tokens, the visitor's query echoed back
        "input",
        "select",
        "textarea",
        "button",
        "noscript",
        "template",
        "style",
    }
)
SKIP_CLASSES = frozenset(
    {
        # Lists of other pages: change whenever one of them is published or withdrawn.
        "news-list",
        "article-list",
        "headline",
        "panel",
        "picture-news",
        "subcolumns",
        "listing",
        "catalogue-table",
        "catalogue-export",
        "related-documents",
        "related-interpretations",
        "search-results",
        "pagination",
        "pagination-info",
        # Change with archiving (第十五条) or a policy's validity date, not with a publication.
        "archived-banner",
        "validity-banner",
        # "返回 <column>": changes when the column is renamed.
        "article-tools",
    }
)
# Addresses that matter: a swapped link target or an injected script is tampering (挂马).
_URL_ATTRS = {
    "a": "href",
    "img": "src",
    "iframe": "src",
    "script": "src",
    "embed": "src",
    "object": "data",
    "source": "src",
    "video": "src",
    "audio": "src",
    "link": "href",
}
_SPACE = re.compile(r"\s+")


def _own_url(value: str, own_hosts: Collection[str]) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme in ("http", "https") and parts.netloc.lower() in own_hosts:
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return value.strip()


def _skipped(element: Any) -> bool:
    if not isinstance(element.tag, str):
        return False
    if element.tag in SKIP_TAGS or element.get("data-integrity") == "skip":
        return True
    return bool(SKIP_CLASSES.intersection((element.get("class") or "").split()))


def _parse(html: str | bytes) -> Any:
    if not html or not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def content_region(html: str | bytes, *, own_hosts: Collection[str] = ()) -> str:
    """The page's own content as comparable text: one line per text run or address.

    Whitespace is collapsed; addresses on the site's own hosts are reduced to their path, so an
    in-process render and the public response compare equal.
    """
    doc = _parse(html)
    if doc is None:
        return ""
    hosts = {h.lower() for h in own_hosts}
    root = next(
        iter(doc.xpath('//*[@data-integrity="content"]') or doc.xpath("//main")),
        doc.find("body") if doc.find("body") is not None else doc,
    )
    lines: list[str] = []

    def walk(element: Any) -> None:
        if _skipped(element):
            if element.tail and (tail := _SPACE.sub(" ", element.tail).strip()):
                lines.append(tail)
            return
        if isinstance(element.tag, str):
            attr = _URL_ATTRS.get(element.tag)
            if attr and element.get(attr):
                lines.append(f"[{element.tag} {_own_url(element.get(attr), hosts)}]")
            if element.tag == "img" and element.get("alt"):
                lines.append(f"[alt {element.get('alt').strip()}]")
            if element.text and (text := _SPACE.sub(" ", element.text).strip()):
                lines.append(text)
            for child in element:
                walk(child)
        if element is not root and element.tail and (tail := _SPACE.sub(" ", element.tail).strip()):
            lines.append(tail)

    walk(root)
    return "\n".join(lines)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def region_diff(expected: str, live: str, *, limit: int = 200) -> list[str]:
    """A unified diff of two regions, for the alert screen and the e-mail."""
    import difflib

    diff = difflib.unified_diff(
        expected.splitlines(), live.splitlines(), "已发布", "线上", lineterm="", n=1
    )
    return list(diff)[:limit]


# === Page elements: pure =======================================================================

_SITE_CODE = re.compile(r"网站标识码\s*[:：]?\s*(bm\d{8}|\d{10})")
_ICP = re.compile(r"[\u4e00-\u9fa5]ICP备\d{6,}号")
_POLICE = re.compile(r"[\u4e00-\u9fa5]公网安备\s*\d{10,}号")

ELEMENT_LABELS = {
    "site_code": "网站标识码",
    "icp": "ICP备案号",
    "police": "公安机关备案号",
    "party_mark": "党政机关网站标识",
    "error_report": "“我为政府网站找错”入口",
    "search": "站内搜索框",
    "site_map": "网站地图链接",
}
FOOTER_IDENTIFIERS = ("site_code", "icp", "police", "party_mark")


@dataclass(frozen=True)
class PageElements:
    """Which required elements one page shows, and where its search form and site map point."""

    found: frozenset[str]
    search_action: str = ""
    search_field: str = ""
    site_map_href: str = ""

    def missing(self, keys: Iterable[str]) -> list[str]:
        return [k for k in keys if k not in self.found]


def page_elements(html: str | bytes) -> PageElements:
    """Find the footer identifiers, the 找错 entry, a search form and a site-map link.

    Judged on the rendered HTML as a visitor receives it (国办发〔2017〕47号 底部功能区).
    """
    doc = _parse(html)
    if doc is None:
        return PageElements(found=frozenset())
    found: set[str] = set()
    text = _SPACE.sub(" ", doc.text_content())
    if _SITE_CODE.search(text):
        found.add("site_code")
    if _ICP.search(text):
        found.add("icp")
    if _POLICE.search(text):
        found.add("police")
    for img in doc.iter("img"):
        if "党政机关网站标识" in (img.get("alt") or "") or "dzjg" in (img.get("src") or ""):
            found.add("party_mark")
    site_map_href = ""
    for link in doc.iter("a"):
        label = _SPACE.sub("", link.text_content())
        href = (link.get("href") or "").strip()
        if "我为政府网站找错" in label and href:
            found.add("error_report")
        if label == "网站地图" and href and not site_map_href:
            site_map_href = href
            found.add("site_map")
    search_action = search_field = ""
    for form in doc.iter("form"):
        fields = [
            i
            for i in form.iter("input")
            if (i.get("type") or "text").lower() in ("search", "text") and i.get("name")
        ]
        if fields and (form.get("role") == "search" or "search" in (form.get("action") or "")):
            search_action = form.get("action") or ""
            search_field = fields[0].get("name") or "q"
            found.add("search")
            break
    return PageElements(frozenset(found), search_action, search_field, site_map_href)


def sample_pages(paths: Sequence[str], *, today: dt.date, size: int) -> list[str]:
    """A reproducible sample of page addresses for a date (the same date, the same pages)."""
    if len(paths) <= size:
        return list(paths)
    return sorted(random.Random(today.toordinal()).sample(list(paths), size))  # noqa: S311


# === Fetching live responses ===================================================================


@dataclass
class LiveResponse:
    url: str
    status: int | None = None
    error: str = ""
    body: bytes = b""
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and self.status < 400

    @property
    def problem(self) -> str:
        if self.error:
            return ERROR_LABELS.get(self.error, self.error)
        return f"HTTP {self.status}"


def fetch_http(urls: Sequence[str], *, timeout: float, concurrency: int = 4) -> list[LiveResponse]:
    """GET each address (the crawler's fetcher: redirects, size limit, error kinds)."""

    async def run() -> list[LiveResponse]:
        async with Fetcher(
            timeout=timeout, deadline=timeout, retries=0, per_host=concurrency
        ) as fetcher:
            slots = asyncio.Semaphore(concurrency)

            async def one(url: str) -> LiveResponse:
                # The time limit starts when the request does, not while it waits for a slot.
                async with slots:
                    started = time.monotonic()
                    try:
                        # Redirects included, the whole visit must finish in time.
                        async with asyncio.timeout(timeout):
                            result = await fetcher.fetch(url, any_type=False)
                    except TimeoutError:
                        elapsed = time.monotonic() - started
                        return LiveResponse(url, error="timeout", elapsed=elapsed)
                return LiveResponse(
                    url,
                    status=result.status,
                    error=result.error or "",
                    body=result.body or b"",
                    elapsed=result.elapsed,
                )

            return list(await asyncio.gather(*(one(u) for u in urls)))

    return asyncio.run(run())


def fetch_in_process(site: Site, paths: Sequence[str]) -> list[LiveResponse]:
    """Render through Django's test client: the same URL routing, middleware and templates,
    without the web server in front (used when no public address is configured)."""
    from django.test import Client

    host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    client = Client(HTTP_HOST=host)
    responses = []
    for path in paths:
        started = time.monotonic()
        try:
            response = client.get(path)
        except Exception as exc:  # a page that fails to render is recorded, not fatal
            logger.warning("render of %s failed: %s", path, exc)
            responses.append(LiveResponse(path, status=500, elapsed=time.monotonic() - started))
            continue
        body = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
        responses.append(
            LiveResponse(path, response.status_code, body=body, elapsed=time.monotonic() - started)
        )
    return responses


# === Availability: services ====================================================================


def indicator_thresholds(rule_kind: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The thresholds of the active indicator row of this rule kind, over the defaults."""
    row = (
        Indicator.objects.filter(rule_kind=rule_kind, active=True)
        .order_by("-pk")
        .values_list("thresholds", flat=True)
        .first()
    )
    return {**defaults, **(row or {})}


def probe_timeout() -> float:
    return float(indicator_thresholds("site_unreachable", DEFAULT_THRESHOLDS)["timeout_seconds"])


def targets_ensure() -> list[ProbeTarget]:
    """Active targets; with none configured, one per hosted site from SITE_URL / the site root.

    The default keeps a fresh installation measuring instead of staying 未测; the operator
    replaces it with the public address in the admin.
    """
    targets = list(ProbeTarget.objects.filter(active=True))
    if targets or ProbeTarget.objects.exists():
        return targets
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return []
    base = getattr(settings, "SITE_URL", "") or site.root_url
    target, _ = ProbeTarget.objects.get_or_create(
        base_url=base.rstrip("/") + "/",
        defaults={"name": site.site_name or site.hostname, "site": site},
    )
    return [target]


@transaction.atomic
def probe_record(
    *, target: ProbeTarget, response: LiveResponse, now: dt.datetime, timeout: float
) -> AvailabilityProbe:
    """Store one visit. A failure: no complete answer within `timeout`, a connection error, or
    an error status (4xx/5xx: the home page did not open for the visitor)."""
    in_time = response.elapsed <= timeout
    return AvailabilityProbe.objects.create(
        target=target,
        at=now,
        ok=response.ok and in_time,
        status_code=response.status,
        error=response.error or ("" if in_time else "timeout"),
        elapsed_ms=round(response.elapsed * 1000),
    )


def probe_availability(
    *, now: dt.datetime | None = None, timeout: float | None = None
) -> list[AvailabilityProbe]:
    """One visit of each active target's home page (run every N minutes by cron/the worker)."""
    now = now or timezone.now()
    timeout = probe_timeout() if timeout is None else timeout
    targets = targets_ensure()
    if not targets:
        return []
    responses = fetch_http([t.base_url for t in targets], timeout=timeout)
    return [
        probe_record(target=t, response=r, now=now, timeout=timeout)
        for t, r in zip(targets, responses, strict=True)
    ]


def availability_by_day(
    target: ProbeTarget, *, first: dt.date, last: dt.date
) -> list[tuple[dt.date, int, int]]:
    """(day, probes, failures) per day for the admin list."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    counts: dict[dt.date, tuple[int, int]] = {}
    for at, ok in target.probes.filter(at__gte=start, at__lt=end).values_list("at", "ok"):
        day = at.astimezone(zone).date()
        probes, failures = counts.get(day, (0, 0))
        counts[day] = (probes + 1, failures + (not ok))
    days = (last - first).days + 1
    rows = []
    for n in range(days):
        day = last - dt.timedelta(days=n)
        probes, failures = counts.get(day, (0, 0))
        rows.append((day, probes, failures))
    return rows


# === Fingerprints ==============================================================================


def own_hosts(site: Site | None, *extra_urls: str) -> set[str]:
    hosts = {"testserver", "localhost"}
    if site is not None:
        hosts |= {site.hostname.lower(), f"{site.hostname.lower()}:{site.port}"}
    for url in extra_urls:
        if url:
            hosts.add(urlsplit(url).netloc.lower())
    return hosts


def published_digest(page: Page) -> str:
    """What must be online: the live revision's content digest (as approvals record it), or,
    for a page put online without revisions (system jobs), the digest of its stored content."""
    from govportal.content import review

    revision = page.live_revision
    if revision is not None:
        return review.revision_digest(revision)
    return review._digest(review.public_content(page))


def render_published(page: Page) -> str:
    """Render what the page published, in process: the live revision (not the page's row, which
    is what tampering changes), through the full middleware chain as a visitor's request."""
    revision = page.live_revision
    obj = revision.as_object() if revision is not None else page.specific
    response = obj.make_preview_request()
    if response.status_code >= 400:
        raise RuntimeError(f"页面渲染失败（HTTP {response.status_code}）")
    return response.content.decode(response.charset or "utf-8", errors="replace")


def page_path(page: Page, site: Site | None = None) -> str:
    parts = page.get_url_parts()
    if parts is None:
        return ""
    return str(parts[2] or "/")


def revision_snapshot(page: Page) -> Page:
    """Give a live page without revisions (put online by a system job with add_child) a
    revision of what it shows now, as its live revision: the published version a restore puts
    back. Trust on first use: this records the row as it stands at the first check."""
    specific = page.specific
    now = timezone.now()
    revision = Revision.objects.create(
        content_type_id=specific.content_type_id,
        base_content_type_id=specific.get_base_content_type().pk,
        object_id=str(page.pk),
        created_at=now,
        object_str=str(specific)[:255],
        content=specific.serializable_data(),
    )
    # Bookkeeping fields only (exempt from review); a queryset update sends no save signals.
    Page.objects.filter(pk=page.pk).update(
        live_revision=revision, latest_revision=revision, latest_revision_created_at=now
    )
    return Page.objects.select_related("live_revision").get(pk=page.pk)


def _system_job_active() -> bool:
    """Pages put online by system jobs (demo loader, test helpers) under review_bypass are
    fingerprinted on demand by the next check instead of during the job."""
    from govportal.content.review import review_bypass_active

    return review_bypass_active()


@transaction.atomic
def fingerprint_take(
    *,
    page: Page,
    source: str,
    now: dt.datetime | None = None,
    html: str | None = None,
    hosts: Collection[str] = (),
) -> PageFingerprint:
    """Store what the page publishes now: its region text, SHA-256 and the content digest."""
    page = Page.objects.select_related("live_revision").get(pk=page.pk)
    if page.live_revision_id is None:
        page = revision_snapshot(page)
    site = page.get_site()
    html = render_published(page) if html is None else html
    text = content_region(html, own_hosts=set(hosts) | own_hosts(site))
    fingerprint, _ = PageFingerprint.objects.update_or_create(
        page=page,
        defaults={
            "revision_id": page.live_revision_id or 0,
            "content_digest": published_digest(page),
            "sha256": text_sha256(text),
            "text": text,
            "url": page_path(page),
            "source": source,
            "created_at": now or timezone.now(),
            "checked_at": None,
        },
    )
    return fingerprint


def on_page_published(
    sender: Any, instance: Page, revision: Revision | None = None, **_: Any
) -> None:
    """page_published: fingerprint what the page serves now. Never breaks the publication."""
    if _system_job_active():
        return
    # Wagtail sends page_published when a revision is scheduled (定时发布) too. Nothing new is
    # served until the time comes, and fingerprinting a page that is not live yet would record a
    # revision over the scheduled one; the scheduled publication sends the signal again.
    if instance.go_live_at is not None and instance.go_live_at > timezone.now():
        return
    try:
        fingerprint_take(page=instance, source=PageFingerprint.Source.PUBLISH)
    except Exception:  # the check fingerprints it on demand; publishing must not fail here
        logger.exception("fingerprint of page %s at publication failed", instance.pk)


SIGNAL_UID = "monitoring.integrity.fingerprint"


def connect_signals() -> None:
    """Called from MonitoringConfig.ready()."""
    from wagtail.signals import page_published

    page_published.connect(on_page_published, dispatch_uid=SIGNAL_UID)


def signals_connected() -> bool:
    from wagtail.signals import page_published

    return any(entry[0][0] == SIGNAL_UID for entry in page_published.receivers)


def disconnect_signals() -> None:
    from wagtail.signals import page_published

    page_published.disconnect(dispatch_uid=SIGNAL_UID)


# === The check =================================================================================


@dataclass
class PageOutcome:
    page_id: int
    url: str
    result: str  # matched, rebaselined, unreachable, alert, render_failed
    detail: str = ""
    alert: IntegrityAlert | None = None


@dataclass
class CheckReport:
    check: IntegrityCheck
    outcomes: list[PageOutcome] = field(default_factory=list)
    new_alerts: list[IntegrityAlert] = field(default_factory=list)


def checked_pages(site: Site) -> list[Page]:
    """Live pages of the site that the public can read (restricted pages ask for a login)."""
    restricted = [p for p in PageViewRestriction.objects.values_list("page__path", flat=True) if p]
    pages = (
        Page.objects.live()
        .descendant_of(site.root_page, inclusive=True)
        .filter(alias_of__isnull=True)
        .select_related("live_revision")
        .order_by("path")
    )
    return [p for p in pages if not any(p.path.startswith(r) for r in restricted)]


def integrity_check(
    *,
    site: Site,
    base_url: str | None = None,
    now: dt.datetime | None = None,
    timeout: float = 15.0,
    pages: Sequence[Page] | None = None,
    fetch: Callable[[list[str]], list[LiveResponse]] | None = None,
) -> CheckReport:
    """Compare each live page with what it published; alert on an unexplained difference.

    `base_url`: fetch over HTTP from there (the public address); None: the site's probe target,
    else in process. Per page: fingerprint on demand (first check, or a newer publication),
    compare, and on a difference tell apart tampering from changes the page's own publication
    does not control (other pages' titles in lists, rendered from the same published data).
    """
    now = now or timezone.now()
    if base_url is None:
        target = ProbeTarget.objects.filter(site=site, active=True).first()
        base_url = target.base_url if target else ""
    pages = list(pages) if pages is not None else checked_pages(site)
    paths = [page_path(p) for p in pages]
    if fetch is None:
        if base_url:
            urls = [urljoin(base_url, p) for p in paths]
            fetch = lambda _paths: fetch_http(urls, timeout=timeout)  # noqa: E731
        else:
            fetch = lambda _paths: fetch_in_process(site, _paths)  # noqa: E731
    hosts = own_hosts(site, base_url)
    check = IntegrityCheck.objects.create(site=site, base_url=base_url, started_at=now)
    report = CheckReport(check=check)
    fingerprints = {f.page_id: f for f in PageFingerprint.objects.filter(page__in=pages)}
    for page, path, live in zip(pages, paths, fetch(paths), strict=True):
        outcome = _check_page(
            page=page,
            path=path,
            live=live,
            fingerprint=fingerprints.get(page.pk),
            hosts=hosts,
            now=now,
        )
        report.outcomes.append(outcome)
        if outcome.alert is not None:
            report.new_alerts.append(outcome.alert)
    results = [o.result for o in report.outcomes]
    check.pages = len(results)
    check.matched = results.count("matched")
    check.rebaselined = results.count("rebaselined")
    check.unreachable = results.count("unreachable") + results.count("render_failed")
    check.alerts = len(report.new_alerts)
    check.finished_at = timezone.now()
    check.save()
    return report


def _check_page(
    *,
    page: Page,
    path: str,
    live: LiveResponse,
    fingerprint: PageFingerprint | None,
    hosts: Collection[str],
    now: dt.datetime,
) -> PageOutcome:
    try:
        if fingerprint is None or fingerprint.revision_id != (page.live_revision_id or 0):
            # Never fingerprinted (a system job put it online) or a newer publication.
            source = (
                PageFingerprint.Source.ON_DEMAND
                if fingerprint is None
                else PageFingerprint.Source.PUBLISH
            )
            fingerprint = fingerprint_take(page=page, source=source, now=now, hosts=hosts)
    except Exception as exc:
        logger.warning("fingerprint of page %s failed: %s", page.pk, exc)
        return PageOutcome(page.pk, path, "render_failed", str(exc))
    if not live.ok:
        return PageOutcome(page.pk, path, "unreachable", live.problem)
    live_text = content_region(live.body, own_hosts=hosts)
    if text_sha256(live_text) == fingerprint.sha256:
        _matched(page=page, fingerprint=fingerprint, now=now)
        return PageOutcome(page.pk, path, "matched")
    if published_digest(page) != fingerprint.content_digest:
        # The stored published version itself changed behind Wagtail's back (no publication).
        alert = alert_raise(
            page=page,
            kind=IntegrityAlert.Kind.REVISION_CHANGED,
            fingerprint=fingerprint,
            live_text=live_text,
            now=now,
        )
        return PageOutcome(page.pk, path, "alert", "已发布版本的存档被改动", alert)
    trusted = content_region(render_published(page), own_hosts=hosts)
    if trusted == live_text:
        # The published content renders exactly as the public sees it: what changed is outside
        # the page's own publication (another page's title shown here). Take it as the baseline.
        fingerprint_take(page=page, source=PageFingerprint.Source.REBASELINE, now=now, hosts=hosts)
        return PageOutcome(page.pk, path, "rebaselined")
    alert = alert_raise(
        page=page,
        kind=IntegrityAlert.Kind.CONTENT_CHANGED,
        fingerprint=fingerprint,
        live_text=live_text,
        expected_text=trusted,
        now=now,
    )
    return PageOutcome(page.pk, path, "alert", "线上内容与已发布版本不一致", alert)


@transaction.atomic
def _matched(*, page: Page, fingerprint: PageFingerprint, now: dt.datetime) -> None:
    PageFingerprint.objects.filter(pk=fingerprint.pk).update(checked_at=now)
    # The page shows its published version again (someone republished it): close the alert.
    IntegrityAlert.objects.filter(page=page, state=IntegrityAlert.State.OPEN).update(
        state=IntegrityAlert.State.RESOLVED,
        resolved_at=now,
        note="复查时线上内容已与已发布版本一致。",
    )


def alert_recipients() -> list[str]:
    """The operator (运维监管) and the security admin (安全管理员) with an e-mail address."""
    users = get_user_model().objects.filter(
        is_active=True, groups__name__in=[Role.OPERATOR, Role.SECURITY_ADMIN]
    )
    return sorted({u.email for u in users if u.email})


def alert_raise(
    *,
    page: Page,
    kind: str,
    fingerprint: PageFingerprint,
    live_text: str,
    now: dt.datetime,
    expected_text: str | None = None,
) -> IntegrityAlert | None:
    """Store a critical alert (one open alert per page) and e-mail the operator and the
    security admin. Returns None when the page already has an open alert."""
    from govportal.content.review import responsible_units

    expected = fingerprint.text if expected_text is None else expected_text
    # The published title, not the row's: the row may be what was tampered with.
    revision = page.live_revision
    title = str((revision.content or {}).get("title") or page.title) if revision else page.title
    try:
        with transaction.atomic():
            alert = IntegrityAlert.objects.create(
                page=page,
                page_title=title[:255],
                url=fingerprint.url or page_path(page),
                revision_id=page.live_revision_id,
                kind=kind,
                detected_at=now,
                expected_sha256=fingerprint.sha256,
                live_sha256=text_sha256(live_text),
                expected_text=expected,
                live_text=live_text[:100_000],
            )
            alert.units.set(responsible_units(page))
    except IntegrityError:
        return None  # an open alert for this page exists already
    recipients = alert_recipients()
    if recipients:
        diff = "\n".join(region_diff(expected, live_text, limit=60))
        send_mail(
            subject=f"【防篡改告警】{title}",
            message=(
                f"{now:%Y-%m-%d %H:%M} 发现页面“{title}”（{alert.url}）"
                f"{alert.get_kind_display()}，请立即核查，并在管理后台“防篡改告警”中恢复已发布版本。\n"
                f"依据：《渭滨区人民政府网站管理办法》第十八条（防篡改）。\n\n差异：\n{diff}\n"
            ),
            from_email=None,
            recipient_list=recipients,
            fail_silently=True,
        )
    return alert


# === Restore ===================================================================================


class RestoreError(Exception):
    """The restore was refused; the message is the Chinese text shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def user_can_restore(user: Any) -> bool:
    """The operator and the security admin (by role, or by the model permission)."""
    from govportal.accounts.roles import user_has_role

    if not (user.is_authenticated and user.is_active):
        return False
    return bool(
        user.is_superuser
        or user_has_role(user, Role.OPERATOR, Role.SECURITY_ADMIN)
        or user.has_perm("monitoring.restore_integrityalert")
    )


def restore_revision(page: Page, alert: IntegrityAlert) -> tuple[Revision | None, bool]:
    """The version to put back: the latest revision up to the published one with a valid
    approval (an altered revision fails its approval's content hash), else the published
    revision itself when a system job put it online and it is unaltered. (revision, approved)."""
    from govportal.content.review import revision_digest, valid_approval

    upto = alert.revision_id or page.live_revision_id
    if upto:
        revisions = Revision.page_revisions.filter(object_id=str(page.pk), pk__lte=upto)
        for revision in revisions.order_by("-pk")[:50]:
            if valid_approval(revision) is not None:
                return revision, True
        fingerprint = PageFingerprint.objects.filter(page=page).first()
        published = revisions.filter(pk=upto).first()
        if (
            published is not None
            and fingerprint is not None
            and fingerprint.content_digest == revision_digest(published)
        ):
            return published, False
    return None, False


def integrity_restore(
    *, alert: IntegrityAlert, user: Any, now: dt.datetime | None = None
) -> Revision:
    """恢复已发布版本: republish the latest approved revision, record it in the review trail.

    An approved revision goes live through the review guard's ordinary path (its approval
    holds). A version a system job put online (no approval exists) goes back under
    review_bypass with the reason, which the trail records as well.
    """
    from govportal.content.review import ReviewError

    now = now or timezone.now()
    if not user_can_restore(user):
        raise RestoreError("只有运维监管人员或安全管理员可以恢复被篡改的页面。")
    alert = IntegrityAlert.objects.get(pk=alert.pk)
    if alert.state != IntegrityAlert.State.OPEN:
        raise RestoreError("该告警已处置，无需再次恢复。")
    if alert.page_id is None:
        raise RestoreError("页面已被删除，无法恢复。")
    page = Page.objects.get(pk=alert.page_id).specific
    revision, approved = restore_revision(page, alert)
    if revision is None:
        raise RestoreError(
            "没有可恢复的已审核版本（已发布版本的存档也被改动）。请撤稿，并重新提交审核后发布。"
        )
    try:
        _restore(alert=alert, page=page, revision=revision, approved=approved, user=user, now=now)
    except ReviewError as error:
        # A publishing rule refused (content checks, 与解读一并发布 …): say why, change nothing.
        raise RestoreError(f"恢复被发布规则拒绝：{error.message}") from error
    return revision


@transaction.atomic
def _restore(
    *,
    alert: IntegrityAlert,
    page: Page,
    revision: Revision,
    approved: bool,
    user: Any,
    now: dt.datetime,
) -> None:
    from wagtail.actions.publish_page_revision import PublishPageRevisionAction

    from govportal.content.models import ReviewEvent
    from govportal.content.review import review_bypass, trail_record

    reason = f"防篡改恢复：告警 {alert.pk}，恢复版本 {revision.pk}（第十八条）"
    publish = PublishPageRevisionAction(
        revision, user=user, changed=True, log_action="wagtail.publish"
    )
    if approved:
        publish.execute(skip_permission_checks=True)
    else:
        with review_bypass(reason=reason):
            publish.execute(skip_permission_checks=True)
    trail_record(
        action=ReviewEvent.Action.INTEGRITY_RESTORE,
        user=user,
        page=page,
        revision_id=revision.pk,
        comment=reason,
        data={"alert": alert.pk, "approved_revision": approved},
    )
    fingerprint_take(page=page, source=PageFingerprint.Source.RESTORE, now=now)
    alert.state = IntegrityAlert.State.RESTORED
    alert.resolved_at = now
    alert.resolved_by = user
    alert.note = reason
    alert.save(update_fields=["state", "resolved_at", "resolved_by", "note"])


# === Page elements: service ====================================================================


def elements_check(
    *,
    site: Site,
    today: dt.date,
    base_url: str | None = None,
    sample: int = 5,
    timeout: float = 15.0,
    now: dt.datetime | None = None,
) -> ElementCheck:
    """Check the home page and a sample of pages for the footer identifiers and the 找错 entry,
    the search form (and that the search answers) and the site map (and that it answers).

    Over HTTP from the public address when one is configured: the indicator judges what the
    visitor receives, and a proxy or a cache in front may change it. Without one, through
    Django's test client in process: the same routing, middleware and templates.
    """
    now = now or timezone.now()
    if base_url is None:
        target = ProbeTarget.objects.filter(site=site, active=True).first()
        base_url = target.base_url if target else ""

    def fetch(paths: list[str]) -> list[LiveResponse]:
        if base_url:
            return fetch_http([urljoin(base_url, p) for p in paths], timeout=timeout)
        return fetch_in_process(site, paths)

    others = [page_path(p) for p in checked_pages(site) if p.pk != site.root_page_id]
    paths = ["/", *sample_pages([p for p in others if p and p != "/"], today=today, size=sample)]
    results = []
    home: PageElements | None = None
    for path, response in zip(paths, fetch(paths), strict=True):
        elements = page_elements(response.body) if response.ok else PageElements(frozenset())
        if path == "/":
            home = elements
        results.append(
            {
                "url": path,
                "home": path == "/",
                "status": response.status,
                "problem": "" if response.ok else response.problem,
                "missing": elements.missing(ELEMENT_LABELS) if response.ok else [],
            }
        )
    home = home or PageElements(frozenset())
    search_ok, search_detail = False, "首页没有站内搜索框。"
    site_map_ok, site_map_detail = False, "首页没有“网站地图”链接。"
    probes: list[str] = []
    if "search" in home.found:
        action = urlsplit(home.search_action).path or "/search/"
        probes.append(f"{action}?{home.search_field}=%E6%94%BF%E5%BA%9C")  # q=政府
    if "site_map" in home.found:
        probes.append(urlsplit(home.site_map_href).path or "/")
    answers = dict(zip(probes, fetch(probes), strict=True)) if probes else {}
    for path, response in answers.items():
        good = response.ok and bool(response.body.strip())
        detail = "" if good else f"访问 {path} 失败（{response.problem}）。"
        if "search" in home.found and path == probes[0]:
            search_ok, search_detail = good, detail or f"搜索框可用，{path} 正常返回结果页。"
        else:
            site_map_ok, site_map_detail = good, detail or f"网站地图 {path} 可以访问。"
    return ElementCheck.objects.create(
        site=site,
        checked_at=now,
        via=f"HTTP {base_url}" if base_url else "进程内渲染（未配置网站地址）",
        pages=results,
        search_ok=search_ok,
        search_detail=search_detail[:300],
        site_map_ok=site_map_ok,
        site_map_detail=site_map_detail[:300],
    )


# === Access ====================================================================================


def alerts_for_user(user: Any) -> Any:
    """The alerts a user may see: all for the operator and the security admin; a unit's own
    pages for unit staff; none for anybody else."""
    from govportal.accounts.roles import user_has_role

    alerts = IntegrityAlert.objects.select_related("resolved_by").order_by("-detected_at")
    if not (user.is_authenticated and user.is_active):
        return alerts.none()
    if user.is_superuser or user_has_role(user, Role.OPERATOR, Role.SECURITY_ADMIN):
        return alerts
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return alerts.none()
    return alerts.filter(units__id=unit_id).distinct()


def alert_for_user(user: Any, pk: int) -> IntegrityAlert:
    """One alert the user may see, or IntegrityAlert.DoesNotExist."""
    return alerts_for_user(user).get(pk=pk)


# === Background jobs (django-tasks) ============================================================


@task()
def probe_availability_task() -> int:
    """One probe per target; enqueue every N minutes from the scheduler."""
    return len(probe_availability())


@task()
def check_integrity_task(site_id: int) -> int:
    """The tamper check of one site; returns the number of new alerts."""
    site = Site.objects.select_related("root_page").get(pk=site_id)
    return integrity_check(site=site).check.alerts
