from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from govportal.monitoring.models import Indicator


class IndicatorViewSet(SnippetViewSet):
    """The indicator table, edited by the operator (运维监管) when a new edition appears."""

    model = Indicator
    icon = "tasks"
    menu_label = "检查指标"
    list_display = ["name", "level", "rule_kind", "points", "cap", "edition", "active"]
    list_filter = ["edition", "level", "active"]
    search_fields = ["name", "code", "note"]


register_snippet(IndicatorViewSet)
