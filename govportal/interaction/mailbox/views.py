"""Public pages of the mayor's mailbox: write, receipt, look-up, follow, rate, read, statistics.

Thin views: a form validates, a service changes state, a template renders. Bad input re-renders
the bound form with a Chinese message (nothing typed is lost); a citizen sees their own message
only after giving its tracking number and query code (kept in their session afterwards).
"""

from __future__ import annotations

import time
from typing import Any

from captcha.models import CaptchaStore
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from govportal.interaction.mailbox import ratelimit, routing, uploads
from govportal.interaction.mailbox.forms import (
    MAX_FILES,
    AddInfoForm,
    MessageForm,
    QueryForm,
    RatingForm,
    bench_mode,
)
from govportal.interaction.mailbox.services import (
    MailboxError,
    Receipt,
    form_token_new,
    form_token_read,
    message_add_info,
    message_for_citizen,
    message_for_form_token,
    message_rate,
    message_submit,
    query_code_for,
    reply_text,
)
from govportal.interaction.mailbox.stats import statistics_current
from govportal.interaction.models import Message, MessageType, ReplyDraft

SESSION_KEY = "mailbox_messages"
DOUBLE_SUBMIT_WAIT = 2.0  # seconds a second post of the same form waits for the first one


def _existing_receipt(token: str) -> Receipt | None:
    message = message_for_form_token(token)
    return None if message is None else Receipt(message, query_code_for(token), created=False)


def _receipt_response(request: HttpRequest, receipt: Receipt) -> HttpResponse:
    _remember(request, receipt.message)
    response = TemplateResponse(
        request,
        "interaction/mailbox/receipt.html",
        {"receipt": receipt, "message": receipt.message},
    )
    response["Cache-Control"] = "no-store"
    return response


def _remember(request: HttpRequest, message: Message) -> None:
    allowed = list(request.session.get(SESSION_KEY, []))
    if message.pk not in allowed:
        request.session[SESSION_KEY] = [*allowed[-19:], message.pk]


def _fresh_token(form: MessageForm) -> MessageForm:
    data = form.data.copy()  # type: ignore[attr-defined]
    data["form_token"] = form_token_new()
    return MessageForm(data, form.files)


