"""The public mailbox: writing a letter, bad input, double clicks, captcha, look-up, rating."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from typing import Any

import pytest
from captcha.models import CaptchaStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from govportal.interaction.mailbox import routing
from govportal.interaction.mailbox.services import (
    form_token_new,
    form_token_read,
    message_for_citizen,
    message_submit,
    query_code_for,
)
from govportal.interaction.models import Message, MessageAttachment
from govportal.interaction.tests.mailbox_support import at
from govportal.testing import Portal

pytestmark = pytest.mark.django_db
WRITE = "/mailbox/write/"


def _form(client: Client) -> dict[str, str]:
    """A fresh form's hidden fields, with the right captcha answer."""
    page = client.get(WRITE).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page)
    key = re.search(r'name="captcha_0" value="([^"]+)"', page)
    assert token is not None and key is not None
    answer = CaptchaStore.objects.get(hashkey=key.group(1)).response
    return {"form_token": token.group(1), "captcha_0": key.group(1), "captcha_1": answer}


def _letter(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "message_type": "consultation",
        "subject": "小区旁道路何时修好",
        "content": "金陵路东段施工已三个月，请问何时完工？",
        "name": "王小明",
        "phone": "13800000000",
        "email": "",
        "consent_publish": "on",
    }
    data.update(overrides)
    return data


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_letter_is_stored_and_the_citizen_gets_a_tracking_number_and_query_code(
    client: Client,
) -> None:
    response = client.post(WRITE, {**_form(client), **_letter()})
    assert response.status_code == 200
    message = Message.objects.get()
    page = response.content.decode()
    assert message.tracking_number in page
    code = re.search(r"查询码：<strong[^>]*>([A-Z0-9]+)<", page)
    assert code is not None
    assert code.group(1) not in message.query_code_hash  # only a hash is stored
    assert message.phone == "13800000000" and message.consent_publish
    assert message.events.get().kind == "submitted"


def test_the_same_form_posted_twice_makes_one_message_and_shows_the_same_receipt(
    client: Client,
) -> None:
    data = {**_form(client), **_letter()}
    first = client.post(WRITE, data).content.decode()
    second = client.post(WRITE, data)  # the captcha is used up: the token finds the first one
    assert Message.objects.count() == 1
    page = second.content.decode()
    assert "没有重复提交" in page
    tracking = Message.objects.get().tracking_number
    code = query_code_for(form_token_read(data["form_token"]) or "")
    assert tracking in first and tracking in page
    assert code in first and code in page


def test_a_used_captcha_answer_cannot_be_replayed(client: Client) -> None:
    used = _form(client)
    client.post(WRITE, {**used, **_letter()})
    fresh = _form(client)
    replay = {**fresh, "captcha_0": used["captcha_0"], "captcha_1": used["captcha_1"]}
    response = client.post(WRITE, {**replay, **_letter(subject="另一封信")})
    assert response.status_code == 400
    assert "验证码错误或已使用过" in response.content.decode()
    assert "另一封信" in response.content.decode()  # nothing typed is lost
    assert Message.objects.count() == 1


