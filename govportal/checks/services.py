"""The checks engine wired to the database: lexicons per site, contexts, import and export.

Publishing calls ``check_for_site(text, site=...)`` (or builds a context once with
``context_for_site`` and calls ``engine.check`` for each field) and
``check_attachment_for_site`` for each attachment.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, QuerySet
from wagtail.models import Page, Site

from govportal.checks.attachments import AttachmentResult, check_attachment
from govportal.checks.engine import CheckContext, Finding, LinkStatus, check
from govportal.checks.lexicon import STARTER_LEXICON, Lexicon
from govportal.checks.lexicon_io import (
    LexiconRow,
    RowError,
    parse_text,
    parse_xlsx,
    render_text,
    render_xlsx,
)
from govportal.checks.models import LexiconEntry
from govportal.lib.idnumbers import phone_keys

__all__ = [
    "ImportResult",
    "LexiconImportError",
    "check_attachment_for_site",
    "check_for_site",
    "context_for_site",
    "lexicon_export",
    "lexicon_for_site",
    "lexicon_import",
    "lexicon_rows",
    "resolve_internal_link",
]


# -- the compiled lexicon of a site -------------------------------------------------------------
_compiled: dict[int | None, tuple[tuple[Any, ...], Lexicon]] = {}
_compiled_lock = threading.Lock()


def _fingerprint() -> tuple[Any, ...]:
    # Any insert, edit or delete changes the count or the latest updated_at. Asking the
    # database (one indexed aggregate) is right in every process, after bulk imports and
    # after rolled-back transactions, which a version counter in the cache is not.
    state = LexiconEntry.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (state["n"], state["latest"])


def lexicon_entries(site_id: int | None) -> list[LexiconEntry]:
    """The active entries that apply to a site: the platform's, overridden by the site's own."""
    entries: dict[str, LexiconEntry] = {}
    for entry in LexiconEntry.objects.filter(site__isnull=True).order_by("pk"):
        entries[entry.word] = entry
    if site_id is not None:
        for entry in LexiconEntry.objects.filter(site_id=site_id).order_by("pk"):
            entries[entry.word] = entry  # a site's entry, even an inactive one, wins
    return [e for e in entries.values() if e.active]


def lexicon_for_site(site_id: int | None) -> Lexicon:
    """The compiled lexicon for a site, rebuilt when the lexicon table changes."""
    fingerprint = _fingerprint()
    with _compiled_lock:
        cached = _compiled.get(site_id)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
    lexicon = Lexicon(entry.term() for entry in lexicon_entries(site_id))
    with _compiled_lock:
        _compiled[site_id] = (fingerprint, lexicon)
    return lexicon


# -- contexts -----------------------------------------------------------------------------------
def _published_contacts(site: Site | None) -> tuple[frozenset[str], frozenset[str]]:
    """Phone numbers and e-mail addresses of the units and of the sites: fine to publish."""
    from govportal.core.models import SiteIdentity, Unit

    phones: set[str] = set()
    emails: set[str] = set()
    for phone, email in Unit.objects.values_list("phone", "email"):
        if phone:
            phones |= phone_keys(phone)
        if email:
            emails.add(email.strip().lower())
    for phone, email in SiteIdentity.objects.values_list("phone", "email"):
        if phone:
            phones |= phone_keys(phone)
        if email:
            emails.add(email.strip().lower())
    return frozenset(phones), frozenset(emails)


def _site_hosts() -> frozenset[str]:
    hosts = {h.lower() for h in Site.objects.values_list("hostname", flat=True)}
    site_url_host = urlsplit(settings.SITE_URL).hostname
    if site_url_host:
        hosts.add(site_url_host.lower())
    return frozenset(hosts)


def resolve_internal_link(target: str, *, site: Site | None = None) -> LinkStatus:
    """Whether an internal target exists and is live.

    ``target`` is a path (``/news/a-1/``), or a Wagtail reference: ``page:12``,
    ``document:3``, ``image:5``.
    """
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    kind, _, ident = target.partition(":")
    if kind == "page" and ident.isdigit():
        page = Page.objects.filter(pk=int(ident)).only("live", "expired").first()
        if page is None:
            return LinkStatus.MISSING
        return LinkStatus.OK if page.live and not page.expired else LinkStatus.NOT_LIVE
    if kind == "document" and ident.isdigit():
        exists = get_document_model().objects.filter(pk=int(ident)).exists()
        return LinkStatus.OK if exists else LinkStatus.MISSING
    if kind == "image" and ident.isdigit():
        exists = get_image_model().objects.filter(pk=int(ident)).exists()
        return LinkStatus.OK if exists else LinkStatus.MISSING
    path = unquote(urlsplit(target).path or "/")
    if not path.startswith("/"):
        return LinkStatus.OK  # relative to the page it sits on: cannot be resolved here
    return _resolve_path(path, site)


def _resolve_path(path: str, site: Site | None) -> LinkStatus:
    from django.core.files.storage import default_storage
    from django.urls import Resolver404, resolve
    from wagtail.documents import get_document_model

    if path.startswith(settings.MEDIA_URL):
        name = path[len(settings.MEDIA_URL) :]
        return LinkStatus.OK if name and default_storage.exists(name) else LinkStatus.MISSING
    if path.startswith(settings.STATIC_URL):
        from django.contrib.staticfiles import finders

        found = finders.find(path[len(settings.STATIC_URL) :])
        return LinkStatus.OK if found else LinkStatus.MISSING
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[0] == "documents" and parts[1].isdigit():
        exists = get_document_model().objects.filter(pk=int(parts[1])).exists()
        return LinkStatus.OK if exists else LinkStatus.MISSING
    try:
        match = resolve(path)
    except Resolver404:
        return LinkStatus.MISSING
    if match.url_name != "wagtail_serve":
        return LinkStatus.OK  # a view of its own (search, feeds, sitemap …)
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return LinkStatus.MISSING
    root_path = site.root_page.url_path
    page = (
        Page.objects.filter(url_path=root_path + "/".join(parts) + ("/" if parts else ""))
        .only("live", "expired")
        .first()
    )
    if page is None:
        return LinkStatus.MISSING
    return LinkStatus.OK if page.live and not page.expired else LinkStatus.NOT_LIVE


def context_for_site(site: Site | None, *, check_external_links: bool = False) -> CheckContext:
    """Everything the engine needs to check content for a site (or the platform)."""
    phones, emails = _published_contacts(site)
    site_id = site.pk if site is not None else None
    return CheckContext(
        site_id=site_id,
        lexicon=lexicon_for_site(site_id),
        allowed_numbers=phones,
        allowed_emails=emails,
        internal_hosts=_site_hosts(),
        resolve_internal=lambda target: resolve_internal_link(target, site=site),
        check_external_links=check_external_links,
    )


def check_for_site(
    text_or_html: str,
    *,
    site: Site | None,
    html: bool | None = None,
    check_external_links: bool = False,
) -> list[Finding]:
    return check(
        text_or_html,
        html=html,
        context=context_for_site(site, check_external_links=check_external_links),
    )


def check_attachment_for_site(
    data: bytes, filename: str, *, site: Site | None, check_external_links: bool = False
) -> AttachmentResult:
    return check_attachment(
        data,
        filename,
        context=context_for_site(site, check_external_links=check_external_links),
    )


# -- import and export --------------------------------------------------------------------------
class LexiconImportError(Exception):
    """A file with bad rows: nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("；".join(str(e) for e in errors[:5]))
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def parse_lexicon_file(data: bytes, filename: str) -> list[LexiconRow]:
    """Rows of an uploaded file (.xlsx, or tab-separated text); LexiconImportError if bad."""
    if filename.lower().endswith(".xlsx"):
        rows, errors = parse_xlsx(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise LexiconImportError(
                    [RowError(0, "文件编码无法识别，请保存为 UTF-8 编码的文本文件")]
                ) from None
        rows, errors = parse_text(text)
    if errors:
        raise LexiconImportError(errors)
    if not rows:
        raise LexiconImportError([RowError(0, "文件中没有词条")])
    return rows


@transaction.atomic
def lexicon_import(
    *, rows: list[LexiconRow], user: Any = None, update_existing: bool = True
) -> ImportResult:
    """Add the rows to the lexicon, in one transaction: all of them, or none.

    Rows whose word already exists in the same scope are updated (or left alone when
    ``update_existing`` is false, which makes loading the same file twice a no-op).
    """
    sites = {s.hostname.lower(): s for s in Site.objects.all()}
    errors = [
        RowError(row.row, f"适用网站“{row.site}”不存在，请填写已有网站的域名或留空")
        for row in rows
        if row.site and row.site not in sites
    ]
    if errors:
        raise LexiconImportError(errors)
    existing = {(e.word, e.site_id): e for e in LexiconEntry.objects.select_for_update()}
    created = updated = unchanged = 0
    new_entries = []
    for row in rows:
        site = sites.get(row.site) if row.site else None
        values = {
            "category": str(row.category),
            "severity": str(row.severity),
            "suggestion": row.suggestion,
            "exceptions": "、".join(row.exceptions),
            "active": row.active,
            "note": row.note,
        }
        entry = existing.get((row.word, site.pk if site else None))
        if entry is None:
            new_entries.append(LexiconEntry(word=row.word, site=site, added_by=user, **values))
            created += 1
        elif not update_existing or all(getattr(entry, k) == v for k, v in values.items()):
            unchanged += 1
        else:
            for key, value in values.items():
                setattr(entry, key, value)
            entry.save()
            updated += 1
    LexiconEntry.objects.bulk_create(new_entries, batch_size=1000)
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def load_starter_lexicon(*, update_existing: bool = False) -> ImportResult:
    return lexicon_import(
        rows=parse_lexicon_file(STARTER_LEXICON.read_bytes(), STARTER_LEXICON.name),
        update_existing=update_existing,
    )


def lexicon_rows(queryset: QuerySet[LexiconEntry] | None = None) -> list[LexiconRow]:
    queryset = queryset if queryset is not None else LexiconEntry.objects.all()
    return [
        LexiconRow(
            row=i,
            word=e.word,
            category=e.category,
            severity=e.effective_severity,
            suggestion=e.suggestion,
            exceptions=e.exception_words(),
            site=e.site.hostname if e.site else "",
            active=e.active,
            note=e.note,
        )
        for i, e in enumerate(
            queryset.select_related("site").order_by("site_id", "category", "word"), 1
        )
    ]


def lexicon_export(*, file_format: str, queryset: QuerySet[LexiconEntry] | None = None) -> bytes:
    """The lexicon as XLSX (``xlsx``) or tab-separated UTF-8 text (``txt``)."""
    rows = lexicon_rows(queryset)
    if file_format == "xlsx":
        return render_xlsx(rows)
    if file_format == "txt":
        return render_text(rows).encode("utf-8")
    raise ValueError(f"unknown lexicon export format {file_format!r}")
