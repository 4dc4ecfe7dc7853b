"""Admin screens of 在线访谈: the list and the host console (moderate questions, start and end
the live interview, publish question–answer pairs)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from govportal.checks.engine import check
from govportal.interaction.interviews import services
from govportal.interaction.interviews.forms import AnswerForm, PairForm
from govportal.interaction.models.interviews import (
    Interview,
    InterviewQuestion,
    InterviewState,
    QuestionStatus,
)

NAMESPACE = "interviews_admin"
HOST = "interaction.change_interview"


def _require(request: HttpRequest) -> None:
    if not request.user.has_perm(HOST):
        raise PermissionDenied


def interview_index(request: HttpRequest) -> HttpResponse:
    _require(request)
    rows = [
        {
            "interview": interview,
            "pending": interview.questions.filter(status=QuestionStatus.PENDING).count(),
            "answered": interview.questions.filter(status=QuestionStatus.ANSWERED).count(),
        }
        for interview in Interview.objects.select_related("unit")
    ]
    return TemplateResponse(request, "interaction/interviews/admin/index.html", {"rows": rows})


def _console(
    request: HttpRequest,
    interview: Interview,
    *,
    answer_forms: dict[int, AnswerForm] | None = None,
    pair_form: PairForm | None = None,
    status: int = 200,
) -> HttpResponse:
    questions = list(interview.questions.order_by("submitted_at", "pk"))
    answer_forms = answer_forms or {}
    approved = [
        (q, answer_forms.get(q.pk) or AnswerForm(interview, prefix=f"q{q.pk}"))
        for q in questions
        if q.status == QuestionStatus.APPROVED
    ]
    context = {
        "interview": interview,
        "State": InterviewState,
        # The content checks flag what the moderator should look at twice (错敏词, personal data).
        "pending": [
            (q, check(q.content, html=False))
            for q in questions
            if q.status == QuestionStatus.PENDING
        ],
        "approved": approved,
        "answered": services.published_pairs(interview),
        "rejected": [q for q in questions if q.status == QuestionStatus.REJECTED],
        "pair_form": pair_form or PairForm(interview),
    }
    return TemplateResponse(
        request, "interaction/interviews/admin/console.html", context, status=status
    )


def _question(request: HttpRequest, interview: Interview) -> InterviewQuestion:
    raw = request.POST.get("question", "")
    if not raw.isdigit():
        raise Http404("没有这个问题。")
    return get_object_or_404(InterviewQuestion, pk=int(raw), interview=interview)


def interview_console(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    interview = get_object_or_404(Interview, pk=pk)
    if request.method != "POST":
        return _console(request, interview)
    action = request.POST.get("action", "")
    now = timezone.now()
    try:
        if action == "start":
            services.interview_start(interview=interview, now=now)
            messages.success(request, "直播已开始，网页上的访谈进入文字直播状态。")
        elif action == "end":
            services.interview_end(interview=interview, now=now)
            messages.success(request, "访谈已结束，网页已转为文字实录。")
        elif action in ("approve", "reject"):
            question = _question(request, interview)
            services.question_moderate(
                question=question, approve=action == "approve", by=request.user, now=now
            )
        elif action == "answer":
            question = _question(request, interview)
            form = AnswerForm(interview, request.POST, prefix=f"q{question.pk}")
            if not form.is_valid():
                return _console(request, interview, answer_forms={question.pk: form}, status=400)
            try:
                services.question_answer(
                    question=question,
                    answer=form.cleaned_data["answer"],
                    guest=form.cleaned_data["guest"],
                    now=now,
                )
            except services.InterviewRefused as exc:
                form.add_error(None, exc.message)
                return _console(request, interview, answer_forms={question.pk: form}, status=400)
            messages.success(request, "问答已发布。")
        elif action == "pair":
            pair_form = PairForm(interview, request.POST)
            if not pair_form.is_valid():
                return _console(request, interview, pair_form=pair_form, status=400)
            try:
                services.pair_publish(
                    interview=interview,
                    question=pair_form.cleaned_data["question"],
                    answer=pair_form.cleaned_data["answer"],
                    guest=pair_form.cleaned_data["guest"],
                    token=pair_form.cleaned_data["token"],
                    now=now,
                )
            except services.InterviewRefused as exc:
                pair_form.add_error(None, exc.message)
                return _console(request, interview, pair_form=pair_form, status=400)
            messages.success(request, "问答已发布。")
        else:
            messages.error(request, "未知的操作。")
    except services.InterviewRefused as exc:
        messages.error(request, exc.message)
    return redirect(f"{NAMESPACE}:console", pk=interview.pk)


def admin_urlpatterns() -> list[Any]:
    return [
        path("", interview_index, name="index"),
        path("<int:pk>/console/", interview_console, name="console"),
    ]
