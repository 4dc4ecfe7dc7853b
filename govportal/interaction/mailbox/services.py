"""State changes of mailbox messages: one keyword-only, atomic function each.

The public views, the admin screens, the demo and `manage.py mailbox_remind` call these. A
refusal raises `MailboxError` with a Chinese message for the screen. Access to a citizen's
contact data goes through `message_for_staff` and `message_contact` (every look is logged).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.sql import InsertQuery
from django.http import Http404
from django.utils import timezone

from govportal.accounts.roles import Role, user_has_role
from govportal.core.models import Unit, UnitRole
from govportal.core.models.calendar import workday_calendar
from govportal.interaction.mailbox import deadlines
from govportal.interaction.models import (
    ContactView,
    ExtensionRequest,
    Message,
    MessageAssignment,
    MessageAttachment,
    MessageEvent,
    MessageNote,
    MessageTypeRule,
    RejectReason,
    ReplyDraft,
)
from govportal.lib import tracking
from govportal.lib.workdays import CalendarDataMissing

Kind = MessageEvent.Kind
Status = Message.Status

DEFAULT_REJECT_REASONS = (
    "属于信访事项，请通过信访渠道反映",
    "属于纪检监察举报，请向纪检监察机关反映",
    "已进入诉讼、仲裁或行政复议程序",
    "内容不清楚、无法办理",
    "重复留言",
    "不属于本级政府职责范围",
    "含有违法、攻击性或与办理无关的内容",
)
FORM_TOKEN_SALT = "govportal.mailbox.form"  # noqa: S105  (a signing namespace, not a secret)
FORM_TOKEN_MAX_AGE = 24 * 3600  # seconds a form may stay open before it must be reloaded
# Working days a letter waits for the citizen's 补充 before it may be closed as 未补充. Neither
# 第十三条 nor the disclosure rules fix a figure (第三十条 leaves the 补正 period to the organ);
# ten working days is two weeks, twice the whole reply period of 第十三条.
INFO_WAIT_DAYS = 10


class MailboxError(Exception):
    """A refused state change; `message` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Reference data seeded from code (no data migrations) --------------------------------------


def reject_reasons_ensure() -> None:
    """The default 不予受理 reasons; safe to run twice, leaves the operator's edits alone."""
    if RejectReason.objects.exists():
        return
    for order, name in enumerate(DEFAULT_REJECT_REASONS):
        RejectReason.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


def reply_days_for(message_type: str) -> int:
    """The reply period of a type (第十三条: at most 5 working days; the operator may set less)."""
    rule = MessageTypeRule.objects.filter(message_type=message_type).first()
    return rule.reply_days if rule is not None else deadlines.DEFAULT_REPLY_DAYS


# --- Tracking numbers, query codes, one-time form tokens ----------------------------------------


def form_token_new() -> str:
    """A one-time token for one filled form: the same form posted twice makes one message."""
    return signing.dumps(secrets.token_urlsafe(24), salt=FORM_TOKEN_SALT)


def form_token_read(signed_token: str) -> str | None:
    """The token inside a signed value, or None when it is forged or too old."""
    try:
        value = signing.loads(signed_token, salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) and len(value) >= 16 else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def query_code_for(token: str) -> str:
    """The secret query code of the message made from this form token.

    Derived (keyed with SECRET_KEY) so that a second post of the same form can show the citizen
    the same code again; only its hash is stored (`lib.tracking`, which explains the hash).
    """
    return tracking.query_code_derived(settings.SECRET_KEY.encode(), f"mailbox-query:{token}")


def message_for_citizen(tracking_number: str, code: str) -> Message | None:
    """The message with this tracking number if the query code is right, else None."""
    number = tracking.normalise_tracking_number(tracking_number)
    message = Message.objects.filter(tracking_number=number).first()
    stored = None if message is None else message.query_code_hash
    return message if tracking.query_code_matches(code, stored) else None


