"""Public pages of 征集调查: the list, a survey (answer form, draft with comments, results and
feedback once closed) and the two form posts."""

from __future__ import annotations

from typing import Any

from django.core.signing import BadSignature
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from govportal.interaction.models.surveys import CommentStatus, Survey, SurveyPhase
from govportal.interaction.surveys import services
from govportal.interaction.surveys.antispam import client_ip
from govportal.interaction.surveys.forms import AnswerForm, CommentForm
from govportal.interaction.surveys.results import charts, survey_results
from govportal.interaction.surveys.rules import draft_articles

COOKIE_MAX_AGE = 365 * 24 * 3600


def _cookie_name(survey: Survey) -> str:
    return f"survey_{survey.pk}"


def answered_before(request: HttpRequest, survey: Survey) -> bool:
    """The signed cookie set after answering: tampered or foreign values count as absent."""
    try:
        value = request.get_signed_cookie(
            _cookie_name(survey), salt="govportal.surveys", max_age=COOKIE_MAX_AGE
        )
    except (KeyError, BadSignature):
        return False
    return value == "1"


def _public_survey(pk: int) -> Survey:
    return get_object_or_404(Survey, pk=pk, published=True)


@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    surveys = list(Survey.objects.filter(published=True).select_related("unit"))
    groups: dict[str, list[Survey]] = {"open": [], "not_open": [], "closed": []}
    for survey in surveys:
        groups[survey.phase(now).value].append(survey)
    return render(
        request,
        "interaction/surveys/list.html",
        {"groups": groups, "now": now},
    )


def _detail_context(request: HttpRequest, survey: Survey, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    phase = survey.phase(now)
    context: dict[str, Any] = {
        "survey": survey,
        "phase": phase,
        "Phase": SurveyPhase,
        "answered_before": answered_before(request, survey),
        "articles": draft_articles(survey.draft_text) if survey.is_consultation else [],
        "comments": list(survey.comments.filter(status=CommentStatus.APPROVED)),
        "has_questions": survey.questions.exists(),
    }
    if phase == SurveyPhase.OPEN:
        context.setdefault("answer_form", AnswerForm(survey))
        context.setdefault("comment_form", CommentForm(survey))
    if phase == SurveyPhase.CLOSED:
        context["results"] = charts(survey_results(survey), prefix=f"s{survey.pk}")
        context["responses"] = survey.responses.count()
    context.update(extra)
    return context


@require_GET
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _public_survey(pk)
    return render(request, "interaction/surveys/detail.html", _detail_context(request, survey))


def _refused(
    request: HttpRequest, survey: Survey, form: Any, exc: services.SurveyRefused, **extra: Any
) -> HttpResponse:
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)
    return render(
        request,
        "interaction/surveys/detail.html",
        _detail_context(request, survey, **extra),
        status=400,
    )


@require_POST
def survey_answer(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _public_survey(pk)
    form = AnswerForm(survey, request.POST)
    if not form.is_valid():
        context = _detail_context(request, survey, answer_form=form)
        return render(request, "interaction/surveys/detail.html", context, status=400)
    token = form.cleaned_data["token"]
    if answered_before(request, survey) and not survey.responses.filter(token=token).exists():
        exc = services.SurveyRefused("您已参与过本次调查，感谢您的支持。")
        return _refused(request, survey, form, exc, answer_form=form)
    try:
        result = services.survey_answer(
            survey=survey,
            answers=form.answers(),
            token=token,
            ip=client_ip(request),
            phone=form.cleaned_data.get("phone", ""),
            now=timezone.now(),
        )
    except services.SurveyRefused as exc:
        return _refused(request, survey, form, exc, answer_form=form)
    response = render(
        request,
        "interaction/surveys/thanks.html",
        {"survey": survey, "what": "答卷", "repeat": not result.created},
    )
    response.set_signed_cookie(
        _cookie_name(survey),
        "1",
        salt="govportal.surveys",
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
    )
    return response


@require_POST
def comment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _public_survey(pk)
    form = CommentForm(survey, request.POST)
    if not form.is_valid():
        context = _detail_context(request, survey, comment_form=form)
        return render(request, "interaction/surveys/detail.html", context, status=400)
    try:
        _, created = services.comment_submit(
            survey=survey,
            article=form.cleaned_data["article"],
            content=form.cleaned_data["content"],
            nickname=form.cleaned_data["nickname"].strip(),
            token=form.cleaned_data["token"],
            ip=client_ip(request),
            now=timezone.now(),
        )
    except services.SurveyRefused as exc:
        return _refused(request, survey, form, exc, comment_form=form)
    return render(
        request,
        "interaction/surveys/thanks.html",
        {"survey": survey, "what": "意见", "repeat": not created, "moderated": True},
    )
