"""Template helpers for the home page blocks and article bodies."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


def _live_column(column: Any) -> bool:
    # A block may still point at a column that was unpublished or deleted since.
    return column is not None and bool(getattr(column, "live", False))


@register.simple_tag
def column_articles(column: Any, count: Any = 8) -> list[Any]:
    """The newest live articles under a column, one query."""
    if not _live_column(column):
        return []
    return list(column.items()[: _count(count)])


@register.simple_tag
def picture_articles(column: Any, count: Any = 3) -> list[Any]:
    """The newest articles with a cover picture (图片新闻), covers and renditions prefetched."""
    if not _live_column(column):
        return []
    return list(
        column.articles()
        .filter(cover__isnull=False)
        .select_related("cover")
        .prefetch_related("cover__renditions")[: _count(count)]
    )


def _count(value: Any) -> int:
    try:
        return max(1, min(int(value), 20))
    except (TypeError, ValueError):
        return 8


@register.filter
def tsv_rows(value: Any) -> list[list[str]]:
    """Rows of a tab-separated table block; blank lines are dropped."""
    return [line.split("\t") for line in str(value or "").splitlines() if line.strip()]
