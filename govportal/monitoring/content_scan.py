"""Content scan of what the crawler fetched: every page and attachment of a hosted site through
the content checks (issue 6, 检查 2), with the engine publishing uses (govportal/checks).

第十九条: 涉密信息不上网，上网信息不涉密; 第八条(二): 不得公开……公民身份证、详细居住地址、
联系方式等个人隐私信息, 不得刊登商业广告. Publishing refuses such content, yet it reaches the
site anyway: the lexicon grew after publication, an attachment was uploaded elsewhere, a template
or an old static page was never reviewed. The crawl reads the site as a visitor gets it.

- An HTML page: decoded like the crawler decodes it (``decode_html``: header, ``<meta>``, then
  detection; GBK and GB2312 read as GB18030), reduced to the text a reader sees
  (``govportal.lib.htmltext``, the engine's own extraction), then checked as plain text.
- An attachment: ``checks.attachments.check_attachment`` reads PDF, DOCX, XLSX and plain text
  and checks the text; DOC, XLS, WPS, ET, OFD and ZIP are not read (the engine cannot), which is
  reported as a warning “未能读取”, as is a file that is damaged or larger than the crawl reads.

Only the checks of the text itself run (``SCAN_CHECKERS``): links are the crawler's own job.

Personal data never leaves this module in clear: an excerpt masks every personal-data match in
it (``mask``), so a CrawlFinding holds ``610***********34``, never an ID number or a phone.
A finding's ``key`` is the rule and the masked match: a word repeated on a page is one problem,
and the same problem keeps its key from one crawl to the next (its work order stays the same).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from govportal.checks.attachments import (
    EXPECTED_KINDS,
    KIND_LABELS,
    TEXT_KINDS,
    check_attachment,
    content_kind,
)
from govportal.checks.engine import Category, CheckContext, Severity, check
from govportal.checks.engine import Finding as EngineFinding
from govportal.lib.crawl.decode import decode_html
from govportal.lib.htmltext import html_text

__all__ = [
    "SCAN_CHECKERS",
    "Fetched",
    "ScanFinding",
    "ScanResult",
    "carry_over_findings",
    "checks_fingerprint",
    "is_html_type",
    "mask",
    "record_findings",
    "scan_body",
    "scan_context",
    "scan_fetched",
]

# The checks of the text itself; "links" is left out (the crawl checks every link it finds).
SCAN_CHECKERS = frozenset({"classified", "flagged_words", "personal_data"})
EXCERPT_CHARS = 20  # context either side of a match
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_MASKED = re.compile(r"[0-9A-Za-z]")
_SPACES = re.compile(r"\s+")
# What an attachment must at least be to be read: the kinds the engine extracts text from.
_CONTENT_EXTENSION = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "text": "txt"}
# Documents the engine cannot read (DOC, XLS, WPS, ET; OFD; ZIP): a person has to.
_DOCUMENT_KINDS = frozenset({"ole", "ofd", "zip"})
# Part of the checks' fingerprint: raise it when the scan itself changes (a new checker in
# SCAN_CHECKERS, a new way to read attachments), so the next nightly crawl rescans every page.
SCAN_VERSION = 1


@dataclass(frozen=True)
class ScanFinding:
    checker: str  # the engine's category: classified, sensitive, personal_data, attachment …
    severity: str  # block or warn
    rule: str  # e.g. classified.marking, lexicon.sensitive, personal_data.resident_id
    message: str
    excerpt: str  # the match with some context, personal data masked
    key: str  # rule and masked match: the same problem on the same address

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCK


@dataclass
class ScanResult:
    kind: str  # html, or the content kind of an attachment (pdf, docx, ole, unknown …)
    findings: list[ScanFinding] = field(default_factory=list)
    unreadable: str = ""  # why the text could not be read ("" when it was)


def is_html_type(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() in _HTML_TYPES


def scan_context(site: Any) -> CheckContext:
    """The site's context (its lexicon, its own phone numbers and mailboxes, which may be
    published) restricted to the checks of the text."""
    from govportal.checks.services import context_for_site

    return dataclasses.replace(context_for_site(site), checkers=SCAN_CHECKERS)


def checks_fingerprint(context: CheckContext) -> str:
    """A hash of everything the scan's verdict on an unchanged page depends on besides the page:
    the lexicon's terms (word, category, severity, suggestion, exceptions), the phone numbers
    and e-mail addresses that may be published, the checkers, the block lists and
    ``SCAN_VERSION``. Two runs with the same fingerprint find the same things on the same
    bytes; the nightly crawl rescans every page when it changed (``crawling.nightly_mode``)."""
    terms = context.lexicon.terms if context.lexicon is not None else ()
    state = {
        "version": SCAN_VERSION,
        "terms": sorted(
            [t.word, t.category, t.severity, t.suggestion, sorted(t.exceptions)] for t in terms
        ),
        "allowed_numbers": sorted(context.allowed_numbers),
        "allowed_emails": sorted(context.allowed_emails),
        "checkers": sorted(context.checkers) if context.checkers is not None else None,
        "blocked_domains": sorted(context.blocked_domains),
        "commercial_domains": sorted(context.commercial_domains),
    }
    encoded = json.dumps(state, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def mask(value: str) -> str:
    """Digits and Latin letters hidden but for the first three and the last two characters
    (``610302199001011234`` → ``610*************34``); short values keep one character."""
    value = _SPACES.sub(" ", value.strip())
    keep_head, keep_tail = (3, 2) if len(value) >= 9 else (1, 0)
    middle = value[keep_head : len(value) - keep_tail]
    return value[:keep_head] + _MASKED.sub("*", middle) + value[len(value) - keep_tail :]


def _masked_text(text: str, start: int, end: int, personal: list[EngineFinding]) -> str:
    """``text[start:end]`` with every personal-data span that touches it masked."""
    pieces: list[str] = []
    position = start
    for f in personal:
        if f.end <= position or f.start >= end:
            continue
        lo, hi = max(f.start, position), min(f.end, end)
        pieces.append(text[position:lo])
        pieces.append(mask(text[f.start : f.end])[lo - f.start : hi - f.start])
        position = hi
    pieces.append(text[position:end])
    return "".join(pieces)


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _findings(text: str, engine_findings: list[EngineFinding]) -> list[ScanFinding]:
    """Engine findings (offsets into ``text``) as scan findings, one per rule and match."""
    personal = sorted(
        (f for f in engine_findings if f.category == Category.PERSONAL_DATA and f.end > f.start),
        key=lambda f: f.start,
    )
    found: dict[str, ScanFinding] = {}
    for f in engine_findings:
        if f.end > f.start and text[f.start : f.end] == f.match:
            match = _one_line(_masked_text(text, f.start, f.end, personal))
            lo = max(0, f.start - EXCERPT_CHARS)
            hi = min(len(text), f.end + EXCERPT_CHARS)
            excerpt = (
                ("……" if lo else "")
                + _one_line(_masked_text(text, lo, hi, personal))
                + ("……" if hi < len(text) else "")
            )
        else:  # a finding about the whole file (its type, its text unreadable): no span
            match = excerpt = _one_line(f.match)
            if f.category == Category.PERSONAL_DATA:
                match = excerpt = mask(match)  # a span that does not line up: never in clear
        key = f"{f.rule}:{match}"[:300]
        if key not in found:
            found[key] = ScanFinding(
                checker=str(f.category),
                severity=str(f.severity),
                rule=f.rule,
                message=f.message[:500],
                excerpt=excerpt[:300],
                key=key,
            )
    return list(found.values())


def _filename(url: str) -> str:
    name = unquote(urlsplit(url).path.rstrip("/").rpartition("/")[2])
    return name or "附件"


def _unreadable(filename: str, kind: str, reason: str) -> ScanResult:
    label = KIND_LABELS.get(kind, kind.upper())
    message = (
        f"未能读取附件“{filename}”（{label}）的文字：{reason}请人工检查有无涉密和个人隐私信息。"
    )
    finding = ScanFinding(
        checker=str(Category.ATTACHMENT),
        severity=str(Severity.WARN),
        rule="attachment.not_read",
        message=message[:500],
        excerpt=filename[:300],
        key=f"attachment.not_read:{filename}"[:300],
    )
    return ScanResult(kind=kind, findings=[finding], unreadable=reason)


def scan_body(
    *,
    url: str,
    content_type: str,
    body: bytes,
    context: CheckContext,
    truncated: bool = False,
) -> ScanResult:
    """Check one fetched address: an HTML page's visible text, or an attachment's text."""
    if is_html_type(content_type):
        text, _encoding = decode_html(body, content_type)
        visible = html_text(text).text
        return ScanResult("html", _findings(visible, check(visible, html=False, context=context)))
    filename = _filename(url)
    kind = content_kind(body)
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    document = kind in TEXT_KINDS or kind in _DOCUMENT_KINDS
    if not document and not (kind == "unknown" and extension in EXPECTED_KINDS):
        return ScanResult(kind)  # an image, a sound, a video: no text to read
    if truncated:
        return _unreadable(filename, kind, "文件超过抓取大小限制，只读取了一部分。")
    if kind not in TEXT_KINDS:
        return _unreadable(filename, kind, "系统不能自动读取这种文件。")
    if extension not in EXPECTED_KINDS:
        # An address without a usable extension (/documents/12/download): judged by content.
        filename = f"{filename}.{_CONTENT_EXTENSION[kind]}"
    result = check_attachment(body, filename, context=context)
    findings = _findings(result.text, result.findings)
    unreadable = next(
        (f.message for f in findings if f.rule in ("attachment.unreadable", "attachment.no_text")),
        "",
    )
    return ScanResult(kind, findings, unreadable)


# -- the database-backed crawl -----------------------------------------------------------------
@dataclass(frozen=True)
class Fetched:
    """A body the crawl kept for the scan (``UrlResult.body``)."""

    page: Any  # monitoring.models.CrawlPage
    content_type: str
    body: bytes
    truncated: bool = False


def scan_fetched(items: list[Fetched], context: CheckContext) -> list[tuple[Any, ScanResult]]:
    """The scan of each kept body, for the pages that have findings. No database access: run
    it before the transaction that records the batch, so no lock is held while it reads."""
    scanned = []
    for item in items:
        result = scan_body(
            url=item.page.url,
            content_type=item.content_type,
            body=item.body,
            context=context,
            truncated=item.truncated,
        )
        if result.findings:
            scanned.append((item.page, result))
    return scanned


def record_findings(*, run: Any, scanned: list[tuple[Any, ScanResult]]) -> int:
    """Store the findings (CrawlFinding); returns how many rows were offered.

    Safe to run twice for the same pages (run, page and key are unique). Each finding goes to
    the column of its page, or for an attachment to the column of a page that links to it, and
    to that column's responsible units (栏目责任明细表), as broken links do."""
    from govportal.monitoring.models import CrawlFinding, CrawlLink

    if not scanned:
        return 0
    linked_from: dict[int, int] = {}
    orphans = [page.pk for page, _ in scanned if page.column_id is None]
    if orphans:
        links = (
            CrawlLink.objects.filter(run=run, target_id__in=orphans, column__isnull=False)
            .order_by("id")
            .values_list("target_id", "column_id")
        )
        for target_id, column_id in links:
            linked_from.setdefault(target_id, column_id)
    rows = [
        CrawlFinding(
            run=run,
            page=page,
            checker=f.checker,
            rule=f.rule[:60],
            severity=f.severity,
            message=f.message,
            excerpt=f.excerpt,
            key=f.key,
            column_id=page.column_id or linked_from.get(page.pk),
        )
        for page, result in scanned
        for f in result.findings
    ]
    CrawlFinding.objects.bulk_create(rows, ignore_conflicts=True)
    _attribute_units(run, [page.pk for page, _ in scanned])
    return len(rows)


