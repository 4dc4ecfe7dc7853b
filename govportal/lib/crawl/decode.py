"""Bytes of a web page to text: the charset from the Content-Type header, else the page's
``<meta charset>`` or ``http-equiv``, else detection (charset-normalizer).

Many Chinese government sites still serve GB2312 or GBK; both are decoded as GB18030, the
superset, so that a character outside GB2312 on a page labelled GB2312 is not lost.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["decode_html"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)
_CHINESE_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}
_SNIFF_BYTES = 4096


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    label = _CHINESE_SUPERSET.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _CHINESE_SUPERSET.get(name, name)


def decode_html(body: bytes, content_type: str = "") -> tuple[str, str]:
    """(text, encoding used). Never raises: undecodable bytes become U+FFFD."""
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace"), "utf-8"
    candidates = []
    header = _HEADER_CHARSET.search(content_type)
    if header:
        candidates.append(header.group(1))
    meta = _META_CHARSET.search(body[:_SNIFF_BYTES])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "replace"))
    for label in candidates:
        codec = _codec(label)
        if codec is None:
            continue
        try:
            return body.decode(codec), codec
        except UnicodeDecodeError:
            continue  # a wrong label (a GBK page sent as UTF-8): try the next clue
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(body[:65536]).best()
    codec = _codec(best.encoding) if best is not None else None
    codec = codec or "gb18030"
    return body.decode(codec, "replace"), codec
