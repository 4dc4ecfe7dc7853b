"""Public pages of disclosure requests: apply, see the tracking number and query code once, look
a request up, and send the 补正 when asked. Thin views: a form, a service, a template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from govportal.core.models.calendar import workday_calendar
from govportal.core.ratelimit import client_ip, limit_hit
from govportal.disclosure.models import DisclosureRequest, IntakeChannel, RequestState
from govportal.disclosure.request_deadlines import deadline_info
from govportal.disclosure.request_forms import ApplicationForm, CorrectionForm, LookupForm
from govportal.disclosure.request_services import (
    RequestError,
    request_find,
    request_register,
    request_submit_correction,
)

DONE_KEY = "disclosure_request_done"
GRANTED_KEY = "disclosure_requests_granted"
TEMPLATES = "disclosure/requests/"
# Per client address: submissions per hour and lookups per ten minutes.
SUBMIT_LIMIT = (10, 3600)
LOOKUP_LIMIT = (20, 600)


def _over_limit(request: HttpRequest, name: str, limit: tuple[int, int]) -> bool:
    count, seconds = limit
    return not limit_hit(
        f"disclosure-requests:{name}", client_ip(request), limit=count, window=seconds
    )


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ApplicationForm(request.POST or None, today=today)
    status = 200
    if request.method == "POST":
        if _over_limit(request, "submit", SUBMIT_LIMIT):
            form.add_error(None, "提交过于频繁，请一小时后再试，或到受理机关当面申请。")
            status = 429
        elif form.is_valid():
            try:
                created, code = request_register(
                    applicant=form.applicant(),
                    unit=form.cleaned_data["unit"],
                    intake_channel=IntakeChannel.ONLINE,
                    form_token=form.cleaned_data["form_token"],
                )
            except RequestError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                request.session[DONE_KEY] = {"tracking": created.tracking_number, "code": code}
                _grant(request, created)
                return redirect("disclosure_requests:done")
        else:
            status = 400
    return TemplateResponse(request, TEMPLATES + "apply.html", {"form": form}, status=status)


@never_cache
def done(request: HttpRequest) -> HttpResponse:
    """The tracking number and the query code, shown once: the code is stored only as a hash."""
    shown = request.session.pop(DONE_KEY, None)
    if not shown:
        messages.info(request, "查询码只在提交成功时显示一次。请用申请编号和查询码查询办理进度。")
        return redirect("disclosure_requests:lookup")
    return TemplateResponse(request, TEMPLATES + "done.html", shown)


def _grant(request: HttpRequest, found: DisclosureRequest) -> None:
    granted = list(request.session.get(GRANTED_KEY, []))
    if found.tracking_number not in granted:
        granted = [*granted[-9:], found.tracking_number]
    request.session[GRANTED_KEY] = granted


def _granted(request: HttpRequest, tracking_number: str) -> DisclosureRequest | None:
    if tracking_number not in request.session.get(GRANTED_KEY, []):
        return None
    return (
        DisclosureRequest.objects.select_related("unit")
        .filter(tracking_number=tracking_number)
        .first()
    )


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _over_limit(request, "lookup", LOOKUP_LIMIT):
            form.add_error(None, "查询过于频繁，请十分钟后再试。")
            status = 429
        elif form.is_valid():
            found = request_find(
                tracking_number=form.cleaned_data["tracking_number"],
                query_code=form.cleaned_data["query_code"],
            )
            if found is not None:
                _grant(request, found)
                return redirect("disclosure_requests:status", found.tracking_number)
            form.add_error(None, "申请编号或查询码不正确，请核对后重试。")
            status = 404
        else:
            status = 400
    return TemplateResponse(request, TEMPLATES + "lookup.html", {"form": form}, status=status)


def _status_context(
    found: DisclosureRequest, correction_form: CorrectionForm | None
) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "req": found,
        "info": deadline_info(found, today=today, calendar=workday_calendar()),
        "correction_form": correction_form
        if found.state == RequestState.AWAITING_CORRECTION
        else None,
        "answered": found.state in (RequestState.ANSWERED, RequestState.ARCHIVED),
    }


@never_cache
def status(request: HttpRequest, tracking_number: str) -> HttpResponse:
    found = _granted(request, tracking_number)
    if found is None:
        messages.info(request, "请输入申请编号和查询码。")
        return redirect("disclosure_requests:lookup")
    context = _status_context(found, CorrectionForm())
    return TemplateResponse(request, TEMPLATES + "status.html", context)


@never_cache
@require_POST
def correct(request: HttpRequest, tracking_number: str) -> HttpResponse:
    found = _granted(request, tracking_number)
    if found is None:
        messages.info(request, "请输入申请编号和查询码。")
        return redirect("disclosure_requests:lookup")
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            request_submit_correction(request=found, text=form.cleaned_data["text"])
        except RequestError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "补正材料已提交，答复期限自今日起重新计算（第三十条）。")
        return redirect("disclosure_requests:status", found.tracking_number)
    context = _status_context(found, form)
    return TemplateResponse(request, TEMPLATES + "status.html", context, status=400)
