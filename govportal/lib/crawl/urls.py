"""Web addresses as the crawler keys them: absolute, without the fragment, percent-encoded.

Browsers drop tabs and line breaks inside an address, trim the spaces around it and send
spaces and Chinese characters percent-encoded as UTF-8; we do the same, so that
``<a href=" /新闻 列表.html ">`` and ``/%E6%96%B0%E9%97%BB%20%E5%88%97%E8%A1%A8.html`` are one
address. Escapes already present are kept as they are.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

__all__ = ["IGNORED_SCHEMES", "host_listed", "host_of", "normalize_url"]

IGNORED_SCHEMES = ("mailto:", "tel:", "sms:", "javascript:", "data:", "about:", "ftp:")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_NETLOC = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)")
_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")
# A path from the root made only of characters normalize_url keeps as they are, without dot
# segments, query or fragment: joined to the base's origin, it is already normal.
_PLAIN_ROOT_PATH = re.compile(r"/(?![/.])(?:[A-Za-z0-9%:@!$&'()*+,=_~-]|\.(?!\.?(?:/|$))|/(?!\.))*")


def normalize_url(href: str, base: str | None = None) -> str | None:
    """The absolute http(s) address of ``href`` read on ``base``; None for anything else."""
    if base and _PLAIN_ROOT_PATH.fullmatch(href) and (prefix := _PREFIX.match(base)):
        origin = _origin(prefix.group())
        if origin is not None:
            return origin + href  # most links of a page: the same answer, five times faster
    href = href.replace("\t", "").replace("\n", "").replace("\r", "").strip()
    if not href or href.startswith("#") or href.lower().startswith(IGNORED_SCHEMES):
        return None
    try:
        joined = urljoin(base, href) if base else href
        parts = urlsplit(joined)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            return None
        host = parts.hostname.lower().rstrip(".")
        if not host.isascii():
            host = host.encode("idna").decode("ascii")
        port = parts.port
    except (ValueError, UnicodeError):
        return None  # a port that is not a number, an IPv6 literal gone wrong, a bad IDN
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    query = quote(parts.query, safe=_QUERY_SAFE)
    return urlunsplit((scheme, netloc, path, query, ""))


@lru_cache(maxsize=256)
def _origin(base: str) -> str | None:
    """``scheme://host[:port]`` of the start of an address, normalised; None unless http(s)."""
    normal = normalize_url(base)
    if normal is None:
        return None
    parts = urlsplit(normal)
    return f"{parts.scheme}://{parts.netloc}"


def host_of(url: str) -> str:
    """The ``host[:port]`` of an address made by ``normalize_url``."""
    match = _NETLOC.match(url)
    if match is not None and "\t" not in url and "\n" not in url and "\r" not in url:
        return match.group(1)  # what urlsplit would say, without building a SplitResult
    return urlsplit(url).netloc


def host_listed(host: str, domains: frozenset[str]) -> bool:
    """Whether a host (without port) is one of the domains or a subdomain of one."""
    host = host.lower().rstrip(".")
    while host:
        if host in domains:
            return True
        _, _, host = host.partition(".")
    return False
