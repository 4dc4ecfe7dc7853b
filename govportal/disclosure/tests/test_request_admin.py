"""Admin screens of disclosure requests: queue per unit, actions, the ID number, paper requests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from govportal.disclosure.models import DisclosureRequest, RequestState
from govportal.disclosure.tests.factories_requests import FAKE_ID, at, register
from govportal.testing import Portal

pytestmark = pytest.mark.django_db
QUEUE = "/admin/disclosure-requests/"
TODAY = dt.date(2026, 4, 1)


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@time_machine.travel(at(TODAY), tick=False)
def test_unit_staff_see_their_units_queue_and_the_operator_sees_all(portal: Portal) -> None:
    overdue, _ = register(portal.unit_a, received_on=dt.date(2026, 3, 2), applicant_name="甲某")
    fresh, _ = register(portal.unit_a, received_on=dt.date(2026, 3, 31), applicant_name="乙某")
    other, _ = register(portal.unit_b, received_on=dt.date(2026, 3, 31), applicant_name="丙某")
    page = client_for(portal.editor_a).get(QUEUE).content.decode()
    assert overdue.tracking_number in page and fresh.tracking_number in page
    assert other.tracking_number not in page
    # Status in words next to the colour; the overdue one comes first.
    assert "已超期" in page and "按期办理中" in page
    assert page.index(overdue.tracking_number) < page.index(fresh.tracking_number)
    everything = client_for(portal.operator).get(QUEUE).content.decode()
    assert other.tracking_number in everything and "区教育局" in everything
    only_overdue = client_for(portal.operator).get(QUEUE, {"status": "overdue"}).content.decode()
    assert overdue.tracking_number in only_overdue
    assert other.tracking_number not in only_overdue
    assert client_for(portal.auditor).get(QUEUE).status_code in (302, 403)
    assert client_for(portal.editor_b).get(f"{QUEUE}{overdue.pk}/").status_code == 404


@time_machine.travel(at(TODAY), tick=False)
def test_actions_refuse_in_chinese_keep_the_input_and_then_go_through(portal: Portal) -> None:
    request, _ = register(portal.unit_a, received_on=dt.date(2026, 3, 20))
    client = client_for(portal.editor_a)
    url = f"{QUEUE}{request.pk}/do/answer/"
    bad = client.post(
        url,
        {
            "answer-reply_type": "withheld",
            "answer-outcome": "disclosed",
            "answer-text": "涉及国家秘密，不予公开。",
        },
    )
    page = bad.content.decode()
    assert bad.status_code == 400 and "办理结果与答复类型不符" in page
    assert "涉及国家秘密，不予公开。" in page
    good = client.post(
        url,
        {
            "answer-reply_type": "withheld",
            "answer-outcome": "withheld_state_secret",
            "answer-text": "涉及国家秘密，不予公开。",
        },
    )
    assert good.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.ANSWERED and request.reply_on == TODAY
    again = client.post(f"{QUEUE}{request.pk}/do/extend/", {"extend-days": "5"})
    assert again.status_code == 400
    detail = client.get(f"{QUEUE}{request.pk}/").content.decode()
    assert "已登记（办理中） → 已答复" in detail and "归档" in detail


@time_machine.travel(at(TODAY), tick=False)
def test_id_number_is_masked_until_asked_for_and_each_view_is_logged(portal: Portal) -> None:
    request, _ = register(portal.unit_a, received_on=dt.date(2026, 3, 20))
    client = client_for(portal.editor_a)
    detail = client.get(f"{QUEUE}{request.pk}/").content.decode()
    assert FAKE_ID not in detail and request.id_number_masked in detail
    shown = client.post(f"{QUEUE}{request.pk}/id-number/")
    assert FAKE_ID in shown.content.decode() and "no-store" in shown["Cache-Control"]
    assert request.events.filter(kind="id_viewed", actor=portal.editor_a).count() == 1
    assert client_for(portal.editor_b).post(f"{QUEUE}{request.pk}/id-number/").status_code == 404


@time_machine.travel(at(TODAY), tick=False)
def test_paper_request_with_an_impossible_or_future_date_is_refused(portal: Portal) -> None:
    client = client_for(portal.editor_a)
    form = client.get(f"{QUEUE}new/").content.decode()
    token = form.split('name="form_token" value="')[1].split('"')[0]
    data = {
        "form_token": token,
        "unit": portal.unit_a.pk,
        "applicant_kind": "natural_person",
        "applicant_name": "丁某",
        "id_type": "passport",
        "id_number": "E12345678",
        "contact_phone": "0917-3212345",
        "description": "某路段拓宽工程的环评批复",
        "delivery_form": "paper",
        "delivery_channel": "pickup",
        "intake_channel": "post",
        "received_on": "2026-02-30",
    }
    impossible = client.post(f"{QUEUE}new/", data)
    assert impossible.status_code == 400 and "请输入存在的日期" in impossible.content.decode()
    assert "某路段拓宽工程的环评批复" in impossible.content.decode()
    future = client.post(f"{QUEUE}new/", {**data, "received_on": "2026-04-02"})
    assert "不能晚于今天" in future.content.decode()
    assert DisclosureRequest.objects.count() == 0
    done = client.post(f"{QUEUE}new/", {**data, "received_on": "2026-03-30"})
    assert done.status_code == 302
    request = DisclosureRequest.objects.get()
    assert request.received_on == dt.date(2026, 3, 30) and request.intake_channel == "post"
    assert request.events.get().actor == portal.editor_a


@time_machine.travel(at(TODAY), tick=False)
def test_dashboard_panel_counts_the_overdue_requests_of_the_users_queue(portal: Portal) -> None:
    register(portal.unit_a, received_on=dt.date(2026, 3, 2))  # overdue on 4/1
    register(portal.unit_b, received_on=dt.date(2026, 3, 3))  # overdue, another unit
    register(portal.unit_a, received_on=dt.date(2026, 3, 31))
    mine = client_for(portal.editor_a).get("/admin/").content.decode()
    assert "办理中的政府信息公开申请 <strong>2</strong> 件" in mine
    assert "已超期 1 件" in mine
    everyone = client_for(portal.operator).get("/admin/").content.decode()
    assert "<strong>3</strong> 件" in everyone and "已超期 2 件" in everyone
