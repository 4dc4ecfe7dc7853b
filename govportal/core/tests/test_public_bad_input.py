"""Bad input never shows a visitor a traceback: Chinese 404/400/500 pages, and odd query strings,
paths and settings handled as ordinary requests."""

from __future__ import annotations

from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.utils import timezone
from wagtail.images.models import Image

from govportal.browser_tests.sample import SamplePortal, sample_portal_build
from govportal.core.models import SiteIdentity
from govportal.core.views import search_query_clean
from govportal.testing import Portal, add_article

pytestmark = pytest.mark.django_db

LEAKS = ["Traceback", 'File "', "OperationalError", "sqlite", "psycopg", "SECRET", "DEBUG"]


@pytest.fixture
def sample(portal: Portal) -> SamplePortal:
    return sample_portal_build(portal)


@pytest.fixture
def visitor() -> Client:
    # Like a browser: a server error becomes the 500 page instead of an exception in the test.
    return Client(raise_request_exception=False)


def assert_clean(body: str) -> None:
    for leak in LEAKS:
        assert leak not in body, leak


def assert_not_found_page(body: str) -> None:
    soup = BeautifulSoup(body, "html.parser")
    assert soup.h1 is not None and soup.h1.get_text() == "抱歉，您访问的页面不存在"
    assert soup.select("header .site-name") and soup.select("footer .site-code")
    assert soup.select_one("main a[href='/sitemap/']") is not None
    assert_clean(body)


# --- 404 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page/",
        "/news/no-such-article/",
        "/%E6%96%B0%E9%97%BB/%E4%B8%8D%E5%AD%98%E5%9C%A8/",  # /新闻/不存在/
        "/新闻/",
        "/%ZZ/",
        "/news/%00/",
        "/" + "a" * 8192 + "/",
        "/" + "a/" * 4000,
    ],
    ids=["unknown", "unknown-article", "encoded-chinese", "raw-chinese", "bad-escape", "nul",
         "8kb-slug", "8kb-deep"],
)  # fmt: skip
def test_unknown_addresses_get_the_chinese_not_found_page(
    visitor: Client, portal: Portal, path: str
) -> None:
    response = visitor.get(path)
    assert response.status_code == 404
    assert_not_found_page(response.content.decode())


def test_not_found_page_links_to_the_configured_site_map(visitor: Client, portal: Portal) -> None:
    SiteIdentity.objects.filter(site=portal.site).update(sitemap_path="/map/")
    soup = BeautifulSoup(visitor.get("/missing/").content.decode(), "html.parser")
    assert soup.select_one("main a[href='/map/']") is not None


def test_unpublished_article_is_not_found(visitor: Client, sample: SamplePortal) -> None:
    from govportal.content.review import review_bypass

    with review_bypass(reason="测试数据"):
        sample.article.unpublish()
    assert visitor.get(sample.article.url).status_code == 404


# --- Query strings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=99999", "page=-1", "page=1e9", "page=", "page=%ZZ", "%ZZ=%ZZ", "page=1&page=2",
     "q=" + "政" * 10000, "a=" + "%" * 3000],
)  # fmt: skip
def test_odd_query_strings_on_a_column_still_show_the_column(
    visitor: Client, portal: Portal, query: str
) -> None:
    add_article(portal.notices, "关于做好春季森林防火工作的通知")
    response = visitor.get(portal.notices.url + "?" + query)
    assert response.status_code == 200
    assert "通知公告" in response.content.decode()


def test_page_beyond_the_end_shows_the_last_page(visitor: Client, portal: Portal) -> None:
    add_article(portal.notices, "关于做好春季森林防火工作的通知")
    for i in range(20):
        add_article(portal.notices, f"第{i}号通知", pub_date=timezone.now())
    body = visitor.get(portal.notices.url + "?page=99999").content.decode()
    assert "关于做好春季森林防火工作的通知" in body
    assert "第0号通知" not in body