def test_a_ten_thousand_character_subject_is_refused_clearly_and_kept(client: Client) -> None:
    subject = "长" * 10_000
    response = client.post(WRITE, {**_form(client), **_letter(subject=subject)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "标题最多 100 个字，您输入了 10000 个字" in page
    assert subject in page
    assert "金陵路东段施工已三个月" in page
    assert not Message.objects.exists()


def test_empty_fields_get_chinese_messages_tied_to_the_fields(client: Client) -> None:
    response = client.post(WRITE, {**_form(client), "message_type": "", "subject": ""})
    page = response.content.decode()
    assert response.status_code == 400
    for text in ("请选择留言类型", "请填写标题", "请填写留言内容", "请填写姓名", "请填写手机号码"):
        assert text in page
    assert 'id="id_subject_error"' in page


def test_script_and_html_are_shown_as_text(client: Client) -> None:
    script = "<script>alert('x')</script><b>粗</b>"
    response = client.post(WRITE, {**_form(client), **_letter(subject=script, content=script)})
    assert response.status_code == 200
    mine = client.get(f"/mailbox/mine/{Message.objects.get().tracking_number}/").content.decode()
    assert "<script>alert" not in mine
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in mine


def test_images_and_pdf_are_accepted_by_their_content(client: Client) -> None:
    files = [
        SimpleUploadedFile("现场.png", _png(), content_type="image/png"),
        SimpleUploadedFile("说明.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    ]
    response = client.post(WRITE, {**_form(client), **_letter(), "attachments": files})
    assert response.status_code == 200
    kinds = sorted(MessageAttachment.objects.values_list("kind", flat=True))
    assert kinds == ["pdf", "png"]


def test_an_upload_that_lies_about_its_type_is_refused_and_the_text_kept(client: Client) -> None:
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = client.post(WRITE, {**_form(client), **_letter(), "attachments": [fake]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "附件“照片.jpg”的内容与扩展名不符" in page
    assert "小区旁道路何时修好" in page
    assert not Message.objects.exists()


def test_more_than_three_attachments_are_refused(client: Client) -> None:
    files = [SimpleUploadedFile(f"{i}.png", _png(), content_type="image/png") for i in range(4)]
    response = client.post(WRITE, {**_form(client), **_letter(), "attachments": files})
    assert "最多上传 3 个附件" in response.content.decode()
    assert not Message.objects.exists()


def test_an_oversized_attachment_is_refused(client: Client, settings: Any) -> None:
    settings.MAILBOX_MAX_UPLOAD_BYTES = 1024 * 1024
    big = SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = client.post(WRITE, {**_form(client), **_letter(), "attachments": [big]})
    assert "超过 1 MB" in response.content.decode()


def test_a_bad_mobile_number_is_refused(client: Client) -> None:
    response = client.post(WRITE, {**_form(client), **_letter(phone="12345")})
    assert "请填写 11 位手机号码" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("我要举报某局长收受红包", "纪检监察举报"),
        ("村干部贪污扶贫款", "纪检监察举报"),
        ("我的信访事项三年没有结果", "信访事项"),
        ("楼下着火了救命", "紧急求助"),
    ],
)
def test_letters_that_belong_elsewhere_are_recognised(text: str, title: str) -> None:
    assert [rule.title for rule in routing.channel_matches("标题", text)] == [title]


@pytest.mark.parametrize("text", ["举报楼下噪音扰民", "小区路灯不亮", "咨询社保缴费"])
def test_ordinary_letters_are_not_sent_elsewhere(text: str) -> None:
    assert routing.channel_matches("标题", text) == []


def test_a_letter_for_another_channel_shows_where_it_belongs_until_confirmed(
    client: Client,
) -> None:
    letter = _letter(content="反映某镇干部贪污问题，请纪委调查")
    response = client.post(WRITE, {**_form(client), **letter})
    page = response.content.decode()
    assert "纪检监察举报" in page and "12388" in page
    assert "反映某镇干部贪污问题" in page
    assert not Message.objects.exists()
    client.post(WRITE, {**_form(client), **letter, "confirm_channel": "on"})
    assert Message.objects.count() == 1


def test_submissions_are_limited_per_phone_number(client: Client, settings: Any) -> None:
    settings.MAILBOX_SUBMIT_PER_PHONE = (1, 3600)
    assert client.post(WRITE, {**_form(client), **_letter()}).status_code == 200
    response = client.post(WRITE, {**_form(client), **_letter(subject="第二封")})
    assert response.status_code == 429
    assert "同一手机号码每天最多提交 1 条留言" in response.content.decode()
    assert "第二封" in response.content.decode()
    assert Message.objects.count() == 1


def test_submissions_are_limited_per_address(client: Client, settings: Any) -> None:
    settings.MAILBOX_SUBMIT_PER_IP = (1, 3600)
    client.post(WRITE, {**_form(client), **_letter()})
    response = client.post(WRITE, {**_form(client), **_letter(phone="13900000000")})
    assert response.status_code == 429
    assert "同一网络每小时最多提交 1 条留言" in response.content.decode()


def test_a_forged_form_token_keeps_the_text_and_asks_to_submit_again(client: Client) -> None:
    data = {**_form(client), **_letter(), "form_token": "forged"}
    response = client.post(WRITE, data)
    page = response.content.decode()
    assert "表单已失效" in page and "小区旁道路何时修好" in page
    assert not Message.objects.exists()


def test_bench_mode_switches_the_captcha_off(client: Client, settings: Any) -> None:
    settings.MAILBOX_BENCH_MODE = True
    token = form_token_new()
    response = client.post(WRITE, {"form_token": token, **_letter()})
    assert response.status_code == 200
    assert Message.objects.count() == 1


def test_a_double_click_without_captcha_makes_one_letter_and_shows_the_same_receipt(
    client: Client, settings: Any
) -> None:
    # Bench mode: both posts are valid, so the second one meets the token's unique constraint.
    settings.MAILBOX_BENCH_MODE = True
    data = {"form_token": form_token_new(), **_letter()}
    first = client.post(WRITE, data).content.decode()
    second = client.post(WRITE, data).content.decode()
    message = Message.objects.get()
    assert message.tracking_number in first and message.tracking_number in second
    assert "没有重复提交" in second and "没有重复提交" not in first
    assert message.events.filter(kind="submitted").count() == 1


def test_the_bench_reference_view_exists_only_in_bench_mode(client: Client, settings: Any) -> None:
    assert client.post("/mailbox/bench-floor/", {"a": "1"}).status_code == 404
    settings.MAILBOX_BENCH_MODE = True
    response = client.post("/mailbox/bench-floor/", {"a": "1"})
    assert response.status_code == 200 and response.content == b"floor 1"


def test_the_letter_gets_its_due_date_and_submitted_event_with_the_receipt() -> None:
    received = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    message, _code = _submitted(now=received)
    message.refresh_from_db()
    assert message.due_on is not None and message.due_on == message.original_due_on
    event = message.events.get()
    assert event.kind == "submitted" and event.at == message.received_at


def _submitted(**fields: Any) -> tuple[Message, str]:
    token = form_token_read(form_token_new())
    assert token is not None
    data: dict[str, Any] = {
        "message_type": "consultation",
        "subject": "咨询",
        "content": "请问办理流程",
        "name": "王小明",
        "phone": "13800000000",
    }
    data.update(fields)
    receipt = message_submit(form_token=token, **data)
    return receipt.message, receipt.query_code


def test_the_citizen_follows_the_message_only_with_the_right_query_code() -> None:
    message, code = _submitted()
    client = Client()
    mine = f"/mailbox/mine/{message.tracking_number}/"
    assert client.get(mine).status_code == 404
    wrong = client.post(
        "/mailbox/query/", {"tracking_number": message.tracking_number, "query_code": "ABCDEFGHJK"}
    )
    assert wrong.status_code == 400
    assert "留言编号或查询码不正确" in wrong.content.decode()
    assert client.get(mine).status_code == 404
    right = client.post(
        "/mailbox/query/",
        {"tracking_number": message.tracking_number, "query_code": code.lower()},
    )
    assert right.status_code == 302 and right["Location"] == mine
    assert "请问办理流程" in client.get(mine).content.decode()


def test_a_query_code_hashed_with_pbkdf2_before_still_opens_the_letter() -> None:
    message, code = _submitted()
    assert message.query_code_hash.startswith("sha256$")
    # The format the mailbox stored before the salted SHA-256.
    digest = hashlib.pbkdf2_hmac("sha256", code.encode(), b"0123456789abcdef", 2_000).hex()
    old = f"pbkdf2_sha256$2000$0123456789abcdef${digest}"
    Message.objects.filter(pk=message.pk).update(query_code_hash=old)
    assert message_for_citizen(message.tracking_number, "ABCDEFGHJKMN") is None
    assert message_for_citizen(message.tracking_number, code) == message
    assert message_for_citizen(f" {message.tracking_number} ", code.lower()) == message


def test_a_letter_gets_a_dated_tracking_number_and_a_code_the_wrong_one_does_not_open() -> None:
    message, code = _submitted(now=at(dt.date(2026, 9, 30), 7))  # 9/29 23:00 UTC
    assert re.fullmatch(r"20260930\d{6}", message.tracking_number)
    assert len(code) == 12
    assert message_for_citizen(message.tracking_number, code[:-1]) is None
    assert message_for_citizen("20260930000000", code) is None


def test_repeated_wrong_codes_are_blocked(client: Client, settings: Any) -> None:
    settings.MAILBOX_LOOKUP_FAILURES = (2, 3600)
    message, code = _submitted()
    for _ in range(2):
        client.post("/mailbox/query/", {"tracking_number": "1", "query_code": "X"})
    response = client.post(
        "/mailbox/query/", {"tracking_number": message.tracking_number, "query_code": code}
    )
    assert response.status_code == 429
    assert "查询失败次数过多" in response.content.decode()


def _open(client: Client, message: Message, code: str) -> str:
    client.post("/mailbox/query/", {"tracking_number": message.tracking_number, "query_code": code})
    return f"/mailbox/mine/{message.tracking_number}/"


def test_the_citizen_adds_information_only_when_asked(client: Client) -> None:
    message, code = _submitted()
    mine = _open(client, message, code)
    assert "请补充材料" not in client.get(mine).content.decode()
    Message.objects.filter(pk=message.pk).update(info_request="请提供施工地点照片")
    assert "请提供施工地点照片" in client.get(mine).content.decode()
    png = SimpleUploadedFile("地点.png", _png())
    response = client.post(mine, {"action": "add_info", "text": "见附件", "attachments": [png]})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.info_request == ""
    assert message.attachments.count() == 1
    assert message.events.filter(kind="info_added", text="见附件").exists()


def test_the_citizen_rates_an_answered_message_once(client: Client) -> None:
    message, code = _submitted()
    mine = _open(client, message, code)
    early = client.post(mine, {"action": "rate", "rating": "satisfied"})
    assert "留言答复后才能评价" in early.content.decode()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.ANSWERED)
    client.post(mine, {"action": "rate", "rating": "basic", "comment": "答复及时"})
    again = client.post(mine, {"action": "rate", "rating": "unsatisfied"})
    message.refresh_from_db()
    assert (message.rating, message.rating_comment) == ("basic", "答复及时")
    assert "基本满意" in again.content.decode()


def test_public_pages_render(client: Client, portal: Portal) -> None:
    for url in ("/mailbox/", "/mailbox/statistics/", "/mailbox/query/", WRITE):
        assert client.get(url).status_code == 200, url


def test_a_double_click_waits_for_the_first_post_that_used_the_captcha(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govportal.interaction.mailbox import views

    data = {**_form(client), **_letter()}
    token = form_token_read(data["form_token"]) or ""
    CaptchaStore.objects.filter(hashkey=data["captcha_0"]).delete()  # the first post used it
    first = message_submit(
        form_token=token,
        message_type="consultation",
        subject="小区旁道路何时修好",
        content="内容",
        name="王小明",
        phone="13800000000",
    ).message
    answers = iter([None])  # not yet committed when the second post looks first

    def existing(t: str) -> Any:
        return next(answers, views.Receipt(first, query_code_for(t), created=False))

    monkeypatch.setattr(views, "_existing_receipt", existing)
    page = client.post(WRITE, data).content.decode()
    assert first.tracking_number in page and "没有重复提交" in page


def test_a_plain_wrong_captcha_answer_does_not_wait(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govportal.interaction.mailbox import views

    def never(token: str) -> None:
        raise AssertionError("waited for a first post that never existed")

    monkeypatch.setattr(views, "_wait_for_first_post", never)
    data = {**_form(client), **_letter(), "captcha_1": "wrong"}
    response = client.post(WRITE, data)
    assert "验证码错误或已使用过" in response.content.decode()


def test_errors_and_help_are_tied_to_their_inputs(client: Client) -> None:
    response = client.post(WRITE, {**_form(client), **_letter(phone="12")})
    page = response.content.decode()
    phone_input = re.search(r"<input[^>]*name=\"phone\"[^>]*>", page)
    assert phone_input is not None
    assert 'aria-invalid="true"' in phone_input.group()
    assert 'aria-describedby="id_phone_error id_phone_help"' in phone_input.group()
    assert 'id="id_phone_error"' in page and 'id="id_phone_help"' in page


def test_checked_attachments_are_kept_when_the_form_comes_back(client: Client) -> None:
    png = SimpleUploadedFile("现场.png", _png(), content_type="image/png")
    data = {**_form(client), **_letter(), "captcha_1": "wrong", "attachments": [png]}
    page = client.post(WRITE, data).content.decode()
    assert "已保留的附件（无需重新选择）：现场.png" in page
    kept = re.search(r'name="kept_uploads" value="([^"]+)"', page)
    assert kept is not None
    again = {**_form(client), **_letter(), "kept_uploads": kept.group(1)}
    assert client.post(WRITE, again).status_code == 200
    attachment = MessageAttachment.objects.get()
    assert (attachment.original_name, attachment.kind) == ("现场.png", "png")


def test_a_forged_kept_uploads_field_is_ignored(client: Client) -> None:
    data = {**_form(client), **_letter(), "kept_uploads": "../../etc/passwd"}
    assert client.post(WRITE, data).status_code == 200
    assert not MessageAttachment.objects.exists()