def _tracking_number(now: dt.datetime) -> str:
    # 留言编号: the receipt day and six random digits, e.g. 20260930123456.
    return tracking.tracking_number_new(f"{timezone.localdate(now):%Y%m%d}", 6, tracking.DIGITS)


# --- Submission ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A checked upload: its original name, the content kind read from its bytes, the bytes."""

    name: str
    kind: str
    data: bytes


@dataclass(frozen=True)
class Receipt:
    message: Message
    query_code: str
    created: bool  # False: the same form was posted before; this is the first post's message


def _due_on(received_at: dt.datetime, days: int) -> dt.date | None:
    try:
        return deadlines.reply_due(timezone.localdate(received_at), workday_calendar(), days)
    except CalendarDataMissing:
        # Never lose a letter for want of a holiday schedule: the due date stays empty and
        # the admin shows the calendar's message until `mailbox_remind` can fill it in.
        return None


def _event(
    message: Message,
    kind: str,
    *,
    actor: Any = None,
    unit: Unit | None = None,
    text: str = "",
    now: dt.datetime | None = None,
) -> MessageEvent:
    return MessageEvent.objects.create(
        message=message,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        unit=unit,
        text=text,
        at=now or timezone.now(),
    )


def _save_uploads(
    message: Message, uploads: Iterable[Upload], *, source: str, user: Any = None
) -> list[MessageAttachment]:
    saved = []
    for upload in uploads:
        attachment = MessageAttachment(
            message=message,
            original_name=upload.name[:200],
            kind=upload.kind,
            size=len(upload.data),
            source=source,
            uploaded_by=user if user is not None and user.is_authenticated else None,
        )
        suffix = "pdf" if upload.kind == "pdf" else upload.kind
        attachment.file.save(f"{secrets.token_hex(12)}.{suffix}", ContentFile(upload.data), False)
        attachment.save()
        saved.append(attachment)
    return saved


def message_submit(
    *,
    form_token: str,
    message_type: str,
    subject: str,
    content: str,
    name: str,
    phone: str,
    email: str = "",
    consent_publish: bool = False,
    uploads: Sequence[Upload] = (),
    client_ip: str | None = None,
    now: dt.datetime | None = None,
) -> Receipt:
    """Store a citizen's message; the same form token posted again returns the first message.

    The path of every letter, kept short (bench/mailbox.py, issue 5): one query for the reply
    period, then one transaction with the letter, its attachments and its 提交 event, so that
    a receipt is never shown for a letter that is not stored whole. The form token's unique
    hash is the duplicate check: no look-up before the INSERT, a second post of the same form
    (a double click) hits the unique constraint and gets the first post's message.
    """
    now = now or timezone.now()
    token_hash = _token_hash(form_token)
    code = query_code_for(form_token)
    days = reply_days_for(message_type)
    due_on = _due_on(now, days)
    for _attempt in range(5):
        message = Message(
            tracking_number=_tracking_number(now),
            query_code_hash=tracking.query_code_hash(code),
            form_token_hash=token_hash,
            message_type=message_type,
            subject=subject,
            content=content,
            name=name,
            phone=phone,
            email=email,
            consent_publish=consent_publish,
            client_ip=client_ip,
            received_at=now,
            reply_days=days,
            due_on=due_on,
            original_due_on=due_on,
        )
        try:
            if uploads or connection.vendor != "postgresql":
                with transaction.atomic():
                    message.save(force_insert=True)
                    _save_uploads(message, uploads, source=MessageAttachment.Source.CITIZEN)
                    _event(message, Kind.SUBMITTED, now=now)
            elif connection.in_atomic_block:
                # A savepoint: a refused INSERT must not end the caller's transaction.
                with transaction.atomic():
                    _insert_with_event(message, now)
            else:
                _insert_with_event(message, now)
        except IntegrityError:
            existing = message_for_form_token(form_token)
            if existing is not None:
                # The same form posted twice: the other post committed first.
                return Receipt(existing, code, created=False)
            continue  # a tracking-number collision: draw again
        return Receipt(message, code, created=True)
    raise MailboxError("留言编号生成失败，请稍后重新提交。")


