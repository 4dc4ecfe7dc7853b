"""Public pages of 在线访谈: the list, an interview (preview, live page, archived transcript),
the question form post, and the JSON feed the live page polls."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from govportal.interaction.interviews import services
from govportal.interaction.interviews.forms import QuestionForm
from govportal.interaction.models.interviews import Interview, InterviewState
from govportal.interaction.surveys.antispam import client_ip

# How often the live page asks for new pairs; the feed tells the page, so it can be tuned here.
POLL_SECONDS = 5


def _public(pk: int) -> Interview:
    return get_object_or_404(Interview, pk=pk, published=True)


@require_GET
def interview_list(request: HttpRequest) -> HttpResponse:
    interviews = list(Interview.objects.filter(published=True).select_related("unit"))
    groups: dict[str, list[Interview]] = {state: [] for state in InterviewState.values}
    for interview in interviews:
        groups[interview.state].append(interview)
    groups[InterviewState.UPCOMING].sort(key=lambda i: i.starts_at)
    return render(request, "interaction/interviews/list.html", {"groups": groups})


def _detail_context(interview: Interview, **extra: Any) -> dict[str, Any]:
    pairs = services.published_pairs(interview)
    context: dict[str, Any] = {
        "interview": interview,
        "State": InterviewState,
        "guests": list(interview.guests.all()),
        "images": list(interview.images.select_related("image")),
        "pairs": pairs,
        "last_sequence": pairs[-1].sequence if pairs else 0,
        "poll_seconds": POLL_SECONDS,
    }
    if interview.accepts_questions:
        context.setdefault("form", QuestionForm())
    context.update(extra)
    return context


@require_GET
@never_cache
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = _public(pk)
    return render(request, "interaction/interviews/detail.html", _detail_context(interview))


@require_POST
def question_submit(request: HttpRequest, pk: int) -> HttpResponse:
    interview = _public(pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            _, created = services.question_submit(
                interview=interview,
                content=form.cleaned_data["content"],
                nickname=form.cleaned_data["nickname"].strip(),
                token=form.cleaned_data["token"],
                ip=client_ip(request),
                now=timezone.now(),
            )
        except services.InterviewRefused as exc:
            form.add_error(None, exc.message)
        else:
            return render(
                request,
                "interaction/interviews/thanks.html",
                {"interview": interview, "repeat": not created},
            )
    context = _detail_context(interview, form=form)
    return render(request, "interaction/interviews/detail.html", context, status=400)


@require_GET
@never_cache
def live_feed(request: HttpRequest, pk: int) -> JsonResponse:
    """Pairs published after `?after=<sequence>`, and the state (so the page notices the end).

    Plain text only: the page inserts it with textContent, never as HTML.
    """
    interview = _public(pk)
    try:
        after = max(0, int(request.GET.get("after", "0")))
    except ValueError:
        return JsonResponse({"error": "after 参数应为整数。"}, status=400)
    pairs = services.published_pairs(interview, after=after)
    return JsonResponse(
        {
            "state": interview.state,
            "state_label": interview.get_state_display(),
            "poll_seconds": POLL_SECONDS,
            "pairs": [
                {
                    "sequence": p.sequence,
                    "asker": p.nickname or "网友",
                    "question": p.content,
                    "answerer": p.answerer,
                    "answer": p.answer,
                    "answered_at": timezone.localtime(p.answered_at).strftime("%H:%M")
                    if p.answered_at
                    else "",
                }
                for p in pairs
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
