"""Site-level public views: site map, robots.txt, 长者模式 switch, search, error pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from govportal.core.context_processors import ELDER_COOKIE
from govportal.core.models import ColumnPage


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        # The 长者模式 switch (/elder/?on=…&next=<page>) is on every page and leads back to it: a
        # crawler that follows it fetches every page three times.
        "Disallow: /elder/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers and crawlers ask for /favicon.ico whatever the page says; answer without a 404.
    return HttpResponseRedirect(static("img/favicon.svg"))


def column_tree(root: Page) -> list[dict[str, Any]]:
    """The live column tree under `root`, built from one query (第八条(三): the site map
    follows the columns, so it is always in step after columns change)."""
    columns = list(
        ColumnPage.objects.descendant_of(root).live().filter(nav_visible=True).order_by("path")
    )
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for column in columns:
        node = {"page": column, "children": []}
        nodes[column.path] = node
        parent = nodes.get(column.path[: -ColumnPage.steplen])
        if parent is not None:
            parent["children"].append(node)
        elif column.depth == root.depth + 1:
            roots.append(node)
    return roots


@require_GET
def site_map(request: HttpRequest) -> HttpResponse:
    site = Site.find_for_request(request)
    tree = column_tree(site.root_page) if site else []
    return render(request, "core/site_map.html", {"tree": tree})


@require_GET
def elder_toggle(request: HttpRequest) -> HttpResponse:
    """Switch 长者模式 on or off; the choice is kept in a cookie so it persists across pages."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.GET.get("on") == "1":
        response.set_cookie(ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(ELDER_COOKIE)
    return response


SEARCH_QUERY_MAX = 100


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """A plain site search; the segmented Chinese search replaces it in its own issue."""
    query = search_query_clean(request.GET.get("q", ""))
    results: Any = []
    if query:
        site = Site.find_for_request(request)
        pages = Page.objects.live().public()
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        results = pages.search(query, operator="and")
    paginator = Paginator(results, 20)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "core/search.html",
        {"query": query, "page_obj": page_obj, "extra_query": urlencode({"q": query}) + "&"},
    )


def search_query_clean(raw: str) -> str:
    """The words of a search box entry, without control and query-syntax characters.

    Visitors paste anything; characters such as quotes, `*` or `(` mean something to the full-text
    engine underneath and would otherwise turn a typo into a server error.
    """
    kept = [ch if ch.isalnum() else " " for ch in raw[: SEARCH_QUERY_MAX * 4]]
    return " ".join("".join(kept).split())[:SEARCH_QUERY_MAX]


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors and no database: a 500 page must render whatever broke, and it says
    # nothing about what did.
    template = loader.get_template("500.html")
    try:
        css_url = static("css/portal.css")
    except ValueError:  # the static manifest itself is missing
        css_url = settings.STATIC_URL + "css/portal.css"
    context = {"site_name": settings.WAGTAIL_SITE_NAME, "css_url": css_url}
    return HttpResponse(template.render(context), status=500)
