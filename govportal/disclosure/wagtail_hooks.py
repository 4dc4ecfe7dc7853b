"""Admin screens: the disclosure vocabularies as snippets under one menu group."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from govportal.disclosure.models import CatalogueItem, Genre, Topic


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