def carry_over_findings(*, run: Any, pages: list[Any]) -> int:
    """Incremental mode: a page or attachment the server says is unchanged (304) keeps last
    run's findings, as a page keeps its links. The nightly crawl runs in full mode when the
    checks changed since that run (``checks_fingerprint``), so what is carried over was found
    with the same checks."""
    from govportal.monitoring.models import CrawlFinding

    if run.previous_id is None or not pages:
        return 0
    by_url = {page.url: page for page in pages}
    old = CrawlFinding.objects.filter(run_id=run.previous_id, page__url__in=list(by_url))
    rows = [
        CrawlFinding(
            run=run,
            page=by_url[f.page.url],
            checker=f.checker,
            rule=f.rule,
            severity=f.severity,
            message=f.message,
            excerpt=f.excerpt,
            key=f.key,
            column_id=f.column_id,
        )
        for f in old.select_related("page")
    ]
    CrawlFinding.objects.bulk_create(rows, ignore_conflicts=True)
    _attribute_units(run, [page.pk for page in pages])
    return len(rows)


def _attribute_units(run: Any, page_ids: list[int]) -> None:
    from govportal.core.models import responsible_unit_ids
    from govportal.monitoring.models import CrawlFinding

    # bulk_create with ignore_conflicts leaves no primary keys: read the new rows back.
    stored = list(
        CrawlFinding.objects.filter(
            run=run, page_id__in=page_ids, column__isnull=False, units=None
        ).values_list("id", "column_id")
    )
    if not stored:
        return
    units = responsible_unit_ids(column_id for _, column_id in stored)
    through = CrawlFinding.units.through
    rows = [
        through(crawlfinding_id=finding_id, unit_id=unit_id)
        for finding_id, column_id in stored
        for unit_id in units.get(column_id, [])
    ]
    through.objects.bulk_create(rows, ignore_conflicts=True)
