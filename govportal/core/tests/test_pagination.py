"""The pager shows a window of page numbers, not every page (5,000 pages at 100,000 items)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import Context, Template

from govportal.core.templatetags.portal_tags import page_window


def test_the_window_is_the_ends_and_two_pages_either_side_of_the_current_one() -> None:
    page = Paginator(range(2000), 20).page(50)
    ellipsis = page.paginator.ELLIPSIS
    assert page_window(page) == [1, ellipsis, 48, 49, 50, 51, 52, ellipsis, 100]


def test_the_rendered_pager_links_the_window_and_marks_the_current_page() -> None:
    page = Paginator(range(2000), 20).page(50)
    html = Template('{% include "includes/pagination.html" %}').render(
        Context({"page_obj": page, "extra_query": "q=x&"})
    )
    assert 'href="?q=x&amp;page=49"' in html
    assert '<span aria-current="page" class="current">50</span>' in html
    assert 'page=47"' not in html
    assert html.count('class="gap"') == 2
    assert "共 2000 条，第 50/100 页" in html
