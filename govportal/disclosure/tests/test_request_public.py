"""The public side: apply, see the code once, look up, send the correction; bad input."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from govportal.disclosure.models import DisclosureRequest, RequestState
from govportal.disclosure.request_forms import credit_code_check_character, id_number_error
from govportal.disclosure.request_services import request_ask_correction
from govportal.disclosure.tests.factories_requests import at
from govportal.lib.idnumbers import resident_id_check_character
from govportal.testing import Portal

pytestmark = pytest.mark.django_db
APPLY = "/disclosure/requests/"
LOOKUP = "/disclosure/requests/lookup/"
TODAY = dt.date(2026, 3, 2)
# A resident ID with the right check character, built here (not a real person's).
VALID_ID = "61030219900101123" + resident_id_check_character("61030219900101123")


@pytest.fixture(autouse=True)
def _clear_rate_limits() -> None:
    cache.clear()


def form_data(portal: Portal, client: Client, **values: Any) -> dict[str, Any]:
    page = client.get(APPLY)
    token = re.search(r'name="form_token" value="([0-9a-f-]+)"', page.content.decode())
    assert token is not None
    data = {
        "form_token": token.group(1),
        "unit": portal.unit_a.pk,
        "applicant_kind": "natural_person",
        "applicant_name": "测试申请人",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "contact_phone": "0917-3212345",
        "contact_email": "a@example.org",
        "description": "2025年本区老旧小区改造项目的立项批复文件",
        "delivery_form": "electronic",
        "delivery_channel": "email",
        "promise": "on",
    }
    data.update(values)
    return data


@time_machine.travel(at(TODAY), tick=False)
def test_application_shows_code_once_and_the_lookup_shows_the_state(portal: Portal) -> None:
    client = Client()
    data = form_data(portal, client)
    response = client.post(APPLY, data)
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    request = DisclosureRequest.objects.get()
    assert request.tracking_number in done
    code = re.search(r"查询码</dt><dd class=\"yq-code\">([A-Z0-9]+)<", done)
    assert code is not None
    assert request.received_on == TODAY and request.intake_channel == "online"
    # Shown once: a reload does not show the code again.
    again = client.get("/disclosure/requests/done/", follow=True).content.decode()
    assert code.group(1) not in again and "只在提交成功时显示一次" in again
    # The same form sent twice (double click, back button) is one request.
    twice = client.post(APPLY, data)
    assert twice.status_code == 409
    assert "请勿重复提交" in twice.content.decode()
    assert DisclosureRequest.objects.count() == 1
    # A stranger without the code sees nothing; with it, state and due date.
    stranger = Client()
    assert stranger.get(f"/disclosure/requests/r/{request.tracking_number}/").status_code == 302
    wrong = stranger.post(LOOKUP, {"tracking_number": request.tracking_number, "query_code": "X"})
    assert wrong.status_code == 404 and "申请编号或查询码不正确" in wrong.content.decode()
    found = stranger.post(
        LOOKUP, {"tracking_number": request.tracking_number, "query_code": code.group(1)},
        follow=True,
    )  # fmt: skip
    page = found.content.decode()
    assert "已登记（办理中）" in page and "2026-03-30" in page and "按期办理中" in page
    assert VALID_ID not in page


@time_machine.travel(at(TODAY), tick=False)
def test_applicant_sends_the_correction_when_asked(portal: Portal) -> None:
    client = Client()
    client.post(APPLY, form_data(portal, client))
    request = DisclosureRequest.objects.get()
    status_url = f"/disclosure/requests/r/{request.tracking_number}/"
    assert "提交补正" not in client.get(status_url).content.decode()
    request_ask_correction(
        request=request, by=portal.editor_a, text="请写明文件的文号", due_on=dt.date(2026, 3, 20),
        now=at(TODAY),
    )  # fmt: skip
    page = client.get(status_url).content.decode()
    assert "请写明文件的文号" in page and "提交补正" in page
    empty = client.post(status_url + "correction/", {"text": ""})
    assert empty.status_code == 400 and "请填写补正内容" in empty.content.decode()
    sent = client.post(status_url + "correction/", {"text": "宝渭政发〔2025〕3号"}, follow=True)
    assert "重新计算" in sent.content.decode()
    request.refresh_from_db()
    assert request.state == RequestState.REGISTERED and request.corrected_on == TODAY


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"id_number": "610302199002301234"}, "出生日期 19900230 不存在"),
        ({"id_number": VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")}, "（校验位）不正确"),
        ({"id_number": "12345"}, "应为18位"),
        ({"id_number": "61030220300101123X"}, "出生日期晚于今天"),
        ({"applicant_name": ""}, "请填写姓名或单位名称"),
        ({"description": "x" * 2001}, "最多 2000 个字"),
        ({"description": "查"}, "描述过短"),
        ({"contact_phone": "12"}, "电话号码格式不正确"),
        ({"delivery_channel": "post", "contact_address": ""}, "请填写通信地址"),
        ({"applicant_kind": "business"}, "统一社会信用代码证书"),
        ({"unit": "99999"}, "请从列表中选择受理机关"),
        ({"form_token": "not-a-token"}, "表单已失效"),
    ],
)
@time_machine.travel(at(TODAY), tick=False)
def test_bad_input_gives_a_chinese_error_keeps_the_input_and_creates_nothing(
    portal: Portal, changes: dict[str, str], field_error: str
) -> None:
    client = Client()
    data = form_data(portal, client, **changes)
    response = client.post(APPLY, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert field_error in page
    assert "2025年本区老旧小区改造项目" in page or changes.get("description")
    assert DisclosureRequest.objects.count() == 0


def test_credit_code_check_character_is_checked() -> None:
    # GB 32100-2015 worked example: 91350100M000100Y43 is a valid code.
    assert credit_code_check_character("91350100M000100Y4") == "3"
    good = "91610302MA6X12345" + credit_code_check_character("91610302MA6X12345")
    assert id_number_error("credit_code", good, today=TODAY) == ""
    bad = good[:17] + ("0" if good[-1] != "0" else "1")
    assert "统一社会信用代码" in id_number_error("credit_code", bad, today=TODAY)


@time_machine.travel(at(TODAY), tick=False)
def test_organisation_applies_with_its_credit_code(portal: Portal) -> None:
    code = "91610302MA6X12345" + credit_code_check_character("91610302MA6X12345")
    client = Client()
    data = form_data(
        portal, client, applicant_kind="legal_service", id_type="credit_code", id_number=code,
        applicant_name="某某律师事务所", legal_representative="李某",
    )  # fmt: skip
    assert client.post(APPLY, data).status_code == 302
    assert DisclosureRequest.objects.get().applicant_kind == "legal_service"


@time_machine.travel(at(TODAY), tick=False)
def test_lookups_are_rate_limited(portal: Portal) -> None:
    client = Client()
    for _ in range(20):
        client.post(LOOKUP, {"tracking_number": "YSQ2026AAAA", "query_code": "B"})
    response = client.post(LOOKUP, {"tracking_number": "YSQ2026AAAA", "query_code": "B"})
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()


@time_machine.travel(at(TODAY), tick=False)
def test_broken_form_token_is_replaced_so_the_kept_input_can_be_sent_again(
    portal: Portal,
) -> None:
    client = Client()
    data = form_data(portal, client, form_token="")
    first = client.post(APPLY, data).content.decode()
    assert "表单已失效" in first and "2025年本区老旧小区改造项目" in first
    fresh = re.search(r'name="form_token" value="([0-9a-f-]+)"', first)
    assert fresh is not None
    assert client.post(APPLY, {**data, "form_token": fresh.group(1)}).status_code == 302
    assert DisclosureRequest.objects.count() == 1
