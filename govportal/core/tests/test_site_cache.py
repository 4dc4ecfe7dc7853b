"""The per-process site memo (core/sitecache.py): what every public page shows in its header and
footer is read from memory, and every change an editor or the operator makes shows on the next
request, in this process or another, and never on another site."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from govportal.browser_tests.sample import png_image
from govportal.content.models import HomePage
from govportal.content.review import review_bypass
from govportal.core import sitecache
from govportal.core.models import ColumnPage, SiteIdentity
from govportal.testing import TEST_DATA, Portal, add_article, add_column

pytestmark = pytest.mark.django_db

SECOND_HOST = "second.example"


def soup_of(client: Client, url: str = "/", **extra: Any) -> BeautifulSoup:
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content.decode(), "html.parser")


def nav(client: Client, url: str = "/", **extra: Any) -> list[tuple[str, str]]:
    """The top columns in the navigation (without 首页): title and link."""
    links = soup_of(client, url, **extra).select(".main-nav a")[1:]
    return [(a.get_text(strip=True), str(a["href"])) for a in links]


def site_name(client: Client, url: str = "/", **extra: Any) -> str:
    meta = soup_of(client, url, **extra).find("meta", attrs={"name": "SiteName"})
    assert meta is not None
    return str(meta["content"])


def publish(page: Page) -> None:
    with review_bypass(reason=TEST_DATA):
        page.save_revision().publish()


# --- Every change shows on the next request ------------------------------------------------------


def test_a_new_top_column_is_in_the_navigation_on_the_next_request(
    client: Client, portal: Portal
) -> None:
    assert nav(client) == [("新闻", "/news/"), ("政务", "/affairs/")]
    add_column(portal.home, "互动", kind_code="interaction", slug="hudong")
    assert nav(client) == [("新闻", "/news/"), ("政务", "/affairs/"), ("互动", "/hudong/")]


def test_a_renamed_top_column_shows_its_new_title_and_address(
    client: Client, portal: Portal
) -> None:
    nav(client)
    portal.news.title = "要闻"
    portal.news.slug = "yaowen"
    publish(portal.news)
    assert nav(client) == [("要闻", "/yaowen/"), ("政务", "/affairs/")]


def test_a_draft_of_a_top_column_leaves_the_navigation_as_published(
    client: Client, portal: Portal
) -> None:
    nav(client)
    portal.news.title = "要闻（草稿）"
    portal.news.save_revision()
    assert nav(client) == [("新闻", "/news/"), ("政务", "/affairs/")]


def test_an_unpublished_or_hidden_top_column_leaves_the_navigation(
    client: Client, portal: Portal
) -> None:
    nav(client)
    with review_bypass(reason=TEST_DATA):
        portal.news.unpublish()
    assert nav(client) == [("政务", "/affairs/")]
    portal.affairs.nav_visible = False
    publish(portal.affairs)
    assert nav(client) == []


def test_a_column_moved_to_the_top_joins_the_navigation_and_leaves_it_when_moved_down(
    client: Client, portal: Portal
) -> None:
    nav(client)
    portal.notices.move(portal.home, pos="last-child")
    assert nav(client) == [("新闻", "/news/"), ("政务", "/affairs/"), ("通知公告", "/notices/")]
    ColumnPage.objects.get(pk=portal.notices.pk).move(portal.news, pos="last-child")
    assert nav(client) == [("新闻", "/news/"), ("政务", "/affairs/")]


def test_a_deleted_top_column_leaves_the_navigation(client: Client, portal: Portal) -> None:
    nav(client)
    portal.affairs.delete()
    assert nav(client) == [("新闻", "/news/")]


def test_a_renamed_site_identity_shows_on_the_next_page(client: Client, portal: Portal) -> None:
    assert site_name(client) == "测试区人民政府门户网站"
    identity = SiteIdentity.for_site(portal.site)
    identity.site_name = "新名称门户网站"
    identity.save()
    assert site_name(client) == "新名称门户网站"
    assert site_name(client, "/news/") == "新名称门户网站"


def test_a_deleted_party_mark_image_leaves_the_footer(client: Client, portal: Portal) -> None:
    identity = SiteIdentity.for_site(portal.site)
    identity.party_mark = png_image("党政机关网站标识", (200, 30, 30), (110, 55))
    identity.party_mark_url = "https://bszs.conac.cn/"
    identity.save()
    assert soup_of(client).select("footer a.party-mark img")
    # The identity's reference is cleared in SQL (SET_NULL), without a save of the identity.
    identity.party_mark.delete()
    assert not soup_of(client).select("footer a.party-mark img")


def test_articles_and_other_images_leave_the_memo_alone(client: Client, portal: Portal) -> None:
    nav(client)
    token = sitecache.read_generation()
    article = add_article(portal.news, "一篇新闻")
    publish(article)
    png_image("一张配图", (10, 120, 30), (40, 30))
    article.delete()
    assert sitecache.read_generation() == token
    publish(portal.news)  # a top column: the memo goes
    assert sitecache.read_generation() != token


# --- Several sites: each request sees its own site's data ---------------------------------------


def second_site(portal: Portal) -> Site:
    home = HomePage(title="第二站首页", slug="second")
    with review_bypass(reason=TEST_DATA):
        Page.get_first_root_node().add_child(instance=home)
    site = Site.objects.create(hostname=SECOND_HOST, port=80, root_page=home)
    SiteIdentity.objects.create(site=site, site_name="第二网站")
    add_column(home, "第二站栏目", slug="only-here")
    return site


@pytest.fixture
def hosts(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "localhost", SECOND_HOST, "third.example"]


def test_two_sites_never_see_each_others_identity_or_columns(
    client: Client, portal: Portal, hosts: None
) -> None:
    second_site(portal)
    for _ in range(2):  # the second round comes from the memo
        assert site_name(client) == "测试区人民政府门户网站"
        assert nav(client) == [("新闻", "/news/"), ("政务", "/affairs/")]
        assert site_name(client, HTTP_HOST=SECOND_HOST) == "第二网站"
        assert nav(client, HTTP_HOST=SECOND_HOST) == [("第二站栏目", "/only-here/")]
        assert client.get("/only-here/").status_code == 404
        assert client.get("/only-here/", HTTP_HOST=SECOND_HOST).status_code == 200


def test_a_site_hostname_change_is_seen_on_the_next_request(
    client: Client, portal: Portal, hosts: None
) -> None:
    site = second_site(portal)
    assert site_name(client, HTTP_HOST=SECOND_HOST) == "第二网站"
    site.hostname = "third.example"
    site.save()
    # The old name now falls back to the default site, as Wagtail's lookup has it.
    assert site_name(client, HTTP_HOST=SECOND_HOST) == "测试区人民政府门户网站"
    assert site_name(client, HTTP_HOST="third.example") == "第二网站"


def test_a_host_and_port_find_the_same_site_as_wagtails_own_lookup(
    portal: Portal, hosts: None
) -> None:
    from django.test import RequestFactory

    second_site(portal)
    Site.objects.create(
        hostname=SECOND_HOST, port=8080, root_page=portal.home, site_name="第二站的 8080"
    )
    for host in ["localhost", f"{SECOND_HOST}:8080", SECOND_HOST, "other.example", "localhost:81"]:
        request = RequestFactory().get("/", HTTP_HOST=host)
        expected = Site._find_for_request(request)
        for _ in range(2):
            request = RequestFactory().get("/", HTTP_HOST=host)
            found = sitecache.site_for_request(request)
            assert found is not None and expected is not None
            assert found.pk == expected.pk, host


# --- Other processes -----------------------------------------------------------------------------


def retitle_elsewhere(column: ColumnPage, title: str) -> None:
    """The column's title changes in the database without a signal in this process: as another
    process's change looks from here."""
    ColumnPage.objects.filter(pk=column.pk).update(title=title)


