"""The request flow through its services: states, refusals, the log, fees, table 三 counts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from govportal.disclosure.models import DisclosureRequest, DisclosureRequestEvent, RequestState
from govportal.disclosure.request_crypto import decrypt_id_number
from govportal.disclosure.request_deadlines import DeadlineStatus, deadline_info
from govportal.disclosure.request_services import (
    RequestError,
    request_answer,
    request_archive,
    request_ask_correction,
    request_assign,
    request_consultation_end,
    request_consultation_start,
    request_extend,
    request_fee_decide,
    request_fee_paid,
    request_find,
    request_submit_correction,
    request_view_id_number,
)
from govportal.disclosure.request_stats import (
    APPLICANT_COLUMNS,
    CARRIED_IN,
    CARRIED_OUT,
    OUTCOME_ROWS,
    RECEIVED,
    annual_fees_collected,
    annual_request_counts,
)
from govportal.disclosure.tests.factories_requests import FAKE_ID, at, register
from govportal.lib.workdays import WorkdayCalendar
from govportal.testing import Portal

D = dt.date
pytestmark = pytest.mark.django_db
CAL = WorkdayCalendar()


def test_registered_request_keeps_the_id_encrypted_and_the_query_code_hashed(
    portal: Portal,
) -> None:
    request, code = register(portal.unit_a, received_on=D(2026, 3, 2))
    assert FAKE_ID not in request.id_number_encrypted
    assert decrypt_id_number(request.id_number_encrypted) == FAKE_ID
    assert request.id_number_masked == "61**************30"
    assert code not in request.query_code_hash
    assert request_find(tracking_number=request.tracking_number, query_code=code) == request
    assert request_find(tracking_number=request.tracking_number, query_code="WRONG") is None
    assert request_find(tracking_number="YSQ2026NOPE", query_code=code) is None
    other, other_code = register(portal.unit_a, received_on=D(2026, 3, 2))
    assert other.tracking_number != request.tracking_number and other_code != code


def test_the_tracking_number_carries_the_year_and_the_lookup_forgives_case_and_spaces(
    portal: Portal,
) -> None:
    request, code = register(portal.unit_a, received_on=D(2026, 3, 2))
    assert re.fullmatch(r"YSQ2026[A-HJKMNP-Z2-9]{10}", request.tracking_number)
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{12}", code)
    assert request.query_code_hash.startswith("sha256$")
    typed = f" {request.tracking_number.lower()} "
    assert request_find(tracking_number=typed, query_code=f" {code.lower()} ") == request


def test_a_query_code_stored_as_a_django_password_hash_before_still_opens_the_request(
    portal: Portal,
) -> None:
    request, code = register(portal.unit_a, received_on=D(2026, 3, 2))
    # What request_register stored before: make_password(code) with Django's default hasher.
    old = PBKDF2PasswordHasher().encode(code, "Zq3tUkXh1wV9sLmNpR2aBc", iterations=3_000)
    DisclosureRequest.objects.filter(pk=request.pk).update(query_code_hash=old)
    assert request_find(tracking_number=request.tracking_number, query_code="WRONG") is None
    assert request_find(tracking_number=request.tracking_number, query_code=code) == request


def test_full_flow_is_logged_and_nothing_can_be_deleted(portal: Portal) -> None:
    request, _ = register(portal.unit_a, received_on=D(2026, 3, 2))
    editor, reviewer = portal.editor_a, portal.reviewer_a
    request_assign(request=request, handler=editor, by=editor, now=at(D(2026, 3, 3)))
    request_ask_correction(
        request=request, by=editor, text="请写明文件名称或文号", due_on=D(2026, 3, 20),
        now=at(D(2026, 3, 4)),
    )  # fmt: skip
    request_submit_correction(request=request, text="宝渭政发〔2025〕3号", now=at(D(2026, 3, 10)))
    request_consultation_start(
        request=request, by=editor, note="征求某公司意见", now=at(D(2026, 3, 11))
    )
    request_consultation_end(request=request, by=editor, note="同意公开", now=at(D(2026, 3, 13)))
    request_extend(
        request=request, by=editor, approver=reviewer, days=10, reason="需调取档案",
        notice="因需调取档案，答复期限延长10个工作日。", now=at(D(2026, 3, 16)),
    )  # fmt: skip
    request_answer(
        request=request, by=editor, reply_type="partly_disclosed", outcome="partly_disclosed",
        text="部分内容涉及商业秘密，已作区分处理。", now=at(D(2026, 4, 1)),
    )  # fmt: skip
    request_archive(request=request, by=editor, now=at(D(2026, 4, 2)))
    request.refresh_from_db()
    assert request.state == RequestState.ARCHIVED
    moves = list(request.events.exclude(to_state="").values_list("from_state", "to_state"))
    # The consultation ended before the extension, so the request went back to 登记 first.
    assert [m[1] for m in moves] == [
        "registered", "awaiting_correction", "registered", "consulting", "registered",
        "extended", "answered", "archived",
    ]  # fmt: skip
    assert moves[1] == ("registered", "awaiting_correction")
    # Clock: restarted 3/10, paused 3/12–3/13 (2), extended 10: 3/10 + 32 working days.
    info = deadline_info(request, today=D(2026, 4, 2), calendar=CAL)
    assert info.due == CAL.add(D(2026, 3, 10), 32)
    assert info.status == DeadlineStatus.DONE_ON_TIME
    event = request.events.first()
    assert event is not None
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        event.note = "改写"
        event.save()
    with pytest.raises(PermissionError):
        request.delete()
    assert DisclosureRequestEvent.objects.filter(request=request).count() == 9


def test_illegal_transitions_are_refused_in_chinese_and_change_nothing(portal: Portal) -> None:
    request, _ = register(portal.unit_a, received_on=D(2026, 3, 2))
    editor = portal.editor_a
    with pytest.raises(RequestError, match="不能归档"):
        request_archive(request=request, by=editor, now=at(D(2026, 3, 3)))
    with pytest.raises(RequestError, match="不能提交补正"):
        request_submit_correction(request=request, text="x", now=at(D(2026, 3, 3)))
    with pytest.raises(RequestError, match="无权办理"):
        request_answer(
            request=request, by=portal.editor_b, reply_type="disclosed", outcome="disclosed",
            text="见附件", now=at(D(2026, 3, 3)),
        )  # fmt: skip
    with pytest.raises(RequestError, match="办理结果与答复类型"):
        request_answer(
            request=request, by=editor, reply_type="disclosed", outcome="withheld_state_secret",
            text="见附件", now=at(D(2026, 3, 3)),
        )  # fmt: skip
    with pytest.raises(RequestError, match="不能晚于今天"):
        request_answer(
            request=request, by=editor, reply_type="disclosed", outcome="disclosed",
            text="见附件", on=D(2026, 3, 9), now=at(D(2026, 3, 3)),
        )  # fmt: skip
    # 第三十条: the correction notice comes within 7 working days (3/2 + 7 = 3/11).
    with pytest.raises(RequestError, match="7个工作日内告知补正"):
        request_ask_correction(
            request=request, by=editor, text="补充文号", due_on=D(2026, 3, 30),
            now=at(D(2026, 3, 12)),
        )  # fmt: skip
    request.refresh_from_db()
    assert request.state == RequestState.REGISTERED
    assert request.events.count() == 1


def test_extension_needs_an_approver_other_than_the_handler(portal: Portal) -> None:
    request, _ = register(portal.unit_a, received_on=D(2026, 3, 2))
    editor, reviewer = portal.editor_a, portal.reviewer_a
    request_assign(request=request, handler=reviewer, by=editor, now=at(D(2026, 3, 3)))
    kwargs = {"reason": "需调取档案", "notice": "延长10个工作日", "now": at(D(2026, 3, 20))}
    with pytest.raises(RequestError, match="批准人不能是承办人"):
        request_extend(request=request, by=editor, approver=reviewer, days=10, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(RequestError, match="审核人员"):
        request_extend(request=request, by=editor, approver=portal.editor_b, days=10, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(RequestError, match="1 至 20"):
        request_extend(request=request, by=editor, approver=portal.operator, days=21, **kwargs)  # type: ignore[arg-type]
    request_extend(request=request, by=editor, approver=portal.operator, days=20, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(RequestError, match="不能延期"):
        request_extend(request=request, by=editor, approver=portal.operator, days=5, **kwargs)  # type: ignore[arg-type]
    assert deadline_info(request, today=D(2026, 3, 20), calendar=CAL).due == D(2026, 4, 28)


def test_no_correction_by_the_due_day_closes_the_request_as_withdrawn(portal: Portal) -> None:
    request, _ = register(portal.unit_a, received_on=D(2026, 3, 2))
    editor = portal.editor_a
    request_ask_correction(
        request=request, by=editor, text="请写明文号", due_on=D(2026, 3, 16), now=at(D(2026, 3, 3))
    )
    answer = {
        "request": request, "by": editor, "reply_type": "other",
        "outcome": "other_no_correction", "text": "逾期未补正，视为放弃申请。",
    }  # fmt: skip
    with pytest.raises(RequestError, match="补正期限尚未届满"):
        request_answer(now=at(D(2026, 3, 16)), **answer)  # type: ignore[arg-type]
    request_answer(now=at(D(2026, 3, 17)), **answer)  # type: ignore[arg-type]
    assert request.state == RequestState.ANSWERED


def test_id_number_is_shown_to_the_unit_and_the_operator_and_every_view_is_logged(
    portal: Portal,
) -> None:
    request, _ = register(portal.unit_a, received_on=D(2026, 3, 2))
    assert request_view_id_number(request=request, by=portal.editor_a) == FAKE_ID
    assert request_view_id_number(request=request, by=portal.operator) == FAKE_ID
    for outsider in (portal.editor_b, portal.system_admin, portal.auditor):
        with pytest.raises(RequestError):
            request_view_id_number(request=request, by=outsider)
    viewers = request.events.filter(kind="id_viewed").values_list("actor__username", flat=True)
    assert sorted(viewers) == ["editor_a", "operator"]


def test_fee_per_application_counts_the_applicants_requests_in_the_month(portal: Portal) -> None:
    requests = [register(portal.unit_a, received_on=D(2026, 3, 2))[0] for _ in range(11)]
    register(portal.unit_a, received_on=D(2026, 3, 2), id_number="610302199001011248")
    eleventh = requests[-1]
    with pytest.raises(RequestError, match="为 0 元"):
        request_fee_decide(
            request=requests[0], by=portal.editor_a, method="per_application",
            now=at(D(2026, 3, 3)),
        )  # fmt: skip
    request_fee_decide(
        request=eleventh, by=portal.editor_a, method="per_application", now=at(D(2026, 3, 3))
    )
    assert (eleventh.fee_quantity, eleventh.fee_amount) == (11, Decimal(100))
    with pytest.raises(RequestError, match="只能选择一种计收方式"):
        request_fee_decide(
            request=eleventh, by=portal.editor_a, method="per_page", pages=50,
            now=at(D(2026, 3, 3)),
        )  # fmt: skip
    request_fee_decide(
        request=requests[1], by=portal.editor_a, method="per_page", pages=120,
        now=at(D(2026, 3, 3)),
    )  # fmt: skip
    request_fee_paid(request=eleventh, by=portal.editor_a, on=D(2026, 3, 5), now=at(D(2026, 3, 6)))
    request_fee_paid(
        request=requests[1], by=portal.editor_a, on=D(2026, 3, 5), now=at(D(2026, 3, 6))
    )
    assert annual_fees_collected(2026) == Decimal(100) + Decimal(700 + 400)
    assert annual_fees_collected(2025) == Decimal(0)


def test_annual_counts_add_up_with_carried_over_requests(portal: Portal) -> None:
    editor = portal.editor_a

    def answered(received: dt.date, on: dt.date, reply: str, outcome: str, **kw: str) -> None:
        request, _ = register(portal.unit_a, received_on=received, **kw)
        request_answer(
            request=request, by=editor, reply_type=reply, outcome=outcome, text="答复",
            on=on, now=at(on),
        )  # fmt: skip

    answered(D(2025, 12, 10), D(2026, 1, 8), "disclosed", "disclosed")  # carried into 2026
    register(portal.unit_a, received_on=D(2025, 12, 20), applicant_kind="business")  # still open
    answered(D(2025, 11, 3), D(2025, 11, 20), "withheld", "withheld_state_secret")  # 2025 only
    answered(D(2026, 2, 2), D(2026, 2, 27), "partly_disclosed", "partly_disclosed",
             applicant_kind="legal_service")  # fmt: skip
    answered(D(2026, 5, 6), D(2026, 5, 20), "not_exist", "unavailable_not_held")
    register(portal.unit_b, received_on=D(2026, 11, 2), applicant_kind="research")  # carried out

    table = annual_request_counts(2026)
    assert table[RECEIVED]["natural_person"] == 1
    assert table[RECEIVED]["legal_service"] == 1 and table[RECEIVED]["research"] == 1
    assert table[CARRIED_IN]["natural_person"] == 1 and table[CARRIED_IN]["business"] == 1
    assert table["disclosed"]["natural_person"] == 1
    assert table["withheld_state_secret"]["natural_person"] == 0
    assert table[CARRIED_OUT] == {**dict.fromkeys(table[RECEIVED], 0), "business": 1, "research": 1}
    outcomes = [key for key, _, _ in OUTCOME_ROWS]
    for column, _ in APPLICANT_COLUMNS:
        intake = table[RECEIVED][column] + table[CARRIED_IN][column]
        handled = sum(table[row][column] for row in outcomes) + table[CARRIED_OUT][column]
        assert intake == handled, column
    assert sum(table[RECEIVED].values()) + sum(table[CARRIED_IN].values()) == 5
    assert annual_request_counts(2025)[CARRIED_OUT]["natural_person"] == 1


def test_deadline_of_a_request_running_into_a_year_without_data_is_a_loud_message(
    portal: Portal,
) -> None:
    request, _ = register(portal.unit_a, received_on=D(2026, 12, 15))
    info = deadline_info(request, today=D(2026, 12, 15), calendar=CAL)
    assert info.due is None
    assert info.status == DeadlineStatus.UNKNOWN
    assert "2027 年的节假日安排尚未录入" in info.error and "不作推测" in info.error
    assert DisclosureRequest.objects.count() == 1


def test_applicant_is_mailed_the_correction_extension_and_reply_notices(
    portal: Portal, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    request, code = register(portal.unit_a, received_on=D(2026, 3, 2))
    with django_capture_on_commit_callbacks(execute=True):
        request_extend(
            request=request, by=portal.editor_a, approver=portal.reviewer_a, days=5,
            reason="需调取档案", notice="答复期限延长5个工作日。", now=at(D(2026, 3, 20)),
        )  # fmt: skip
        request_answer(
            request=request, by=portal.editor_a, reply_type="not_exist",
            outcome="unavailable_not_held", text="经检索，本机关未制作该信息。",
            now=at(D(2026, 3, 25)),
        )  # fmt: skip
    assert [m.subject for m in mail.outbox] == [
        "【政府信息公开申请】延期答复告知",
        "【政府信息公开申请】答复",
    ]
    assert mail.outbox[0].to == ["applicant@example.org"]
    assert request.tracking_number in mail.outbox[1].body
    assert "经检索，本机关未制作该信息。" in mail.outbox[1].body
    assert code not in mail.outbox[1].body
