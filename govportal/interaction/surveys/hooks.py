"""Admin screens of the surveys part (loaded by interaction/wagtail_hooks.py): the survey
builder (a snippet with its questions inline), the overview with results and feedback, the
comment moderation queue, and the dashboard panel of feedback deadlines (第十条(一))."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from govportal.interaction.models.surveys import Survey
from govportal.interaction.surveys import admin_views


class SurveyViewSet(SnippetViewSet):
    model = Survey
    icon = "form"
    menu_label = "问卷与征集（编辑）"
    add_to_admin_menu = False
    list_display = ["title", "kind", "opens_at", "closes_at", "published"]
    list_filter = ["kind", "published"]
    search_fields = ["title"]
    ordering = ["-opens_at"]


register_snippet(SurveyViewSet)


@hooks.register("register_admin_urls")
def survey_admin_urls() -> list[Any]:
    return [
        path("surveys/", include((admin_views.admin_urlpatterns(), admin_views.NAMESPACE))),
    ]


class _PermMenuItem(MenuItem):
    def __init__(self, *args: Any, perm: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.perm = perm

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(self.perm))


@hooks.register("register_admin_menu_item")
def survey_menu() -> SubmenuMenuItem:
    menu = Menu(
        items=[
            _PermMenuItem(
                "征集调查一览",
                reverse(f"{admin_views.NAMESPACE}:index"),
                name="survey-index",
                icon_name="form",
                order=1,
                perm=admin_views.MANAGE,
            ),
            _PermMenuItem(
                "新建征集调查",
                reverse("wagtailsnippets_interaction_survey:add"),
                name="survey-add",
                icon_name="plus",
                order=2,
                perm="interaction.add_survey",
            ),
            _PermMenuItem(
                "意见审核",
                reverse(f"{admin_views.NAMESPACE}:comments"),
                name="survey-comments",
                icon_name="comment",
                order=3,
                perm=admin_views.MODERATE,
            ),
        ]
    )
    return SubmenuMenuItem("征集调查", menu, name="surveys", icon_name="form", order=330)


hooks.register("construct_homepage_panels", admin_views.construct_homepage_panels)