def _insert_with_event(message: Message, now: dt.datetime) -> None:
    """PostgreSQL: the letter and its 提交 event in ONE statement (a data-modifying WITH).

    One statement is atomic by itself, so in autocommit it needs no BEGIN and COMMIT: one round
    trip instead of four (BEGIN, two INSERTs, COMMIT) for every letter of a crowd. The SQL of the
    letter's INSERT is Django's own (the same values and conversions as `save()`).
    """
    fields = [f for f in Message._meta.concrete_fields if not f.primary_key]
    query = InsertQuery(Message)
    query.insert_values(fields, [message])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [Message._meta.pk]
    [(insert_sql, params)] = compiler.as_sql()
    event = MessageEvent._meta
    quote = connection.ops.quote_name
    names = ("message", "kind", "text", "at")
    columns = ", ".join(quote(MessageEvent._meta.get_field(n).column) for n in names)  # type: ignore[union-attr,arg-type]
    at = MessageEvent._meta.get_field("at").get_db_prep_value(now, connection)  # type: ignore[union-attr]
    # Only names from the models' metadata and Django's own INSERT go into the text; every value
    # is a parameter.
    sql = (
        f"WITH letter AS ({insert_sql}) "  # noqa: S608
        f"INSERT INTO {quote(event.db_table)} ({columns}) "
        f"SELECT letter.{quote(Message._meta.pk.column)}, %s, %s, %s FROM letter "
        f"RETURNING {quote(event.get_field('message').column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, Kind.SUBMITTED.value, "", at])
        row = cursor.fetchone()
    message.pk = row[0]
    message._state.adding = False
    message._state.db = connection.alias


def message_for_form_token(form_token: str) -> Message | None:
    """The message already made from this form token, if any."""
    return Message.objects.filter(form_token_hash=_token_hash(form_token)).first()


# --- Who may see what ---------------------------------------------------------------------------


def is_operator(user: Any) -> bool:
    return bool(user_has_role(user, Role.OPERATOR))


def active_unit_ids(message: Message) -> set[int]:
    return set(
        message.assignments.filter(state=MessageAssignment.State.ACTIVE).values_list(
            "unit_id", flat=True
        )
    )


def user_unit_role(user: Any, role: str) -> bool:
    """Whether the user holds this role (editor or reviewer) in their own unit."""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return False
    return bool(user.groups.filter(unit_role__unit_id=unit_id, unit_role__role=role).exists())


def user_can_handle(user: Any, message: Message) -> bool:
    """The operator, or staff of a unit the message is assigned to (and not handed back)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not user.is_active:
        return False
    if is_operator(user):
        return True
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return False
    return unit_id in active_unit_ids(message)


def message_for_staff(user: Any, pk: int) -> Message:
    """The message for a member of staff who may handle it; 404 or PermissionDenied otherwise."""
    message = Message.objects.filter(pk=pk).first()
    if message is None:
        raise Http404("没有这条留言。")
    if not user_can_handle(user, message):
        raise PermissionDenied("只有运维监管人员和承办单位可以查看这条留言。")
    return message


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str


def message_contact(*, user: Any, message: Message, purpose: str = "办理留言") -> Contact:
    """The citizen's contact data for someone who may handle the message; the look is logged."""
    if not user_can_handle(user, message):
        raise PermissionDenied("只有运维监管人员和承办单位可以查看留言人的联系方式。")
    ContactView.objects.create(message=message, user=user, purpose=purpose[:50])
    return Contact(message.name, message.phone, message.email)


def messages_for_staff(user: Any) -> QuerySet[Message]:
    """What a member of staff may list: everything for the operator, else their unit's."""
    if is_operator(user):
        return Message.objects.all()
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None or not getattr(user, "is_authenticated", False):
        return Message.objects.none()
    return Message.objects.filter(
        assignments__unit_id=unit_id, assignments__state=MessageAssignment.State.ACTIVE
    ).distinct()


def _require_operator(user: Any) -> None:
    if not is_operator(user):
        raise MailboxError("只有运维监管人员可以执行此操作。")


def _require_unit_staff(user: Any, message: Message) -> Unit:
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None or unit_id not in active_unit_ids(message):
        raise MailboxError("这条留言没有转办给您所在的单位。")
    unit: Unit = user.unit
    return unit


# --- Intake: accept, reject, assign, hand back --------------------------------------------------


@transaction.atomic
def message_accept(
    *, message: Message, user: Any, units: Sequence[Unit] = (), now: dt.datetime | None = None
) -> Message:
    """受理; with units, also 转办 to them."""
    _require_operator(user)
    now = now or timezone.now()
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != Status.NEW:
        raise MailboxError(f"这条留言的状态是“{message.get_status_display()}”，不能再受理。")
    message.status = Status.ACCEPTED
    message.accepted_at = now
    message.save(update_fields=["status", "accepted_at"])
    _event(message, Kind.ACCEPTED, actor=user, now=now)
    if units:
        message_assign(message=message, user=user, units=units, now=now)
        message.refresh_from_db()
    return message


@transaction.atomic
def message_reject(
    *,
    message: Message,
    user: Any,
    reason: RejectReason,
    text: str = "",
    now: dt.datetime | None = None,
) -> Message:
    """不予受理, with a reason from the list and an explanation for the citizen."""
    _require_operator(user)
    now = now or timezone.now()
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status not in (Status.NEW, Status.ACCEPTED):
        raise MailboxError(f"这条留言的状态是“{message.get_status_display()}”，不能不予受理。")
    message.status = Status.REJECTED
    message.reject_reason = reason
    message.reject_text = text
    message.answered_at = now
    message.save(update_fields=["status", "reject_reason", "reject_text", "answered_at"])
    _event(message, Kind.REJECTED, actor=user, text=f"{reason.name}。{text}".strip("。"), now=now)
    return message


@transaction.atomic
def message_assign(
    *, message: Message, user: Any, units: Sequence[Unit], now: dt.datetime | None = None
) -> Message:
    """转办 to one or more units (an accepted message, or one being handled: add a unit)."""
    _require_operator(user)
    if not units:
        raise MailboxError("请至少选择一个承办单位。")
    now = now or timezone.now()
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status not in (Status.ACCEPTED, Status.HANDLING):
        raise MailboxError(f"这条留言的状态是“{message.get_status_display()}”，不能转办。")
    current = active_unit_ids(message)
    added = [unit for unit in units if unit.pk not in current]
    if not added:
        raise MailboxError("所选单位已在办理这条留言。")
    for unit in added:
        MessageAssignment.objects.create(
            message=message, unit=unit, assigned_at=now, assigned_by=user
        )
        _event(message, Kind.ASSIGNED, actor=user, unit=unit, text=f"转办至{unit.name}", now=now)
    message.status = Status.HANDLING
    message.save(update_fields=["status"])
    return message


@transaction.atomic
def message_hand_back(
    *, message: Message, user: Any, reason: str, now: dt.datetime | None = None
) -> Message:
    """A unit hands the message back to the operator (not its business), with a reason."""
    if not reason.strip():
        raise MailboxError("请填写退回理由。")
    now = now or timezone.now()
    message = Message.objects.select_for_update().get(pk=message.pk)
    unit = _require_unit_staff(user, message)
    if message.status != Status.HANDLING:
        raise MailboxError("只有办理中的留言可以退回。")
    if message.replies.filter(unit=unit, state=ReplyDraft.State.APPROVED).exists():
        raise MailboxError("本单位的答复已审核通过，不能再退回。")
    message.assignments.filter(unit=unit, state=MessageAssignment.State.ACTIVE).update(
        state=MessageAssignment.State.HANDED_BACK, handback_reason=reason, handed_back_at=now
    )
    message.replies.filter(unit=unit).exclude(state=ReplyDraft.State.APPROVED).delete()
    _event(message, Kind.HANDED_BACK, actor=user, unit=unit, text=reason, now=now)
    if not active_unit_ids(message):
        message.status = Status.ACCEPTED  # back in the operator's queue for another unit
        message.save(update_fields=["status"])
    else:
        # The units left may all have answered already: then the letter is answered now.
        _answer_if_complete(message, actor=user, now=now)
    return message


def _info_wait_ends(asked_on: dt.date) -> dt.date | None:
    try:
        return workday_calendar().add(asked_on, INFO_WAIT_DAYS)
    except CalendarDataMissing:
        return None


@transaction.atomic
def message_request_info(
    *, message: Message, user: Any, text: str, now: dt.datetime | None = None
) -> Message:
    """Ask the citizen to add information (shown when they look up their message).

    The reply clock stands still from now until the citizen answers (`message_add_info`), like
    the 补正 of a disclosure request: the unit cannot reply to what it has not been told.
    """
    if not user_can_handle(user, message):
        raise MailboxError("您不能办理这条留言。")
    if not text.strip():
        raise MailboxError("请写明需要留言人补充的内容。")
    now = now or timezone.now()
    message = Message.objects.select_for_update().get(pk=message.pk)
    if not message.is_open:
        raise MailboxError("已办结的留言不能再请留言人补充。")
    message.info_request = text
    # Asked again before the citizen answered: the pause still runs from the first request.
    message.info_requested_at = message.info_requested_at or now
    message.save(update_fields=["info_request", "info_requested_at"])
    _event(message, Kind.INFO_REQUESTED, actor=user, unit=user.unit, text=text, now=now)
    return message


@transaction.atomic
def message_add_info(
    *, message: Message, text: str, uploads: Sequence[Upload] = (), now: dt.datetime | None = None
) -> Message:
    """The citizen adds what was asked for; the due date moves by the working days waited."""
    if not text.strip() and not uploads:
        raise MailboxError("请填写补充内容或上传附件。")
    now = now or timezone.now()
    message = Message.objects.select_for_update().get(pk=message.pk)
    if not message.info_request or not message.is_open:
        raise MailboxError("办理单位没有请您补充材料。")
    _save_uploads(message, uploads, source=MessageAttachment.Source.CITIZEN)
    note = ""
    if message.info_requested_at is not None and message.due_on is not None:
        asked_on = timezone.localdate(message.info_requested_at)
        try:
            calendar = workday_calendar()
            # The working days after the request up to the day the information arrived do
            # not count (the same rule as a disclosure request's pause, request_deadlines).
            waited = calendar.between(asked_on, timezone.localdate(now))
            if waited > 0:
                message.due_on = deadlines.extended_due(message.due_on, waited, calendar)
                message.reminded_at = None  # one reminder before the new due date
                note = f"（暂停计时 {waited} 个工作日，答复期限顺延至 {message.due_on:%Y-%m-%d}）"
        except CalendarDataMissing as exc:
            note = f"（{exc}，答复期限未顺延，请运维监管人员核对）"
    message.info_request = ""
    message.info_requested_at = None
    message.save(update_fields=["info_request", "info_requested_at", "due_on", "reminded_at"])
    _event(message, Kind.INFO_ADDED, text=f"{text}{note}", now=now)
    return message


@transaction.atomic
def message_close_no_info(
    *, message: Message, user: Any, now: dt.datetime | None = None
) -> Message:
    """未补充办结: the citizen did not answer within INFO_WAIT_DAYS working days of the request."""
    if not user_can_handle(user, message):
        raise MailboxError("您不能办理这条留言。")
    now = now or timezone.now()
    message = Message.objects.select_for_update().get(pk=message.pk)
    if not message.is_open or message.info_requested_at is None:
        raise MailboxError("只有正在等待留言人补充的留言可以按未补充办结。")
    ends = _info_wait_ends(timezone.localdate(message.info_requested_at))
    if ends is None:
        raise MailboxError("节假日安排未录入，无法计算补充期限，暂不能按未补充办结。")
    if timezone.localdate(now) <= ends:
        raise MailboxError(
            f"留言人补充期限（{INFO_WAIT_DAYS}个工作日）至 {ends:%Y-%m-%d} 届满，届满后才能办结。"
        )
    message.status = Status.NO_INFO
    message.answered_at = now  # the citizen was told: the letter is not left unanswered
    message.info_requested_at = None
    message.save(update_fields=["status", "answered_at", "info_requested_at"])
    text = f"留言人未在{INFO_WAIT_DAYS}个工作日内补充材料（期限 {ends:%Y-%m-%d}），办结。"
    _event(message, Kind.CLOSED_NO_INFO, actor=user, unit=user.unit, text=text, now=now)
    return message


def info_wait_ends(message: Message) -> dt.date | None:
    """The last day the citizen may add information, while the letter waits for it."""
    if message.info_requested_at is None:
        return None
    return _info_wait_ends(timezone.localdate(message.info_requested_at))


# --- Replies ------------------------------------------------------------------------------------


@transaction.atomic
def reply_save(
    *, message: Message, user: Any, text: str, submit: bool = False, now: dt.datetime | None = None
) -> ReplyDraft:
    """The unit's editor writes (or rewrites) the unit's reply; `submit` sends it for review."""
    now = now or timezone.now()
    message = Message.objects.select_for_update().get(pk=message.pk)
    unit = _require_unit_staff(user, message)
    if message.status != Status.HANDLING:
        raise MailboxError("只有办理中的留言可以起草答复。")
    if not text.strip():
        raise MailboxError("答复内容不能为空。")
    if message.replies.filter(unit=unit, state=ReplyDraft.State.APPROVED).exists():
        raise MailboxError("本单位的答复已审核通过，等待其他承办单位答复。")
    reply = (
        message.replies.filter(unit=unit)
        .exclude(state=ReplyDraft.State.APPROVED)
        .order_by("-id")
        .first()
    )
    if reply is None:
        reply = ReplyDraft(message=message, unit=unit, created_at=now)
    elif reply.state == ReplyDraft.State.SUBMITTED:
        raise MailboxError("答复已提交审核，审核人退回后才能修改。")
    reply.text = text
    reply.author = user
    reply.state = ReplyDraft.State.SUBMITTED if submit else ReplyDraft.State.DRAFT
    reply.submitted_at = now if submit else None
    reply.save()
    kind = Kind.SUBMITTED_FOR_REVIEW if submit else Kind.DRAFTED
    _event(message, kind, actor=user, unit=unit, now=now)
    return reply


def _require_reviewer(user: Any, reply: ReplyDraft) -> None:
    if getattr(user, "unit_id", None) != reply.unit_id or not user_unit_role(
        user, UnitRole.REVIEWER
    ):
        raise MailboxError("只有本单位的审核人员可以审核答复。")
    if reply.author_id == user.pk:
        # 第二十一条(三): 审发分离 — the reviewer is never the author of the reply.
        raise MailboxError("不能审核自己起草的答复（审发分离）。")


@transaction.atomic
def reply_return(
    *, reply: ReplyDraft, user: Any, comment: str, now: dt.datetime | None = None
) -> ReplyDraft:
    reply = ReplyDraft.objects.select_for_update().get(pk=reply.pk)
    _require_reviewer(user, reply)
    if reply.state != ReplyDraft.State.SUBMITTED:
        raise MailboxError("这份答复不在待审核状态。")
    if not comment.strip():
        raise MailboxError("退回修改时请填写审核意见。")
    reply.state = ReplyDraft.State.RETURNED
    reply.reviewer = user
    reply.reviewed_at = now or timezone.now()
    reply.review_comment = comment
    reply.save()
    _event(reply.message, Kind.REPLY_RETURNED, actor=user, unit=reply.unit, text=comment, now=now)
    return reply


@transaction.atomic
def reply_approve(
    *, reply: ReplyDraft, user: Any, comment: str = "", now: dt.datetime | None = None
) -> Message:
    """The unit's reviewer approves the unit's part. When every unit still assigned has an
    approved part, the letter is answered (one combined reply) and published if agreed.

    第十三条 不得推诿: a letter assigned to several units is answered by each of them for its
    own part; the clock, the reminders and the escalation stay those of the one letter.
    """
    now = now or timezone.now()
    reply = ReplyDraft.objects.select_for_update().get(pk=reply.pk)
    _require_reviewer(user, reply)
    if reply.state != ReplyDraft.State.SUBMITTED:
        raise MailboxError("这份答复不在待审核状态。")
    message = Message.objects.select_for_update().get(pk=reply.message_id)
    if message.status != Status.HANDLING:
        raise MailboxError("这条留言已不在办理中。")
    reply.state = ReplyDraft.State.APPROVED
    reply.reviewer = user
    reply.reviewed_at = now
    reply.review_comment = comment
    reply.save()
    _event(message, Kind.UNIT_ANSWERED, actor=user, unit=reply.unit, text=reply.text, now=now)
    _answer_if_complete(message, actor=user, now=now)
    return message


def pending_unit_ids(message: Message) -> set[int]:
    """The units still assigned whose part of the reply is not approved yet."""
    approved = message.replies.filter(state=ReplyDraft.State.APPROVED).values_list(
        "unit_id", flat=True
    )
    return active_unit_ids(message) - set(approved)


def _answer_if_complete(message: Message, *, actor: Any, now: dt.datetime) -> bool:
    """Answer the (locked) letter when no assigned unit's part is missing any more."""
    if message.status != Status.HANDLING or pending_unit_ids(message):
        return False
    if not active_unit_ids(message):
        return False
    message.status = Status.ANSWERED
    message.answered_at = now
    message.info_request = ""
    message.info_requested_at = None
    message.save(update_fields=["status", "answered_at", "info_request", "info_requested_at"])
    _event(message, Kind.ANSWERED, actor=actor, text=reply_text(message), now=now)
    if message.consent_publish:
        from govportal.interaction.mailbox.publication import publication_prepare

        publication_prepare(message=message, now=now)
    return True


def reply_text(message: Message) -> str:
    """The one reply the citizen gets: each unit's approved part, headed by the unit's name
    when there are several, in the order the units were assigned."""
    order = {
        unit_id: index
        for index, unit_id in enumerate(
            message.assignments.filter(state=MessageAssignment.State.ACTIVE).values_list(
                "unit_id", flat=True
            )
        )
    }
    replies = sorted(
        message.replies.filter(state=ReplyDraft.State.APPROVED, unit_id__in=order).select_related(
            "unit"
        ),
        key=lambda r: (order[r.unit_id], r.pk),
    )
    if len(replies) == 1:
        return replies[0].text
    return "\n\n".join(f"【{r.unit.name}】\n{r.text}" for r in replies)


# --- Deadlines: extensions ----------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *, message: Message, user: Any, days: int, reason: str, now: dt.datetime | None = None
) -> ExtensionRequest:
    unit = _require_unit_staff(user, message)
    if message.status != Status.HANDLING:
        raise MailboxError("只有办理中的留言可以申请延期。")
    if not reason.strip():
        raise MailboxError("请填写延期理由。")
    if message.extensions.filter(state=ExtensionRequest.State.PENDING).exists():
        raise MailboxError("已有待审批的延期申请。")
    extension = ExtensionRequest.objects.create(
        message=message,
        unit=unit,
        days=days,
        reason=reason,
        requested_by=user,
        requested_at=now or timezone.now(),
    )
    _event(
        message,
        Kind.EXTENSION_REQUESTED,
        actor=user,
        unit=unit,
        text=f"申请延长 {days} 个工作日：{reason}",
        now=now,
    )
    return extension


