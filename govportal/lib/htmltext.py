"""The text a reader sees in an HTML fragment, with a map back to the source, and its links.

Built on the standard library's tolerant ``html.parser``: it never recurses (10,000 nested
elements are fine) and accepts broken markup. Text comes from character data, entities,
comments (they are published in the page source) and the ``alt`` and ``title`` attributes.
Scripts and styles are skipped. Block-level elements add a line break, so words in two
paragraphs are never read as one.

Links include Wagtail's stored rich-text references: ``<a linktype="page" id="12">`` becomes
``page:12``, ``<a linktype="document" id="3">`` becomes ``document:3`` and
``<embed embedtype="image" id="5">`` becomes ``image:5``.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from govportal.lib.textnorm import OffsetMap

__all__ = ["ExtractedText", "LinkRef", "html_text", "looks_like_html", "plain_text_links"]

logger = logging.getLogger(__name__)

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
_ATTRIBUTE = re.compile(r"""([^\s/>="']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
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
    for marker in ("www.", "WWW.", "Www."):
        pos = text.find(marker)
        while pos != -1:
            if not (pos >= 3 and text[pos - 3 : pos] == "://"):
                starts.add(pos)
            pos = text.find(marker, pos + 4)
    links = []
    for start in sorted(starts):
        m = _URL_REST.match(text, start)
        if m is None:
            continue
        url = m.group().rstrip(".,;:!?)]}")
        links.append(LinkRef(url, start, start + len(url)))
    return links


class _Extractor(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0]
        pos = source.find("\n")
        while pos != -1:
            self.line_starts.append(pos + 1)
            pos = source.find("\n", pos + 1)
        self.pieces: list[str] = []
        self.length = 0
        self.offsets = OffsetMap()
        self.links: list[LinkRef] = []
        self.skipping: str | None = None

    # -- positions and output -----------------------------------------------------------------
    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def add_exact(self, text: str, source_start: int) -> None:
        """Text copied verbatim from the source at ``source_start``."""
        if not text:
            return
        self.offsets.add(self.length, source_start)
        self.pieces.append(text)
        self.length += len(text)

    def add_whole(self, text: str, source_start: int, width: int) -> None:
        """Text that stands for the whole source span (an entity, a line break for a tag)."""
        if not text:
            return
        self.offsets.add(self.length, source_start, max(width, 1))
        self.pieces.append(text)
        self.length += len(text)

    def add_break(self, source_start: int, width: int) -> None:
        if self.pieces and self.pieces[-1] != "\n":
            self.add_whole("\n", source_start, width)

    def add_raw(self, raw: str, source_start: int) -> None:
        """A raw source slice that may contain entities (an attribute value)."""
        decoded = html.unescape(raw)
        if decoded == raw:
            self.add_exact(raw, source_start)
        else:
            self.add_whole(decoded, source_start, len(raw))

    # -- tags -----------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self.position()
        raw = self.get_starttag_text() or ""
        if tag in SKIPPED_TAGS:
            self.skipping = tag
        if tag in BLOCK_TAGS:
            self.add_break(start, len(raw))
        values = self._attribute_spans(raw, start)
        names = {name: value for name, value, _, _ in values}
        for name, value, value_start, value_end in values:
            if name in TEXT_ATTRIBUTES and value.strip():
                self.add_break(value_start, 0)
                self.add_raw(self.source[value_start:value_end], value_start)
                self.add_break(value_end, 0)
            if name in LINK_ATTRIBUTES.get(tag, ()):
                self.links.append(LinkRef(value, value_start, value_end, tag, name))
        # Wagtail's stored rich text: references by id instead of URLs.
        for marker, kinds in (("linktype", ("page", "document")), ("embedtype", ("image",))):
            kind = names.get(marker)
            if kind in kinds and names.get("id", "").strip().isdigit():
                span = next((v for v in values if v[0] == "id"), None)
                vs, ve = (span[2], span[3]) if span else (start, start + len(raw))
                self.links.append(LinkRef(f"{kind}:{names['id'].strip()}", vs, ve, tag, "id"))
        if tag in ("br", "hr", "img"):
            self.add_break(start, len(raw))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_TAGS:
            self.skipping = None

    def handle_endtag(self, tag: str) -> None:
        if tag == self.skipping:
            self.skipping = None
        if tag in BLOCK_TAGS:
            self.add_break(self.position(), 0)

    def _attribute_spans(self, raw: str, start: int) -> list[tuple[str, str, int, int]]:
        """(name, decoded value, value start, value end) for each attribute of a start tag."""
        name_end = 1
        while name_end < len(raw) and not raw[name_end].isspace() and raw[name_end] not in "/>":
            name_end += 1
        found = []
        for m in _ATTRIBUTE.finditer(raw, name_end, max(name_end, len(raw) - 1)):
            if m.group(2) is None:
                continue
            value_start, value_end = m.span(2)
            if m.group(2)[0] in "\"'":
                value_start, value_end = value_start + 1, value_end - 1
            value = html.unescape(raw[value_start:value_end])
            found.append((m.group(1).lower(), value, start + value_start, start + value_end))
        return found

    # -- text -----------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        start = self.position()
        if self.source.startswith(data, start):
            self.add_exact(data, start)
        else:  # the parser handed over text it did not read at its position (end of input)
            found = self.source.find(data, start)
            if found != -1:
                self.add_exact(data, found)
            else:
                self.add_whole(data, start, len(self.source) - start)

    def _reference(self, pattern: str) -> None:
        start = self.position()
        m = re.compile(pattern).match(self.source, start)
        raw = m.group() if m else "&"
        if not self.skipping:
            decoded = html.unescape(raw)
            if decoded == raw:
                self.add_exact(raw, start)
            else:
                self.add_whole(decoded, start, len(raw))

    def handle_entityref(self, name: str) -> None:
        self._reference(r"&[A-Za-z][-.A-Za-z0-9]*;?")

    def handle_charref(self, name: str) -> None:
        self._reference(r"&#(?:[xX][0-9A-Fa-f]*|[0-9]*);?")

    def handle_comment(self, data: str) -> None:
        start = self.position()
        found = self.source.find(data, start) if data else -1
        if found != -1 and data.strip():
            self.add_break(start, 0)
            self.add_exact(data, found)
            self.add_break(found + len(data), 0)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # ``<![foo`` makes the standard library raise AssertionError; read it as a bogus comment.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return self.parse_bogus_comment(i, report)

    def result(self) -> ExtractedText:
        return ExtractedText("".join(self.pieces), self.offsets, tuple(self.links))


def html_text(source: str) -> ExtractedText:
    """The readable text of ``source`` (HTML), its map back to the source and its links."""
    parser = _Extractor(source)
    try:
        parser.feed(source)
        parser.close()
    except Exception:  # the parser is tolerant; if it still fails, check the raw source
        logger.warning("HTML could not be parsed; checking it as plain text", exc_info=True)
        return ExtractedText(source, OffsetMap(), tuple(plain_text_links(source)))
    return parser.result()
