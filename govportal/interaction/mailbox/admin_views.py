"""Admin screens of the mailbox: queues per role, one message with its actions, downloads.

The operator (运维监管) accepts or rejects new messages, assigns them to units, decides
extensions, moderates held publications and sees escalations; a unit's staff handle what was
assigned to their unit: the editor drafts the reply, the reviewer approves it (审发分离). Every
action is a service call; a refusal comes back as a Chinese message on the same screen. The
citizen's contact data is shown only on request, through `message_contact`, which logs the look.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from wagtail.admin import messages

from govportal.core.models import Unit, UnitRole
from govportal.core.models.calendar import workday_calendar
from govportal.interaction.mailbox import deadlines, forms, publication, services
from govportal.interaction.mailbox.services import MailboxError
from govportal.interaction.models import (
    ExtensionRequest,
    Message,
    MessageAssignment,
    MessageType,
    ReplyDraft,
)
from govportal.lib.workdays import CalendarDataMissing

NAMESPACE = "mailbox_admin"
Status = Message.Status

OPERATOR_QUEUES = [
    ("new", "待受理"),
    ("accepted", "待转办"),
    ("handling", "办理中"),
    ("extensions", "延期待审批"),
    ("escalated", "已督办"),
    ("held", "待审核公开"),
    ("all", "全部"),
]
UNIT_QUEUES = [
    ("todo", "本单位待办"),
    ("review", "待审核答复"),
    ("answered", "已答复"),
    ("all", "全部"),
]
DEADLINE_FILTERS = [("on_time", "按期办理中"), ("due_soon", "即将到期"), ("overdue", "已超期")]


def _require_staff(request: HttpRequest) -> None:
    user = request.user
    if not services.is_operator(user) and getattr(user, "unit_id", None) is None:
        raise PermissionDenied("只有运维监管人员和各单位工作人员可以办理留言。")


def _next_workday(today: dt.date) -> dt.date | None:
    try:
        return workday_calendar().add(today, 1)
    except CalendarDataMissing:
        return None


def _queue(request: HttpRequest, name: str, today: dt.date) -> QuerySet[Message]:
    user: Any = request.user
    messages_ = services.messages_for_staff(user)
    if services.is_operator(user):
        pending = ExtensionRequest.objects.filter(
            message=OuterRef("pk"), state=ExtensionRequest.State.PENDING
        )
        queues: dict[str, Any] = {  # Q objects, and Exists combined with them
            "new": Q(status=Status.NEW),
            "accepted": Q(status=Status.ACCEPTED),
            "handling": Q(status=Status.HANDLING),
            "escalated": Q(
                escalated_at__isnull=False, status__in=[Status.HANDLING, Status.ACCEPTED]
            ),
            "held": Q(publication=Message.Publication.HELD),
        }
        if name == "extensions":
            return messages_.filter(Exists(pending))
    else:
        own = ReplyDraft.objects.filter(message=OuterRef("pk"), unit_id=user.unit_id)
        if name == "review":
            return messages_.filter(Exists(own.filter(state=ReplyDraft.State.SUBMITTED)))
        # A letter with several units: a unit whose part is approved has done its share.
        done = Exists(own.filter(state=ReplyDraft.State.APPROVED))
        queues = {
            "todo": Q(status=Status.HANDLING) & ~done,
            "answered": Q(status=Status.ANSWERED) | Q(status=Status.HANDLING) & done,
        }
    condition = queues.get(name)
    return messages_ if condition is None else messages_.filter(condition)


def _deadline_filter(messages_: QuerySet[Message], key: str, today: dt.date) -> QuerySet[Message]:
    open_ = messages_.filter(
        status__in=[Status.NEW, Status.ACCEPTED, Status.HANDLING], info_requested_at__isnull=True
    )
    next_day = _next_workday(today) or today
    if key == "overdue":
        return open_.filter(due_on__lt=today)
    if key == "due_soon":
        return open_.filter(due_on__gte=today, due_on__lte=next_day)
    if key == "on_time":
        return open_.filter(due_on__gt=next_day)
    return messages_


def deadline_label(message: Message, today: dt.date) -> tuple[str, str]:
    """(label, css class) of a message's deadline for the lists; the calendar's message if missing."""
    if message.status == Status.NO_INFO:
        return Status.NO_INFO.label, ""
    if message.is_open and message.info_requested_at is not None:
        return "等待留言人补充（暂停计时）", "info"
    if message.due_on is None:
        return "期限未计算：节假日安排未录入", "error"
    try:
        status = deadlines.deadline_status(
            due_on=message.due_on,
            today=today,
            calendar=workday_calendar(),
            answered_on=timezone.localdate(message.answered_at)
            if message.status == Status.ANSWERED and message.answered_at
            else None,
        )
    except CalendarDataMissing as exc:
        return str(exc), "error"
    if message.status == Status.REJECTED:
        return "不予受理", ""
    css = {"overdue": "error", "due_soon": "warning", "answered_late": "warning"}.get(status, "")
    return status.label, css


def queue(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    user: Any = request.user
    operator = services.is_operator(user)
    today = timezone.localdate()
    queues = OPERATOR_QUEUES if operator else UNIT_QUEUES
    name = request.GET.get("queue") or queues[0][0]
    if name not in dict(queues):
        name = queues[0][0]
    if request.method == "POST" and operator:
        return _bulk(request)
    messages_ = _queue(request, name, today)
    message_type = request.GET.get("type", "")
    if message_type in MessageType.values:
        messages_ = messages_.filter(message_type=message_type)
    deadline = request.GET.get("deadline", "")
    messages_ = _deadline_filter(messages_, deadline, today)
    unit_id = request.GET.get("unit", "")
    if operator and unit_id.isdigit():
        messages_ = messages_.filter(
            assignments__unit_id=int(unit_id), assignments__state=MessageAssignment.State.ACTIVE
        ).distinct()
    search = request.GET.get("q", "").strip()[:100]
    if search:
        messages_ = messages_.filter(Q(subject__icontains=search) | Q(tracking_number=search))
    order = (
        "due_on" if name in ("new", "accepted", "handling", "todo", "escalated") else "-received_at"
    )
    page = Paginator(
        messages_.order_by(order, "id").prefetch_related("assignments__unit"), 30
    ).get_page(request.GET.get("page"))
    rows = [
        {
            "message": m,
            "deadline": deadline_label(m, today),
            "units": [a.unit.name for a in m.assignments.all() if a.state == "active"],
        }
        for m in page
    ]
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return TemplateResponse(
        request,
        "interaction/mailbox/admin/queue.html",
        {
            "queues": queues,
            "current": name,
            "rows": rows,
            "page_obj": page,
            "types": MessageType.choices,
            "deadline_filters": DEADLINE_FILTERS,
            "units": Unit.objects.all() if operator else [],
            "filters": request.GET,
            "extra_query": urlencode(query) + "&" if query else "",
            "operator": operator,
            "accept_form": forms.AcceptForm(prefix="bulk"),
            "reject_form": forms.RejectForm(prefix="bulk"),
            "today": today,
        },
    )


# The message screen's actions that the operator's queue offers for many messages at once,
# with the message shown when the bulk form is incomplete.
BULK_ACTIONS = {"accept": "请选择承办单位。", "reject": "请选择不予受理的理由。"}


def _bulk(request: HttpRequest) -> HttpResponse:
    """批量受理并转办 / 批量不予受理 on the selected new messages."""
    services.reject_reasons_ensure()
    ids = [int(pk) for pk in request.POST.getlist("selected") if pk.isdigit()]
    selected = list(Message.objects.filter(pk__in=ids))
    action = request.POST.get("bulk_action", "")
    back = request.get_full_path()
    if not selected:
        messages.error(request, "请先勾选留言。")
        return HttpResponseRedirect(back)
    if action not in BULK_ACTIONS:
        messages.error(request, "请选择批量操作。")
        return HttpResponseRedirect(back)
    form_class, handler = ACTIONS[action]
    form = form_class(request.POST, prefix="bulk")
    if not form.is_valid():
        messages.error(request, BULK_ACTIONS[action])
        return HttpResponseRedirect(back)
    done, refused = 0, []
    for message in selected:
        try:
            handler(request, message, form.cleaned_data)
            done += 1
        except MailboxError as error:
            refused.append(f"{message.tracking_number}：{error.message}")
    if done:
        messages.success(request, f"已处理 {done} 条留言。")
    for line in refused:
        messages.error(request, line)
    return HttpResponseRedirect(back)


# --- One message --------------------------------------------------------------------------------


def _unit_reply(message: Message, user: Any) -> ReplyDraft | None:
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return None
    return (
        message.replies.filter(unit_id=unit_id)
        .exclude(state=ReplyDraft.State.APPROVED)
        .order_by("-id")
        .first()
    )


def _knowledge_url(message: Message) -> str:
    """The knowledge helper's 'new entry from a message' screen, pre-filled, if it exists."""
    try:
        base = reverse("knowledge_admin:entry_from_message")
    except NoReverseMatch:
        return ""
    reply = message.replies.filter(state=ReplyDraft.State.APPROVED).first()
    if reply is None:
        return ""
    names = [message.name]
    question = message.public_content or publication.mask_personal_data(
        message.content, names=names
    )
    answer = message.public_reply or publication.mask_personal_data(
        services.reply_text(message), names=names
    )
    source = ""
    if message.publication == Message.Publication.PUBLISHED:
        source = reverse("mailbox:letter", args=[message.pk])
    params = {"question": question, "answer": answer, "unit": reply.unit_id, "source": source}
    return f"{base}?{urlencode(params)}"