@never_cache
@require_http_methods(["GET", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    channels: list[routing.ChannelRule] = []
    notice = ""
    if request.method != "POST":
        initial: dict[str, Any] = {"form_token": form_token_new()}
        if request.GET.get("type") in MessageType.values:
            initial["message_type"] = request.GET["type"]
        form = MessageForm(initial=initial)
        return _write_page(request, form, channels, notice)

    form = MessageForm(request.POST, request.FILES)
    kept = uploads.kept_read(request.POST.get("kept_uploads", ""))
    token = form_token_read(request.POST.get("form_token", ""))
    if token is None:
        form = _fresh_token(form)
        form.is_valid()
        notice = "页面停留时间过长，表单已失效。您填写的内容都保留在下面，请重新输入验证码后提交。"
        return _write_page(request, form, channels, notice, kept=kept)
    # No look-up of the token before a valid form is stored: message_submit's INSERT meets the
    # token's unique constraint when this form was stored before (issue 5: every query on this
    # path counts when a crowd posts at once). A form that fails validation is looked up.
    # A captcha already used up before this post is checked: another post of this form (a
    # double click) may have used it and still be saving; the browser shows this response.
    captcha_used = (
        not bench_mode()
        and not CaptchaStore.objects.filter(hashkey=request.POST.get("captcha_0", "")).exists()
    )
    if not form.is_valid():
        existing = _existing_receipt(token)
        if existing is not None:
            return _receipt_response(request, existing)  # the same form posted again
        if set(form.errors) == {"captcha"} and captcha_used:
            waited = _wait_for_first_post(token)
            if waited is not None:
                return _receipt_response(request, waited)
        return _write_page(request, form, channels, notice, kept=kept)
    data = form.cleaned_data
    if len(kept) + len(data["attachments"]) > MAX_FILES:
        form.add_error("attachments", f"最多上传 {MAX_FILES} 个附件（已保留 {len(kept)} 个）。")
        return _write_page(request, form, channels, notice, kept=kept)
    channels = routing.channel_matches(data["subject"], data["content"])
    if channels and not data["confirm_channel"]:
        notice = "您的留言可能属于下列事项，请通过对应渠道反映。如果确实不属于，请勾选确认后重新输入验证码提交。"
        return _write_page(request, form, channels, notice, kept=kept)
    ip = ratelimit.client_ip(request)
    if not bench_mode():
        refusal = ratelimit.submit_allowed(ip, data["phone"])
        if refusal:
            form.add_error(None, refusal)
            return _write_page(request, form, channels, notice, status=429, kept=kept)
    try:
        receipt = message_submit(
            form_token=token,
            message_type=data["message_type"],
            subject=data["subject"],
            content=data["content"],
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            consent_publish=data["consent_publish"],
            uploads=[*uploads.kept_load(kept), *data["attachments"]],
            client_ip=ip or None,
        )
    except MailboxError as error:
        form.add_error(None, error.message)
        return _write_page(request, form, channels, notice, kept=kept)
    uploads.kept_discard(kept)
    return _receipt_response(request, receipt)


@require_http_methods(["POST"])
def bench_floor(request: HttpRequest) -> HttpResponse:
    """The reference of bench/mailbox.py: a valid POST through the same middleware (sessions,
    CSRF) answered with a few bytes and no query. Exists only in bench mode."""
    if not bench_mode():
        raise Http404
    return HttpResponse(f"floor {len(request.POST)}", content_type="text/plain")


def _wait_for_first_post(token: str) -> Receipt | None:
    deadline = time.monotonic() + DOUBLE_SUBMIT_WAIT
    while time.monotonic() < deadline:
        receipt = _existing_receipt(token)
        if receipt is not None:
            return receipt
        time.sleep(0.2)
    return None


def _write_page(
    request: HttpRequest,
    form: MessageForm,
    channels: list[routing.ChannelRule],
    notice: str,
    status: int = 200,
    kept: list[uploads.KeptFile] | None = None,
) -> HttpResponse:
    kept = list(kept or [])
    if form.is_bound and form.errors:
        status = status if status != 200 else 400
    # Checked files of a form that comes back are kept: the browser cannot refill the input.
    new = getattr(form, "cleaned_data", {}).get("attachments") or []
    if new:
        kept = [*kept, *uploads.keep(new[: MAX_FILES - len(kept)])]
    return TemplateResponse(
        request,
        "interaction/mailbox/write.html",
        {
            "form": form,
            "channels": channels,
            "notice": notice,
            "bench_mode": bench_mode(),
            "kept": kept,
            "kept_signed": uploads.kept_sign(kept),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def query(request: HttpRequest) -> HttpResponse:
    """Look up a message with its tracking number and query code."""
    form = QueryForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        ip = ratelimit.client_ip(request)
        if ratelimit.lookup_blocked(ip):
            form.add_error(None, "查询失败次数过多，请一小时后再试。")
            status = 429
        else:
            message = message_for_citizen(
                form.cleaned_data["tracking_number"], form.cleaned_data["query_code"]
            )
            if message is None:
                ratelimit.lookup_failed(ip)
                form.add_error(None, "留言编号或查询码不正确，请核对后重新输入。")
                status = 400
            else:
                _remember(request, message)
                return HttpResponseRedirect(reverse("mailbox:mine", args=[message.tracking_number]))
    elif request.method == "POST":
        status = 400
    return TemplateResponse(
        request, "interaction/mailbox/query.html", {"form": form}, status=status
    )


def _own_message(request: HttpRequest, tracking_number: str) -> Message:
    message = Message.objects.filter(tracking_number=tracking_number).first()
    if message is None or message.pk not in request.session.get(SESSION_KEY, []):
        raise Http404("请先用留言编号和查询码查询。")
    return message


@never_cache
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """The citizen's own message: progress, the reply, additions when asked, the rating."""
    message = _own_message(request, tracking_number)
    info_form = AddInfoForm()
    rating_form = RatingForm()
    error = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_info":
                info_form = AddInfoForm(request.POST, request.FILES)
                if info_form.is_valid():
                    message_add_info(
                        message=message,
                        text=info_form.cleaned_data["text"],
                        uploads=info_form.cleaned_data["attachments"],
                    )
                    return HttpResponseRedirect(request.path + "?added=1")
            elif action == "rate":
                rating_form = RatingForm(request.POST)
                if rating_form.is_valid():
                    message_rate(
                        message=message,
                        rating=rating_form.cleaned_data["rating"],
                        comment=rating_form.cleaned_data["comment"],
                    )
                    return HttpResponseRedirect(request.path + "?rated=1")
        except MailboxError as exc:
            error = exc.message
        status = 400
    return TemplateResponse(
        request,
        "interaction/mailbox/mine.html",
        {
            "message": message,
            "reply": reply_text(message) if message.status == Message.Status.ANSWERED else "",
            "events": message.events.exclude(kind__in=_INTERNAL_EVENTS),
            "info_form": info_form,
            "rating_form": rating_form,
            "error": error,
            "added": request.GET.get("added"),
            "rated": request.GET.get("rated"),
        },
        status=status,
    )


# Steps the citizen does not see in their history (internal work of the office and units).
_INTERNAL_EVENTS = ("note", "drafted", "submitted_for_review", "reply_returned", "reminded", "attachment", "held", "withheld", "escalated", "extension_requested", "extension_refused")  # fmt: skip


def published() -> QuerySet[Message]:
    return Message.objects.filter(publication=Message.Publication.PUBLISHED)


def index(request: HttpRequest) -> HttpResponse:
    """Published letters and replies (留言选登), newest first, filterable by type."""
    messages = published().order_by("-published_at", "-id")
    message_type = request.GET.get("type", "")
    if message_type in MessageType.values:
        messages = messages.filter(message_type=message_type)
    else:
        message_type = ""
    page = Paginator(messages, 20).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "interaction/mailbox/index.html",
        {
            "page_obj": page,
            "types": MessageType.choices,
            "message_type": message_type,
            "extra_query": f"type={message_type}&" if message_type else "",
            "stats": statistics_current(),
        },
    )


def letter(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(published(), pk=pk)
    units = (
        ReplyDraft.objects.filter(message=message, state=ReplyDraft.State.APPROVED)
        .select_related("unit")
        .values_list("unit__name", flat=True)
    )
    return TemplateResponse(
        request,
        "interaction/mailbox/letter.html",
        {"message": message, "units": list(units)},
    )


def statistics(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "interaction/mailbox/statistics.html",
        {"stats": statistics_current(timezone.localdate())},
    )
