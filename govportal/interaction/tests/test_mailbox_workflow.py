"""Back office: accept, reject, assign, hand back, reply with review, extensions, privacy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.utils import timezone

from govportal.core.models import UnitGroup, UnitRole
from govportal.interaction.mailbox import services
from govportal.interaction.mailbox.services import MailboxError, Upload
from govportal.interaction.models import ContactView, Message, MessageAssignment, RejectReason
from govportal.testing import PASSWORD, Portal, UserFactory

pytestmark = pytest.mark.django_db
RECEIVED = timezone.make_aware(dt.datetime(2026, 9, 30, 10))  # due 2026-10-13


def new_message(consent: bool = True, **fields: Any) -> Message:
    token = services.form_token_read(services.form_token_new())
    assert token is not None
    data: dict[str, Any] = {
        "message_type": "consultation",
        "subject": "学校门口交通拥堵",
        "content": "每天早上学校门口车辆拥堵，请加派交警。联系人王小明，电话13812345678。",
        "name": "王小明",
        "phone": "13812345678",
        "consent_publish": consent,
        "now": RECEIVED,
    }
    data.update(fields)
    return services.message_submit(form_token=token, **data).message


def handling(portal: Portal, *units: Any) -> Message:
    message = new_message()
    return services.message_accept(
        message=message, user=portal.operator, units=list(units) or [portal.unit_a]
    )


# --- Intake -------------------------------------------------------------------------------------


def test_only_the_operator_accepts_and_assigns(portal: Portal) -> None:
    message = new_message()
    with pytest.raises(MailboxError, match="只有运维监管人员"):
        services.message_accept(message=message, user=portal.editor_a, units=[portal.unit_a])
    message = services.message_accept(
        message=message, user=portal.operator, units=[portal.unit_a, portal.unit_b]
    )
    assert message.status == Message.Status.HANDLING
    assert services.active_unit_ids(message) == {portal.unit_a.pk, portal.unit_b.pk}
    kinds = list(message.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "accepted", "assigned", "assigned"]


def test_a_message_cannot_be_accepted_twice(portal: Portal) -> None:
    message = handling(portal)
    with pytest.raises(MailboxError, match="不能再受理"):
        services.message_accept(message=message, user=portal.operator)


def test_rejection_needs_a_reason_from_the_list_and_is_shown_to_the_citizen(
    portal: Portal,
) -> None:
    services.reject_reasons_ensure()
    services.reject_reasons_ensure()  # safe twice
    assert RejectReason.objects.count() == len(services.DEFAULT_REJECT_REASONS)
    reason = RejectReason.objects.get(name__startswith="属于信访事项")
    message = services.message_reject(
        message=new_message(), user=portal.operator, reason=reason, text="请到区信访局反映"
    )
    assert message.status == Message.Status.REJECTED
    assert message.events.filter(kind="rejected", text__contains="请到区信访局反映").exists()


def test_a_unit_hands_back_and_the_message_returns_to_the_operator(portal: Portal) -> None:
    message = handling(portal, portal.unit_a, portal.unit_b)
    with pytest.raises(MailboxError, match="请填写退回理由"):
        services.message_hand_back(message=message, user=portal.editor_b, reason=" ")
    services.message_hand_back(message=message, user=portal.editor_b, reason="不属于教育局职责")
    message.refresh_from_db()
    assert message.status == Message.Status.HANDLING
    assert services.active_unit_ids(message) == {portal.unit_a.pk}
    services.message_hand_back(message=message, user=portal.editor_a, reason="应由交警部门办理")
    message.refresh_from_db()
    assert message.status == Message.Status.ACCEPTED
    back = MessageAssignment.objects.filter(state="handed_back").values_list(
        "handback_reason", flat=True
    )
    assert set(back) == {"不属于教育局职责", "应由交警部门办理"}
    # The operator can assign it to a unit again, even one that handed it back.
    services.message_assign(message=message, user=portal.operator, units=[portal.unit_b])
    assert services.active_unit_ids(message) == {portal.unit_b.pk}


# --- Replies: drafted by the editor, approved by the reviewer ----------------------------------


def test_the_reply_is_drafted_reviewed_sent_and_published(portal: Portal) -> None:
    message = handling(portal)
    reply = services.reply_save(
        message=message, user=portal.editor_a, text="已协调交警早高峰值守。"
    )
    assert reply.state == "draft"
    reply = services.reply_save(
        message=message,
        user=portal.editor_a,
        text="已协调交警早高峰值守，王小明您好。",
        submit=True,
    )
    with pytest.raises(MailboxError, match="审核人退回后才能修改"):
        services.reply_save(message=message, user=portal.editor_a, text="改")
    with pytest.raises(MailboxError, match="只有本单位的审核人员"):
        services.reply_approve(reply=reply, user=portal.editor_a)
    message = services.reply_approve(reply=reply, user=portal.reviewer_a)
    assert message.status == Message.Status.ANSWERED
    assert message.publication == Message.Publication.PUBLISHED
    assert "王**" in message.public_reply and "王小明" not in message.public_content
    assert "13812345678" not in message.public_content


def test_the_reviewer_never_approves_their_own_reply(portal: Portal) -> None:
    group = UnitGroup.objects.get(unit=portal.unit_a, role=UnitRole.REVIEWER).group
    portal.editor_a.groups.add(group)
    message = handling(portal)
    reply = services.reply_save(message=message, user=portal.editor_a, text="答复", submit=True)
    with pytest.raises(MailboxError, match="审发分离"):
        services.reply_approve(reply=reply, user=portal.editor_a)


def test_a_returned_reply_goes_back_to_the_editor_with_the_comment(portal: Portal) -> None:
    message = handling(portal)
    reply = services.reply_save(message=message, user=portal.editor_a, text="答复", submit=True)
    with pytest.raises(MailboxError, match="请填写审核意见"):
        services.reply_return(reply=reply, user=portal.reviewer_a, comment="")
    reply = services.reply_return(reply=reply, user=portal.reviewer_a, comment="请写明时间")
    assert reply.state == "returned"
    again = services.reply_save(
        message=message, user=portal.editor_a, text="答复：本周起", submit=True
    )
    assert again.pk == reply.pk and again.state == "submitted"


def test_a_unit_the_message_is_not_assigned_to_cannot_reply(portal: Portal) -> None:
    message = handling(portal, portal.unit_a)
    with pytest.raises(MailboxError, match="没有转办给您所在的单位"):
        services.reply_save(message=message, user=portal.editor_b, text="答复")


def test_without_consent_the_answered_message_stays_unpublished(portal: Portal) -> None:
    message = services.message_accept(
        message=new_message(consent=False), user=portal.operator, units=[portal.unit_a]
    )
    reply = services.reply_save(message=message, user=portal.editor_a, text="答复", submit=True)
    message = services.reply_approve(reply=reply, user=portal.reviewer_a)
    assert message.publication == Message.Publication.NONE


# --- Extensions ---------------------------------------------------------------------------------


def test_an_extension_needs_the_operators_approval_and_moves_the_due_date(portal: Portal) -> None:
    message = handling(portal)
    assert message.due_on == dt.date(2026, 10, 13)
    extension = services.extension_request(
        message=message, user=portal.editor_a, days=3, reason="需现场勘查"
    )
    with pytest.raises(MailboxError, match="已有待审批"):
        services.extension_request(message=message, user=portal.editor_a, days=1, reason="再延")
    with pytest.raises(MailboxError, match="只有运维监管人员"):
        services.extension_decide(extension=extension, user=portal.editor_a, approve=True)
    services.extension_decide(extension=extension, user=portal.operator, approve=True, note="同意")
    message.refresh_from_db()
    assert message.due_on == dt.date(2026, 10, 16)
    assert message.original_due_on == dt.date(2026, 10, 13)
    assert message.events.filter(kind="extension_approved").exists()


def test_a_refused_extension_needs_a_reason_and_keeps_the_due_date(portal: Portal) -> None:
    message = handling(portal)
    extension = services.extension_request(
        message=message, user=portal.editor_a, days=3, reason="需现场勘查"
    )
    with pytest.raises(MailboxError, match="请填写理由"):
        services.extension_decide(extension=extension, user=portal.operator, approve=False)
    services.extension_decide(
        extension=extension, user=portal.operator, approve=False, note="可电话核实"
    )
    message.refresh_from_db()
    assert message.due_on == dt.date(2026, 10, 13)


# --- Privacy: who sees the message and the citizen's contact data -------------------------------


def test_message_for_staff_branch_by_branch(portal: Portal) -> None:
    message = handling(portal, portal.unit_a)
    assert services.message_for_staff(portal.operator, message.pk) == message
    assert services.message_for_staff(portal.editor_a, message.pk) == message
    assert services.message_for_staff(portal.reviewer_a, message.pk) == message
    for user in (AnonymousUser(), portal.editor_b, portal.auditor, portal.system_admin):
        with pytest.raises(PermissionDenied):
            services.message_for_staff(user, message.pk)
    inactive = UserFactory.create(unit=portal.unit_a, is_active=False)
    with pytest.raises(PermissionDenied):
        services.message_for_staff(inactive, message.pk)
    with pytest.raises(Http404):
        services.message_for_staff(portal.operator, message.pk + 1000)
    services.message_hand_back(message=message, user=portal.editor_a, reason="非本单位职责")
    with pytest.raises(PermissionDenied):
        services.message_for_staff(portal.editor_a, message.pk)


def test_a_new_message_is_not_visible_to_any_unit(portal: Portal) -> None:
    message = new_message()
    with pytest.raises(PermissionDenied):
        services.message_for_staff(portal.editor_a, message.pk)
    assert list(services.messages_for_staff(portal.editor_a)) == []
    assert list(services.messages_for_staff(portal.operator)) == [message]


def test_every_look_at_contact_data_is_logged_and_others_are_refused(portal: Portal) -> None:
    message = handling(portal, portal.unit_a)
    contact = services.message_contact(user=portal.editor_a, message=message)
    assert contact.phone == "13812345678"
    with pytest.raises(PermissionDenied):
        services.message_contact(user=portal.editor_b, message=message)
    assert list(ContactView.objects.values_list("user__username", flat=True)) == ["editor_a"]


# --- Admin screens ------------------------------------------------------------------------------


def denied(response: Any) -> bool:
    """Wagtail turns PermissionDenied in the admin into a redirect home with a message."""
    return bool(response.status_code == 302 and response["Location"] == "/admin/")


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_admin_queues_show_each_role_its_own_messages(portal: Portal) -> None:
    mine = handling(portal, portal.unit_a)
    other = handling(portal, portal.unit_b)
    page = login(portal.editor_a).get("/admin/mailbox/").content.decode()
    assert mine.tracking_number in page and other.tracking_number not in page
    operator = login(portal.operator)
    page = operator.get("/admin/mailbox/?queue=handling").content.decode()
    assert mine.tracking_number in page and other.tracking_number in page
    page = operator.get(f"/admin/mailbox/?queue=handling&unit={portal.unit_b.pk}").content.decode()
    assert mine.tracking_number not in page and other.tracking_number in page
    assert denied(login(portal.auditor).get("/admin/mailbox/"))


def test_the_deadline_filter_finds_overdue_messages(portal: Portal) -> None:
    overdue = handling(portal)
    fresh = handling(portal)
    Message.objects.filter(pk=overdue.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    Message.objects.filter(pk=fresh.pk).update(due_on=timezone.localdate() + dt.timedelta(days=30))
    page = login(portal.operator).get("/admin/mailbox/?queue=all&deadline=overdue").content.decode()
    assert overdue.tracking_number in page and fresh.tracking_number not in page
    assert "已超期" in page


def test_bulk_accept_assigns_the_selected_new_messages(portal: Portal) -> None:
    first, second, left = new_message(), new_message(), new_message()
    response = login(portal.operator).post(
        "/admin/mailbox/?queue=new",
        {
            "selected": [first.pk, second.pk],
            "bulk_action": "accept",
            "bulk-units": [portal.unit_b.pk],
        },
    )
    assert response.status_code == 302
    statuses = dict(Message.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "handling", second.pk: "handling", left.pk: "new"}


def test_bulk_reject_uses_the_chosen_reason(portal: Portal) -> None:
    services.reject_reasons_ensure()
    message = new_message()
    reason = RejectReason.objects.get(name="重复留言")
    login(portal.operator).post(
        "/admin/mailbox/",
        {"selected": [message.pk], "bulk_action": "reject", "bulk-reason": reason.pk},
    )
    message.refresh_from_db()
    assert (message.status, message.reject_reason) == ("rejected", reason)


def test_the_message_screen_shows_contact_data_only_on_request_and_logs_it(
    portal: Portal,
) -> None:
    message = handling(portal, portal.unit_a)
    client = login(portal.editor_a)
    page = client.get(f"/admin/mailbox/{message.pk}/").content.decode()
    assert "13812345678" not in page.split("留言内容")[0]
    assert not ContactView.objects.exists()
    page = client.get(f"/admin/mailbox/{message.pk}/?contact=1").content.decode()
    assert "13812345678" in page
    assert ContactView.objects.filter(user=portal.editor_a, message=message).count() == 1
    assert denied(login(portal.editor_b).get(f"/admin/mailbox/{message.pk}/"))


def test_the_whole_workflow_through_the_admin_screens(portal: Portal) -> None:
    message = new_message()
    operator = login(portal.operator)
    url = f"/admin/mailbox/{message.pk}/"
    operator.post(url, {"action": "accept", "units": [portal.unit_a.pk]})
    editor = login(portal.editor_a)
    response = editor.post(url, {"action": "reply", "text": "", "submit_for_review": "1"})
    assert response.status_code == 400
    assert "答复内容不能为空" in response.content.decode()
    editor.post(url, {"action": "reply", "text": "已安排。", "submit_for_review": "1"})
    editor.post(url, {"action": "note", "text": "已电话联系"})
    reviewer = login(portal.reviewer_a)
    reply = message.replies.get()
    page = reviewer.get(url).content.decode()
    assert "审核通过并发送" in page
    reviewer.post(url, {"action": "approve", "reply": reply.pk, "comment": ""})
    message.refresh_from_db()
    assert message.status == Message.Status.ANSWERED
    assert message.notes.get().text == "已电话联系"
    history = operator.get(url).content.decode()
    for label in ("受理", "转办", "提交答复审核", "内部备注", "答复"):
        assert label in history


def test_staff_attachments_are_typed_and_downloaded_only_by_handlers(portal: Portal) -> None:
    message = handling(portal, portal.unit_a)
    services.attachment_add(
        message=message,
        user=portal.editor_a,
        uploads=[Upload(name="回执.pdf", kind="pdf", data=b"%PDF-1.4\n%%EOF\n")],
    )
    item = message.attachments.get()
    url = f"/admin/mailbox/{message.pk}/attachments/{item.pk}/"
    response = login(portal.editor_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert denied(login(portal.editor_b).get(url))


def test_the_dashboard_shows_the_mailbox_panel(portal: Portal) -> None:
    new_message()
    page = login(portal.operator).get("/admin/").content.decode()
    assert "区长信箱" in page and "待受理" in page


def test_the_operator_decides_an_extension_on_the_message_screen(portal: Portal) -> None:
    message = handling(portal)
    url = f"/admin/mailbox/{message.pk}/"
    login(portal.editor_a).post(url, {"action": "extension", "days": "2", "reason": "需现场勘查"})
    extension = message.extensions.get()
    operator = login(portal.operator)
    assert "延期待审批" in operator.get("/admin/mailbox/?queue=extensions").content.decode()
    refused = operator.post(
        url, {"action": "extension_decide", "extension": extension.pk, "decision": "refuse"}
    )
    assert "不批准延期时请填写理由" in refused.content.decode()
    operator.post(
        url,
        {
            "action": "extension_decide",
            "extension": extension.pk,
            "decision": "approve",
            "note": "",
        },
    )
    message.refresh_from_db()
    assert message.due_on == dt.date(2026, 10, 15)


def test_a_held_message_is_published_by_the_operator_after_editing(portal: Portal) -> None:
    message = handling(portal)
    reply = services.reply_save(
        message=message, user=portal.editor_a, text="详见机密★1年文件。", submit=True
    )
    services.reply_approve(reply=reply, user=portal.reviewer_a)
    operator = login(portal.operator)
    assert message.subject in operator.get("/admin/mailbox/?queue=held").content.decode()
    url = f"/admin/mailbox/{message.pk}/"
    data = {
        "action": "publish",
        "public_subject": "学校门口交通拥堵",
        "public_content": "每天早上学校门口车辆拥堵。",
        "public_reply": "详见机密★1年文件。",
    }
    still_bad = operator.post(url, data)
    assert still_bad.status_code == 400 and "公开内容仍有问题" in still_bad.content.decode()
    operator.post(url, {**data, "public_reply": "已协调交警早高峰值守。"})
    message.refresh_from_db()
    assert message.publication == Message.Publication.PUBLISHED


def test_a_message_without_a_due_date_shows_the_calendar_problem_loudly(portal: Portal) -> None:
    message = new_message(now=timezone.make_aware(dt.datetime(2027, 12, 28, 10)))
    assert message.due_on is None
    operator = login(portal.operator)
    assert "期限未计算：节假日安排未录入" in operator.get("/admin/mailbox/").content.decode()
    assert "期限未计算" in operator.get(f"/admin/mailbox/{message.pk}/").content.decode()


def test_answered_messages_offer_the_knowledge_base_only_when_it_exists(portal: Portal) -> None:
    from django.urls import NoReverseMatch, reverse

    message = handling(portal)
    reply = services.reply_save(message=message, user=portal.editor_a, text="已安排。", submit=True)
    services.reply_approve(reply=reply, user=portal.reviewer_a)
    page = login(portal.operator).get(f"/admin/mailbox/{message.pk}/").content.decode()
    try:
        reverse("knowledge_admin:entry_from_message")
    except NoReverseMatch:
        assert "存入知识库" not in page
    else:
        import re
        from urllib.parse import parse_qs, urlsplit

        link = re.search(r'href="([^"]+)">存入知识库', page)
        assert link is not None
        params = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
        assert params["answer"] == ["已安排。"]
        assert params["unit"] == [str(portal.unit_a.pk)]
        assert "13812345678" not in params["question"][0]  # masked like a publication
        assert "王**" in params["question"][0]


def test_forged_ids_in_admin_posts_are_a_404_not_a_500(portal: Portal) -> None:
    message = handling(portal)
    reviewer = login(portal.reviewer_a)
    url = f"/admin/mailbox/{message.pk}/"
    assert reviewer.post(url, {"action": "approve", "reply": "abc"}).status_code == 404
    operator = login(portal.operator)
    response = operator.post(url, {"action": "extension_decide", "extension": "x", "note": ""})
    assert response.status_code == 404
    assert operator.post(url, {"action": "nonsense"}).status_code == 200
    assert operator.get("/admin/mailbox/?queue=zzz&unit=abc&page=x&deadline=1").status_code == 200


def test_forged_public_addresses_are_a_404(client: Client) -> None:
    assert client.get("/mailbox/mine/" + "9" * 500 + "/").status_code == 404
    assert client.get("/mailbox/letters/999999/").status_code == 404
    response = client.post("/mailbox/query/", {"tracking_number": "1" * 30, "query_code": "x" * 30})
    assert response.status_code == 400
