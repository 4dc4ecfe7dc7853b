"""The client's address and rate limits for the public forms (mailbox, requests, surveys, bot).

Counts live in the Django cache: per process with the local-memory backend of the embedded
deployment, shared by every process with Redis (the scaled deployment). They are a brake on
floods, not an exact count. Each window starts with the first attempt (`cache.add`), so steady
traffic cannot keep extending it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind a proxy the one header the deployment trusts
    (settings.CLIENT_IP_HEADER, e.g. HTTP_X_REAL_IP). A header the client could send itself is
    never trusted unless the deployment names it."""
    header = settings.CLIENT_IP_HEADER
    if header:
        value = str(request.META.get(header, "")).split(",")[0].strip()
        if value:
            return value
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(scope: str, key: str) -> str:
    return f"rate:{scope}:{key}"


def limit_hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt of `key` in `scope`; True while the count stays within `limit`."""
    cache_key = _key(scope, key)
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return int(count) <= limit


def limit_reached(scope: str, key: str, *, limit: int) -> bool:
    """Whether `key` has already used its `limit` attempts in `scope` (counts nothing)."""
    return int(cache.get(_key(scope, key), 0)) >= limit
