"""Public pages of the knowledge part: the knowledge base (list and entry) and the answer bot."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from govportal.core.ratelimit import client_ip, limit_hit
from govportal.interaction.knowledge import bot, services
from govportal.interaction.knowledge.forms import AskForm, EntryFilterForm
from govportal.interaction.models import KnowledgeEntry, KnowledgeTopic

# A client may log at most this many unanswered questions an hour: the list is for editors, and
# a script must not be able to fill it.
UNANSWERED_PER_IP_HOUR = 30


def _unanswered_allowed(request: HttpRequest) -> bool:
    return limit_hit(
        "knowledge-unanswered",
        client_ip(request) or "unknown",
        limit=UNANSWERED_PER_IP_HOUR,
        window=3600,
    )


def entry_list(request: HttpRequest) -> HttpResponse:
    form = EntryFilterForm(request.GET or None)
    entries = KnowledgeEntry.objects.filter(live=True).select_related("topic", "unit")
    topic: KnowledgeTopic | None = None
    sort = "hot"
    status = 200
    if form.is_bound:
        if form.is_valid():
            topic = form.cleaned_data["topic"]
            sort = form.cleaned_data["sort"] or "hot"
        else:
            status = 400
    if topic is not None:
        entries = entries.filter(topic=topic)
    entries = (
        entries.order_by("-updated_at", "-pk")
        if sort == "new"
        else entries.order_by("-views", "-pk")
    )
    page_obj = Paginator(entries, 20).get_page(request.GET.get("page"))
    query = f"topic={topic.slug}&sort={sort}&" if topic else f"sort={sort}&"
    return render(
        request,
        "interaction/knowledge/entry_list.html",
        {
            "form": form,
            "topics": list(KnowledgeTopic.objects.all()),
            "topic": topic,
            "page_obj": page_obj,
            "extra_query": query,
            "today": timezone.localdate(),
            "ask_form": AskForm(),
        },
        status=status,
    )


def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = KnowledgeEntry.objects.filter(pk=pk, live=True).select_related("topic", "unit").first()
    if entry is None:
        raise Http404("没有找到这条知识库内容。")
    services.entry_view_count(entry_id=entry.pk)
    today = timezone.localdate()
    return render(
        request,
        "interaction/knowledge/entry_detail.html",
        {"entry": entry, "expired": entry.is_expired(today), "ask_form": AskForm()},
    )


def ask(request: HttpRequest) -> HttpResponse:
    """The answer bot: a GET form (like a search), so it works without JavaScript and a link to
    an answer can be shared; `fragment=1` returns only the answer for the widget's script."""
    fragment = request.GET.get("fragment") == "1"
    form = AskForm(request.GET if "q" in request.GET else None)
    context: dict[str, Any] = {"form": form, "answer": None}
    status = 200
    if form.is_bound:
        if form.is_valid():
            result = bot.answer(form.cleaned_data["q"], today=timezone.localdate())
            context["answer"] = result
            if not result.answered and result.understood and _unanswered_allowed(request):
                services.unanswered_record(text=result.question, now=timezone.now())
        else:
            status = 400
    template = (
        "interaction/knowledge/_answer.html" if fragment else "interaction/knowledge/ask.html"
    )
    return render(request, template, context, status=status)
