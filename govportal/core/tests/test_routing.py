"""Routing a public address to its page: every column on the path in one query (on the url_path
Wagtail stores), with the answers Wagtail's level-by-level lookup gives: feeds, 404s, drafts,
unpublished pages, aliases and a stored url_path that disagrees with the tree."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.test import Client, RequestFactory
from wagtail.models import Page

from govportal.content.models import ArticlePage
from govportal.content.review import review_bypass
from govportal.core import sitecache
from govportal.core.models import ColumnPage
from govportal.testing import TEST_DATA, Portal, add_article, add_column

pytestmark = pytest.mark.django_db


@pytest.fixture
def deep(portal: Portal) -> tuple[ColumnPage, ArticlePage]:
    """/affairs/notices/county/ (a column four levels down) and an article in it."""
    county = add_column(portal.notices, "县级通知", kind_code="notice", slug="county")
    article = add_article(county, "关于春耕的通知")
    return county, article


def route(path: str) -> Any:
    """The page Wagtail's serve view would serve for `path`, or Http404."""
    request = RequestFactory().get(path)
    sitecache.site_for_request(request)
    result = Page.route_for_request(request, path)
    if result is None:
        raise Http404(path)
    return result


def title_at(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.context["page"].title  # type: ignore[no-any-return]


def test_every_depth_routes_to_its_page(
    client: Client, portal: Portal, deep: tuple[ColumnPage, ArticlePage]
) -> None:
    _, article = deep
    assert title_at(client, "/") == "首页"
    assert title_at(client, "/affairs/") == "政务"
    assert title_at(client, "/affairs/notices/") == "通知公告"
    assert title_at(client, "/affairs/notices/county/") == "县级通知"
    assert title_at(client, article.url) == "关于春耕的通知"
    assert article.url == f"/affairs/notices/county/{article.slug}/"


def test_a_page_of_any_column_type_at_any_depth_costs_one_query(
    portal: Portal, deep: tuple[ColumnPage, ArticlePage], django_assert_num_queries: Any
) -> None:
    from govportal.disclosure.tests.helpers import add_document, add_interpretation

    county, article = deep
    document = add_document(portal, parent=county)
    interpretation = add_interpretation(portal, [document])
    route("/")  # the site and its home page, from then on in the memo
    # Before: the home page's specific row, then one query per level for a column or an article
    # (4 and 5 here), two more for a policy document or an interpretation.
    pages: list[Page] = [county, article, document, interpretation]
    for page in pages:
        with django_assert_num_queries(1):
            found, _, _ = route(page.url)
        assert (type(found), found.pk) == (type(page), page.pk)
    with django_assert_num_queries(1):
        _, args, _ = route("/affairs/notices/county/feed/")
    assert args[0].__name__ == "feed"
    # Nothing there: the path's query, and Wagtail's own lookup saying so.
    with django_assert_num_queries(2), pytest.raises(Http404):
        route("/affairs/notices/nope/")


def test_the_routed_page_knows_its_parent_and_the_parents_theirs_without_a_query(
    portal: Portal, deep: tuple[ColumnPage, ArticlePage], django_assert_num_queries: Any
) -> None:
    county, article = deep
    page, _, _ = route(article.url)
    with django_assert_num_queries(0):
        assert page.get_parent().pk == county.pk
        assert page.get_parent().get_parent().pk == portal.notices.pk


def test_a_column_s_feed_comes_before_a_child_of_the_same_name(
    client: Client, portal: Portal
) -> None:
    add_column(portal.notices, "名为 feed 的栏目", kind_code="notice", slug="feed")
    response = client.get("/affairs/notices/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")


@pytest.mark.parametrize(
    "path",
    ["/nope/", "/affairs/nope/", "/affairs/notices/nope/", "/nope/notices/", "/affairs/x/y/z/"],
)
def test_an_unknown_address_is_a_404(client: Client, portal: Portal, path: str) -> None:
    assert client.get(path).status_code == 404


def test_an_unpublished_page_is_a_404_but_a_live_page_under_it_is_served_as_wagtail_does(
    client: Client, portal: Portal, deep: tuple[ColumnPage, ArticlePage]
) -> None:
    county, article = deep
    with review_bypass(reason=TEST_DATA):
        county.unpublish()
    assert client.get("/affairs/notices/county/").status_code == 404
    assert client.get("/affairs/notices/county/feed/").status_code == 404
    assert title_at(client, article.url) == "关于春耕的通知"
    with review_bypass(reason=TEST_DATA):
        ArticlePage.objects.get(pk=article.pk).unpublish()
    assert client.get(article.url).status_code == 404


def test_a_draft_slug_changes_no_address_until_published(
    client: Client, portal: Portal, deep: tuple[ColumnPage, ArticlePage]
) -> None:
    county, article = deep
    county.slug = "city"
    county.save_revision()
    assert title_at(client, "/affairs/notices/county/") == "县级通知"
    assert client.get("/affairs/notices/city/").status_code == 404
    with review_bypass(reason=TEST_DATA):
        county.get_latest_revision().publish()
    assert client.get("/affairs/notices/county/").status_code == 404
    assert title_at(client, f"/affairs/notices/city/{article.slug}/") == "关于春耕的通知"


def test_an_alias_of_a_column_is_served_at_its_own_address(
    client: Client, portal: Portal, deep: tuple[ColumnPage, ArticlePage]
) -> None:
    county, _ = deep
    with review_bypass(reason=TEST_DATA):
        county.create_alias(parent=portal.news, update_slug="county-alias")
    assert title_at(client, "/news/county-alias/") == "县级通知"


def test_a_column_whose_stored_url_path_is_wrong_is_routed_by_the_tree(
    client: Client, portal: Portal, deep: tuple[ColumnPage, ArticlePage]
) -> None:
    _, article = deep
    # As after a half-finished bulk edit: the stored path no longer names the column's place.
    Page.objects.filter(pk=portal.notices.pk).update(url_path="/home/elsewhere/")
    assert title_at(client, "/affairs/notices/") == "通知公告"
    assert title_at(client, article.url) == "关于春耕的通知"


def test_a_column_whose_stored_url_path_claims_another_s_address_does_not_take_it(
    client: Client, portal: Portal, deep: tuple[ColumnPage, ArticlePage]
) -> None:
    county, article = deep
    impostor = add_column(portal.news, "冒名栏目", slug="county")
    Page.objects.filter(pk=impostor.pk).update(url_path=county.url_path)
    Page.objects.filter(pk=county.pk).update(url_path="/home/elsewhere/county/")
    assert title_at(client, "/affairs/notices/county/") == "县级通知"
    assert title_at(client, article.url) == "关于春耕的通知"
