"""Monitoring rule kinds of the mailbox (国办秘函〔2019〕19号, regulations.md §1.2 item 5, §1.3).

Registered from ready.py with `govportal.monitoring.rules.register_rule`; each reads the
messages as they stand and judges them for `today`:

- no_consultation_channel (veto): no effective online channel for consultations and suggestions
  (网上信访 and 纪检举报 do not count). The mailbox's letter form must be reachable, and a
  channel whose letters are never answered is not effective.
- unanswered_messages (veto): “监测时间点前1年内…有效留言超过3个月未回复”, read at the
  monitoring point (docs/decisions/0001-indicator-readings.md): a valid message received in the
  `window_months` (12) before `today` that is still unanswered on `today` and older than
  `months` (3) months. A letter answered late is not a veto under this reading (answering it
  clears the problem, as 第二十三条's 立即整改 expects); the threshold `count_late_answers`
  (default false) restores the stricter reading in which a late answer counts too. 不予受理
  messages are not valid messages.
- no_recent_replies (deduction): no reply published in the `months` (2) months before `today`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from govportal.core.freshness import add_months
from govportal.interaction.models import Message, MessageAssignment
from govportal.monitoring.rules import CheckResult, Finding, register_rule


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _unit_ids(message: Message) -> tuple[int, ...]:
    return tuple(
        sorted(MessageAssignment.objects.filter(message=message).values_list("unit_id", flat=True))
    )


@register_rule("no_consultation_channel", "咨询建议渠道")
def no_consultation_channel(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    months = int(thresholds.get("months", 12))
    try:
        url = reverse("mailbox:write")
    except NoReverseMatch:
        return CheckResult(
            measured=0,
            findings=(Finding("网站没有开设区长信箱等网上咨询建言渠道。"),),
            breached=True,
            count=1,
        )
    end = _start_of(today + dt.timedelta(days=1))
    window = Message.objects.filter(
        received_at__gte=_start_of(add_months(today, -months)), received_at__lt=end
    )
    answered = window.filter(answered_at__isnull=False, answered_at__lt=end).count()
    if window.exists() and not answered:
        finding = Finding(
            f"近 {months} 个月区长信箱收到 {window.count()} 件留言，没有一件得到答复，"
            "咨询建言渠道未有效运行。",
            url=url,
        )
        return CheckResult(measured=0, findings=(finding,), breached=True, count=1)
    return CheckResult(measured=answered)


@register_rule("unanswered_messages", "留言未回复")
def unanswered_messages(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    window_months = int(thresholds.get("window_months", 12))
    months = int(thresholds.get("months", 3))
    window_start = _start_of(add_months(today, -window_months))
    end = _start_of(today + dt.timedelta(days=1))
    candidates = Message.objects.filter(received_at__gte=window_start, received_at__lt=end).exclude(
        status=Message.Status.REJECTED
    )
    findings = []
    for message in candidates.filter(Q(answered_at__isnull=True) | Q(answered_at__gte=end)):
        limit = add_months(message.received_on, months)
        if limit < today:
            findings.append(
                Finding(
                    f"留言 {message.tracking_number}“{message.subject}”"
                    f"（{message.received_on:%Y-%m-%d} 收到）超过 {months} 个月未答复。",
                    unit_ids=_unit_ids(message),
                    key=message.tracking_number,
                )
            )
    if thresholds.get("count_late_answers", False):
        findings += _answered_late(candidates.filter(answered_at__lt=end), months)
    return CheckResult(
        measured=len(findings),
        findings=tuple(findings),
        breached=bool(findings),
        count=len(findings),
    )


def _answered_late(answered: Any, months: int) -> list[Finding]:
    """The stricter reading: a letter answered after `months` months counts for the whole
    window, though it is answered now (threshold `count_late_answers`)."""
    findings = []
    for message in answered.filter(answered_at__isnull=False):
        answered_on = timezone.localdate(message.answered_at)
        if answered_on > add_months(message.received_on, months):
            findings.append(
                Finding(
                    f"留言 {message.tracking_number}“{message.subject}”"
                    f"（{message.received_on:%Y-%m-%d} 收到）于 {answered_on:%Y-%m-%d} 才答复，"
                    f"超过 {months} 个月。",
                    unit_ids=_unit_ids(message),
                    key=message.tracking_number,
                )
            )
    return findings


@register_rule("no_recent_replies", "留言答复")
def no_recent_replies(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    months = int(thresholds.get("months", 2))
    end = _start_of(today + dt.timedelta(days=1))
    newest = (
        Message.objects.filter(publication=Message.Publication.PUBLISHED, published_at__lt=end)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    cutoff = add_months(today, -months)
    if newest is not None and timezone.localdate(newest) >= cutoff:
        return CheckResult(measured=(today - timezone.localdate(newest)).days)
    detail = (
        "从未公开过留言答复"
        if newest is None
        else f"最近一次公开留言答复在 {timezone.localdate(newest):%Y-%m-%d}"
    )
    finding = Finding(f"{months} 个月内没有公开新的留言答复（{detail}）。", url="/mailbox/")
    measured = None if newest is None else float((today - timezone.localdate(newest)).days)
    return CheckResult(measured=measured, findings=(finding,), breached=True, count=1)