def test_a_change_another_process_announces_in_the_shared_cache_is_seen(
    client: Client, portal: Portal
) -> None:
    # The "shared" alias (Redis, or the file cache of `make run`; here the test run's own store).
    # Two real processes: core/tests/test_shared_cache.py.
    shared = caches["shared"]
    assert nav(client)[0] == ("新闻", "/news/")
    retitle_elsewhere(portal.news, "要闻")
    assert nav(client)[0] == ("新闻", "/news/")
    shared.set(sitecache.GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    assert nav(client)[0] == ("要闻", "/news/")
    retitle_elsewhere(portal.news, "新闻中心")
    shared.delete(sitecache.GENERATION_KEY)  # evicted, or cache.clear() after a restore
    assert nav(client)[0] == ("新闻中心", "/news/")


def test_a_change_no_signal_reports_is_seen_after_the_memo_s_maximum_age(
    client: Client, portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    nav(client)
    retitle_elsewhere(portal.news, "要闻")
    assert nav(client)[0] == ("新闻", "/news/")
    monkeypatch.setattr(sitecache, "MAX_AGE", -1.0)
    assert nav(client)[0] == ("要闻", "/news/")


def test_a_token_store_that_fails_costs_queries_not_the_page(
    client: Client, portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*_args: Any, **_kwargs: Any) -> None:
        raise ConnectionError("the shared cache is down")

    for method in ("get", "add", "set"):
        monkeypatch.setattr(caches["shared"], method, down)
    assert nav(client)[0] == ("新闻", "/news/")
    retitle_elsewhere(portal.news, "要闻")
    assert nav(client)[0] == ("要闻", "/news/")


# --- What a warm memo saves ---------------------------------------------------------------------


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_warm_page_pays_no_query_for_site_identity_and_navigation(
    client: Client, portal: Portal, django_assert_num_queries: Any
) -> None:
    article = add_article(portal.notices, "通知")
    client.get(article.url)
    warm = queries(client, article.url)
    sitecache.site_changed()
    # A new generation: the site (with its home page), the identity, the top columns.
    with django_assert_num_queries(warm + 3):
        client.get(article.url)
    with django_assert_num_queries(warm):
        client.get(article.url)


def test_the_empty_search_page_shows_header_and_footer_without_a_query(
    client: Client, portal: Portal, django_assert_num_queries: Any
) -> None:
    # Before the memo: 3 queries (site, identity, top columns) for a page whose view asks none.
    client.get("/search/")
    with django_assert_num_queries(0):
        soup = soup_of(client, "/search/")
    assert [a.get_text(strip=True) for a in soup.select(".main-nav a")] == ["首页", "新闻", "政务"]
    assert soup.footer is not None
    assert "网站标识码：6103020001" in soup.footer.get_text()
