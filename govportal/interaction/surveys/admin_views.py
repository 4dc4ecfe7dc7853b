"""Admin screens of 征集调查: the overview, a survey's results with its feedback form and the
close button, the comment moderation queue, and the dashboard panel of open feedback deadlines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component

from govportal.checks.engine import check
from govportal.interaction.models.surveys import CommentStatus, ConsultationComment, Survey
from govportal.interaction.surveys import services
from govportal.interaction.surveys.forms import FeedbackForm
from govportal.interaction.surveys.results import charts, comment_counts, survey_results

NAMESPACE = "surveys_admin"
MANAGE = "interaction.change_survey"
MODERATE = "interaction.change_consultationcomment"


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def survey_index(request: HttpRequest) -> HttpResponse:
    _require(request, MANAGE)
    now = timezone.now()
    today = timezone.localdate(now)
    rows = []
    for survey in Survey.objects.select_related("unit"):
        due = services.survey_feedback_due(survey, today=today)
        rows.append(
            {
                "survey": survey,
                "phase": survey.phase(now),
                "responses": survey.responses.count(),
                "pending": survey.comments.filter(status=CommentStatus.PENDING).count(),
                "due": due,
            }
        )
    return TemplateResponse(request, "interaction/surveys/admin/index.html", {"rows": rows})


def survey_results_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, MANAGE)
    survey = get_object_or_404(Survey, pk=pk)
    now = timezone.now()
    form = FeedbackForm(request.POST or None, initial={"text": survey.feedback_text})
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_feedback_publish(
                survey=survey, text=form.cleaned_data["text"], by=request.user, now=now
            )
        except services.SurveyRefused as exc:
            form.add_error("text" if exc.field else None, exc.message)
        else:
            messages.success(request, f"“{survey.title}”的采纳情况反馈已发布。")
            return redirect(f"{NAMESPACE}:results", pk=survey.pk)
    summaries = survey_results(survey, with_texts=True)
    context = {
        "survey": survey,
        "phase": survey.phase(now),
        "responses": survey.responses.count(),
        "results": charts(summaries, prefix=f"admin-s{survey.pk}"),
        "comment_counts": comment_counts(survey) if survey.is_consultation else [],
        "due": services.survey_feedback_due(survey, today=timezone.localdate(now)),
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request, "interaction/surveys/admin/results.html", context, status=status
    )


@require_POST
def survey_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, MANAGE)
    survey = get_object_or_404(Survey, pk=pk)
    try:
        services.survey_close(survey=survey, now=timezone.now())
    except services.SurveyRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{survey.title}”已结束征集。请在1个月内发布采纳情况反馈。")
    return redirect(f"{NAMESPACE}:results", pk=survey.pk)


def comment_queue(request: HttpRequest) -> HttpResponse:
    _require(request, MODERATE)
    pending = list(
        ConsultationComment.objects.filter(status=CommentStatus.PENDING)
        .select_related("survey")
        .order_by("submitted_at", "pk")[:200]
    )
    # The content checks flag what the moderator should look at twice (错敏词, personal data).
    rows = [(comment, check(comment.content, html=False)) for comment in pending]
    return TemplateResponse(request, "interaction/surveys/admin/comments.html", {"rows": rows})


@require_POST
def comment_moderate_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, MODERATE)
    comment = get_object_or_404(ConsultationComment, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.comment_moderate(
            comment=comment, approve=approve, by=request.user, now=timezone.now()
        )
    except services.SurveyRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "意见已公开。" if approve else "意见已标记为不予公开。")
    return redirect(f"{NAMESPACE}:comments")


def admin_urlpatterns() -> list[Any]:
    return [
        path("", survey_index, name="index"),
        path("<int:pk>/results/", survey_results_view, name="results"),
        path("<int:pk>/close/", survey_close_view, name="close"),
        path("comments/", comment_queue, name="comments"),
        path("comments/<int:pk>/", comment_moderate_view, name="moderate"),
    ]


class FeedbackDuePanel(Component):
    """第十条(一): every ended survey whose 采纳情况 is not yet published, until it is."""

    name = "survey_feedback_due"
    order = 120
    template_name = "interaction/surveys/admin/feedback_panel.html"

    def __init__(self, rows: list[tuple[Survey, Any]]) -> None:
        self.rows = rows

    def get_context_data(self, parent_context: Mapping[str, Any] | None) -> dict[str, Any]:
        return {
            "rows": [
                {"survey": s, "due": due, "url": reverse(f"{NAMESPACE}:results", args=[s.pk])}
                for s, due in self.rows
            ]
        }


def construct_homepage_panels(request: HttpRequest, panels: list[Any]) -> None:
    if not request.user.has_perm(MANAGE):
        return
    rows = services.feedback_open(now=timezone.now())
    if rows:
        panels.append(FeedbackDuePanel(rows))
