"""Duplicate and flood protection for anonymous public forms (surveys, comments, interview
questions): who the visitor is, as far as we may know, and per-IP limits in the Django cache.

Nothing here stores an address or a phone number in the clear: both become keyed hashes
(HMAC with the site's secret), enough to recognise a repeat and useless to anyone else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.crypto import salted_hmac

from govportal.core import ratelimit
from govportal.core.ratelimit import client_ip

__all__ = [
    "client_ip",
    "create_once",
    "ip_hash",
    "keyed_hash",
    "limit_count",
    "limit_reached",
    "phone_hash",
]

DAY = 24 * 3600
M = TypeVar("M", bound=models.Model)

# A mainland mobile number: 11 digits starting 13–19 (no SMS is sent; see Survey.phone_check).
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


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
    return ratelimit.limit_reached(f"antispam:{scope}", key, limit=limit)


def limit_count(scope: str, key: str, *, window: int) -> None:
    """Count one attempt (the limit itself is checked by limit_reached before the action)."""
    if key:
        ratelimit.limit_hit(f"antispam:{scope}", key, limit=0, window=window)


def create_once(
    model: type[M],
    *,
    token: str,
    scope: str,
    ip_hash: str,
    limit: int,
    refusal: Exception,
    create: Callable[[], M],
) -> tuple[M, bool]:
    """Store a public submission (a comment, an interview question) once per form token, within
    `limit` a day per address. Returns (row, created); a double click or a race on the same
    token gets the first row back. Raises `refusal` when the address has used its limit."""
    if limit_reached(scope, ip_hash, limit=limit, window=DAY):
        raise refusal
    try:
        with transaction.atomic():
            row = create()
    except IntegrityError:
        return model._default_manager.get(token=token), False
    limit_count(scope, ip_hash, window=DAY)
    return row, True
