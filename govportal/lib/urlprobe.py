"""Probe a web address: does it answer, and with which HTTP status. Used by the link check.

HEAD first (cheap), then GET without reading the body when a server refuses HEAD. Redirects
are followed. Errors come back as a short kind, never as an exception.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import httpx

__all__ = ["USER_AGENT", "Probe", "is_private_host", "probe"]

USER_AGENT = "Mozilla/5.0 (compatible; govportal-linkcheck/1.0)"
# Statuses after which a GET is worth a try: servers that do not implement HEAD properly.
_RETRY_WITH_GET = frozenset({400, 403, 404, 405, 406, 500, 501, 502, 503})


@dataclass(frozen=True)
class Probe:
    status: int | None = None  # the final HTTP status, if the server answered
    error: str | None = None  # timeout, connect, tls, redirects, invalid or other

    @property
    def answered(self) -> bool:
        return self.status is not None


def is_private_host(host: str) -> bool:
    """Loopback, private, link-local or reserved addresses, and localhost."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def _request(client: httpx.Client, method: str, url: str) -> int:
    with client.stream(method, url) as response:
        return response.status_code


def probe(url: str, *, timeout: float) -> Probe:
    try:
        with httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": USER_AGENT},
        ) as client:
            status = _request(client, "HEAD", url)
            if status in _RETRY_WITH_GET:
                status = _request(client, "GET", url)
            return Probe(status=status)
    except httpx.TimeoutException:
        return Probe(error="timeout")
    except httpx.TooManyRedirects:
        return Probe(error="redirects")
    except httpx.ConnectError as exc:
        if "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper():
            return Probe(error="tls")
        return Probe(error="connect")
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError):
        return Probe(error="invalid")
    except httpx.HTTPError:
        return Probe(error="other")
