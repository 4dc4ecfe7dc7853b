"""Admin screens of the interviews part (loaded by interaction/wagtail_hooks.py): the interview
editor (a snippet with guests and pictures inline), the list and the host console."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from govportal.interaction.interviews import admin_views
from govportal.interaction.models.interviews import Interview


class InterviewViewSet(SnippetViewSet):
    model = Interview
    icon = "media"
    menu_label = "在线访谈（编辑）"
    add_to_admin_menu = False
    list_display = ["title", "starts_at", "state", "published"]
    list_filter = ["state", "published"]
    search_fields = ["title"]
    ordering = ["-starts_at"]


register_snippet(InterviewViewSet)


@hooks.register("register_admin_urls")
def interview_admin_urls() -> list[Any]:
    return [
        path("interviews/", include((admin_views.admin_urlpatterns(), admin_views.NAMESPACE))),
    ]


class InterviewMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(admin_views.HOST))


@hooks.register("register_admin_menu_item")
def interview_menu() -> MenuItem:
    return InterviewMenuItem(
        "在线访谈",
        reverse(f"{admin_views.NAMESPACE}:index"),
        name="interviews",
        icon_name="media",
        order=340,
    )
