"""State changes of disclosure requests (依申请公开): one keyword-only atomic function each.

States: 登记 → (补正) → (征求第三方意见) → (延期) → 答复 → 归档 (第四十五条). An illegal change
raises `RequestError` with a Chinese message and changes nothing. Every change appends one
`DisclosureRequestEvent` (who, when, from-state, to-state, note); nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from govportal.accounts.roles import Role, user_has_role
from govportal.core.models import Unit, UnitGroup, UnitRole
from govportal.core.models.calendar import workday_calendar
from govportal.disclosure.models import (
    DisclosureRequest,
    DisclosureRequestEvent,
    EventKind,
    FeeMethod,
    IntakeChannel,
    ReplyType,
    RequestState,
)
from govportal.disclosure.request_access import can_handle_request
from govportal.disclosure.request_crypto import (
    decrypt_id_number,
    encrypt_id_number,
    id_number_digest,
    mask_id_number,
)
from govportal.disclosure.request_deadlines import (
    CORRECTION_ASK_DAYS,
    EXTENSION_MAX_DAYS,
    correction_ask_deadline,
)
from govportal.disclosure.request_fees import fee_for
from govportal.disclosure.request_stats import OUTCOME_ROWS
from govportal.lib import tracking
from govportal.lib.workdays import CalendarDataMissing

__all__ = [
    "REPLY_OUTCOMES",
    "ApplicantData",
    "RequestError",
    "request_answer",
    "request_archive",
    "request_ask_correction",
    "request_assign",
    "request_consultation_end",
    "request_consultation_start",
    "request_extend",
    "request_fee_decide",
    "request_fee_paid",
    "request_find",
    "request_register",
    "request_submit_correction",
    "request_view_id_number",
]

TRACKING_RANDOM_LENGTH = 10  # 申请编号 YSQ<year> + 10 characters from 31, ~50 bits
APPLICANT_LABEL = "申请人"

OPEN_STATES = (RequestState.REGISTERED, RequestState.EXTENDED)

# 答复类型 → the outcome rows of the annual report it may be counted under (第三十六条).
_GROUP = {key: group for key, _, group in OUTCOME_ROWS}
REPLY_OUTCOMES: dict[str, list[str]] = {
    ReplyType.ALREADY_PUBLIC: ["disclosed"],
    ReplyType.DISCLOSED: ["disclosed"],
    ReplyType.PARTLY_DISCLOSED: ["partly_disclosed"],
    ReplyType.WITHHELD: [k for k, g in _GROUP.items() if g == "withheld"],
    ReplyType.NOT_EXIST: [k for k, g in _GROUP.items() if g == "unavailable"],
    ReplyType.NOT_OUR_DUTY: ["unavailable_not_held"],
    ReplyType.REPEAT: ["not_processed_repeat"],
    ReplyType.SPECIAL_LAW: ["other"],
    ReplyType.NOT_PROCESSED: [
        k for k, g in _GROUP.items() if g == "not_processed" and k != "not_processed_repeat"
    ],
    ReplyType.OTHER: ["other_no_correction", "other_fee_unpaid", "other"],
}


class RequestError(ValueError):
    """A refused state change; the message is shown to the user as it is."""


def _actor_label(user: Any) -> str:
    if user is None:
        return APPLICANT_LABEL
    name = f"{user.last_name}{user.first_name}".strip()
    return f"{name}（{user.username}）" if name else str(user.username)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _check_day(on: dt.date, *, not_before: dt.date, today: dt.date, what: str) -> None:
    if on > today:
        raise RequestError(f"{what}（{on:%Y-%m-%d}）不能晚于今天（{today:%Y-%m-%d}）。")
    if on < not_before:
        raise RequestError(f"{what}（{on:%Y-%m-%d}）不能早于 {not_before:%Y-%m-%d}。")


def _locked(request: DisclosureRequest) -> DisclosureRequest:
    # Re-read under a row lock: two clerks acting at once see each other's change.
    request.refresh_from_db(from_queryset=DisclosureRequest.objects.select_for_update())
    return request


def _require_staff(user: Any, request: DisclosureRequest) -> None:
    if not can_handle_request(user, request):
        raise RequestError("您不是该申请办理单位的工作人员，无权办理。")


def _require_state(request: DisclosureRequest, *states: str, action: str) -> None:
    if request.state not in states:
        allowed = "、".join(RequestState(s).label for s in states)
        raise RequestError(
            f"申请当前状态为“{request.get_state_display()}”，不能{action}（仅限：{allowed}）。"
        )


def _begin(
    request: DisclosureRequest,
    *,
    by: Any,
    now: dt.datetime | None,
    states: tuple[str, ...] = (),
    action: str = "",
    applicant_may_act: bool = False,
) -> tuple[dt.datetime, dt.date]:
    """The start every state change shares: its time, the row lock, who may act, from which
    states. Returns (now, today). `applicant_may_act`: `by=None` is the applicant (online)."""
    now = _now(now)
    _locked(request)
    if by is not None or not applicant_may_act:
        _require_staff(by, request)
    if states:
        _require_state(request, *states, action=action)
    return now, timezone.localdate(now)


def _log(
    request: DisclosureRequest,
    *,
    kind: str,
    by: Any,
    now: dt.datetime,
    from_state: str = "",
    to_state: str = "",
    on: dt.date | None = None,
    days: int | None = None,
    note: str = "",
) -> DisclosureRequestEvent:
    return DisclosureRequestEvent.objects.create(
        request=request,
        at=now,
        effective_on=on or timezone.localdate(now),
        actor=by,
        actor_label=_actor_label(by),
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        days=days,
        note=note,
    )


def _move(
    request: DisclosureRequest,
    *,
    to: str,
    kind: str,
    by: Any,
    now: dt.datetime,
    fields: list[str],
    on: dt.date | None = None,
    days: int | None = None,
    note: str = "",
) -> DisclosureRequest:
    before = request.state
    request.state = to
    request.save(update_fields=["state", *fields])
    _log(
        request,
        kind=kind,
        by=by,
        now=now,
        from_state=before,
        to_state=to,
        on=on,
        days=days,
        note=note,
    )
    return request


def _notify_applicant(request: DisclosureRequest, subject: str, body: str) -> None:
    """E-mail the applicant, when they gave an address, after the change is committed. The
    notice is also on the lookup page, so a failed mail loses nothing."""
    if not request.contact_email:
        return
    lookup = f"{settings.SITE_URL}/disclosure/requests/lookup/"
    text = (
        f"{request.applicant_name}：\n\n{body}\n\n"
        f"申请编号：{request.tracking_number}\n请凭申请编号和查询码在 {lookup} 查询办理进度。\n\n"
        f"{request.unit.name}"
    )
    address = request.contact_email
    transaction.on_commit(
        lambda: send_mail(
            f"【政府信息公开申请】{subject}",
            text,
            None,
            [address],
            fail_silently=True,
        )
    )


class ApplicantData:
    """What the applicant (or the clerk, for a paper request) gives (第二十九条)."""

    FIELDS = (
        "applicant_kind",
        "applicant_name",
        "legal_representative",
        "id_type",
        "contact_phone",
        "contact_email",
        "contact_address",
        "postal_code",
        "description",
        "purpose",
        "delivery_form",
        "delivery_channel",
    )

    def __init__(self, *, id_number: str, **values: Any) -> None:
        unknown = set(values) - set(self.FIELDS)
        if unknown:
            raise TypeError(f"unknown applicant fields: {sorted(unknown)}")
        self.id_number = id_number.strip().upper()
        self.values = {name: values.get(name, "") for name in self.FIELDS}


@transaction.atomic
def request_register(
    *,
    applicant: ApplicantData,
    unit: Unit,
    intake_channel: str,
    received_on: dt.date | None = None,
    by: Any = None,
    form_token: uuid.UUID | None = None,
    query_code_hash: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[DisclosureRequest, str]:
    """登记: a new request and its query code (returned once, stored only as a hash).

    第三十一条: online and fax requests count from the day both sides confirm: the platform
    confirms at once with the tracking number, so that is the submission day. A clerk entering a
    paper request gives the receipt day (the day handed in, or the day the post was signed for).
    With `form_token`, the same form sent twice gives `RequestError` naming the first request.
    Bulk loading (the demo) may pass `query_code_hash`, hashed once for many requests; the
    returned code is then "".
    """
    now = _now(now)
    today = timezone.localdate(now)
    if by is not None and not _may_register_for(by, unit):
        raise RequestError("您不是该单位的工作人员，不能为其登记申请。")
    received_on = received_on or today
    # The 2019 条例 applies from 2019-05-15; an earlier receipt is a typing error here.
    _check_day(received_on, not_before=dt.date(2019, 5, 15), today=today, what="收到申请日期")
    if intake_channel == IntakeChannel.ONLINE and by is None and received_on != today:
        raise RequestError("在线申请的收到日期即提交当日。")
    if form_token is not None:
        existing = DisclosureRequest.objects.filter(form_token=form_token).first()
        if existing is not None:
            raise RequestError(
                f"该申请已提交（申请编号 {existing.tracking_number}），请勿重复提交。"
            )
    code = "" if query_code_hash else tracking.query_code_new()
    request = DisclosureRequest(
        **applicant.values,
        id_number_encrypted=encrypt_id_number(applicant.id_number),
        id_number_masked=mask_id_number(applicant.id_number),
        applicant_digest=id_number_digest(applicant.values["id_type"], applicant.id_number),
        tracking_number=tracking.tracking_number_new(
            f"YSQ{received_on:%Y}", TRACKING_RANDOM_LENGTH
        ),
        query_code_hash=query_code_hash or tracking.query_code_hash(code),
        form_token=form_token,
        intake_channel=intake_channel,
        submitted_at=now,
        received_on=received_on,
        unit=unit,
        state=RequestState.REGISTERED,
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # The same form token raced in from a second click.
        existing = DisclosureRequest.objects.filter(form_token=form_token).first()
        if form_token is not None and existing is not None:
            raise RequestError(
                f"该申请已提交（申请编号 {existing.tracking_number}），请勿重复提交。"
            ) from None
        raise
    _log(
        request,
        kind=EventKind.SUBMITTED if by is None else EventKind.REGISTERED,
        by=by,
        now=now,
        to_state=RequestState.REGISTERED,
        on=received_on,
        note=f"{request.get_intake_channel_display()}，收到日期 {received_on:%Y-%m-%d}",
    )
    return request, code


def _may_register_for(user: Any, unit: Unit) -> bool:
    if user_has_role(user, Role.OPERATOR):
        return True
    return (
        bool(getattr(user, "unit_id", None) == unit.pk)
        and UnitGroup.objects.filter(unit=unit, group__user=user).exists()
    )


def request_find(*, tracking_number: str, query_code: str) -> DisclosureRequest | None:
    """The request for the applicant's tracking number and query code, or None for any mismatch."""
    number = tracking.normalise_tracking_number(tracking_number)
    request = DisclosureRequest.objects.filter(tracking_number=number).first()
    stored = None if request is None else request.query_code_hash
    return request if tracking.query_code_matches(query_code, stored) else None


