"""Duplicate and flood protection for anonymous public forms (surveys, comments, interview
questions): who the visitor is, as far as we may know, and per-IP limits in the Django cache.

Nothing here stores an address or a phone number in the clear: both become keyed hashes
(HMAC with the site's secret), enough to recognise a repeat and useless to anyone else.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

# A mainland mobile number: 11 digits starting 13–19 (no SMS is sent; see Survey.phone_check).
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def client_ip(request: HttpRequest) -> str:
    """The visitor's address. Behind a proxy the deployment names the one trusted header
    (settings.CLIENT_IP_HEADER, e.g. "HTTP_X_REAL_IP"); a client-supplied header is never
    trusted otherwise."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        value = str(request.META.get(header, "")).split(",")[0].strip()
        if value:
            return value
    return str(request.META.get("REMOTE_ADDR", ""))


def keyed_hash(kind: str, value: str) -> str:
    if not value:
        return ""
    return salted_hmac(f"govportal.interaction.{kind}", value).hexdigest()


def ip_hash(ip: str) -> str:
    return keyed_hash("ip", ip)


def phone_hash(phone: str) -> str:
    return keyed_hash("phone", phone)


def limit_reached(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Whether `key` has already used its `limit` attempts in `scope` within `window` seconds."""
    if limit <= 0 or not key:
        return False
    return int(cache.get(f"antispam:{scope}:{key}", 0)) >= limit


def limit_count(scope: str, key: str, *, window: int) -> None:
    """Count one attempt. The window starts with the first attempt (cache.add), so steady
    traffic cannot keep extending it."""
    if not key:
        return
    cache_key = f"antispam:{scope}:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
