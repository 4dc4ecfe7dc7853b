"""The client's address and rate limits for the public forms (mailbox, requests, surveys, bot).

Counts live in the "shared" cache alias (settings.CACHES), seen alike by every process that
serves the site: Redis in the scaled deployment, a file cache in VAR_DIR in the embedded one
(`make run`: two gunicorn workers), so a limit is the limit whichever worker answers. They are a
brake on floods, not an exact count (the file cache's incr is a get and a set: two processes
counting at the same instant may count once). Each window starts with the first attempt
(`add`), so steady traffic cannot keep extending it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
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
    cache = caches["shared"]
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
    return int(caches["shared"].get(_key(scope, key), 0)) >= limit
