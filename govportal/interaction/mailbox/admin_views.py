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
        queues: dict[str, Q] = {
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
        submitted = ReplyDraft.objects.filter(
            message=OuterRef("pk"), unit_id=user.unit_id, state=ReplyDraft.State.SUBMITTED
        )
        if name == "review":
            return messages_.filter(Exists(submitted))
        queues = {"todo": Q(status=Status.HANDLING), "answered": Q(status=Status.ANSWERED)}
    condition = queues.get(name)
    return messages_ if condition is None else messages_.filter(condition)


def _deadline_filter(messages_: QuerySet[Message], key: str, today: dt.date) -> QuerySet[Message]:
    open_ = messages_.filter(status__in=[Status.NEW, Status.ACCEPTED, Status.HANDLING])
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


def _bulk(request: HttpRequest) -> HttpResponse:
    """批量受理并转办 / 批量不予受理 on the selected new messages."""
    services.reject_reasons_ensure()
    ids = [int(pk) for pk in request.POST.getlist("selected") if pk.isdigit()]
    selected = list(Message.objects.filter(pk__in=ids))
    action = request.POST.get("bulk_action")
    back = request.get_full_path()
    if not selected:
        messages.error(request, "请先勾选留言。")
        return HttpResponseRedirect(back)
    done, refused = 0, []
    if action == "accept":
        form = forms.AcceptForm(request.POST, prefix="bulk")
        if not form.is_valid():
            messages.error(request, "请选择承办单位。")
            return HttpResponseRedirect(back)
        for message in selected:
            try:
                services.message_accept(
                    message=message, user=request.user, units=list(form.cleaned_data["units"])
                )
                done += 1
            except MailboxError as error:
                refused.append(f"{message.tracking_number}：{error.message}")
    elif action == "reject":
        reject = forms.RejectForm(request.POST, prefix="bulk")
        if not reject.is_valid():
            messages.error(request, "请选择不予受理的理由。")
            return HttpResponseRedirect(back)
        for message in selected:
            try:
                services.message_reject(
                    message=message,
                    user=request.user,
                    reason=reject.cleaned_data["reason"],
                    text=reject.cleaned_data["text"],
                )
                done += 1
            except MailboxError as error:
                refused.append(f"{message.tracking_number}：{error.message}")
    else:
        messages.error(request, "请选择批量操作。")
        return HttpResponseRedirect(back)
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


Action = Callable[[HttpRequest, Message], Any]


def _act_accept(request: HttpRequest, message: Message) -> Any:
    form = forms.AcceptForm(request.POST)
    if form.is_valid():
        services.message_accept(
            message=message, user=request.user, units=list(form.cleaned_data["units"])
        )
        return "已受理。"
    return form


def _act_reject(request: HttpRequest, message: Message) -> Any:
    form = forms.RejectForm(request.POST)
    if form.is_valid():
        services.message_reject(
            message=message,
            user=request.user,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
        )
        return "已不予受理。"
    return form


def _act_assign(request: HttpRequest, message: Message) -> Any:
    form = forms.UnitsForm(request.POST)
    if form.is_valid():
        services.message_assign(
            message=message, user=request.user, units=list(form.cleaned_data["units"])
        )
        return "已转办。"
    return form


def _act_hand_back(request: HttpRequest, message: Message) -> Any:
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        services.message_hand_back(
            message=message, user=request.user, reason=form.cleaned_data["reason"]
        )
        return "已退回运维监管人员。"
    return form


def _act_request_info(request: HttpRequest, message: Message) -> Any:
    form = forms.TextForm(request.POST)
    if form.is_valid():
        services.message_request_info(
            message=message, user=request.user, text=form.cleaned_data["text"]
        )
        return "已请留言人补充材料。"
    return form


def _act_note(request: HttpRequest, message: Message) -> Any:
    form = forms.TextForm(request.POST)
    if form.is_valid():
        services.note_add(message=message, user=request.user, text=form.cleaned_data["text"])
        return "备注已保存。"
    return form


def _act_attach(request: HttpRequest, message: Message) -> Any:
    form = forms.StaffAttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.attachment_add(
            message=message, user=request.user, uploads=form.cleaned_data["attachments"]
        )
        return "附件已上传。"
    return form


def _act_reply(request: HttpRequest, message: Message) -> Any:
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        submit = request.POST.get("submit_for_review") == "1"
        services.reply_save(
            message=message, user=request.user, text=form.cleaned_data["text"], submit=submit
        )
        return "答复已提交审核。" if submit else "答复草稿已保存。"
    return form


def _posted_id(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


def _reply_of(request: HttpRequest, message: Message) -> ReplyDraft:
    return get_object_or_404(ReplyDraft, pk=_posted_id(request, "reply"), message=message)


def _act_approve(request: HttpRequest, message: Message) -> Any:
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        services.reply_approve(
            reply=_reply_of(request, message),
            user=request.user,
            comment=form.cleaned_data["comment"],
        )
        return "答复已审核通过并发送给留言人。"
    return form


def _act_return(request: HttpRequest, message: Message) -> Any:
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        services.reply_return(
            reply=_reply_of(request, message),
            user=request.user,
            comment=form.cleaned_data["comment"],
        )
        return "答复已退回修改。"
    return form


def _act_extension(request: HttpRequest, message: Message) -> Any:
    form = forms.ExtensionForm(request.POST)
    if form.is_valid():
        services.extension_request(
            message=message,
            user=request.user,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
        )
        return "延期申请已提交，等待运维监管人员审批。"
    return form


def _act_extension_decide(request: HttpRequest, message: Message) -> Any:
    form = forms.ExtensionDecisionForm(request.POST)
    if form.is_valid():
        extension = get_object_or_404(
            ExtensionRequest, pk=_posted_id(request, "extension"), message=message
        )
        approve = request.POST.get("decision") == "approve"
        services.extension_decide(
            extension=extension, user=request.user, approve=approve, note=form.cleaned_data["note"]
        )
        return "已批准延期。" if approve else "已不批准延期。"
    return form


def _act_publish(request: HttpRequest, message: Message) -> Any:
    form = forms.PublicationForm(request.POST)
    if form.is_valid():
        publication.publication_publish(message=message, user=request.user, **form.cleaned_data)
        return "已公开。"
    return form


def _act_withhold(request: HttpRequest, message: Message) -> Any:
    form = forms.TextForm(request.POST)
    if form.is_valid():
        publication.publication_withhold(
            message=message, user=request.user, note=form.cleaned_data["text"]
        )
        return "已决定不予公开。"
    return form


ACTIONS: dict[str, Action] = {
    "accept": _act_accept,
    "reject": _act_reject,
    "assign": _act_assign,
    "hand_back": _act_hand_back,
    "request_info": _act_request_info,
    "note": _act_note,
    "attach": _act_attach,
    "reply": _act_reply,
    "approve": _act_approve,
    "return": _act_return,
    "extension": _act_extension,
    "extension_decide": _act_extension_decide,
    "publish": _act_publish,
    "withhold": _act_withhold,
}


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    user: Any = request.user
    message = services.message_for_staff(user, pk)
    services.reject_reasons_ensure()
    bound: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        handler = ACTIONS.get(action)
        if handler is None:
            messages.error(request, "未知的操作。")
        else:
            try:
                result = handler(request, message)
            except MailboxError as error:
                messages.error(request, error.message)
                status = 400
            else:
                if isinstance(result, str):
                    messages.success(request, result)
                    if services.user_can_handle(user, message):
                        return HttpResponseRedirect(request.path)
                    return HttpResponseRedirect(reverse(f"{NAMESPACE}:queue"))
                bound[action] = result
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