@transaction.atomic
def request_assign(
    *, request: DisclosureRequest, handler: Any, by: Any, now: dt.datetime | None = None
) -> DisclosureRequest:
    now, _ = _begin(request, by=by, now=now)
    if not request.is_open:
        raise RequestError("已答复的申请不能再指定承办人。")
    if not can_handle_request(handler, request):
        raise RequestError("承办人须是办理单位的工作人员。")
    request.handler = handler
    request.save(update_fields=["handler"])
    _log(request, kind=EventKind.ASSIGNED, by=by, now=now, note=_actor_label(handler))
    return request


@transaction.atomic
def request_ask_correction(
    *,
    request: DisclosureRequest,
    by: Any,
    text: str,
    due_on: dt.date,
    now: dt.datetime | None = None,
) -> DisclosureRequest:
    """第三十条: one notice, within 7 working days of receipt, saying what to correct and by when."""
    now, today = _begin(
        request, by=by, now=now, states=(RequestState.REGISTERED,), action="告知补正"
    )
    if request.correction_asked_on is not None:
        raise RequestError("第三十条规定补正应一次性告知，本申请已告知过补正。")
    if not text.strip():
        raise RequestError("请写明需要补正的事项。")
    try:
        ask_by = correction_ask_deadline(request.received_on, calendar=workday_calendar())
    except CalendarDataMissing as error:
        raise RequestError(str(error)) from error
    if today > ask_by:
        raise RequestError(
            f"第三十条：应自收到申请之日起{CORRECTION_ASK_DAYS}个工作日内告知补正，"
            f"本申请的告知期限为 {ask_by:%Y-%m-%d}，已过期。"
        )
    if due_on <= today:
        raise RequestError("补正期限应晚于今天，给申请人合理的补正时间。")
    request.correction_request = text.strip()
    request.correction_asked_on = today
    request.correction_due_on = due_on
    _notify_applicant(
        request,
        "补正告知",
        f"您的申请内容需要补正（第三十条）：{text.strip()}\n"
        f"请于 {due_on:%Y-%m-%d} 前补正；无正当理由逾期不补正的，视为放弃申请。",
    )
    return _move(
        request,
        to=RequestState.AWAITING_CORRECTION,
        kind=EventKind.CORRECTION_ASKED,
        by=by,
        now=now,
        fields=["correction_request", "correction_asked_on", "correction_due_on"],
        note=f"补正期限 {due_on:%Y-%m-%d}：{text.strip()}",
    )


