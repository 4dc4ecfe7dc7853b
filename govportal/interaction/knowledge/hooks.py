"""Admin screens of the knowledge part (loaded by interaction/wagtail_hooks.py): the knowledge
base entries (with the 待复核 filter for entries past their validity), the topics, the questions
the answer bot could not answer, “新建知识库条目（来自留言）” and the dashboard panel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from govportal.interaction.knowledge import services
from govportal.interaction.models import KnowledgeEntry, KnowledgeTopic, UnansweredQuestion

NAMESPACE = "knowledge_admin"
PREFILL_PARAMS = ("question", "answer", "unit", "source", "unanswered")
REVIEW_DUE = "expired"


class KnowledgeEntryFilterSet(WagtailFilterSet):
    review = django_filters.ChoiceFilter(
        label="有效期",
        choices=[(REVIEW_DUE, "已过有效期（待复核）"), ("valid", "有效期内")],
        method="filter_review",
        empty_label="全部",
    )

    class Meta:
        model = KnowledgeEntry
        fields = ["topic", "unit", "live"]

    def filter_review(
        self, queryset: QuerySet[KnowledgeEntry], name: str, value: str
    ) -> QuerySet[KnowledgeEntry]:
        today = timezone.localdate()
        due = services.entries_review_due(today=today).values("pk")
        if value == REVIEW_DUE:
            return queryset.filter(pk__in=due)
        if value == "valid":
            return queryset.exclude(pk__in=due)
        return queryset


class KnowledgeEntryCreateView(CreateView):
    """The ordinary create form, pre-filled from `?question=&answer=&unit=&source=` (an answered
    message), so that the editor checks and edits the text before saving (第十条(二))."""

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_initial()
        if self.request.method == "GET":
            initial.update(services.entry_prefill(self.request.GET))
        return initial

    def _unanswered(self) -> UnansweredQuestion | None:
        pk = str(self.request.GET.get("unanswered", ""))
        if not pk.isdigit():
            return None
        return UnansweredQuestion.objects.filter(pk=int(pk)).first()

    def get_add_url(self) -> str:
        # The form posts back with ?unanswered=<pk>, so saving can close that question.
        url: str = super().get_add_url()
        question = self._unanswered()
        if question is not None:
            url += ("&" if "?" in url else "?") + urlencode({"unanswered": question.pk})
        return url

    def save_instance(self) -> KnowledgeEntry:
        instance: KnowledgeEntry = super().save_instance()
        question = self._unanswered()
        if question is not None and question.status == UnansweredQuestion.Status.OPEN:
            services.unanswered_handle(
                question=question,
                status=UnansweredQuestion.Status.ADDED,
                user=self.request.user,
                note=f"已写入知识库：{instance.question}",
            )
        return instance


class ValidUntilColumn(Column):
    cell_template_name = "interaction/knowledge/admin/valid_until_cell.html"

    def get_cell_context_data(
        self, instance: KnowledgeEntry, parent_context: Mapping[str, Any]
    ) -> dict[str, Any]:
        context: dict[str, Any] = super().get_cell_context_data(instance, parent_context)
        context["expired"] = instance.is_expired(timezone.localdate())
        return context


class AddToKnowledgeColumn(Column):
    cell_template_name = "interaction/knowledge/admin/add_entry_cell.html"

    def get_cell_context_data(
        self, instance: UnansweredQuestion, parent_context: Mapping[str, Any]
    ) -> dict[str, Any]:
        context: dict[str, Any] = super().get_cell_context_data(instance, parent_context)
        context["url"] = (
            reverse(f"{NAMESPACE}:entry_from_message")
            + "?"
            + urlencode({"question": instance.text})
        )
        return context


class KnowledgeEntryViewSet(SnippetViewSet):
    model = KnowledgeEntry
    icon = "help"
    menu_label = "知识库条目"
    add_view_class = KnowledgeEntryCreateView
    list_display = [
        "question",
        Column("topic", label="主题"),
        Column("unit", label="答复单位"),
        Column("views", label="关注度", sort_key="views"),
        ValidUntilColumn("valid_until", label="有效期至", sort_key="valid_until"),
        Column("live", label="公开"),
        Column("updated_at", label="更新时间", sort_key="updated_at"),
    ]
    filterset_class = KnowledgeEntryFilterSet
    search_fields = ["question", "answer", "keywords"]
    ordering = ["-views", "-pk"]


class KnowledgeTopicViewSet(SnippetViewSet):
    model = KnowledgeTopic
    icon = "tag"
    menu_label = "知识库主题"
    list_display = ["name", "slug", "sort_order"]


class UnansweredQuestionEditView(EditView):
    """Editing a logged question is handling it: through the service, which records who."""

    def save_instance(self) -> UnansweredQuestion:
        question: UnansweredQuestion = self.form.instance
        handled = services.unanswered_handle(
            question=question,
            status=question.status,
            user=self.request.user,
            note=question.note,
        )
        log(instance=handled, action="wagtail.edit", content_changed=True)
        return handled


class UnansweredQuestionViewSet(SnippetViewSet):
    model = UnansweredQuestion
    edit_view_class = UnansweredQuestionEditView
    icon = "warning"
    menu_label = "未能回答的问题"
    list_display = [
        "text",
        Column("count", label="提问次数", sort_key="count"),
        Column("last_asked_at", label="最近提问", sort_key="last_asked_at"),
        Column("status", label="处理状态"),
        AddToKnowledgeColumn("add", label="操作"),
    ]
    list_filter = ["status"]
    search_fields = ["text"]
    ordering = ["-count", "-last_asked_at"]


class KnowledgeViewSetGroup(SnippetViewSetGroup):
    menu_label = "知识库"
    menu_icon = "help"
    menu_name = "knowledge"
    menu_order = 340
    items = (KnowledgeEntryViewSet, KnowledgeTopicViewSet, UnansweredQuestionViewSet)


register_snippet(KnowledgeViewSetGroup)


def entry_from_message(request: HttpRequest) -> HttpResponse:
    """新建知识库条目（来自留言）: the mailbox links here with the answered message's question,
    answer, unit and link; the editor lands on the create form, filled in, and saves."""
    if not request.user.has_perm("interaction.add_knowledgeentry"):
        raise PermissionDenied
    url = reverse(KnowledgeEntry.snippet_viewset.get_url_name("add"))  # type: ignore[attr-defined]
    params = {k: request.GET[k][:5000] for k in PREFILL_PARAMS if request.GET.get(k)}
    return redirect(f"{url}?{urlencode(params)}" if params else url)


@hooks.register("register_admin_urls")
def knowledge_admin_urls() -> list[Any]:
    from django.urls import include

    urls = [path("from-message/", entry_from_message, name="entry_from_message")]
    return [path("knowledge/", include((urls, NAMESPACE)))]


class KnowledgePanel(Component):
    """Dashboard: entries past their validity (待复核) and open unanswered questions."""

    name = "knowledge_review"
    order = 160
    template_name = "interaction/knowledge/admin/home_panel.html"

    def __init__(self, *, due: int, unanswered: int) -> None:
        self.due = due
        self.unanswered = unanswered

    def get_context_data(self, parent_context: Mapping[str, Any] | None) -> dict[str, Any]:
        entries_url = reverse(KnowledgeEntry.snippet_viewset.get_url_name("list"))  # type: ignore[attr-defined]
        questions_url = reverse(UnansweredQuestion.snippet_viewset.get_url_name("list"))  # type: ignore[attr-defined]
        return {
            "due": self.due,
            "unanswered": self.unanswered,
            "due_url": f"{entries_url}?review={REVIEW_DUE}",
            "unanswered_url": f"{questions_url}?status={UnansweredQuestion.Status.OPEN}",
        }


@hooks.register("construct_homepage_panels")
def knowledge_panel(request: HttpRequest, panels: list[Any]) -> None:
    if not request.user.has_perm("interaction.change_knowledgeentry"):
        return
    due = services.entries_review_due(today=timezone.localdate()).count()
    unanswered = UnansweredQuestion.objects.filter(status=UnansweredQuestion.Status.OPEN).count()
    if due or unanswered:
        panels.append(KnowledgePanel(due=due, unanswered=unanswered))
