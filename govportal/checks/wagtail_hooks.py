from functools import cached_property
from typing import Any

from django.urls import path, reverse
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, IndexView, SnippetViewSet

from govportal.checks import views
from govportal.checks.models import LexiconEntry


class LexiconIndexView(IndexView):
    @cached_property
    def header_more_buttons(self) -> list[Any]:
        buttons = list(super().header_more_buttons)
        user = self.request.user
        if user.has_perm("checks.add_lexiconentry") and user.has_perm("checks.change_lexiconentry"):
            buttons.append(
                Button(
                    "导入词库",
                    url=reverse("checks_lexicon:import"),
                    icon_name="upload",
                    priority=100,
                )
            )
        buttons += [
            Button(
                "导出 Excel",
                url=reverse("checks_lexicon:export_xlsx"),
                icon_name="download",
                priority=110,
            ),
            Button(
                "导出文本",
                url=reverse("checks_lexicon:export_txt"),
                icon_name="download",
                priority=120,
            ),
        ]
        return buttons


class LexiconCreateView(CreateView):
    def save_instance(self) -> Any:
        self.form.instance.added_by = self.request.user
        return super().save_instance()


class LexiconViewSet(SnippetViewSet):
    model = LexiconEntry
    icon = "warning"
    menu_label = "错敏词词库"
    menu_name = "lexicon"
    url_prefix = "lexicon"
    url_namespace = "checks_lexicon"
    add_to_admin_menu = True
    menu_order = 260
    index_view_class = LexiconIndexView
    add_view_class = LexiconCreateView
    list_display = [
        "word",
        "category",
        "severity",
        "suggestion",
        "site",
        "active",
        "added_by",
        "added_at",
    ]
    list_filter = ["category", "severity", "active", "site"]
    search_fields = ["word", "suggestion", "note"]
    search_backend_name = None
    list_per_page = 50

    def get_urlpatterns(self) -> list[Any]:
        return [
            *super().get_urlpatterns(),
            path(
                "import/",
                views.lexicon_import_view,
                {"index_url_name": "checks_lexicon:list"},
                name="import",
            ),
            path(
                "export.xlsx",
                views.lexicon_export_view,
                {"file_format": "xlsx"},
                name="export_xlsx",
            ),
            path(
                "export.txt", views.lexicon_export_view, {"file_format": "txt"}, name="export_txt"
            ),
        ]


register_snippet(LexiconViewSet)
