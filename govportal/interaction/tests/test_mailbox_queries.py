"""The mailbox queues read a fixed number of queries, however many letters they list."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from govportal.interaction.mailbox import services
from govportal.interaction.models import Message, MessageAssignment, ReplyDraft
from govportal.testing import PASSWORD, Portal

pytestmark = pytest.mark.django_db
RECEIVED = timezone.make_aware(dt.datetime(2026, 9, 30, 10))  # due 2026-10-13
TODAY = timezone.make_aware(dt.datetime(2026, 10, 20, 10))


def letters(portal: Portal, count: int) -> None:
    """`count` letters in several states, each assigned to both units, one escalated, some
    waiting for the citizen, some with a unit's part approved."""
    for n in range(count):
        token = services.form_token_read(services.form_token_new())
        assert token is not None
        message = services.message_submit(
            form_token=token,
            message_type="consultation",
            subject=f"第{n}封信",
            content="内容",
            name="张三",
            phone="13800000000",
            now=RECEIVED + dt.timedelta(minutes=n),
        ).message
        if n % 5 == 0:
            continue  # stays new
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.HANDLING,
            escalated_at=RECEIVED if n % 3 == 0 else None,
            info_requested_at=RECEIVED if n % 4 == 0 else None,
        )
        for unit in (portal.unit_a, portal.unit_b):
            MessageAssignment.objects.create(message=message, unit=unit)
        if n % 2:
            ReplyDraft.objects.create(
                message=message, unit=portal.unit_a, text="答复", state=ReplyDraft.State.APPROVED
            )


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("operator", "/admin/mailbox/?queue=all"),
        ("operator", "/admin/mailbox/?queue=handling&deadline=overdue"),
        ("editor_a", "/admin/mailbox/?queue=answered"),
        ("editor_b", "/admin/mailbox/?queue=todo"),
    ],
)
def test_a_queue_of_30_letters_needs_as_many_queries_as_one_of_5(
    portal: Portal, who: str, url: str
) -> None:
    client = Client()
    client.login(username=getattr(portal, who).username, password=PASSWORD)
    letters(portal, 6)
    with time_machine.travel(
        TODAY, tick=False
    ):  # after the due date: the overdue filter finds them
        assert "第1封信" in client.get(url).content.decode()  # the rows are there (and caches warm)
        few = queries(client, url)
        letters(portal, 44)
        many = queries(client, url)  # 30 on the page: a full page
    assert many <= few, f"{few} queries with 5 letters listed, {many} with 30"
