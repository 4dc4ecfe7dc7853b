"""The review gate reads a page's attachments too: their type, and the text inside them.

第十九条: "涉密信息不上网，上网信息不涉密" holds for a PDF or Word file as much as for the body
text. Wherever `review.content_findings` checks a page (submission, approval, publishing, the
save-path guard, emergency publishing), every document the page offers is checked with
`govportal.checks.attachments`:

- documents attached in a child relation (`ArticleAttachment`, `PolicyDocumentAttachment`, any
  inline with a foreign key to a document), documents chosen in a field or a StreamField block,
  and documents linked from rich text;
- a document whose content does not match its extension blocks;
- the text of PDF, DOCX, XLSX and plain-text documents goes through the same checks as the
  page; audio, video and captions are type-checked only.

Reading and parsing a file is the expensive part, and it does not depend on the site or the
lexicon. It is done once per file content: the type and the extracted text are cached by the
SHA-256 of the bytes (so a file replaced behind the document's back is read again), and the
checks that do depend on the site run on the cached text each time.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from govportal.checks.attachments import AttachmentResult, check_attachment
from govportal.checks.engine import Category, CheckContext, Finding, Severity, check
from govportal.content.blocks import AUDIO_EXTENSIONS, VIDEO_EXTENSIONS

__all__ = [
    "PageDocument",
    "attachment_findings",
    "document_result",
    "form_documents",
    "page_documents",
]

# Played, not read: only their type is checked (a renamed file blocks all the same).
TYPE_ONLY_EXTENSIONS = frozenset(AUDIO_EXTENSIONS | VIDEO_EXTENSIONS | {"vtt"})
# Enough bytes to tell an audio or video file by its header; the rest is never read.
MEDIA_HEAD_BYTES = 64 * 1024
# A larger file is type-checked by its head and left to a person.
MAX_READ_BYTES = 100 * 1024 * 1024
# Extracted texts longer than this are not kept in the cache (they are re-read when needed).
MAX_CACHED_TEXT_CHARS = 5_000_000
CACHE_PREFIX = "govportal:review-attachment:v1"
CACHE_SECONDS = 7 * 24 * 3600
_NO_CHECKS = CheckContext(checkers=frozenset())


@dataclass(frozen=True)
class PageDocument:
    """A document a page offers to its readers, and where the page offers it."""

    document: Any  # a Wagtail document
    field: str  # e.g. "attachments.0", "body.3.file", "body.2" (a link in rich text)
    label: str  # what the editor calls that place, naming the file

    @property
    def filename(self) -> str:
        return str(self.document.filename)

    @property
    def extension(self) -> str:
        return self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""

    @property
    def type_only(self) -> bool:
        return self.extension in TYPE_ONLY_EXTENSIONS


def _document_label(place: str, document: Any, title: str = "") -> str:
    return f"{place}“{title or document.title}”（{document.filename}）"


def _child_relations(page: Page) -> Iterator[tuple[str, str, Iterable[Any]]]:
    from modelcluster.models import get_all_child_relations

    for relation in get_all_child_relations(page):
        name = relation.get_accessor_name()
        label = str(relation.related_model._meta.verbose_name)
        yield name, label, getattr(page, name).all()


def _document_fields(instance: Any) -> Iterator[tuple[str, Any]]:
    """The foreign keys of `instance` that point at a document, with their values' ids."""
    document_model = get_document_model()
    for field in instance._meta.concrete_fields:
        if field.is_relation and issubclass(field.related_model, document_model):
            yield field.name, getattr(instance, field.attname)


def _referenced_document_ids(page: Page) -> Iterator[tuple[str, str, int]]:
    """Documents chosen in StreamField blocks or linked from rich text: (path, label, id)."""
    document_model = get_document_model()
    for field in page._meta.concrete_fields:
        if not isinstance(field, (StreamField, RichTextField)):
            continue
        value = field.value_from_object(page)
        if not value:
            continue
        label = str(field.verbose_name)
        for model, object_id, _model_path, content_path in field.extract_references(value):
            if issubclass(model, document_model):
                try:
                    pk = int(object_id)
                except (TypeError, ValueError):
                    continue
                yield f"{field.name}.{content_path}".rstrip("."), label, pk


def page_documents(page: Page) -> list[PageDocument]:
    """Every document the page offers, once each, in page order (fields, inlines, body)."""
    wanted: list[tuple[str, str, int, str]] = []  # path, place label, document id, title
    for name, value in _document_fields(page):
        if value:
            wanted.append((name, str(page._meta.get_field(name).verbose_name), value, ""))
    for relation, label, children in _child_relations(page):
        for i, child in enumerate(children):
            for _name, value in _document_fields(child):
                if value:
                    title = str(getattr(child, "title", "") or "")
                    wanted.append((f"{relation}.{i}", label, value, title))
    for path, label, pk in _referenced_document_ids(page):
        wanted.append((path, label, pk, ""))
    return _resolve(wanted)


