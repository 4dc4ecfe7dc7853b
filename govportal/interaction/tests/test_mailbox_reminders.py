"""manage.py mailbox_remind: one reminder one working day before the due date, one escalation."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from govportal.core.models import CalendarDay, CalendarDayKind, CalendarYear
from govportal.interaction.mailbox import services
from govportal.interaction.mailbox.reminders import mailbox_remind
from govportal.interaction.models import Message
from govportal.interaction.tests.mailbox_support import at
from govportal.testing import Portal

pytestmark = pytest.mark.django_db


def handling(portal: Portal, received: dt.datetime) -> Message:
    token = services.form_token_read(services.form_token_new())
    assert token is not None
    message = services.message_submit(
        form_token=token,
        message_type="help",
        subject="路灯不亮",
        content="小区路灯坏了一周",
        name="李四",
        phone="13900000000",
        now=received,
    ).message
    return services.message_accept(message=message, user=portal.operator, units=[portal.unit_a])


def test_the_unit_is_reminded_once_one_working_day_before_the_due_date(staff: Portal) -> None:
    message = handling(staff, at(dt.date(2026, 9, 30)))  # due 2026-10-13 (National Day)
    assert mailbox_remind(now=at(dt.date(2026, 10, 9))).reminded == 0
    assert mailbox_remind(now=at(dt.date(2026, 10, 10))).reminded == 0  # makeup Saturday
    assert mailbox_remind(now=at(dt.date(2026, 10, 12))).reminded == 1
    assert mailbox_remind(now=at(dt.date(2026, 10, 12), 15)).reminded == 0  # run twice
    assert mailbox_remind(now=at(dt.date(2026, 10, 13))).reminded == 0
    assert [m.to for m in mail.outbox] == [["editor_a@example.test"]]
    assert "2026-10-13" in mail.outbox[0].subject
    assert message.events.filter(kind="reminded").count() == 1


def test_an_overdue_message_is_escalated_to_the_operator_once(staff: Portal) -> None:
    message = handling(staff, at(dt.date(2026, 9, 30)))
    assert mailbox_remind(now=at(dt.date(2026, 10, 13), 18)).escalated == 0  # due today
    assert mailbox_remind(now=at(dt.date(2026, 10, 14))).escalated == 1
    assert mailbox_remind(now=at(dt.date(2026, 10, 15))).escalated == 0
    escalations = [m for m in mail.outbox if "督办" in m.subject]
    assert [m.to for m in escalations] == [["operator@example.test"]]
    message.refresh_from_db()
    assert message.escalated_at == at(dt.date(2026, 10, 14))
    assert message.events.filter(kind="escalated").count() == 1


def test_an_unaccepted_overdue_message_is_escalated_too(staff: Portal) -> None:
    token = services.form_token_read(services.form_token_new())
    assert token is not None
    services.message_submit(
        form_token=token,
        message_type="consultation",
        subject="咨询",
        content="无人受理的留言",
        name="张三",
        phone="13700000000",
        now=at(dt.date(2026, 9, 30)),
    )
    assert mailbox_remind(now=at(dt.date(2026, 10, 14))).escalated == 1


def test_answered_messages_are_neither_reminded_nor_escalated(staff: Portal) -> None:
    message = handling(staff, at(dt.date(2026, 9, 30)))
    reply = services.reply_save(message=message, user=staff.editor_a, text="已修复", submit=True)
    services.reply_approve(reply=reply, user=staff.reviewer_a)
    result = mailbox_remind(now=at(dt.date(2026, 10, 12)))
    assert (result.reminded, result.escalated) == (0, 0)
    assert mailbox_remind(now=at(dt.date(2026, 10, 20))).escalated == 0


def test_an_approved_extension_brings_one_reminder_before_the_new_due_date(staff: Portal) -> None:
    message = handling(staff, at(dt.date(2026, 9, 30)))
    mailbox_remind(now=at(dt.date(2026, 10, 12)))
    extension = services.extension_request(
        message=message, user=staff.editor_a, days=3, reason="需协调供电公司"
    )
    services.extension_decide(extension=extension, user=staff.operator, approve=True)
    assert mailbox_remind(now=at(dt.date(2026, 10, 14))).escalated == 0  # due 10-16 now
    assert mailbox_remind(now=at(dt.date(2026, 10, 15))).reminded == 1
    assert message.events.filter(kind="reminded").count() == 2


def test_due_dates_are_filled_in_once_the_calendar_knows_the_year(staff: Portal) -> None:
    token = services.form_token_read(services.form_token_new())
    assert token is not None
    message = services.message_submit(
        form_token=token,
        message_type="consultation",
        subject="咨询",
        content="明年的留言",
        name="张三",
        phone="13700000000",
        now=at(dt.date(2027, 3, 1)),
    ).message
    assert message.due_on is None
    result = mailbox_remind(now=at(dt.date(2027, 3, 1), 12))
    assert result.due_dates == 0 and "2027 年的节假日安排尚未录入" in result.problems[0]
    year = CalendarYear.objects.create(year=2027, complete=True)
    CalendarDay.objects.create(
        calendar_year=year, date=dt.date(2027, 1, 1), kind=CalendarDayKind.HOLIDAY
    )
    assert mailbox_remind(now=at(dt.date(2027, 3, 1), 13)).due_dates == 1
    message.refresh_from_db()
    assert message.due_on == dt.date(2027, 3, 8)


def test_the_command_reports_what_it_did(staff: Portal) -> None:
    handling(staff, at(dt.date(2026, 9, 30)))
    out = StringIO()
    call_command("mailbox_remind", "--now", "2026-10-12T09:00", stdout=out)
    assert "到期提醒 1 条，超期督办 0 条" in out.getvalue()
    out = StringIO()
    call_command("mailbox_remind", "--now", "2026-10-12T10:00", stdout=out)
    assert "到期提醒 0 条" in out.getvalue()


def test_a_reminded_message_shows_on_the_units_dashboard(staff: Portal) -> None:
    from django.test import Client

    from govportal.interaction.mailbox.hooks import panel_lines

    handling(staff, at(dt.date(2026, 9, 30)))
    mailbox_remind(now=at(dt.date(2026, 10, 12)))
    lines = {
        label: count for label, count, _, _ in panel_lines(staff.editor_a, dt.date(2026, 10, 12))
    }
    assert lines["已收到到期提醒、尚未答复"] == 1
    assert lines["即将到期"] == 1
    client = Client()
    client.force_login(staff.editor_a)
    assert "已收到到期提醒" in client.get("/admin/").content.decode()


def test_kept_attachments_never_sent_are_removed_after_a_day(settings: Any) -> None:
    from govportal.interaction.mailbox.services import Upload
    from govportal.interaction.mailbox.uploads import keep
    from govportal.interaction.models import mailbox_storage

    kept = keep([Upload(name="a.pdf", kind="pdf", data=b"%PDF-1.4\n")])
    storage = mailbox_storage()
    assert mailbox_remind(now=timezone.now()).pending_removed == 0
    assert storage.exists(kept[0].path)
    assert mailbox_remind(now=timezone.now() + dt.timedelta(days=2)).pending_removed == 1
    assert not storage.exists(kept[0].path)
