"""Admin screens of disclosure requests: the queue per unit, a request with its actions and log,
the ID number for the handling staff (each view logged), and entering a paper request.

Unit staff see their unit's requests; the operator sees all (request_access.py). Every action
calls one service of request_services.py; a refusal comes back as a Chinese message on the same
screen with the form as it was typed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from govportal.accounts.models import User
from govportal.accounts.roles import Role, user_has_role
from govportal.core.models import Unit, UnitRole
from govportal.core.models.calendar import workday_calendar
from govportal.disclosure.models import DisclosureRequest, RequestState
from govportal.disclosure.request_access import (
    get_request_for_staff,
    is_request_staff,
    requests_for_staff,
)
from govportal.disclosure.request_crypto import IdNumberUnreadable
from govportal.disclosure.request_deadlines import DeadlineInfo, DeadlineStatus, deadline_info
from govportal.disclosure.request_forms import (
    AnswerForm,
    AssignForm,
    ConsultationEndForm,
    ConsultationStartForm,
    CorrectionAskForm,
    CorrectionForm,
    ExtendForm,
    FeeDecideForm,
    FeePaidForm,
    RegisterForm,
)
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
    request_register,
    request_submit_correction,
    request_view_id_number,
)

NAMESPACE = "disclosure_requests_admin"
TEMPLATES = "disclosure/requests/admin/"
PER_PAGE = 50
OPEN = [
    RequestState.REGISTERED,
    RequestState.AWAITING_CORRECTION,
    RequestState.CONSULTING,
    RequestState.EXTENDED,
]


def _staff_only(request: HttpRequest) -> None:
    if not is_request_staff(request.user):
        raise PermissionDenied("仅办理单位工作人员和运维监管人员可以办理政府信息公开申请。")


def _unit_staff(req: DisclosureRequest) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, unit=req.unit, groups__unit_role__unit=req.unit
    ).distinct()


def _approvers(req: DisclosureRequest) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(groups__name=Role.OPERATOR)
            | Q(groups__unit_role__unit=req.unit, groups__unit_role__role=UnitRole.REVIEWER)
        )
        .distinct()
    )


class QueueFilter(forms.Form):
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "办理中（全部未答复）"), ("all", "全部"), *RequestState.choices],
    )
    status = forms.ChoiceField(
        label="期限",
        required=False,
        choices=[("", "全部")]
        + [
            (s.value, s.label)
            for s in (
                DeadlineStatus.OVERDUE,
                DeadlineStatus.DUE_SOON,
                DeadlineStatus.ON_TIME,
                DeadlineStatus.PAUSED,
                DeadlineStatus.WAITING_CORRECTION,
                DeadlineStatus.UNKNOWN,
            )
        ],
    )
    unit = forms.ModelChoiceField(
        label="办理单位", required=False, queryset=Unit.objects.all(), empty_label="全部单位"
    )
    year = forms.IntegerField(label="收到年份", required=False, min_value=2019, max_value=2100)
    q = forms.CharField(label="申请编号或申请人", required=False, max_length=50)


def queue(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    operator = user_has_role(request.user, Role.OPERATOR)
    filters = QueueFilter(request.GET or None)
    if not operator:
        del filters.fields["unit"]
    requests = requests_for_staff(request.user).prefetch_related("events")
    data = filters.cleaned_data if filters.is_valid() else {}
    state = data.get("state") or ""
    if state == "":
        requests = requests.filter(state__in=OPEN)
    elif state != "all":
        requests = requests.filter(state=state)
    if data.get("unit"):
        requests = requests.filter(unit=data["unit"])
    if data.get("year"):
        requests = requests.filter(received_on__year=data["year"])
    if data.get("q"):
        words = data["q"].strip()
        requests = requests.filter(
            Q(tracking_number__icontains=words) | Q(applicant_name__icontains=words)
        )
    today = timezone.localdate()
    calendar = workday_calendar()
    rows = [(req, deadline_info(req, today=today, calendar=calendar)) for req in requests]
    if data.get("status"):
        rows = [row for row in rows if row[1].status == data["status"]]
    # Most urgent first: overdue, then the earliest due date; no due date last.
    rows.sort(key=lambda row: (_urgency(row[1]), row[1].due or today.max, row[0].pk))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("p"))
    missing = next((info.error for _, info in rows if info.error), "")
    return TemplateResponse(
        request,
        TEMPLATES + "queue.html",
        {
            "filters": filters,
            "page_obj": page,
            "operator": operator,
            "calendar_error": missing,
            "query": request.GET.copy().urlencode(),
        },
    )


_URGENCY = {
    DeadlineStatus.UNKNOWN: 0,
    DeadlineStatus.OVERDUE: 1,
    DeadlineStatus.DUE_SOON: 2,
    DeadlineStatus.ON_TIME: 3,
    DeadlineStatus.PAUSED: 4,
    DeadlineStatus.WAITING_CORRECTION: 5,
}


def _urgency(info: DeadlineInfo) -> int:
    return _URGENCY.get(info.status, 9)


# --- One request: actions ---------------------------------------------------------------------

# name → (label, states it is offered in)
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "assign": ("指定承办人", tuple(OPEN)),
    "ask_correction": ("告知补正（第三十条）", (RequestState.REGISTERED,)),
    "record_correction": ("登记收到的补正", (RequestState.AWAITING_CORRECTION,)),
    "consultation_start": (
        "征求第三方意见（第三十二条）",
        (RequestState.REGISTERED, RequestState.EXTENDED),
    ),
    "consultation_end": ("第三方意见返回", (RequestState.CONSULTING,)),
    "extend": ("延期答复（第三十三条）", (RequestState.REGISTERED,)),
    "fee": ("决定收取信息处理费", (*OPEN,)),
    "fee_paid": ("登记缴费", tuple(s.value for s in RequestState)),
    "answer": (
        "答复（第三十六条）",
        (RequestState.REGISTERED, RequestState.EXTENDED, RequestState.AWAITING_CORRECTION),
    ),
    "archive": ("归档", (RequestState.ANSWERED,)),
}


def _form_for(name: str, req: DisclosureRequest, data: Any = None) -> forms.Form:
    if name == "assign":
        return AssignForm(data, staff=_unit_staff(req), prefix=name)
    if name == "extend":
        return ExtendForm(data, approvers=_approvers(req), prefix=name)
    classes: dict[str, type[forms.Form]] = {
        "ask_correction": CorrectionAskForm,
        "record_correction": CorrectionForm,
        "consultation_start": ConsultationStartForm,
        "consultation_end": ConsultationEndForm,
        "fee": FeeDecideForm,
        "fee_paid": FeePaidForm,
        "answer": AnswerForm,
        "archive": forms.Form,
    }
    return classes[name](data, prefix=name)


def _offered(name: str, req: DisclosureRequest) -> bool:
    if req.state not in ACTIONS[name][1]:
        return False
    if name == "fee":
        return not req.fee_method
    if name == "fee_paid":
        return bool(req.fee_method) and req.fee_paid_on is None
    if name == "ask_correction":
        return req.correction_asked_on is None
    if name == "extend":
        return not req.extension_days
    return True


def _run(name: str, req: DisclosureRequest, user: Any, data: dict[str, Any]) -> None:
    on = data.get("on")
    runners: dict[str, Callable[[], object]] = {
        "assign": lambda: request_assign(request=req, handler=data["handler"], by=user),
        "ask_correction": lambda: request_ask_correction(
            request=req, by=user, text=data["text"], due_on=data["due_on"]
        ),
        "record_correction": lambda: request_submit_correction(
            request=req, by=user, text=data["text"]
        ),
        "consultation_start": lambda: request_consultation_start(
            request=req, by=user, note=data["note"], on=on
        ),
        "consultation_end": lambda: request_consultation_end(
            request=req, by=user, note=data["note"], on=on
        ),
        "extend": lambda: request_extend(
            request=req,
            by=user,
            approver=data["approver"],
            days=data["days"],
            reason=data["reason"],
            notice=data["notice"],
        ),
        "fee": lambda: request_fee_decide(
            request=req, by=user, method=data["method"], pages=data.get("pages")
        ),
        "fee_paid": lambda: request_fee_paid(request=req, by=user, on=data["on"]),
        "answer": lambda: request_answer(
            request=req,
            by=user,
            reply_type=data["reply_type"],
            outcome=data["outcome"],
            text=data["text"],
            on=on,
        ),
        "archive": lambda: request_archive(request=req, by=user),
    }
    runners[name]()


def _detail(
    request: HttpRequest,
    req: DisclosureRequest,
    *,
    bound: tuple[str, forms.Form] | None = None,
    id_number: str = "",
    status: int = 200,
) -> HttpResponse:
    actions = []
    for name, (label, _) in ACTIONS.items():
        if not _offered(name, req):
            continue
        form = bound[1] if bound and bound[0] == name else _form_for(name, req)
        actions.append({"name": name, "label": label, "form": form})
    today = timezone.localdate()
    return TemplateResponse(
        request,
        TEMPLATES + "detail.html",
        {
            "req": req,
            "info": deadline_info(req, today=today, calendar=workday_calendar()),
            "actions": actions,
            "events": req.events.select_related("actor").all(),
            "id_number": id_number,
        },
        status=status,
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    return _detail(request, get_request_for_staff(request.user, pk))


@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    _staff_only(request)
    req = get_request_for_staff(request.user, pk)
    if name not in ACTIONS:
        raise Http404("没有这项操作。")
    form = _form_for(name, req, request.POST)
    if not form.is_valid():
        messages.error(request, f"“{ACTIONS[name][0]}”未完成：请按提示修改。")
        return _detail(request, req, bound=(name, form), status=400)
    try:
        _run(name, req, request.user, form.cleaned_data)
    except RequestError as error:
        form.add_error(None, str(error))
        messages.error(request, str(error))
        req.refresh_from_db()
        return _detail(request, req, bound=(name, form), status=400)
    messages.success(request, f"已完成：{ACTIONS[name][0]}。")
    return redirect(f"{NAMESPACE}:detail", req.pk)


@require_POST
def id_number(request: HttpRequest, pk: int) -> HttpResponse:
    """Shows the decrypted ID number on this response only; the view is logged."""
    _staff_only(request)
    req = get_request_for_staff(request.user, pk)
    try:
        number = request_view_id_number(request=req, by=request.user)
    except RequestError as error:
        raise PermissionDenied(str(error)) from error
    except IdNumberUnreadable as error:
        messages.error(request, str(error))
        return _detail(request, req, status=500)
    messages.warning(request, "证件号码仅供核实申请人身份，本次查看已记入办理记录。")
    response = _detail(request, req, id_number=number)
    response["Cache-Control"] = "no-store"
    return response


def register(request: HttpRequest) -> HttpResponse:
    """Entering a paper, in-person or fax request (第三十一条 receipt day)."""
    _staff_only(request)
    own_unit: int | None = getattr(request.user, "unit_id", None)
    if user_has_role(request.user, Role.OPERATOR):
        units = Unit.objects.all()
    elif own_unit is not None:
        units = Unit.objects.filter(pk=own_unit)
    else:
        units = Unit.objects.none()
    form = RegisterForm(request.POST or None, units=units, today=timezone.localdate())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created, code = request_register(
                    applicant=form.applicant(),
                    unit=form.cleaned_data["unit"],
                    intake_channel=form.cleaned_data["intake_channel"],
                    received_on=form.cleaned_data["received_on"],
                    by=request.user,
                    form_token=form.cleaned_data["form_token"],
                )
            except RequestError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(
                    request,
                    f"已登记，申请编号 {created.tracking_number}，查询码 {code}"
                    "（仅显示一次，请告知申请人）。",
                )
                return redirect(f"{NAMESPACE}:detail", created.pk)
        else:
            status = 400
    return TemplateResponse(request, TEMPLATES + "register.html", {"form": form}, status=status)


def admin_urlpatterns() -> list[Any]:
    return [
        path("", queue, name="queue"),
        path("new/", register, name="register"),
        path("<int:pk>/", detail, name="detail"),
        path("<int:pk>/id-number/", id_number, name="id_number"),
        path("<int:pk>/do/<str:name>/", action, name="action"),
    ]


@hooks.register("register_admin_urls")
def register_request_admin_urls() -> list[Any]:
    return [path("disclosure-requests/", include((admin_urlpatterns(), NAMESPACE)))]


class RequestQueueMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return is_request_staff(request.user)


@hooks.register("register_admin_menu_item")
def request_queue_menu_item() -> MenuItem:
    return RequestQueueMenuItem(
        "依申请公开",
        reverse_lazy(f"{NAMESPACE}:queue"),
        name="disclosure-requests",
        icon_name="mail",
        order=310,
    )


class RequestDeadlinePanel(Component):  # type: ignore[misc]
    """Home panel: how many of the user's open requests are overdue or due soon."""

    name = "disclosure_requests"
    template_name = TEMPLATES + "home_panel.html"
    order = 75

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: Mapping[str, Any] | None) -> dict[str, Any]:
        today = timezone.localdate()
        calendar = workday_calendar()
        requests = requests_for_staff(self.user).filter(state__in=OPEN).prefetch_related("events")
        infos = [deadline_info(req, today=today, calendar=calendar) for req in requests]
        count = Counter(info.status for info in infos)
        return {
            "open_count": len(infos),
            "overdue": count[DeadlineStatus.OVERDUE],
            "due_soon": count[DeadlineStatus.DUE_SOON],
            "calendar_error": next((info.error for info in infos if info.error), ""),
            "queue_url": reverse_lazy(f"{NAMESPACE}:queue"),
        }


@hooks.register("construct_homepage_panels")
def request_deadline_panel(request: HttpRequest, panels: list[Any]) -> None:
    if is_request_staff(request.user):
        panels.append(RequestDeadlinePanel(request.user))
