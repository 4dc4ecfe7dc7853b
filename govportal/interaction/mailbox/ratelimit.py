"""Rate limits of the public mailbox pages, counted in the Django cache.

The cache is per process with the local-memory backend and shared with Redis (the scaled
deployment); the limits are a brake on floods, not an exact count.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# (how many, per how many seconds)
SUBMIT_PER_IP = (10, 3600)
SUBMIT_PER_PHONE = (3, 24 * 3600)
LOOKUP_FAILURES_PER_IP = (20, 3600)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the trusted proxy's header when one is set."""
    header = getattr(settings, "MAILBOX_CLIENT_IP_HEADER", "")
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            return str(forwarded).split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def _limit(name: str, default: tuple[int, int]) -> tuple[int, int]:
    value = getattr(settings, name, default)
    return int(value[0]), int(value[1])


def count_and_check(key: str, limit: tuple[int, int]) -> bool:
    """Count one more hit on `key`; True while the count stays within the limit."""
    allowed, window = limit
    cache_key = f"mailbox:rate:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count <= allowed


def is_blocked(key: str, limit: tuple[int, int]) -> bool:
    allowed, _ = limit
    return int(cache.get(f"mailbox:rate:{key}", 0)) >= allowed


def submit_allowed(ip: str, phone: str) -> str:
    """An empty string when a submission may go ahead, else the Chinese reason."""
    ip_limit = _limit("MAILBOX_SUBMIT_PER_IP", SUBMIT_PER_IP)
    phone_limit = _limit("MAILBOX_SUBMIT_PER_PHONE", SUBMIT_PER_PHONE)
    if not count_and_check(f"ip:{ip}", ip_limit):
        return f"提交过于频繁：同一网络每小时最多提交 {ip_limit[0]} 条留言，请稍后再试。"
    if not count_and_check(f"phone:{phone}", phone_limit):
        return (
            f"同一手机号码每天最多提交 {phone_limit[0]} 条留言，请明天再试；"
            "已提交的留言可用留言编号和查询码查询办理进度。"
        )
    return ""


def lookup_blocked(ip: str) -> bool:
    return is_blocked(f"lookup:{ip}", _limit("MAILBOX_LOOKUP_FAILURES", LOOKUP_FAILURES_PER_IP))


def lookup_failed(ip: str) -> None:
    count_and_check(f"lookup:{ip}", _limit("MAILBOX_LOOKUP_FAILURES", LOOKUP_FAILURES_PER_IP))
