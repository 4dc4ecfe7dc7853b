"""The mailbox demo on the test portal: letters in every state, found by monitoring."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.utils import timezone

from govportal.demo import mailbox as demo_mailbox
from govportal.demo.builder import DemoWorld
from govportal.interaction.models import ExtensionRequest, Message, ReplyDraft
from govportal.monitoring.rules import rule_run
from govportal.testing import Portal

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 16))


def test_the_demo_has_letters_in_every_state(portal: Portal, settings: Any, tmp_path: Path) -> None:
    settings.MAILBOX_FILES_ROOT = tmp_path
    lines: list[str] = []
    world = DemoWorld(
        now=NOW,
        scale=1.0,
        log=lines.append,
        units={"a": portal.unit_a, "b": portal.unit_b},
        users={
            "operator": portal.operator,
            "a_editor": portal.editor_a,
            "a_reviewer": portal.reviewer_a,
        },
        columns={},
        home=portal.home,
        rnd=random.Random(5),
    )
    demo_mailbox.load(world)
    messages = Message.objects.all()
    assert 55 <= messages.count() <= 70
    assert set(messages.values_list("status", flat=True)) == set(Message.Status.values)
    assert messages.filter(escalated_at__isnull=False).count() >= 4
    assert messages.filter(publication=Message.Publication.PUBLISHED).exclude(rating="").exists()
    assert messages.filter(publication=Message.Publication.HELD).exists()
    assert ReplyDraft.objects.filter(state=ReplyDraft.State.SUBMITTED).exists()
    assert ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING).exists()
    assert all("****" in phone for phone in messages.values_list("phone", flat=True))
    assert not messages.filter(received_at__gt=NOW).exists()
    today = timezone.localdate(NOW)
    assert rule_run("unanswered_messages", today=today, thresholds={}).breached
    assert not rule_run("no_recent_replies", today=today, thresholds={"months": 2}).breached
    assert "查询码" in lines[-1]