# One action of the message screen: the form that checks the post, then the service call,
# which returns the success message. A MailboxError from the service is shown on the screen.
Handler = Callable[[HttpRequest, Message, dict[str, Any]], str]


def _call(service: Callable[..., Any], done: str, **rename: str) -> Handler:
    """A handler that passes the form's fields to the service as keyword arguments (a field
    named differently from the service's argument is renamed: `attachments="uploads"`)."""

    def handler(request: HttpRequest, message: Message, data: dict[str, Any]) -> str:
        arguments = {rename.get(name, name): value for name, value in data.items()}
        service(message=message, user=request.user, **arguments)
        return done

    return handler


def _posted_id(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


def _reply_of(request: HttpRequest, message: Message) -> ReplyDraft:
    return get_object_or_404(ReplyDraft, pk=_posted_id(request, "reply"), message=message)


def _reply(request: HttpRequest, message: Message, data: dict[str, Any]) -> str:
    submit = request.POST.get("submit_for_review") == "1"
    services.reply_save(message=message, user=request.user, text=data["text"], submit=submit)
    return "答复已提交审核。" if submit else "答复草稿已保存。"


def _approve(request: HttpRequest, message: Message, data: dict[str, Any]) -> str:
    reply = _reply_of(request, message)
    message = services.reply_approve(reply=reply, user=request.user, comment=data["comment"])
    if message.status == Status.ANSWERED:
        return "答复已审核通过并发送给留言人。"
    return "本单位答复已审核通过；其他承办单位答复后，合并发送给留言人。"


def _return(request: HttpRequest, message: Message, data: dict[str, Any]) -> str:
    reply = _reply_of(request, message)
    services.reply_return(reply=reply, user=request.user, comment=data["comment"])
    return "答复已退回修改。"


def _extension_decide(request: HttpRequest, message: Message, data: dict[str, Any]) -> str:
    pk = _posted_id(request, "extension")
    extension = get_object_or_404(ExtensionRequest, pk=pk, message=message)
    approve = request.POST.get("decision") == "approve"
    services.extension_decide(
        extension=extension, user=request.user, approve=approve, note=data["note"]
    )
    return "已批准延期。" if approve else "已不批准延期。"


ACTIONS: dict[str, tuple[type[Form], Handler]] = {
    "accept": (forms.AcceptForm, _call(services.message_accept, "已受理。")),
    "reject": (forms.RejectForm, _call(services.message_reject, "已不予受理。")),
    "assign": (forms.UnitsForm, _call(services.message_assign, "已转办。")),
    "hand_back": (forms.ReasonForm, _call(services.message_hand_back, "已退回运维监管人员。")),
    "request_info": (
        forms.TextForm,
        _call(services.message_request_info, "已请留言人补充材料，等待补充期间暂停计时。"),
    ),
    "close_no_info": (Form, _call(services.message_close_no_info, "留言人逾期未补充，已办结。")),
    "note": (forms.TextForm, _call(services.note_add, "备注已保存。")),
    "attach": (
        forms.StaffAttachmentForm,
        _call(services.attachment_add, "附件已上传。", attachments="uploads"),
    ),
    "reply": (forms.ReplyForm, _reply),
    "approve": (forms.ReviewForm, _approve),
    "return": (forms.ReviewForm, _return),
    "extension": (
        forms.ExtensionForm,
        _call(services.extension_request, "延期申请已提交，等待运维监管人员审批。"),
    ),
    "extension_decide": (forms.ExtensionDecisionForm, _extension_decide),
    "publish": (forms.PublicationForm, _call(publication.publication_publish, "已公开。")),
    "withhold": (
        forms.TextForm,
        _call(publication.publication_withhold, "已决定不予公开。", text="note"),
    ),
}


def _run_action(
    request: HttpRequest, message: Message, name: str, bound: dict[str, Any]
) -> str | None:
    """The success message, or None with the bound form (its errors) left in `bound`."""
    form_class, handler = ACTIONS[name]
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        bound[name] = form
        return None
    return handler(request, message, form.cleaned_data)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    user: Any = request.user
    message = services.message_for_staff(user, pk)
    services.reject_reasons_ensure()
    bound: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            messages.error(request, "未知的操作。")
        else:
            try:
                result = _run_action(request, message, action, bound)
            except MailboxError as error:
                messages.error(request, error.message)
                status = 400
            else:
                if result is not None:
                    messages.success(request, result)
                    if services.user_can_handle(user, message):
                        return HttpResponseRedirect(request.path)
                    return HttpResponseRedirect(reverse(f"{NAMESPACE}:queue"))
                messages.error(request, "请按提示修改后重新提交。")
                status = 400
        message.refresh_from_db()
    contact = None
    if request.GET.get("contact") == "1":
        contact = services.message_contact(user=user, message=message, purpose="办理留言时查看")
    today = timezone.localdate()
    operator = services.is_operator(user)
    unit_reply = _unit_reply(message, user)
    in_unit = getattr(user, "unit_id", None) in services.active_unit_ids(message)
    is_reviewer = in_unit and services.user_unit_role(user, UnitRole.REVIEWER)
    reply_initial = {"text": unit_reply.text} if unit_reply else {}
    info_wait_ends = services.info_wait_ends(message) if message.is_open else None
    pending = services.pending_unit_ids(message) if message.status == Status.HANDLING else set()
    publication_initial = {
        "public_subject": message.public_subject,
        "public_content": message.public_content,
        "public_reply": message.public_reply,
    }
    context = {
        "message": message,
        "contact": contact,
        "deadline": deadline_label(message, today),
        "operator": operator,
        "in_unit": in_unit,
        "is_reviewer": is_reviewer,
        "unit_reply": unit_reply,
        "submitted_replies": message.replies.filter(
            state=ReplyDraft.State.SUBMITTED, unit_id=getattr(user, "unit_id", None) or 0
        ),
        "approved_replies": message.replies.filter(state=ReplyDraft.State.APPROVED).select_related(
            "unit", "author", "reviewer"
        ),
        "assignments": message.assignments.select_related("unit"),
        "pending_units": [a.unit.name for a in message.assignments.all() if a.unit_id in pending],
        "unit_done": in_unit and getattr(user, "unit_id", None) not in pending,
        "info_wait_ends": info_wait_ends,
        "may_close_no_info": info_wait_ends is not None and today > info_wait_ends,
        "close_no_info_form": bound.get("close_no_info") or Form(),
        "extensions": message.extensions.select_related("unit", "requested_by"),
        "notes": message.notes.select_related("author"),
        "attachments": message.attachments.all(),
        "events": message.events.select_related("actor", "unit"),
        "contact_views": message.contact_views.select_related("user")[:20] if operator else [],
        "knowledge_url": _knowledge_url(message) if message.status == Status.ANSWERED else "",
        "forms": {
            "accept": bound.get("accept") or forms.AcceptForm(),
            "reject": bound.get("reject") or forms.RejectForm(),
            "assign": bound.get("assign") or forms.UnitsForm(),
            "hand_back": bound.get("hand_back") or forms.ReasonForm(),
            "request_info": bound.get("request_info") or forms.TextForm(),
            "note": bound.get("note") or forms.TextForm(),
            "attach": bound.get("attach") or forms.StaffAttachmentForm(),
            "reply": bound.get("reply") or forms.ReplyForm(initial=reply_initial),
            "review": bound.get("approve") or bound.get("return") or forms.ReviewForm(),
            "extension": bound.get("extension") or forms.ExtensionForm(),
            "extension_decide": bound.get("extension_decide") or forms.ExtensionDecisionForm(),
            "publish": bound.get("publish") or forms.PublicationForm(initial=publication_initial),
            "withhold": bound.get("withhold") or forms.TextForm(),
        },
    }
    return TemplateResponse(
        request, "interaction/mailbox/admin/detail.html", context, status=status
    )


def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    _require_staff(request)
    message = services.message_for_staff(request.user, pk)
    item = get_object_or_404(message.attachments, pk=attachment_pk)
    content_type = "application/pdf" if item.kind == "pdf" else f"image/{item.kind}"
    if item.kind == "jpg":
        content_type = "image/jpeg"
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=content_type,
    )


def admin_urlpatterns() -> list[Any]:
    return [
        path("", queue, name="queue"),
        path("<int:pk>/", detail, name="detail"),
        path("<int:pk>/attachments/<int:attachment_pk>/", attachment, name="attachment"),
    ]
