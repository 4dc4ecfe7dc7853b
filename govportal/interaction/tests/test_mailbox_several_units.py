"""A letter assigned (转办) to several units: each unit answers its part, the citizen gets one reply.

第十三条 不得推诿: every unit still assigned drafts its part and its own reviewer approves it; the
letter is answered (and published, if agreed) only when the last part is approved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from govportal.core.models import UnitGroup, UnitRole
from govportal.interaction.mailbox import services
from govportal.interaction.mailbox.reminders import mailbox_remind
from govportal.interaction.mailbox.services import MailboxError
from govportal.interaction.models import Message, ReplyDraft
from govportal.interaction.tests.mailbox_support import at
from govportal.testing import PASSWORD, Portal, UserFactory

pytestmark = pytest.mark.django_db
RECEIVED = timezone.make_aware(dt.datetime(2026, 9, 30, 10))  # due 2026-10-13


@pytest.fixture
def reviewer_b(portal: Portal) -> Any:
    user = UserFactory.create(username="reviewer_b", unit=portal.unit_b)
    user.groups.set([UnitGroup.objects.get(unit=portal.unit_b, role=UnitRole.REVIEWER).group])
    return user


def two_unit_letter(portal: Portal, consent: bool = True) -> Message:
    token = services.form_token_read(services.form_token_new())
    assert token is not None
    message = services.message_submit(
        form_token=token,
        message_type="complaint",
        subject="学校门口占道经营",
        content="学校门口有摊贩占道，车辆也乱停。我叫王小明。",
        name="王小明",
        phone="13812345678",
        consent_publish=consent,
        now=RECEIVED,
    ).message
    return services.message_accept(
        message=message, user=portal.operator, units=[portal.unit_a, portal.unit_b]
    )


def approve(message: Message, editor: Any, reviewer: Any, text: str, now: dt.datetime) -> Message:
    reply = services.reply_save(message=message, user=editor, text=text, submit=True, now=now)
    return services.reply_approve(reply=reply, user=reviewer, now=now)


def test_the_letter_is_answered_only_when_every_unit_has_approved_its_part(
    portal: Portal, reviewer_b: Any
) -> None:
    message = two_unit_letter(portal)
    message = approve(
        message, portal.editor_a, portal.reviewer_a, "摊贩已劝离。", at(dt.date(2026, 10, 8))
    )
    assert message.status == Message.Status.HANDLING
    assert message.answered_at is None
    assert message.publication == Message.Publication.NONE
    assert services.pending_unit_ids(message) == {portal.unit_b.pk}
    message = approve(
        message, portal.editor_b, reviewer_b, "已增设停车引导。", at(dt.date(2026, 10, 9))
    )
    assert message.status == Message.Status.ANSWERED
    assert message.answered_at == at(dt.date(2026, 10, 9))
    assert message.publication == Message.Publication.PUBLISHED
    text = services.reply_text(message)
    assert text.index(f"【{portal.unit_a.name}】") < text.index("摊贩已劝离。")
    assert text.index("摊贩已劝离。") < text.index(f"【{portal.unit_b.name}】")
    assert text.endswith("已增设停车引导。")
    assert f"【{portal.unit_b.name}】" in message.public_reply
    kinds = list(message.events.values_list("kind", flat=True))
    assert kinds.count("unit_answered") == 2 and kinds.count("answered") == 1


def test_the_citizen_sees_no_reply_until_the_last_unit_is_done(
    portal: Portal, reviewer_b: Any, client: Client
) -> None:
    token = services.form_token_read(services.form_token_new())
    assert token is not None
    receipt = services.message_submit(
        form_token=token,
        message_type="complaint",
        subject="学校门口占道经营",
        content="学校门口有摊贩占道。",
        name="王小明",
        phone="13812345678",
        now=RECEIVED,
    )
    message = services.message_accept(
        message=receipt.message, user=portal.operator, units=[portal.unit_a, portal.unit_b]
    )
    approve(message, portal.editor_a, portal.reviewer_a, "摊贩已劝离。", RECEIVED)
    data = {"tracking_number": message.tracking_number, "query_code": receipt.query_code}
    page = client.post("/mailbox/query/", data, follow=True).content.decode()
    assert "摊贩已劝离。" not in page
    approve(message, portal.editor_b, reviewer_b, "已增设停车引导。", RECEIVED)
    page = client.get(f"/mailbox/mine/{message.tracking_number}/").content.decode()
    assert "摊贩已劝离。" in page and "已增设停车引导。" in page


def test_a_unit_whose_part_is_approved_can_neither_rewrite_it_nor_hand_it_back(
    portal: Portal,
) -> None:
    message = two_unit_letter(portal)
    approve(message, portal.editor_a, portal.reviewer_a, "摊贩已劝离。", RECEIVED)
    with pytest.raises(MailboxError, match="已审核通过"):
        services.reply_save(message=message, user=portal.editor_a, text="再改一次")
    with pytest.raises(MailboxError, match="已审核通过"):
        services.message_hand_back(message=message, user=portal.editor_a, reason="不是我们的")


def test_when_the_last_pending_unit_hands_back_the_letter_is_answered_by_the_others(
    portal: Portal,
) -> None:
    message = two_unit_letter(portal, consent=False)
    approve(message, portal.editor_a, portal.reviewer_a, "摊贩已劝离。", RECEIVED)
    services.message_hand_back(message=message, user=portal.editor_b, reason="不属于本单位职责")
    message.refresh_from_db()
    assert message.status == Message.Status.ANSWERED
    assert services.reply_text(message) == "摊贩已劝离。"


def test_a_unit_added_later_must_answer_too(portal: Portal, reviewer_b: Any) -> None:
    message = two_unit_letter(portal)
    services.message_hand_back(message=message, user=portal.editor_b, reason="不属于本单位职责")
    message = approve(message, portal.editor_a, portal.reviewer_a, "摊贩已劝离。", RECEIVED)
    assert message.status == Message.Status.ANSWERED
    other = two_unit_letter(portal)
    approve(other, portal.editor_a, portal.reviewer_a, "摊贩已劝离。", RECEIVED)
    services.message_hand_back(message=other, user=portal.editor_b, reason="不属于本单位职责")
    other.refresh_from_db()
    assert other.status == Message.Status.ANSWERED  # unit A alone is left and has answered
    third = two_unit_letter(portal)
    services.message_hand_back(message=third, user=portal.editor_b, reason="不属于本单位职责")
    services.message_assign(message=third, user=portal.operator, units=[portal.unit_b])
    third = approve(third, portal.editor_a, portal.reviewer_a, "摊贩已劝离。", RECEIVED)
    assert third.status == Message.Status.HANDLING  # unit B was assigned again: its part is due


def test_only_the_units_still_owing_their_part_are_reminded_and_named_in_the_escalation(
    staff: Portal,
) -> None:
    message = two_unit_letter(staff)
    approve(message, staff.editor_a, staff.reviewer_a, "摊贩已劝离。", at(dt.date(2026, 10, 9)))
    assert mailbox_remind(now=at(dt.date(2026, 10, 12))).reminded == 1
    assert [m.to for m in mail.outbox] == [["editor_b@example.test"]]
    assert mailbox_remind(now=at(dt.date(2026, 10, 14))).escalated == 1
    escalation = mail.outbox[-1]
    assert escalation.to == ["operator@example.test"]
    assert staff.unit_b.name in escalation.body and staff.unit_a.name not in escalation.body


def test_the_admin_screens_show_each_unit_its_share(portal: Portal, reviewer_b: Any) -> None:
    message = two_unit_letter(portal)
    approve(message, portal.editor_a, portal.reviewer_a, "摊贩已劝离。", RECEIVED)
    a, b = Client(), Client()
    a.login(username=portal.editor_a.username, password=PASSWORD)
    b.login(username=portal.editor_b.username, password=PASSWORD)
    assert message.subject not in a.get("/admin/mailbox/?queue=todo").content.decode()
    assert message.subject in a.get("/admin/mailbox/?queue=answered").content.decode()
    assert message.subject in b.get("/admin/mailbox/?queue=todo").content.decode()
    page = a.get(f"/admin/mailbox/{message.pk}/").content.decode()
    assert "本单位答复已审核通过，等待其他承办单位答复" in page
    assert f"尚待 {portal.unit_b.name} 答复" in page
    reply = ReplyDraft.objects.create(
        message=message,
        unit=portal.unit_b,
        text="已增设停车引导。",
        author=portal.editor_b,
        state=ReplyDraft.State.SUBMITTED,
    )
    r = Client()
    r.login(username=reviewer_b.username, password=PASSWORD)
    response = r.post(
        f"/admin/mailbox/{message.pk}/",
        {"action": "approve", "reply": reply.pk, "comment": ""},
        follow=True,
    )
    assert "答复已审核通过并发送给留言人" in response.content.decode()
    message.refresh_from_db()
    assert message.status == Message.Status.ANSWERED
