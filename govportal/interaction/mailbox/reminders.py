"""Reminders and escalation (第十三条: 不得超期答复), run by `manage.py mailbox_remind`.

Three small steps, each safe to run twice and on several machines at once: every message is
claimed with a conditional UPDATE (… WHERE reminded_at IS NULL) before anything is sent, so a
unit gets one reminder per message, one working day before the due date, and an overdue
message is escalated (督办) to the operator once. The claim and its history line commit
together; the e-mail goes out after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from govportal.accounts.roles import Role
from govportal.core.models import Unit
from govportal.core.models.calendar import workday_calendar
from govportal.interaction.mailbox import deadlines
from govportal.interaction.mailbox.services import _event, open_messages, pending_unit_ids
from govportal.interaction.models import Message, MessageEvent
from govportal.lib.workdays import CalendarDataMissing

logger = logging.getLogger(__name__)


@dataclass
class RunResult:
    pending_removed: int = 0
    due_dates: int = 0
    reminded: int = 0
    escalated: int = 0
    problems: list[str] = field(default_factory=list)


def _admin_link(message: Message) -> str:
    return f"{settings.SITE_URL}/admin/mailbox/{message.pk}/"


def _unit_recipients(message: Message) -> list[str]:
    # Only the units whose part of the reply is still missing (a letter with several units).
    units = Unit.objects.filter(pk__in=pending_unit_ids(message))
    emails = {u.email for u in units if u.email}
    staff = get_user_model().objects.filter(unit__in=units, is_active=True).exclude(email="")
    emails.update(staff.values_list("email", flat=True))
    return sorted(emails)


def _operator_recipients() -> list[str]:
    users = get_user_model().objects.filter(groups__name=Role.OPERATOR, is_active=True)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def _mail(subject: str, body: str, recipients: list[str]) -> None:
    if not recipients:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError:
        # The claim stands: the reminder is visible in the admin even when mail is down.
        logger.exception("mailbox: could not send %r", subject)


def due_dates_fill(*, now: dt.datetime) -> tuple[int, list[str]]:
    """Due dates of messages received while the calendar lacked their year, once it has it."""
    filled, problems = 0, []
    calendar = workday_calendar()
    for message in open_messages().filter(due_on__isnull=True):
        try:
            due = deadlines.reply_due(message.received_on, calendar, message.reply_days)
        except CalendarDataMissing as exc:
            problems.append(f"{message.tracking_number}：{exc}")
            continue
        filled += Message.objects.filter(pk=message.pk, due_on__isnull=True).update(
            due_on=due, original_due_on=due
        )
    return filled, problems


def running_clock() -> QuerySet[Message]:
    """Open messages whose reply clock runs: not those waiting for the citizen's 补充."""
    return open_messages().filter(info_requested_at__isnull=True)


def reminders_send(*, now: dt.datetime) -> int:
    """One reminder per message to its units, one working day before the due date."""
    today = timezone.localdate(now)
    calendar = workday_calendar()
    sent = 0
    candidates = running_clock().filter(
        status=Message.Status.HANDLING, reminded_at__isnull=True, due_on__gte=today
    )
    for message in candidates:
        assert message.due_on is not None  # noqa: S101  (filtered above)
        try:
            if not deadlines.reminder_due(due_on=message.due_on, today=today, calendar=calendar):
                continue
        except CalendarDataMissing:
            continue
        with transaction.atomic():
            claimed = Message.objects.filter(pk=message.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue  # another run got there first
            _event(
                message,
                MessageEvent.Kind.REMINDED,
                text=f"答复期限 {message.due_on:%Y-%m-%d}，请按时答复。",
                now=now,
            )
        sent += 1
        _mail(
            f"【区长信箱】留言 {message.tracking_number} 将于 {message.due_on:%Y-%m-%d} 到期",
            f"留言“{message.subject}”的答复期限是 {message.due_on:%Y年%m月%d日}，"
            f"请在期限内审核答复（第十三条：最晚不超过5个工作日）。\n{_admin_link(message)}",
            _unit_recipients(message),
        )
    return sent


def escalations_run(*, now: dt.datetime) -> int:
    """Overdue open messages are escalated (督办) to the operator, once each."""
    today = timezone.localdate(now)
    escalated = 0
    for message in running_clock().filter(due_on__lt=today, escalated_at__isnull=True):
        with transaction.atomic():
            claimed = Message.objects.filter(pk=message.pk, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if not claimed:
                continue
            _event(
                message,
                MessageEvent.Kind.ESCALATED,
                text=f"已超过答复期限 {message.due_on:%Y-%m-%d}，督办。",
                now=now,
            )
        escalated += 1
        units = "、".join(
            Unit.objects.filter(pk__in=pending_unit_ids(message)).values_list("name", flat=True)
        )
        _mail(
            f"【区长信箱】督办：留言 {message.tracking_number} 已超期",
            f"留言“{message.subject}”已超过答复期限 {message.due_on:%Y年%m月%d日}"
            f"（状态：{message.get_status_display()}；尚未答复的承办单位：{units or '未转办'}），请督办。\n"
            f"{_admin_link(message)}",
            _operator_recipients(),
        )
    return escalated


def pending_clean(*, now: dt.datetime) -> int:
    """Attachments kept for a form that was never sent again are removed after a day."""
    from govportal.interaction.mailbox.uploads import MAX_AGE
    from govportal.interaction.models import mailbox_storage

    storage = mailbox_storage()
    if not storage.exists("pending"):
        return 0
    removed = 0
    for name in storage.listdir("pending")[1]:
        path = f"pending/{name}"
        if (now - storage.get_modified_time(path)).total_seconds() > MAX_AGE:
            storage.delete(path)
            removed += 1
    return removed


def mailbox_remind(*, now: dt.datetime | None = None) -> RunResult:
    now = now or timezone.now()
    result = RunResult()
    result.pending_removed = pending_clean(now=now)
    result.due_dates, result.problems = due_dates_fill(now=now)
    result.reminded = reminders_send(now=now)
    result.escalated = escalations_run(now=now)
    return result
