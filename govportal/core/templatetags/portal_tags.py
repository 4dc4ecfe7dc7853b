"""Template helpers for the public pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def local_path(value: Any, fallback: str = "/") -> str:
    """A site-local path from a setting, or `fallback` when the setting is not one.

    The site map address is typed in by the operator; a value such as `javascript:…` or
    `//elsewhere` must never end up in a link on every page.
    """
    text = str(value or "").strip()
    if text.startswith("/") and not text.startswith("//") and "\\" not in text:
        return text
    return fallback


@register.filter
def in_section(page: Any, column: Any) -> bool:
    """Whether `page` is `column` or lies beneath it (marks the current top column)."""
    page_path = getattr(page, "path", None)
    column_path = getattr(column, "path", None)
    return bool(page_path and column_path and page_path.startswith(column_path))


@register.simple_tag
def absolute_url(path: str) -> str:
    """`path` on the site's public address (SITE_URL): meta tags name the public page, whatever
    host or proxy the request came through."""
    if not path or "://" in path:
        return path or ""
    return settings.SITE_URL + path


@register.filter
def page_window(page_obj: Any) -> list[int | str]:
    """The page numbers a pager shows: the first, the last and two either side of the current
    one, with "…" for each gap. Looping over every page number costs a list of 5,000 pages at
    100,000 items (bench/catalogue.py)."""
    paginator = page_obj.paginator
    return list(paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))
