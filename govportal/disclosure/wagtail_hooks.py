"""Admin screens: the disclosure vocabularies as snippets under one menu group, and
“与解读一并发布” for 需同步解读 policy documents (第十条(三))."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from govportal.content.review import approved_revision, user_can_publish
from govportal.content.review_hooks import ReviewLinkMenuItem
from govportal.disclosure import admin_views
from govportal.disclosure.models import CatalogueItem, Genre, PolicyDocumentPage, Topic

NAMESPACE = "govportal_disclosure"


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "code", "sort_order"]


class GenreViewSet(SnippetViewSet):
    model = Genre
    icon = "doc-full"
    list_display = ["name", "code", "sort_order"]


class CatalogueItemViewSet(SnippetViewSet):
    model = CatalogueItem
    icon = "list-ul"
    list_display = ["name", "article", "number", "code"]


class DisclosureViewSetGroup(SnippetViewSetGroup):
    menu_label = "政务公开"
    menu_icon = "folder-open-inverse"
    items = (TopicViewSet, GenreViewSet, CatalogueItemViewSet)


register_snippet(DisclosureViewSetGroup)


@hooks.register("register_admin_urls")
def register_disclosure_urls() -> list[Any]:
    return [path("disclosure/", include((admin_views.admin_urlpatterns(), NAMESPACE)))]


@hooks.register("construct_page_action_menu")
def publish_together_menu_item(menu_items: list[Any], request: HttpRequest, context: Any) -> None:
    """A 需同步解读 document that cannot go alone offers “与解读一并发布” instead of the
    ordinary publish screen, which would refuse it (第十条(三))."""
    page = context.get("page")
    if context.get("view") != "edit" or page is None:
        return
    document = page.specific
    if not isinstance(document, PolicyDocumentPage) or admin_views.can_go_alone(document):
        return
    if not user_can_publish(document, request.user) or approved_revision(document) is None:
        return
    menu_items[:] = [item for item in menu_items if item.name != "review-publish"]
    menu_items.append(
        ReviewLinkMenuItem(
            name="publish-together",
            label="与解读一并发布",
            url=reverse(f"{NAMESPACE}:publish_together", args=[document.pk]),
            icon="upload",
            order=6,
        )
    )
    menu_items.sort(key=lambda item: item.order)


from govportal.disclosure import request_admin  # noqa: E402, F401  (依申请公开 admin screens)
