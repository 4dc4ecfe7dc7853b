"""Site-wide public pages: the site map, sitemap.xml, robots.txt, search, 长者模式, and the header,
footer and meta tags that every page carries."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag
from django.test import Client

from govportal.browser_tests.sample import SamplePortal, sample_portal_build
from govportal.content.review import review_bypass
from govportal.core.context_processors import ELDER_COOKIE
from govportal.testing import Portal, add_article, add_column

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(portal: Portal) -> SamplePortal:
    return sample_portal_build(portal)


def soup_of(client: Client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content.decode(), "html.parser")


def texts(soup: Tag, selector: str) -> list[str]:
    return [" ".join(el.get_text(" ", strip=True).split()) for el in soup.select(selector)]


def hrefs(soup: Tag, selector: str) -> list[str]:
    return [str(a["href"]) for a in soup.select(selector)]


# --- Header, footer and meta tags on every page ---------------------------------------------------

PAGES = ["home", "column", "article", "sitemap", "search", "missing"]


def url_of(sample: SamplePortal, name: str) -> tuple[str, int]:
    return {
        "home": ("/", 200),
        "column": (sample.columns["notices"].url, 200),
        "article": (sample.article.url, 200),
        "sitemap": ("/sitemap/", 200),
        "search": ("/search/?q=政务", 200),
        "missing": ("/no-such-page/", 404),
    }[name]


def test_every_page_shows_the_footer_identifiers(client: Client, sample: SamplePortal) -> None:
    for name in PAGES:
        footer_identifiers_check(soup_of(client, *url_of(sample, name)))


def footer_identifiers_check(soup: BeautifulSoup) -> None:
    assert soup.footer is not None
    footer = " ".join(soup.footer.get_text().split())
    for text in [
        "主办单位：测试区人民政府办公室",
        "承办单位：测试区数字化信息服务中心",
        "建设单位：测试区大数据发展服务局",
        "地址：测试区人民路1号",
        "电话：0917-3210000",
        "邮箱：zfb@example.gov.cn",
        "网站标识码：6103020001",
        "陕ICP备05001234号-1",
        "陕公网安备 61030202000123号",
        "网站地图",
        "我为政府网站找错",
    ]:
        assert text in footer, text
    assert hrefs(soup, "footer a.icp") == ["https://beian.miit.gov.cn/"]
    assert hrefs(soup, "footer a.police") == ["https://beian.mps.gov.cn/"]
    assert hrefs(soup, "footer a.error-report") == ["https://zfwzzc.www.gov.cn/"]
    assert hrefs(soup, "footer a.party-mark") == ["https://bszs.conac.cn/"]
    assert [img["alt"] for img in soup.select("footer a.party-mark img")] == ["党政机关网站标识"]
    assert "/sitemap/" in hrefs(soup, "footer a")


def test_every_page_carries_the_site_meta_tags_and_the_header(
    client: Client, sample: SamplePortal
) -> None:
    for name in PAGES:
        site_meta_and_header_check(soup_of(client, *url_of(sample, name)))


def site_meta_and_header_check(soup: BeautifulSoup) -> None:
    site_meta = {
        str(tag["name"]): str(tag["content"])
        for tag in soup.select("meta[name^=Site]")
        if tag.has_attr("content")
    }
    assert site_meta == {
        "SiteName": "测试区人民政府门户网站",
        "SiteDomain": "127.0.0.1:8000",
        "SiteIDCode": "6103020001",
    }
    assert texts(soup, "header .site-name") == ["测试区人民政府门户网站"]
    assert texts(soup, ".main-nav a") == ["首页", "新闻", "政务", "服务", "互动", "区情", "专栏"]
    assert soup.select("header form[role=search] input[name=q]")
    assert texts(soup, "header .elder-toggle") == ["长者模式"]
    # The skip link is the first thing a keyboard reaches and points at the main content.
    first_link = soup.body.find("a") if soup.body else None
    assert first_link is not None and first_link["href"] == "#main"
    assert soup.select("main#main")


def test_the_current_top_column_is_marked_in_the_navigation(
    client: Client, sample: SamplePortal
) -> None:
    soup = soup_of(client, sample.article.url)
    assert texts(soup, ".main-nav a[aria-current]") == ["政务"]


# --- Site map (第八条(三)) -------------------------------------------------------------------------


def test_site_map_lists_the_live_column_tree(client: Client, sample: SamplePortal) -> None:
    soup = soup_of(client, "/sitemap/")
    assert texts(soup, ".site-map-section h2") == ["新闻", "政务", "服务", "互动", "区情", "专栏"]
    news = soup.select(".site-map-section")[0]
    assert texts(news, "li > a") == ["要闻动态", "镇街动态"]
    assert hrefs(news, "h2 a") == [sample.columns["news"].url]


def test_site_map_follows_a_column_added_and_one_unpublished(
    client: Client, sample: SamplePortal
) -> None:
    assert "人事信息" not in texts(soup_of(client, "/sitemap/"), ".site-map-section a")
    add_column(sample.columns["affairs"], "人事信息", kind_code="plan", slug="personnel")
    with review_bypass(reason="测试数据"):
        sample.columns["towns"].unpublish()
    links = texts(soup_of(client, "/sitemap/"), ".site-map-section a")
    assert "人事信息" in links
    assert "镇街动态" not in links


def test_site_map_leaves_out_columns_hidden_from_navigation(
    client: Client, sample: SamplePortal
) -> None:
    towns = sample.columns["towns"]
    towns.nav_visible = False
    with review_bypass(reason="测试数据"):
        towns.save_revision().publish()
    assert "镇街动态" not in texts(soup_of(client, "/sitemap/"), ".site-map-section a")


def test_sitemap_xml_lists_columns_and_articles(client: Client, sample: SamplePortal) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = texts(BeautifulSoup(response.content, "xml"), "url > loc")
    assert any(loc.endswith(sample.article.url) for loc in locations)
    assert any(loc.endswith(sample.columns["notices"].url) for loc in locations)


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_at_the_sitemap(
    client: Client,
) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /elder/" in lines  # the 长者模式 switch, on every page
    assert "Sitemap: http://testserver/sitemap.xml" in lines


# --- 长者模式 ----------------------------------------------------------------------------------------


def test_elder_switch_sets_a_cookie_and_returns_to_the_page(
    client: Client, sample: SamplePortal
) -> None:
    target = sample.article.url
    response = client.get(f"/elder/?on=1&next={target}")
    assert response.status_code == 302 and response["Location"] == target
    assert response.cookies[ELDER_COOKIE].value == "1"
    soup = soup_of(client, "/")
    assert soup.html is not None and soup.html.get("class") == ["elder"]
    assert texts(soup, "header .elder-toggle") == ["退出长者模式"]


def test_elder_switch_turns_off_again(client: Client, sample: SamplePortal) -> None:
    client.cookies[ELDER_COOKIE] = "1"
    response = client.get("/elder/?on=0&next=/")
    assert response.cookies[ELDER_COOKIE].value == ""
    soup = soup_of(client, "/")
    assert soup.html is not None and soup.html.get("class") is None


@pytest.mark.parametrize(
    "target", ["https://elsewhere.example/", "//elsewhere.example/", "javascript:alert(1)"]
)
def test_elder_switch_never_sends_visitors_to_another_site(client: Client, target: str) -> None:
    response = client.get("/elder/", {"on": "1", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_elder_switch_link_on_a_page_comes_back_to_that_page(
    client: Client, sample: SamplePortal
) -> None:
    url = sample.columns["notices"].url + "?page=1"
    link = hrefs(soup_of(client, url), "header .elder-toggle")[0]
    assert client.get(link)["Location"] == url


# --- Search --------------------------------------------------------------------------------------


# The plain search matches whole words; Chinese word segmentation arrives with the search issue.


def test_search_finds_an_article_by_its_title(client: Client, sample: SamplePortal) -> None:
    title = "关于2025年清明节假期安排的通知"
    soup = soup_of(client, f"/search/?q={title}")
    assert title in texts(soup, ".search-results a")
    assert soup.select_one(f"input#search-page-q[value={title}]") is not None


def test_search_without_a_match_says_so_and_offers_the_site_map(
    client: Client, sample: SamplePortal
) -> None:
    soup = soup_of(client, "/search/?q=不存在的词语组合")
    assert "/sitemap/" in hrefs(soup, ".search-empty a")


def test_search_keeps_the_query_in_page_links(client: Client, portal: Portal) -> None:
    for i in range(25):
        add_article(portal.news, f"防汛 工作动态第{i}期")
    soup = soup_of(client, "/search/?q=防汛")
    assert hrefs(soup, ".pagination a[rel=next]") == ["?q=%E9%98%B2%E6%B1%9B&page=2"]


def test_favicon_request_is_answered_with_the_site_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].startswith("/static/img/favicon")
