"""The text a reader sees in an HTML fragment, with a map back to the source, and its links.

A small tokenizer rather than ``html.parser``: on the Python this project runs on, the
standard library's parser takes quadratic time on some broken input (200,000 unclosed
``<!--`` took minutes), and content checks must never hang. Every pattern here either
consumes what it scans or stops at a fixed character, so the work is linear; there is no
tree, so 10,000 nested elements are fine. Like a browser, an unclosed comment or quoted
attribute value runs to the end of the input.

Text comes from character data, entities, comments (they are published in the page
source) and the ``alt`` and ``title`` attributes; scripts, styles and templates are skipped.
Block-level elements add a line break, so words in two paragraphs are never read as one.

Links include Wagtail's stored rich-text references: ``<a linktype="page" id="12">`` becomes
``page:12``, ``<a linktype="document" id="3">`` becomes ``document:3`` and
``<embed embedtype="image" id="5">`` becomes ``image:5``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from govportal.lib.textnorm import OffsetMap

__all__ = ["ExtractedText", "LinkRef", "html_text", "looks_like_html", "plain_text_links"]


BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "option",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
SKIPPED_TAGS = frozenset({"script", "style", "template"})
TEXT_ATTRIBUTES = ("alt", "title")
LINK_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src",),
    "iframe": ("src",),
    "embed": ("src", "url"),
    "source": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "object": ("data",),
    "form": ("action",),
}

_HTML_HINT = re.compile(
    r"<(?:!doctype|!--|/?(?:html|head|body|p|div|span|a|br|hr|img|table|tbody|thead|tr|td|th|"
    r"h[1-6]|ul|ol|li|dl|dt|dd|strong|em|b|i|u|s|sub|sup|section|article|header|footer|nav|main|"
    r"aside|figure|figcaption|blockquote|pre|code|iframe|embed|video|audio|source|font|center|"
    r"label|form|input|button|select|option|textarea|style|script|meta|link|title)\b)",
    re.IGNORECASE,
)
# An unclosed quoted value runs to the end, as in _TOKEN: nothing is scanned twice.
_ATTRIBUTE = re.compile(r"""([^\s/>="']+)(?:\s*=\s*("[^"]*(?:"|\Z)|'[^']*(?:'|\Z)|[^\s>]+))?""")
_URL_REST = re.compile(r"""[^\s<>"'，。、；：！？（）【】《》“”‘’]+""")
_SCHEME_BEFORE = re.compile(r"(?i:https?)$")


@dataclass(frozen=True)
class LinkRef:
    """A link target as written (entities decoded), and the span of its value in the source."""

    url: str
    start: int
    end: int
    tag: str = ""
    attribute: str = ""


@dataclass(frozen=True)
class ExtractedText:
    text: str
    offsets: OffsetMap  # text → source
    links: tuple[LinkRef, ...]


def looks_like_html(text: str) -> bool:
    return "<" in text and _HTML_HINT.search(text) is not None


def plain_text_links(text: str) -> list[LinkRef]:
    """Web addresses written out in plain text (http://, https:// or www.)."""
    starts: set[int] = set()
    # str.find is much faster than a case-insensitive pattern over the whole text.
    pos = text.find("://")
    while pos != -1:
        scheme = _SCHEME_BEFORE.search(text, max(0, pos - 5), pos)
        if scheme:
            starts.add(scheme.start())
        pos = text.find("://", pos + 3)
    for marker in ("www.", "WWW."):
        pos = text.find(marker)
        while pos != -1:
            if not (pos >= 3 and text[pos - 3 : pos] == "://"):
                starts.add(pos)
            pos = text.find(marker, pos + 4)
    links = []
    covered = 0
    for start in sorted(starts):
        if start < covered:
            continue  # inside the previous address: reading it again would be quadratic
        m = _URL_REST.match(text, start)
        if m is None:
            continue
        covered = m.end()
        url = m.group().rstrip(".,;:!?)]}")
        links.append(LinkRef(url, start, start + len(url)))
    return links


_TOKEN = re.compile(
    r"<!--(?P<comment>.*?)(?:--!?>|\Z)"
    r"|<(?P<start>[A-Za-z][^\t\n\f\r />]*)"
    r"(?P<attrs>(?:[^>\"']+|\"[^\"]*(?:\"|\Z)|'[^']*(?:'|\Z))*)>?"
    r"|</(?P<end>[A-Za-z][^\t\n\f\r />]*)[^>]*>?"
    r"|<[!?/][^>]*>?"
    r"|&(?:\#[0-9]{1,8};?|\#[xX][0-9A-Fa-f]{1,8};?|[A-Za-z][A-Za-z0-9]{0,31};?)",
    re.DOTALL,
)
_RAW_TEXT_END = {tag: re.compile(rf"</{tag}(?=[\s/>]|\Z)", re.IGNORECASE) for tag in SKIPPED_TAGS}


class _Builder:
    """Collects the text pieces and the map back to the source."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.length = 0
        self.offsets = OffsetMap()

    def exact(self, text: str, source_start: int) -> None:
        """Text copied verbatim from the source at ``source_start``."""
        if text:
            self.offsets.add(self.length, source_start)
            self.pieces.append(text)
            self.length += len(text)

    def whole(self, text: str, source_start: int, width: int) -> None:
        """Text that stands for the whole source span (an entity, a line break for a tag)."""
        if text:
            self.offsets.add(self.length, source_start, max(width, 1))
            self.pieces.append(text)
            self.length += len(text)

    def line_break(self, source_start: int, width: int) -> None:
        if self.pieces and self.pieces[-1] != "\n":
            self.whole("\n", source_start, width)

    def raw(self, raw: str, source_start: int) -> None:
        """A source slice that may hold entities (an attribute value)."""
        decoded = html.unescape(raw)
        if decoded == raw:
            self.exact(raw, source_start)
        else:
            self.whole(decoded, source_start, len(raw))


def _attributes(attrs: str, offset: int) -> list[tuple[str, str, int, int]]:
    """(name, decoded value, value start, value end) for each attribute with a value."""
    found = []
    for m in _ATTRIBUTE.finditer(attrs):
        if m.group(2) is None:
            continue
        value_start, value_end = m.span(2)
        value = m.group(2)
        if value[0] in "\"'":
            value_start += 1
            if len(value) > 1 and value[-1] == value[0]:
                value_end -= 1
        found.append(
            (
                m.group(1).lower(),
                html.unescape(attrs[value_start:value_end]),
                offset + value_start,
                offset + value_end,
            )
        )
    return found


def _start_tag(
    source: str,
    out: _Builder,
    links: list[LinkRef],
    m: re.Match[str],
) -> None:
    tag = m.group("start").lower()
    start, end = m.span()
    attrs_start = m.start("attrs")
    attrs = m.group("attrs")
    if tag in BLOCK_TAGS:
        out.line_break(start, end - start)
    values = _attributes(attrs, attrs_start)
    names = {name: value for name, value, _, _ in values}
    for name, value, value_start, value_end in values:
        if name in TEXT_ATTRIBUTES and value.strip():
            out.line_break(value_start, 0)
            out.raw(source[value_start:value_end], value_start)
            out.line_break(value_end, 0)
        if name in LINK_ATTRIBUTES.get(tag, ()):
            links.append(LinkRef(value, value_start, value_end, tag, name))
    # Wagtail's stored rich text: references by id instead of URLs.
    for marker, kinds in (("linktype", ("page", "document")), ("embedtype", ("image",))):
        kind = names.get(marker)
        ident = names.get("id", "").strip()
        if kind in kinds and ident.isdigit():
            span = next(((v[2], v[3]) for v in values if v[0] == "id"), (start, end))
            links.append(LinkRef(f"{kind}:{ident}", span[0], span[1], tag, "id"))
    if tag in ("br", "hr", "img"):
        out.line_break(start, end - start)


def html_text(source: str) -> ExtractedText:
    """The readable text of ``source`` (HTML), its map back to the source and its links."""
    out = _Builder()
    links: list[LinkRef] = []
    position = 0
    for m in _TOKEN.finditer(source):
        start, end = m.span()
        if start < position:
            continue  # inside a skipped script or style
        out.exact(source[position:start], position)
        position = end
        if m.group("start") is not None:
            _start_tag(source, out, links, m)
            tag = m.group("start").lower()
            if tag in SKIPPED_TAGS and not m.group().endswith("/>"):
                close = _RAW_TEXT_END[tag].search(source, end)
                if close is None:
                    position = len(source)
                else:
                    gt = source.find(">", close.end())
                    position = len(source) if gt == -1 else gt + 1
        elif m.group("end") is not None:
            if m.group("end").lower() in BLOCK_TAGS:
                out.line_break(start, end - start)
        elif m.group("comment") is not None:
            comment = m.group("comment")
            if comment.strip():
                out.line_break(start, 0)
                out.exact(comment, m.start("comment"))
                out.line_break(m.end("comment"), 0)
        elif source.startswith("&", start):
            raw = m.group()
            decoded = html.unescape(raw)
            if decoded == raw:
                out.exact(raw, start)
            else:
                out.whole(decoded, start, len(raw))
    out.exact(source[position:], position)
    return ExtractedText("".join(out.pieces), out.offsets, tuple(links))
