"""Links, title and visible text of an HTML page, read with lxml (libxml2's forgiving parser:
invalid HTML is repaired the way browsers mostly do, in linear time).

Links come from ``a``, ``area``, ``img``, ``script``, ``link``, ``iframe``, ``frame``,
``source``, ``video``, ``audio``, ``embed`` and ``object``, resolved against ``<base href>`` or
the page's address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from govportal.lib.crawl.urls import normalize_url

__all__ = ["FoundLink", "PageContent", "extract", "looks_like_soft_404"]

# (tag, attribute) pairs that point at something a reader loads or follows.
_LINK_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "img": ("src",),
    "script": ("src",),
    "link": ("href",),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}
# <link rel=...> values that name another host to warm up, not a resource of this page.
_LINK_RELS_SKIPPED = frozenset({"dns-prefetch", "preconnect"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_ANCHOR_MAX = 200
_TEXT_MAX = 2000

# What error pages served with status 200 say (软404). The title is enough; in the body the
# phrase must stand in a short page, so that an article that mentions a missing page is fine.
_SOFT_404_TITLE = re.compile(
    r"页面不存在|页面未找到|找不到|无法找到|不存在或已删除|已被删除|\b404\b|not found", re.I
)
_SOFT_404_BODY = re.compile(
    r"页面不存在|页面未找到|找不到(?:您|你)?(?:要|所)?(?:访问|请求)?的?页面|"
    r"(?:您|你)(?:要|所)?(?:访问|请求)的页面(?:不存在|已删除)|\b404\b|page not found",
    re.I,
)
_SOFT_404_BODY_MAX = 600  # visible characters


@dataclass(frozen=True, slots=True)
class FoundLink:
    url: str  # normalised, absolute
    anchor: str  # the link text, an image's alt, or empty
    tag: str  # the element it came from


@dataclass(frozen=True, slots=True)
class PageContent:
    title: str
    text: str  # the first visible characters, whitespace collapsed
    links: list[FoundLink]


_PARSER = etree.HTMLParser(recover=True, no_network=True, remove_comments=True)


def _clean(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def extract(text: str, base_url: str) -> PageContent:
    """Parse a page; never raises on bad markup."""
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        return PageContent("", "", [])
    try:
        # Plain lxml elements: lxml.html's element classes cost more than the parse itself.
        root = etree.fromstring(text, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return PageContent("", "", [])
    if root is None:
        return PageContent("", "", [])
    base = base_url
    for element in root.iter("base"):
        href = element.get("href")
        if href:
            base = normalize_url(href, base_url) or base_url
        break
    links: list[FoundLink] = []
    resolved: dict[str, str | None] = {}
    for element in root.iter(*_LINK_ATTRIBUTES):
        tag = element.tag
        if tag == "link" and set((element.get("rel") or "").lower().split()) & _LINK_RELS_SKIPPED:
            continue
        for attribute in _LINK_ATTRIBUTES[tag]:
            value = element.get(attribute)
            if not value:
                continue
            hrefs = (
                [part.strip().split(" ")[0] for part in value.split(",")]
                if attribute == "srcset"
                else [value]
            )
            if tag == "img":
                anchor = element.get("alt") or ""
            elif tag in ("a", "area"):
                anchor = (
                    "".join(element.itertext()) or element.get("title") or element.get("alt") or ""
                )
            else:
                anchor = ""
            anchor = _clean(anchor, _ANCHOR_MAX) if anchor else ""
            for href in hrefs:
                if href in resolved:
                    url = resolved[href]
                else:
                    url = resolved[href] = normalize_url(href, base)
                if url is not None:
                    links.append(FoundLink(url, anchor, tag))
    title_element = root.find(".//title")
    title = _clean("".join(title_element.itertext()), 300) if title_element is not None else ""
    body = root.find("body")
    if body is not None:
        for skipped in body.iter("script", "style", "noscript", "template"):
            skipped.text = ""
        visible = _clean("".join(body.itertext()), _TEXT_MAX)
    else:
        visible = ""
    return PageContent(title, visible, links)


def looks_like_soft_404(content: PageContent) -> bool:
    """A page served with status 200 that tells the reader it does not exist."""
    if content.title and _SOFT_404_TITLE.search(content.title):
        return True
    return len(content.text) <= _SOFT_404_BODY_MAX and bool(_SOFT_404_BODY.search(content.text))