@transaction.atomic
def extension_decide(
    *,
    extension: ExtensionRequest,
    user: Any,
    approve: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> ExtensionRequest:
    """The operator approves (the due date moves by the working days asked for) or refuses."""
    _require_operator(user)
    now = now or timezone.now()
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if extension.state != ExtensionRequest.State.PENDING:
        raise MailboxError("这份延期申请已经审批过。")
    if not approve and not note.strip():
        raise MailboxError("不批准延期时请填写理由。")
    message = Message.objects.select_for_update().get(pk=extension.message_id)
    if approve:
        if message.due_on is None:
            raise MailboxError("这条留言的答复期限尚未计算（节假日安排未录入），不能延期。")
        try:
            message.due_on = deadlines.extended_due(
                message.due_on, extension.days, workday_calendar()
            )
        except CalendarDataMissing as exc:
            raise MailboxError(str(exc)) from exc
        message.reminded_at = None  # one reminder before the new due date
        message.save(update_fields=["due_on", "reminded_at"])
    extension.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REFUSED
    extension.decided_by = user
    extension.decided_at = now
    extension.decision_note = note
    extension.save()
    if approve:
        text = f"延长 {extension.days} 个工作日，新的答复期限 {message.due_on:%Y-%m-%d}。{note}"
        _event(message, Kind.EXTENSION_APPROVED, actor=user, text=text.strip(), now=now)
    else:
        _event(message, Kind.EXTENSION_REFUSED, actor=user, text=note, now=now)
    return extension


# --- Notes, staff attachments, rating -----------------------------------------------------------


@transaction.atomic
def note_add(*, message: Message, user: Any, text: str, now: dt.datetime | None = None) -> None:
    if not user_can_handle(user, message):
        raise MailboxError("您不能办理这条留言。")
    if not text.strip():
        raise MailboxError("备注内容不能为空。")
    MessageNote.objects.create(
        message=message, author=user, text=text, created_at=now or timezone.now()
    )
    _event(message, Kind.NOTE, actor=user, unit=getattr(user, "unit", None), now=now)


@transaction.atomic
def attachment_add(
    *, message: Message, user: Any, uploads: Sequence[Upload], now: dt.datetime | None = None
) -> None:
    if not user_can_handle(user, message):
        raise MailboxError("您不能办理这条留言。")
    saved = _save_uploads(message, uploads, source=MessageAttachment.Source.STAFF, user=user)
    names = "、".join(a.original_name for a in saved)
    _event(message, Kind.ATTACHMENT, actor=user, unit=getattr(user, "unit", None), text=names)


@transaction.atomic
def message_rate(
    *, message: Message, rating: str, comment: str = "", now: dt.datetime | None = None
) -> Message:
    """The citizen rates the reply (满意 / 基本满意 / 不满意), once."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != Status.ANSWERED:
        raise MailboxError("留言答复后才能评价。")
    if message.rating:
        raise MailboxError("您已评价过这条留言的答复。")
    if rating not in Message.Rating.values:
        raise MailboxError("请选择满意、基本满意或不满意。")
    message.rating = rating
    message.rating_comment = comment
    message.rated_at = now or timezone.now()
    message.save(update_fields=["rating", "rating_comment", "rated_at"])
    _event(message, Kind.RATED, text=f"{message.get_rating_display()} {comment}".strip(), now=now)
    return message


# --- Queries the admin and the jobs share -------------------------------------------------------


def open_messages() -> QuerySet[Message]:
    return Message.objects.filter(status__in=[Status.NEW, Status.ACCEPTED, Status.HANDLING])


def overdue_filter(today: dt.date) -> Q:
    return Q(due_on__lt=today)
