"""Rate limits of the public mailbox pages (counted by govportal.core.ratelimit)."""

from __future__ import annotations

from django.conf import settings

from govportal.core.ratelimit import client_ip, limit_hit, limit_reached

__all__ = ["client_ip", "lookup_blocked", "lookup_failed", "submit_allowed"]

# (how many, per how many seconds)
SUBMIT_PER_IP = (10, 3600)
SUBMIT_PER_PHONE = (3, 24 * 3600)
LOOKUP_FAILURES_PER_IP = (20, 3600)


def _limit(name: str, default: tuple[int, int]) -> tuple[int, int]:
    value = getattr(settings, name, default)
    return int(value[0]), int(value[1])


def count_and_check(key: str, limit: tuple[int, int]) -> bool:
    """Count one more hit on `key`; True while the count stays within the limit."""
    return limit_hit("mailbox", key, limit=limit[0], window=limit[1])


def is_blocked(key: str, limit: tuple[int, int]) -> bool:
    return limit_reached("mailbox", key, limit=limit[0])


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