def form_documents(form: Any) -> list[PageDocument]:
    """The documents of a page being edited: its fields, and the inlines as submitted.

    In a page form's clean the inline formsets are not yet applied to the page, so the
    attachments are read from the formsets (rows marked for deletion left out).
    """
    page = form.instance
    wanted: list[tuple[str, str, int, str]] = []
    for name, value in _document_fields(page):
        if value:
            wanted.append((name, str(page._meta.get_field(name).verbose_name), value, ""))
    document_model = get_document_model()
    for relation, formset in getattr(form, "formsets", {}).items():
        if not formset.is_valid():
            continue  # the form comes back with the inline's errors; nothing is submitted
        label = str(formset.model._meta.verbose_name)
        for i, child_form in enumerate(formset.forms):
            data = getattr(child_form, "cleaned_data", None) or {}
            if data.get("DELETE"):
                continue
            for value in data.values():
                if isinstance(value, document_model):
                    wanted.append(
                        (f"{relation}.{i}", label, value.pk, str(data.get("title") or ""))
                    )
    for path, label, pk in _referenced_document_ids(page):
        wanted.append((path, label, pk, ""))
    return _resolve(wanted)


def _resolve(wanted: list[tuple[str, str, int, str]]) -> list[PageDocument]:
    documents = get_document_model().objects.in_bulk({pk for _, _, pk, _ in wanted})
    seen: set[int] = set()
    result = []
    for path, place, pk, title in wanted:
        document = documents.get(pk)
        if document is None or pk in seen:
            # A link to a document that no longer exists is the links check's dead link.
            continue
        seen.add(pk)
        result.append(PageDocument(document, path, _document_label(place, document, title)))
    return result


# --- Reading the files ---------------------------------------------------------------------------


def _attachment_finding(filename: str, severity: Severity, rule: str, message: str) -> Finding:
    return Finding(
        category=Category.ATTACHMENT,
        severity=severity,
        start=0,
        end=0,
        match=filename,
        suggestion=None,
        rule=rule,
        message=message,
    )


def _read(item: PageDocument) -> tuple[bytes | None, bool]:
    """The bytes to check (all of them, or the head of a media or oversized file)."""
    try:
        with item.document.file.open("rb") as handle:
            if item.type_only and item.extension != "vtt":
                return handle.read(MEDIA_HEAD_BYTES), False
            data = handle.read(MAX_READ_BYTES + 1)
    except (FileNotFoundError, OSError, ValueError):
        return None, False
    if len(data) > MAX_READ_BYTES:
        return data[:MEDIA_HEAD_BYTES], True
    return data, False


def document_result(item: PageDocument) -> AttachmentResult:
    """The file's type check and extracted text (no site-dependent checks yet); cached."""
    data, oversized = _read(item)
    if data is None:
        result = AttachmentResult(filename=item.filename, kind="unknown")
        result.findings.append(
            _attachment_finding(
                item.filename,
                Severity.BLOCK,
                "attachment.missing",
                f"附件“{item.filename}”的文件不存在或无法读取，请重新上传。",
            )
        )
        return result
    key = f"{CACHE_PREFIX}:{hashlib.sha256(data).hexdigest()}:{item.extension}:{item.type_only}"
    cached = cache.get(key)
    if isinstance(cached, AttachmentResult):
        return dataclasses.replace(cached, filename=item.filename, findings=list(cached.findings))
    result = check_attachment(data, item.filename, context=_NO_CHECKS)
    if item.type_only or oversized:
        result.text = ""
    if oversized and not result.blocks:
        result.findings.append(
            _attachment_finding(
                item.filename,
                Severity.WARN,
                "attachment.too_large",
                f"附件“{item.filename}”超过 {MAX_READ_BYTES // 1024 // 1024} MB，"
                "未自动读取其中的文字，请人工检查有无涉密和个人隐私信息。",
            )
        )
    if len(result.text) <= MAX_CACHED_TEXT_CHARS:
        cache.set(key, result, CACHE_SECONDS)
    return result


def attachment_findings(
    documents: Iterable[PageDocument], *, context: CheckContext
) -> Iterator[tuple[PageDocument, Finding]]:
    """The findings of each document: its type, then its text with every check of the site."""
    for item in documents:
        result = document_result(item)
        yield from ((item, finding) for finding in result.findings)
        if result.text and not result.blocks:
            for finding in check(result.text, html=False, context=context):
                yield item, finding
