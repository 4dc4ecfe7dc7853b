"""Asking the citizen to add information: the reply clock stands still while the letter waits.

2026 schedule: 10/1–10/7 off; Saturday 10/10 is a makeup working day. A letter received on
2026-09-30 is due on 2026-10-13 (5 working days, 第十三条).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client

from govportal.interaction.mailbox import services
from govportal.interaction.mailbox.admin_views import deadline_label
from govportal.interaction.mailbox.reminders import mailbox_remind
from govportal.interaction.mailbox.services import INFO_WAIT_DAYS, MailboxError
from govportal.interaction.models import Message
from govportal.interaction.tests.mailbox_support import at
from govportal.testing import PASSWORD, Portal

pytestmark = pytest.mark.django_db
D = dt.date


def letter(portal: Portal) -> Message:
    token = services.form_token_read(services.form_token_new())
    assert token is not None
    message = services.message_submit(
        form_token=token,
        message_type="help",
        subject="路灯不亮",
        content="小区路灯坏了",
        name="李四",
        phone="13900000000",
        now=at(D(2026, 9, 30), 10),
    ).message
    message = services.message_accept(message=message, user=portal.operator, units=[portal.unit_a])
    assert message.due_on == D(2026, 10, 13)
    return message


def ask(portal: Portal, message: Message, on: dt.date) -> Message:
    return services.message_request_info(
        message=message, user=portal.editor_a, text="请说明是哪栋楼前的路灯。", now=at(on)
    )


@pytest.mark.parametrize(
    ("asked", "added", "due"),
    [
        # Asked on the day of receipt, answered after National Day: 10/8 and 10/9 do not count.
        (D(2026, 9, 30), D(2026, 10, 9), D(2026, 10, 15)),
        # The makeup Saturday 10/10 is a working day spent waiting: it does not count either.
        (D(2026, 10, 9), D(2026, 10, 12), D(2026, 10, 15)),
        # Asked and answered within the holiday: no working day waited, the due date stays.
        (D(2026, 10, 3), D(2026, 10, 7), D(2026, 10, 13)),
        # Answered the same day: nothing moves.
        (D(2026, 10, 8), D(2026, 10, 8), D(2026, 10, 13)),
    ],
)
def test_the_due_date_moves_by_the_working_days_spent_waiting_for_the_citizen(
    portal: Portal, asked: dt.date, added: dt.date, due: dt.date
) -> None:
    message = ask(portal, letter(portal), asked)
    message = services.message_add_info(message=message, text="3号楼前。", now=at(added, 15))
    assert message.due_on == due
    assert message.original_due_on == D(2026, 10, 13)
    assert message.info_requested_at is None and message.info_request == ""


def test_asking_twice_keeps_the_pause_running_from_the_first_request(portal: Portal) -> None:
    message = ask(portal, letter(portal), D(2026, 9, 30))
    message = ask(portal, message, D(2026, 10, 9))
    message = services.message_add_info(message=message, text="3号楼前。", now=at(D(2026, 10, 9)))
    assert message.due_on == D(2026, 10, 15)


def test_a_waiting_letter_is_neither_reminded_nor_escalated_nor_listed_overdue(
    portal: Portal,
) -> None:
    portal.editor_a.email = "editor_a@example.test"
    portal.editor_a.save()
    message = ask(portal, letter(portal), D(2026, 10, 9))
    assert mailbox_remind(now=at(D(2026, 10, 12))).reminded == 0
    assert mailbox_remind(now=at(D(2026, 10, 14))).escalated == 0
    message.refresh_from_db()
    assert deadline_label(message, D(2026, 10, 14))[0] == "等待留言人补充（暂停计时）"
    # 10/10 and 10/12 waited: due 10/15, and the one reminder comes before that date.
    services.message_add_info(message=message, text="3号楼前。", now=at(D(2026, 10, 12), 15))
    assert mailbox_remind(now=at(D(2026, 10, 14))).reminded == 1
    assert mailbox_remind(now=at(D(2026, 10, 15))).escalated == 0
    assert mailbox_remind(now=at(D(2026, 10, 16))).escalated == 1
    assert len(mail.outbox) == 1  # the reminder; the operator has no address


def test_the_letter_closes_as_not_supplemented_only_after_ten_working_days(
    portal: Portal,
) -> None:
    assert INFO_WAIT_DAYS == 10
    message = ask(portal, letter(portal), D(2026, 9, 30))
    # 10 working days after 9/30: 10/8, 9, 10 (makeup), 12 … 20.
    assert services.info_wait_ends(message) == D(2026, 10, 20)
    with pytest.raises(MailboxError, match="2026-10-20 届满"):
        services.message_close_no_info(
            message=message, user=portal.editor_a, now=at(D(2026, 10, 20), 17)
        )
    with pytest.raises(MailboxError, match="不能办理"):
        services.message_close_no_info(
            message=message, user=portal.editor_b, now=at(D(2026, 10, 21))
        )
    message = services.message_close_no_info(
        message=message, user=portal.editor_a, now=at(D(2026, 10, 21))
    )
    assert message.status == Message.Status.NO_INFO
    assert message.answered_at == at(D(2026, 10, 21))
    assert not message.is_open
    assert message.events.filter(kind="closed_no_info").count() == 1
    with pytest.raises(MailboxError, match="没有请您补充"):
        services.message_add_info(message=message, text="晚了", now=at(D(2026, 10, 22)))


def test_a_letter_not_waiting_cannot_be_closed_as_not_supplemented(portal: Portal) -> None:
    message = letter(portal)
    with pytest.raises(MailboxError, match="等待留言人补充"):
        services.message_close_no_info(
            message=message, user=portal.operator, now=at(D(2026, 12, 1))
        )


def test_the_message_screen_offers_closing_once_the_wait_is_over(portal: Portal) -> None:
    message = ask(portal, letter(portal), D(2026, 9, 30))
    client = Client()
    client.login(username=portal.operator.username, password=PASSWORD)
    with time_machine.travel(at(D(2026, 10, 20), 17), tick=False):
        page = client.get(f"/admin/mailbox/{message.pk}/").content.decode()
    assert "补充期限至 2026-10-20" in page and "留言人逾期未补充，办结" not in page
    with time_machine.travel(at(D(2026, 10, 21)), tick=False):
        page = client.get(f"/admin/mailbox/{message.pk}/").content.decode()
        assert "留言人逾期未补充，办结" in page
        response = client.post(
            f"/admin/mailbox/{message.pk}/", {"action": "close_no_info"}, follow=True
        )
    assert "已办结" in response.content.decode()
    message.refresh_from_db()
    assert message.status == Message.Status.NO_INFO