@transaction.atomic
def request_submit_correction(
    *,
    request: DisclosureRequest,
    text: str,
    by: Any = None,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> DisclosureRequest:
    """The applicant's correction (online: by=None; a clerk records a paper one). The clock
    restarts from its arrival (第三十条)."""
    now, today = _begin(
        request,
        by=by,
        now=now,
        states=(RequestState.AWAITING_CORRECTION,),
        action="提交补正",
        applicant_may_act=True,
    )
    if not text.strip():
        raise RequestError("补正内容不能为空。")
    on = on or today
    assert request.correction_asked_on is not None  # noqa: S101  (set with the state)
    _check_day(on, not_before=request.correction_asked_on, today=today, what="收到补正日期")
    request.correction_text = text.strip()
    request.corrected_on = on
    return _move(
        request,
        to=RequestState.REGISTERED,
        kind=EventKind.CORRECTION_RECEIVED,
        by=by,
        now=now,
        fields=["correction_text", "corrected_on"],
        on=on,
        note="补正后重新计算答复期限",
    )


@transaction.atomic
def request_consultation_start(
    *,
    request: DisclosureRequest,
    by: Any,
    note: str,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> DisclosureRequest:
    """第三十二条: ask the third party's opinion; the reply clock stands still meanwhile."""
    now, today = _begin(request, by=by, now=now, states=OPEN_STATES, action="征求第三方意见")
    if not note.strip():
        raise RequestError("请写明征求意见的第三方及事项。")
    on = on or today
    _check_day(on, not_before=request.received_on, today=today, what="征求意见日期")
    return _move(
        request,
        to=RequestState.CONSULTING,
        kind=EventKind.CONSULTATION_STARTED,
        by=by,
        now=now,
        fields=[],
        on=on,
        note=note.strip(),
    )


@transaction.atomic
def request_consultation_end(
    *,
    request: DisclosureRequest,
    by: Any,
    note: str,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> DisclosureRequest:
    """The opinion arrived (or 15 working days passed in silence): the clock runs again."""
    now, today = _begin(
        request, by=by, now=now, states=(RequestState.CONSULTING,), action="结束征求意见"
    )
    started = (
        request.events.filter(kind=EventKind.CONSULTATION_STARTED).order_by("-at", "-pk").first()
    )
    assert started is not None  # noqa: S101  (the state was entered by that event)
    on = on or today
    _check_day(on, not_before=started.effective_on, today=today, what="意见返回日期")
    back = RequestState.EXTENDED if request.extension_days else RequestState.REGISTERED
    return _move(
        request,
        to=back,
        kind=EventKind.CONSULTATION_ENDED,
        by=by,
        now=now,
        fields=[],
        on=on,
        note=note.strip() or "第三方意见返回",
    )


def _may_approve(user: Any, request: DisclosureRequest) -> bool:
    if user_has_role(user, Role.OPERATOR):
        return True
    return UnitGroup.objects.filter(
        unit_id=request.unit_id, role=UnitRole.REVIEWER, group__user=user
    ).exists()


@transaction.atomic
def request_extend(
    *,
    request: DisclosureRequest,
    by: Any,
    approver: Any,
    days: int,
    reason: str,
    notice: str,
    now: dt.datetime | None = None,
) -> DisclosureRequest:
    """第三十三条第二款: up to 20 working days more, once, with the consent of someone other
    than the handler (the unit's reviewer or the operator), and a notice to the applicant."""
    now, _ = _begin(request, by=by, now=now, states=(RequestState.REGISTERED,), action="延期")
    if request.extension_days:
        raise RequestError("本申请已延期过一次，不能再次延期。")
    if not 1 <= days <= EXTENSION_MAX_DAYS:
        raise RequestError(f"延长期限应为 1 至 {EXTENSION_MAX_DAYS} 个工作日（第三十三条）。")
    handler = request.handler or by
    if approver is None or approver.pk == handler.pk:
        raise RequestError("延期须经承办人以外的负责人同意，批准人不能是承办人本人。")
    if not _may_approve(approver, request):
        raise RequestError("批准人须是办理单位的审核人员（负责人）或运维监管人员。")
    if not reason.strip():
        raise RequestError("请写明延期理由。")
    if not notice.strip():
        raise RequestError("请填写告知申请人的延期通知内容（第三十三条：告知申请人）。")
    request.extension_days = days
    request.extension_reason = reason.strip()
    request.extension_approver = approver
    request.extension_notice = notice.strip()
    _notify_applicant(request, "延期答复告知", notice.strip())
    return _move(
        request,
        to=RequestState.EXTENDED,
        kind=EventKind.EXTENDED,
        by=by,
        now=now,
        fields=["extension_days", "extension_reason", "extension_approver", "extension_notice"],
        days=days,
        note=f"延长 {days} 个工作日，批准人 {_actor_label(approver)}；理由：{reason.strip()}",
    )


def applications_in_month(request: DisclosureRequest) -> int:
    """The request's place among the same applicant's requests received in its calendar month."""
    month_start = request.received_on.replace(day=1)
    same = DisclosureRequest.objects.filter(
        applicant_digest=request.applicant_digest,
        received_on__gte=month_start,
        received_on__lte=request.received_on,
    )
    earlier = same.filter(received_on__lt=request.received_on).count()
    same_day = same.filter(received_on=request.received_on, pk__lte=request.pk).count()
    return earlier + same_day


@transaction.atomic
def request_fee_decide(
    *,
    request: DisclosureRequest,
    by: Any,
    method: str,
    pages: int | None = None,
    now: dt.datetime | None = None,
) -> DisclosureRequest:
    """第四十二条 and 国办函〔2020〕109号: charge by application or by page, one method only."""
    now, today = _begin(
        request, by=by, now=now, states=(*OPEN_STATES, RequestState.CONSULTING), action="决定收费"
    )
    if request.fee_method:
        raise RequestError("本申请已决定收费，同一申请只能选择一种计收方式。")
    if method == FeeMethod.PER_APPLICATION:
        quantity = applications_in_month(request)
    elif method == FeeMethod.PER_PAGE:
        if pages is None or pages < 1:
            raise RequestError("按量计收须填写页数（正整数）。")
        quantity = pages
    else:
        raise RequestError("请选择计收方式：按件计收或按量计收。")
    amount = fee_for(method, quantity)
    if amount == Decimal("0"):
        raise RequestError("按所选方式计算的信息处理费为 0 元，无需收费。")
    request.fee_method = method
    request.fee_quantity = quantity
    request.fee_amount = amount
    request.fee_decided_on = today
    request.save(update_fields=["fee_method", "fee_quantity", "fee_amount", "fee_decided_on"])
    counted = f"当月第 {quantity} 件" if method == FeeMethod.PER_APPLICATION else f"{quantity} 页"
    label = FeeMethod(method).label
    _log(
        request, kind=EventKind.FEE_DECIDED, by=by, now=now, note=f"{label}：{counted}，{amount} 元"
    )
    return request


@transaction.atomic
def request_fee_paid(
    *, request: DisclosureRequest, by: Any, on: dt.date, now: dt.datetime | None = None
) -> DisclosureRequest:
    now, today = _begin(request, by=by, now=now)
    if not request.fee_method or request.fee_decided_on is None:
        raise RequestError("本申请未决定收费。")
    if request.fee_paid_on is not None:
        raise RequestError("已登记缴费。")
    _check_day(on, not_before=request.fee_decided_on, today=today, what="缴费日期")
    request.fee_paid_on = on
    request.save(update_fields=["fee_paid_on"])
    _log(request, kind=EventKind.FEE_PAID, by=by, now=now, on=on, note=f"{request.fee_amount} 元")
    return request


@transaction.atomic
def request_answer(
    *,
    request: DisclosureRequest,
    by: Any,
    reply_type: str,
    outcome: str,
    text: str,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> DisclosureRequest:
    """答复 (第三十六条, 第三十七条) with the outcome it counts under in the annual report."""
    now, today = _begin(request, by=by, now=now)
    allowed = REPLY_OUTCOMES.get(reply_type)
    if allowed is None:
        raise RequestError("请选择答复类型。")
    if outcome not in allowed:
        raise RequestError(
            f"办理结果与答复类型“{ReplyType(reply_type).label}”不符，请重新选择办理结果。"
        )
    if request.state == RequestState.AWAITING_CORRECTION:
        # 第三十条: 无正当理由逾期不补正的，视为放弃申请.
        if outcome != "other_no_correction":
            raise RequestError("等待补正的申请只能以“申请人逾期不补正”结案。")
        if request.correction_due_on is None or today <= request.correction_due_on:
            raise RequestError("补正期限尚未届满，不能以逾期不补正结案。")
    else:
        _require_state(request, *OPEN_STATES, action="答复")
    if outcome == "other_fee_unpaid" and (not request.fee_method or request.fee_paid_on):
        raise RequestError("本申请没有未缴的信息处理费，不能以逾期未缴费结案。")
    if not text.strip():
        raise RequestError("请填写答复内容（不予公开等须说明理由）。")
    on = on or today
    _check_day(on, not_before=request.received_on, today=today, what="答复日期")
    request.reply_type = reply_type
    request.outcome = outcome
    request.reply_text = text.strip()
    request.reply_on = on
    _notify_applicant(request, "答复", f"{ReplyType(reply_type).label}\n\n{text.strip()}")
    return _move(
        request,
        to=RequestState.ANSWERED,
        kind=EventKind.ANSWERED,
        by=by,
        now=now,
        fields=["reply_type", "outcome", "reply_text", "reply_on"],
        on=on,
        note=ReplyType(reply_type).label,
    )


@transaction.atomic
def request_archive(
    *, request: DisclosureRequest, by: Any, now: dt.datetime | None = None
) -> DisclosureRequest:
    now, today = _begin(request, by=by, now=now, states=(RequestState.ANSWERED,), action="归档")
    request.archived_on = today
    return _move(
        request,
        to=RequestState.ARCHIVED,
        kind=EventKind.ARCHIVED,
        by=by,
        now=now,
        fields=["archived_on"],
    )


@transaction.atomic
def request_view_id_number(
    *, request: DisclosureRequest, by: Any, now: dt.datetime | None = None
) -> str:
    """The decrypted ID number, for the handling staff and the operator; every view is logged."""
    now = _now(now)
    _require_staff(by, request)
    number = decrypt_id_number(request.id_number_encrypted)
    _log(request, kind=EventKind.ID_VIEWED, by=by, now=now)
    return number
