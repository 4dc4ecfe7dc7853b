"""The editor's content-check report: the findings of the draft, marked in its text.

Issue 3, content checks item 6: the editor sees the findings highlighted in the text with the
suggestion, inside the Wagtail editor. The page editor's action menu gets "内容检查"; the
script `content/findings.js` posts the editor's form as it stands (saved or not) to
`findings_report` and shows the answer in a dialog. Without the script the link opens the
report of the latest saved draft. A blocked submission names the report in its error.

The report runs `review.content_findings` (the same checks as submission and publishing) and
marks each finding with its offsets: in a plain-text field the offsets point into the text
itself; in rich text they point into the HTML source, and are carried over to the text the
reader sees. Everything but the marks is escaped.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.models import Page

from govportal.checks.engine import Category, Document
from govportal.content.review import PageFinding, content_findings, page_text_segments
from govportal.content.review_attachments import (
    document_result,
    form_documents,
    page_documents,
)

URL_NAME = "govportal_review_findings"
CATEGORY_LABELS = {
    Category.SENSITIVE: "敏感词",
    Category.TYPO: "错别字",
    Category.WORDING: "不规范表述",
    Category.ADVERTISING: "广告用语",
    Category.PERSONAL_DATA: "个人隐私",
    Category.CLASSIFIED: "涉密标识",
    Category.LINK: "链接",
    Category.ATTACHMENT: "附件",
    Category.CHECK_ERROR: "检查出错",
}
SEVERITY_LABELS = {"block": "禁止发布", "warn": "提示"}
EXCERPT_CHARS = 40


@dataclass
class Entry:
    """One finding in the report, numbered; `shown` when it is marked in a text above."""

    number: int
    finding: PageFinding
    shown: bool = False

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.finding.severity, self.finding.severity)

    @property
    def category_label(self) -> str:
        category = str(self.finding.finding.category)
        return CATEGORY_LABELS.get(category, category)  # type: ignore[call-overload]

    @property
    def tooltip(self) -> str:
        f = self.finding.finding
        text = f"{self.severity_label}·{self.category_label}：{f.message}"
        if f.suggestion:
            text += f" 建议：{f.suggestion}"
        return text


@dataclass
class Section:
    """A field or an attachment, with its text (or excerpts) and the marks in it."""

    label: str
    parts: list[SafeString] = field(default_factory=list)
    count: int = 0


def mark_spans(text: str, spans: list[tuple[int, int, Entry]]) -> SafeString:
    """`text` escaped, with `<mark>` around each span (overlapping spans: the first one wins)."""
    pieces: list[str] = []
    position = 0
    for start, end, entry in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < position or end <= start or end > len(text):
            continue
        pieces.append(escape(text[position:start]))
        pieces.append(
            format_html(
                '<mark class="govportal-finding govportal-finding--{}" title="{}" '
                'data-finding="{}">{}<sup>{}</sup></mark>',
                entry.finding.severity,
                entry.tooltip,
                entry.number,
                text[start:end],
                entry.number,
            )
        )
        entry.shown = True
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308  (every piece is escaped above)


def _html_to_text_span(doc: Document, start: int, end: int) -> tuple[int, int] | None:
    """The span of the reader's text whose source is exactly `[start, end)`, if there is one."""
    starts = [doc.text_map.start(i) for i in range(len(doc.text))]
    i = bisect.bisect_left(starts, start)
    j = bisect.bisect_left(starts, end, lo=i)
    if i >= j or doc.source_span(i, j) != (start, end):
        return None
    return i, j


def _segment_section(
    label: str, source: str, is_html: bool, entries: list[Entry]
) -> Section | None:
    if not is_html:
        spans = [(e.finding.finding.start, e.finding.finding.end, e) for e in entries]
        return Section(label, [mark_spans(source, spans)], len(entries))
    doc = Document.from_input(source, html=True)
    spans = []
    for entry in entries:
        f = entry.finding.finding
        span = _html_to_text_span(doc, f.start, f.end) if f.end > f.start else None
        if span is not None:
            spans.append((*span, entry))
    if not doc.text.strip():
        return None
    return Section(label, [mark_spans(doc.text, spans)], len(entries))


def _excerpt(text: str, entry: Entry) -> SafeString:
    f = entry.finding.finding
    lo, hi = max(0, f.start - EXCERPT_CHARS), min(len(text), f.end + EXCERPT_CHARS)
    marked = mark_spans(text[lo:hi], [(f.start - lo, f.end - lo, entry)])
    return format_html("{}{}{}", "……" if lo else "", marked, "……" if hi < len(text) else "")


