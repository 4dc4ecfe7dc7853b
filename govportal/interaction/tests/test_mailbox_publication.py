"""Publication: personal data masked automatically, blocking findings held for the operator."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from govportal.interaction.mailbox import publication, services
from govportal.interaction.mailbox.services import MailboxError
from govportal.interaction.models import Message
from govportal.lib.idnumbers import resident_id_check_character
from govportal.testing import Portal

TODAY = dt.date(2026, 10, 12)
FIRST17 = "61030219900101123"
RESIDENT_ID = FIRST17 + resident_id_check_character(FIRST17)


@pytest.mark.parametrize(
    ("name", "masked"), [("王小明", "王**"), ("李四", "李*"), ("欧阳娜娜", "欧***"), ("", "")]
)
def test_names_keep_only_the_surname(name: str, masked: str) -> None:
    assert publication.mask_name(name) == masked


@pytest.mark.django_db
def test_numbers_addresses_and_names_are_removed_from_the_text() -> None:
    text = (
        f"我叫王小明，电话13812345678，身份证{RESIDENT_ID}，"
        "家住金陵路88号3号楼2单元501室，邮箱wxm@example.com。王小明再次反映。"
    )
    masked = publication.mask_personal_data(text, names=["王小明"], today=TODAY)
    for secret in ("王小明", "13812345678", RESIDENT_ID, "501室", "wxm@example.com"):
        assert secret not in masked
    assert masked.count("王**") == 2
    assert "我叫王**，电话***，身份证***" in masked


@pytest.mark.django_db
def test_a_name_the_citizen_gives_in_the_text_is_masked_too() -> None:
    masked = publication.mask_personal_data("本人张三，反映噪音问题。", names=["李四"], today=TODAY)
    assert masked == "本人张*，反映噪音问题。"


def answered(
    portal: Portal, reply: str, content: str = "小区噪音扰民，我叫王小明，电话13812345678。"
) -> Message:
    token = services.form_token_read(services.form_token_new())
    assert token is not None
    message = services.message_submit(
        form_token=token,
        message_type="complaint",
        subject="王小明反映噪音",
        content=content,
        name="王小明",
        phone="13812345678",
        consent_publish=True,
        now=timezone.make_aware(dt.datetime(2026, 10, 9, 10)),
    ).message
    message = services.message_accept(message=message, user=portal.operator, units=[portal.unit_a])
    draft = services.reply_save(message=message, user=portal.editor_a, text=reply, submit=True)
    return services.reply_approve(reply=draft, user=portal.reviewer_a)


def test_an_answered_message_is_published_masked_and_listed(portal: Portal, client: Client) -> None:
    message = answered(portal, "王小明您好，已责成城管部门处理。")
    assert message.publication == Message.Publication.PUBLISHED
    assert message.public_subject == "王**反映噪音"
    listing = client.get("/mailbox/").content.decode()
    assert "王**反映噪音" in listing
    page = client.get(f"/mailbox/letters/{message.pk}/").content.decode()
    assert "王**您好，已责成城管部门处理。" in page
    assert "区政府办公室" in page  # the answering unit
    for secret in ("王小明", "13812345678"):
        assert secret not in page and secret not in listing


def test_a_blocking_finding_holds_the_message_for_the_operator(
    portal: Portal, client: Client
) -> None:
    message = answered(portal, "详见机密★1年文件，已处理。")
    assert message.publication == Message.Publication.HELD
    assert "机密★" in message.publication_note
    assert client.get(f"/mailbox/letters/{message.pk}/").status_code == 404
    assert message.public_subject not in client.get("/mailbox/").content.decode()
    with pytest.raises(MailboxError, match="公开内容仍有问题"):
        publication.publication_publish(
            message=message,
            user=portal.operator,
            public_subject=message.public_subject,
            public_content=message.public_content,
            public_reply=message.public_reply,
        )
    with pytest.raises(MailboxError, match="只有运维监管人员"):
        publication.publication_publish(
            message=message,
            user=portal.editor_a,
            public_subject="噪音",
            public_content="噪音",
            public_reply="已处理。",
        )
    publication.publication_publish(
        message=message,
        user=portal.operator,
        public_subject=message.public_subject,
        public_content=message.public_content,
        public_reply="已责成城管部门处理。",
    )
    assert client.get(f"/mailbox/letters/{message.pk}/").status_code == 200


def test_the_operator_may_withhold_a_message_with_a_reason(portal: Portal, client: Client) -> None:
    message = answered(portal, "已处理。")
    with pytest.raises(MailboxError, match="请填写不予公开的理由"):
        publication.publication_withhold(message=message, user=portal.operator, note="")
    publication.publication_withhold(message=message, user=portal.operator, note="涉及第三方隐私")
    assert client.get(f"/mailbox/letters/{message.pk}/").status_code == 404