@pytest.mark.parametrize(
    "query",
    ["政" * 10000, '"', "*", "(", ")", "OR", "AND NOT", "a:b", "'; DROP TABLE x; --", "%ZZ",
     "\u200b", "NEAR(a b)", "^", "-", "  "],
)  # fmt: skip
def test_search_takes_any_text_without_a_server_error(
    visitor: Client, portal: Portal, query: str
) -> None:
    add_article(portal.news, "清明节 假期安排")
    response = visitor.get("/search/", {"q": query, "page": "abc"})
    assert response.status_code == 200
    assert_clean(response.content.decode())


def test_search_query_is_cut_to_one_hundred_characters_of_words() -> None:
    assert search_query_clean("政" * 10000) == "政" * 100
    assert search_query_clean(' "清明节" (放假) OR* ') == "清明节 放假 OR"
    assert search_query_clean("\x00\u200b") == ""


def test_search_with_a_percent_escape_that_is_not_one_is_answered(visitor: Client) -> None:
    response = visitor.get("/search/?q=%ZZ&page=%ZZ")
    assert response.status_code == 200


def test_elder_switch_with_odd_input_goes_home(visitor: Client) -> None:
    for query in ["next=%ZZ", "on=abc", "next=" + "/" * 9000, "next=%0d%0aSet-Cookie:x=1"]:
        response = visitor.get("/elder/?" + query)
        assert response.status_code == 302, query
        assert "\n" not in response["Location"]


def test_only_get_is_answered_on_the_site_map_and_search(visitor: Client) -> None:
    assert visitor.post("/sitemap/").status_code == 405
    assert visitor.post("/search/").status_code == 405


# --- 400 and 500 ---------------------------------------------------------------------------------


def test_request_for_an_unknown_host_gets_the_chinese_bad_request_page(
    visitor: Client, portal: Portal
) -> None:
    response = visitor.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    body = response.content.decode()
    assert "抱歉，请求无法识别" in body
    assert "测试区人民政府门户网站" in body  # still the site's header and footer
    assert_clean(body)


def test_server_error_page_renders_without_the_database_and_leaks_nothing(
    visitor: Client, sample: SamplePortal
) -> None:
    url = sample.article.url
    with mock.patch.object(
        BaseDatabaseWrapper, "cursor", side_effect=OperationalError("数据库连接失败 sqlite")
    ):
        response = visitor.get(url)
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统繁忙，请稍后再试" in body
    assert 'href="/sitemap/"' in body
    assert "/static/css/portal.css" in body
    assert_clean(body)


# --- Settings the operator typed in -----------------------------------------------------------------


def test_a_site_map_setting_that_is_not_a_local_path_is_not_linked(
    client: Client, portal: Portal
) -> None:
    for bad in ["javascript:alert(1)", "//elsewhere.example/", "http://elsewhere.example/", ""]:
        SiteIdentity.objects.filter(site=portal.site).update(sitemap_path=bad)
        body = client.get("/").content.decode()
        assert "javascript:" not in body and "elsewhere.example" not in body
        assert 'href="/sitemap/"' in body


def test_identity_with_invalid_stored_values_still_renders_every_page(
    client: Client, sample: SamplePortal
) -> None:
    # Values that the admin form would refuse, written around it (an old import, a bad script).
    SiteIdentity.objects.filter(site=sample.portal.site).update(
        site_code="12", icp_number="<b>无效</b>", police_url="", party_mark_url="", email="x"
    )
    for url in ["/", sample.columns["notices"].url, sample.article.url, "/sitemap/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<b>无效</b>" not in response.content.decode()


def test_a_missing_party_mark_file_does_not_break_the_footer(
    client: Client, sample: SamplePortal
) -> None:
    mark = Image.objects.get(title="党政机关网站标识")
    mark.renditions.all().delete()
    mark.file.storage.delete(mark.file.name)
    response = client.get("/")
    assert response.status_code == 200
    assert "党政机关网站标识" in response.content.decode()


def test_a_site_without_saved_identity_shows_the_defaults(client: Client, portal: Portal) -> None:
    SiteIdentity.objects.all().delete()
    response = client.get("/")
    assert response.status_code == 200
    assert "渭滨区人民政府门户网站" in response.content.decode()