def findings_report(page: Page, *, documents: list[Any] | None = None) -> dict[str, Any]:
    """The report's context: every text of the page with its findings marked, and the list."""
    if documents is None:
        documents = page_documents(page)
    findings = content_findings(page, documents=documents)
    entries = [Entry(number, finding) for number, finding in enumerate(findings, start=1)]
    by_field: dict[str, list[Entry]] = {}
    for entry in entries:
        by_field.setdefault(entry.finding.field, []).append(entry)
    sections = []
    for name, label, text, is_html in page_text_segments(page):
        section = _segment_section(label, text, is_html, by_field.pop(name, []))
        if section is not None:
            sections.append(section)
    for item in documents:
        doc_entries = by_field.pop(item.field, [])
        section = Section(item.label, count=len(doc_entries))
        text = document_result(item).text if doc_entries else ""
        for entry in doc_entries:
            f = entry.finding.finding
            if text and f.end > f.start and text[f.start : f.end] == f.match:
                section.parts.append(_excerpt(text, entry))
        sections.append(section)
    return {
        "sections": sections,
        "entries": entries,
        "blocking": [e for e in entries if e.finding.is_blocking],
        "warnings": [e for e in entries if not e.finding.is_blocking],
    }


def _editable_draft(request: HttpRequest, page_id: int) -> Page:
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page.get_latest_revision_as_object()


def _posted_draft(request: HttpRequest, page: Page) -> tuple[Page, list[Any] | None] | None:
    """The page as the editor's form stands (unsaved), or None if the form does not validate."""
    form_class = page.get_edit_handler().get_form_class()
    data = request.POST.copy()
    for action in ("action-submit", "action-restart-workflow", "action-publish"):
        data.pop(action, None)  # a report never submits or publishes anything
    form = form_class(
        data, request.FILES, instance=page, parent_page=page.get_parent().specific,
        for_user=request.user,
    )  # fmt: skip
    if not form.is_valid():
        return None
    documents = form_documents(form)
    return form.save(commit=False), documents


@require_http_methods(["GET", "POST"])
def findings_view(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET: the report of the latest saved draft. POST (the editor's form): of what it holds."""
    page = _editable_draft(request, page_id)
    unsaved = False
    invalid = False
    documents = None
    if request.method == "POST":
        posted = _posted_draft(request, page)
        if posted is None:
            invalid = True
        else:
            page, documents = posted
            unsaved = True
    context = {
        "page": page,
        "unsaved": unsaved,
        "invalid": invalid,
        "revision": page.latest_revision if not unsaved else None,
        "edit_url": reverse("wagtailadmin_pages:edit", args=[page_id]),
        **findings_report(page, documents=documents),
    }
    partial = request.method == "POST" or request.GET.get("partial")
    template = "content/review/findings_report.html" if partial else "content/review/findings.html"
    return TemplateResponse(request, template, context)


def findings_url(page: Page) -> str:
    return reverse(URL_NAME, args=[page.pk])


# --- Wagtail hooks (registered when review_hooks imports this module) ---------------------------


@hooks.register("register_admin_urls")
def register_findings_url() -> list[Any]:
    return [path("review/findings/<int:page_id>/", findings_view, name=URL_NAME)]


class FindingsMenuItem(ActionMenuItem):  # type: ignore[misc]
    name = "review-findings"
    label = "内容检查"
    icon_name = "search"
    classname = "govportal-findings-button"

    def get_url(self, parent_context: Any) -> str:
        return findings_url(parent_context["page"])


@hooks.register("construct_page_action_menu")
def add_findings_menu_item(menu_items: list[Any], request: HttpRequest, context: Any) -> None:
    if context.get("view") == "edit" and context.get("page") is not None:
        menu_items.append(FindingsMenuItem(order=4))
        menu_items.sort(key=lambda item: item.order)


@hooks.register("insert_editor_js")
def findings_editor_js() -> SafeString:
    from django.templatetags.static import static

    return format_html('<script src="{}" defer></script>', static("content/findings.js"))


@hooks.register("insert_editor_css")
def findings_editor_css() -> SafeString:
    from django.templatetags.static import static

    return format_html('<link rel="stylesheet" href="{}">', static("content/findings.css"))
