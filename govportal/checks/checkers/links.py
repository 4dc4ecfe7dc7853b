"""Links and images in the content.

- Internal targets (relative addresses, this site's hosts, Wagtail's ``page:12`` references)
  must exist and be live: the context's resolver says so; a missing or unpublished target
  blocks (断链).
- External targets on the block list block (第十九条: 不得与不良网站、非法网站建立链接);
  commercial sites warn (第八条(二): 不得……链接商业广告页面). The lists are
  ``checks/data/blocked_domains.txt`` and ``commercial_domains.txt`` plus the context's own.
- When the context asks for it, external targets are fetched with a short time-out and the
  result is cached for a day. 404, 410 and unreachable hosts block; other errors, time-outs
  and certificate problems warn, for a person to confirm. Intranet addresses are not fetched:
  a public page that points at one warns.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from govportal.checks.engine import (
    Category,
    CheckContext,
    Checker,
    Document,
    Finding,
    LinkStatus,
    Severity,
    register,
)
from govportal.lib.htmltext import LinkRef
from govportal.lib.urlprobe import Probe, is_private_host, probe

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CACHE_SECONDS = 24 * 3600
_IGNORED_SCHEMES = ("mailto:", "tel:", "sms:", "javascript:", "data:", "#")
_INTERNAL_REFERENCES = ("page:", "document:", "image:")
_MAX_PARALLEL = 8


class _Cache(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def set(self, key: str, value: Any, timeout: int | None = None) -> None: ...


class _DictCache:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set(self, key: str, value: Any, timeout: int | None = None) -> None:
        self.values[key] = value


_fallback_cache = _DictCache()


def _cache() -> _Cache:
    """The Django cache when Django is configured, else a process-local dictionary."""
    try:
        from django.conf import settings

        if settings.configured:
            from django.core.cache import cache as django_cache

            return django_cache
    except ImportError:  # pragma: no cover - Django is always installed here
        pass
    return _fallback_cache


@cache
def _domain_file(name: str) -> frozenset[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower().lstrip(".")
        for line in lines
        if line.strip() and not line.startswith("#")
    )


_MAX_LABELS = 8  # no listed domain has more labels; a longer host is compared by its tail


def _listed(host: str, domains: frozenset[str]) -> bool:
    """Whether the host is a listed domain or one of its subdomains."""
    suffix_start = len(host)
    for _ in range(_MAX_LABELS):
        suffix_start = host.rfind(".", 0, suffix_start)
        if host[suffix_start + 1 :] in domains:
            return True
        if suffix_start == -1:
            return False
    return False


def blocked_domains(context: CheckContext) -> frozenset[str]:
    return _domain_file("blocked_domains.txt") | context.blocked_domains


def commercial_domains(context: CheckContext) -> frozenset[str]:
    return _domain_file("commercial_domains.txt") | context.commercial_domains


def _target(url: str, context: CheckContext) -> tuple[str, str, str]:
    """(kind, target, host): kind is skip, internal, external or unsupported."""
    lowered = url.lower()
    if not url or lowered.startswith(_IGNORED_SCHEMES):
        return "skip", url, ""
    if lowered.startswith(_INTERNAL_REFERENCES):
        return "internal", url, ""
    if lowered.startswith("www."):
        url = "http://" + url
    elif url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return "unsupported", url, ""
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return "unsupported", url, ""
    if len(host) > 253:  # longer than any valid host name
        return "unsupported", url, ""
    if not parts.scheme and not host:
        return "internal", url, ""
    if host in context.internal_hosts:
        path = parts.path or "/"
        return "internal", path + (f"?{parts.query}" if parts.query else ""), host
    return "external", url, host


def _probe_cached(url: str, timeout: float) -> Probe:
    key = "checks:link:" + hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
    store = _cache()
    cached = store.get(key)
    if isinstance(cached, dict):
        return Probe(status=cached.get("status"), error=cached.get("error"))
    result = probe(url, timeout=timeout)
    store.set(key, {"status": result.status, "error": result.error}, CACHE_SECONDS)
    return result


def _probe_verdict(result: Probe) -> tuple[str, str] | None:
    """(severity, message) for a probe result, or None when the link works."""
    if result.status is not None:
        if result.status < 400:
            return None
        if result.status in (404, 410):
            return Severity.BLOCK, f"外部链接已失效（HTTP {result.status}，断链）。"
        return Severity.WARN, f"外部链接返回错误（HTTP {result.status}），请人工确认能否访问。"
    if result.error == "connect":
        return Severity.BLOCK, "外部链接无法连接（域名不存在或服务器拒绝连接，断链）。"
    messages = {
        "timeout": "外部链接访问超时，请人工确认能否访问。",
        "tls": "外部链接的安全证书有问题，请人工确认。",
        "redirects": "外部链接重定向次数过多，请人工确认。",
        "invalid": "链接地址格式不正确。",
    }
    return Severity.WARN, messages.get(result.error or "", "外部链接检查失败，请人工确认能否访问。")


@register
class Links(Checker):
    name = "links"

    def run(self, doc: Document) -> Iterator[Finding]:
        context = doc.context
        blocked = blocked_domains(context)
        commercial = commercial_domains(context)
        to_probe: dict[str, list[LinkRef]] = {}
        for link in doc.links:
            kind, target, host = _target(link.url.strip(), context)

            def finding(severity: str, rule: str, message: str, link: LinkRef = link) -> Finding:
                return doc.finding(
                    start=link.start,
                    end=link.end,
                    category=Category.LINK,
                    severity=severity,
                    rule=rule,
                    message=message,
                    in_source=True,
                )

            if kind == "skip":
                continue
            if kind == "unsupported":
                yield finding(
                    Severity.WARN, "link.unsupported", "链接协议或格式不受支持，公众可能无法打开。"
                )
                continue
            if kind == "internal":
                if context.resolve_internal is None:
                    continue
                status = context.resolve_internal(target)
                if status == LinkStatus.MISSING:
                    yield finding(
                        Severity.BLOCK,
                        "link.internal_missing",
                        "链接指向的本站页面或文件不存在（断链）。",
                    )
                elif status == LinkStatus.NOT_LIVE:
                    yield finding(
                        Severity.BLOCK,
                        "link.internal_not_live",
                        "链接指向的本站页面尚未发布或已撤下。",
                    )
                continue
            if _listed(host, blocked):
                yield finding(
                    Severity.BLOCK,
                    "link.blocked_domain",
                    f"链接指向禁止链接的网站（{host}）：政府网站不得与不良网站、非法网站建立链接（第十九条）。",
                )
                continue
            if _listed(host, commercial):
                yield finding(
                    Severity.WARN,
                    "link.commercial",
                    f"链接指向商业网站（{host}）：政府网站不得链接商业广告页面（第八条(二)）。",
                )
            if is_private_host(host) and not context.allow_private_hosts:
                yield finding(
                    Severity.WARN, "link.private_host", "链接指向内网地址，公众无法访问。"
                )
                continue
            if context.check_external_links:
                to_probe.setdefault(target, []).append(link)
        if not to_probe:
            return
        urls = list(to_probe)
        with ThreadPoolExecutor(max_workers=min(_MAX_PARALLEL, len(urls))) as pool:
            results = list(pool.map(lambda u: _probe_cached(u, context.http_timeout), urls))
        for url, result in zip(urls, results, strict=True):
            verdict = _probe_verdict(result)
            if verdict is None:
                continue
            severity, message = verdict
            rule = (
                "link.external_dead" if severity == Severity.BLOCK else "link.external_unverified"
            )
            for link in to_probe[url]:
                yield doc.finding(
                    start=link.start,
                    end=link.end,
                    category=Category.LINK,
                    severity=severity,
                    rule=rule,
                    message=message,
                    in_source=True,
                )
