"""The public home, column and article pages as a visitor's browser receives them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from django.core.cache import cache
from django.test import Client

from govportal.browser_tests.sample import SamplePortal, document, png_image, sample_portal_build
from govportal.content.models import ArticleAttachment, ArticlePage
from govportal.content.review import review_bypass
from govportal.content.services import page_archive
from govportal.testing import Portal, add_article, add_column

pytestmark = pytest.mark.django_db

BEIJING = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def sample(portal: Portal) -> SamplePortal:
    return sample_portal_build(portal)


def soup_of(client: Client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content.decode(), "html.parser")


def one(soup: Tag, selector: str) -> Tag:
    found = soup.select_one(selector)
    assert found is not None, f"页面中没有 {selector}"
    return found


def attr(tag: Tag, name: str) -> str:
    return str(tag[name])


def meta(soup: Tag, name: str) -> str | None:
    tag = soup.select_one(f"meta[name={name}]")
    return None if tag is None else attr(tag, "content")


def texts(soup: Tag, selector: str) -> list[str]:
    return [" ".join(el.get_text(" ", strip=True).split()) for el in soup.select(selector)]


# --- Home page -----------------------------------------------------------------------------------


def test_home_page_shows_headlines_with_a_picture_story_and_the_newest_first(
    client: Client, sample: SamplePortal
) -> None:
    headline = one(soup_of(client, "/"), ".headline")
    picture = one(headline, ".picture-news img")
    assert attr(picture, "alt") == "区政府召开常务会议研究部署春季农业生产工作现场"
    titles = texts(headline, ".headline-list li > a")
    assert titles[:2] == [
        "区政府召开常务会议研究部署春季农业生产工作",
        "我区举办2025年重点项目集中开工活动",
    ]
    assert len(titles) == 6


def test_home_page_lists_each_chosen_column_with_a_more_link(
    client: Client, sample: SamplePortal
) -> None:
    soup = soup_of(client, "/")
    panels = {
        texts(panel, ".panel-title > span")[0]: panel for panel in soup.select(".block-column_list")
    }
    assert set(panels) == {"通知公告", "政策文件", "镇街动态"}
    notices = panels["通知公告"]
    assert attr(one(notices, "a.more"), "href") == sample.columns["notices"].url
    assert texts(notices, "li > a")[0] == "关于进一步优化政务服务提升行政效能的实施意见"


def test_home_page_shows_service_and_interaction_entries_and_the_topic_banner(
    client: Client, sample: SamplePortal
) -> None:
    soup = soup_of(client, "/")
    assert texts(soup, ".entries-service .entry-title") == [
        "个人办事",
        "法人办事",
        "办事指南",
        "便民服务",
    ]
    assert texts(soup, ".entries-interaction .entry-title") == ["区长信箱", "征集调查", "在线访谈"]
    banner = one(soup, ".topic-banner a")
    assert attr(banner, "href") == sample.columns["topic"].url
    assert "优化营商环境专题" in banner.get_text()


def test_home_page_drops_the_list_of_a_column_that_was_unpublished(
    client: Client, sample: SamplePortal
) -> None:
    with review_bypass(reason="测试数据"):
        sample.columns["policy"].unpublish()
    soup = soup_of(client, "/")
    assert "政策文件" not in texts(soup, ".block-column_list .panel-title > span")


def test_home_page_stays_within_25_queries(
    client: Client, sample: SamplePortal, django_assert_max_num_queries: Any
) -> None:
    # The pictures were resized for the first visitor after publishing; the worker serving this
    # request starts with an empty cache (a warm one saves about three queries).
    client.get("/")
    cache.clear()
    with django_assert_max_num_queries(25):
        assert client.get("/").status_code == 200


# --- Column page ---------------------------------------------------------------------------------


def test_column_page_lists_articles_newest_first_with_their_dates(
    client: Client, sample: SamplePortal
) -> None:
    soup = soup_of(client, sample.columns["notices"].url)
    assert texts(soup, ".article-list li > a")[0] == "关于进一步优化政务服务提升行政效能的实施意见"
    dates = texts(soup, ".article-list li > time")
    assert dates[0] == "2025-03-12"
    assert dates == sorted(dates, reverse=True)


def test_long_column_is_split_into_pages_of_twenty(client: Client, portal: Portal) -> None:
    start = dt.datetime(2025, 1, 1, 8, tzinfo=dt.UTC)
    for i in range(25):
        add_article(portal.news, f"第{i + 1}条新闻", pub_date=start + dt.timedelta(days=i))
    first = soup_of(client, portal.news.url)
    assert len(first.select(".article-list li")) == 20
    assert attr(one(first, ".pagination a[rel=next]"), "href") == "?page=2"
    second = soup_of(client, portal.news.url + "?page=2")
    assert texts(second, ".article-list li > a") == [f"第{i}条新闻" for i in range(5, 0, -1)]


def test_column_page_shows_its_subcolumns_and_the_side_navigation_of_its_section(
    client: Client, sample: SamplePortal
) -> None:
    top = soup_of(client, sample.columns["news"].url)
    assert texts(top, ".subcolumns a") == ["要闻动态", "镇街动态"]
    sub = soup_of(client, sample.columns["towns"].url)
    assert texts(sub, ".sidebar a") == ["要闻动态", "镇街动态"]
    assert texts(sub, ".sidebar a[aria-current=page]") == ["镇街动态"]
    assert texts(sub, ".breadcrumbs li") == ["首页", "新闻", "镇街动态"]


def test_overview_column_shows_its_text_instead_of_an_empty_list(
    client: Client, sample: SamplePortal
) -> None:
    soup = soup_of(client, sample.columns["overview"].url)
    assert "辖5个街道、5个镇" in one(soup, ".column-body").get_text()
    assert soup.select(".article-list") == []


def test_empty_column_says_there_is_nothing_yet(client: Client, portal: Portal) -> None:
    empty = add_column(portal.affairs, "人事信息", kind_code="plan", slug="personnel")
    assert texts(soup_of(client, empty.url), ".article-list li") == ["暂无信息"]


def test_column_page_carries_the_column_meta_tags_and_an_rss_link(
    client: Client, sample: SamplePortal
) -> None:
    column = sample.columns["notices"]
    soup = soup_of(client, column.url)
    assert meta(soup, "ColumnName") == "通知公告"
    assert meta(soup, "ColumnDescription") == "通知公告栏目"
    assert meta(soup, "ColumnType") == "通知公告"
    assert meta(soup, "ColumnKeywords")
    assert attr(one(soup, "link[type='application/rss+xml']"), "href") == column.url + "feed/"
    assert attr(one(soup, "a.rss-link"), "href") == column.url + "feed/"


def test_column_feed_lists_its_newest_articles_as_rss(client: Client, sample: SamplePortal) -> None:
    response = client.get(sample.columns["notices"].url + "feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = BeautifulSoup(response.content, "xml")
    assert texts(feed, "channel > title") == ["通知公告"]
    titles = texts(feed, "item > title")
    assert titles[0] == "关于进一步优化政务服务提升行政效能的实施意见"
    assert len(titles) == 5
    assert texts(feed, "item > link")[0].startswith("http")


# --- Archive (第十五条) ---------------------------------------------------------------------------


def test_archived_column_is_marked_with_the_date_on_itself_its_subcolumns_and_articles(
    client: Client, sample: SamplePortal
) -> None:
    news = sample.columns["news"]
    log = page_archive(page=news, user=sample.portal.operator)
    date = log.at.astimezone(BEIJING).strftime("%Y-%m-%d")
    article = sample.columns["towns"].articles().first()
    assert article is not None
    for url in [news.url, sample.columns["towns"].url, article.url]:
        banner = one(soup_of(client, url), ".archived-banner").get_text()
        assert "已归档" in banner and date in banner, url


def test_archived_article_is_marked_while_its_neighbours_are_not(
    client: Client, sample: SamplePortal
) -> None:
    first, second = sample.columns["notices"].articles()[:2]
    page_archive(page=first, user=sample.portal.operator)
    assert soup_of(client, first.url).select_one(".archived-banner") is not None
    assert soup_of(client, second.url).select_one(".archived-banner") is None


# --- Article page --------------------------------------------------------------------------------


def test_article_shows_title_subtitle_publish_time_source_and_author(
    client: Client, sample: SamplePortal
) -> None:
    soup = soup_of(client, sample.article.url)
    assert texts(soup, "h1") == ["关于进一步优化政务服务提升行政效能的实施意见"]
    assert texts(soup, ".subtitle") == ["推动政务服务从“能办”向“好办”转变"]
    # Stored as 01:05 UTC, shown in Beijing time as YYYY-MM-DD HH:MM.
    info = [span.get_text() for span in soup.select(".article-info span")]
    assert info == ["发布时间：2025-03-12 09:05", "信息来源：区政府办公室", "作者：王明"]


def test_article_carries_the_article_meta_tags(client: Client, sample: SamplePortal) -> None:
    soup = soup_of(client, sample.article.url)
    assert meta(soup, "ArticleTitle") == "关于进一步优化政务服务提升行政效能的实施意见"
    assert meta(soup, "PubDate") == "2025-03-12 09:05"
    assert meta(soup, "ContentSource") == "区政府办公室"
    assert meta(soup, "Keywords") == "政务服务,行政效能"
    assert meta(soup, "Author") == "王明"
    assert meta(soup, "Description") == "围绕高效办成一件事，提出优化政务服务的十项措施。"
    assert meta(soup, "Url") == "http://127.0.0.1:8000" + sample.article.url
    assert str(meta(soup, "Image")).startswith("http://127.0.0.1:8000/media/original_images/")
    assert meta(soup, "ColumnName") == "通知公告"
    assert meta(soup, "ColumnType") == "通知公告"


def test_article_images_have_their_alt_text_and_caption(
    client: Client, sample: SamplePortal
) -> None:
    figure = one(soup_of(client, sample.article.url), ".article-body figure.body-figure")
    assert attr(one(figure, "img"), "alt") == "政务服务中心综合窗口"
    assert texts(figure, "figcaption") == ["综合窗口受理现场"]


def test_article_audio_and_video_play_from_the_site_with_caption_tracks(
    client: Client, sample: SamplePortal
) -> None:
    soup = soup_of(client, sample.article.url)
    assert attr(one(soup, "audio"), "src").startswith("/documents/")
    source = one(soup, "video source")
    assert attr(source, "src").startswith("/documents/") and attr(source, "type") == "video/mp4"
    tracks = soup.select("audio track, video track")
    assert len(tracks) == 2
    for track in tracks:
        assert attr(track, "kind") == "captions" and attr(track, "srclang") == "zh"
        assert attr(track, "src").endswith(".vtt")
    assert "各位市民朋友" in one(soup, ".transcript").get_text()
    assert client.get(attr(tracks[1], "src")).status_code == 200


def test_article_lists_its_attachments_with_type_and_size(
    client: Client, sample: SamplePortal
) -> None:
    soup = soup_of(client, sample.article.url)
    assert texts(soup, ".attachments li") == [
        "实施意见全文 （PDF，2.0 KB）",
        "任务分工表 （Excel，4.0 KB）",
        "申请表 （Word，1.5 KB）",
    ]
    link = attr(one(soup, ".attachments a"), "href")
    assert link.startswith("/documents/") and link.endswith(".pdf")
    assert client.get(link).status_code == 200


def test_reprinted_article_names_the_source_site_with_a_link(
    client: Client, sample: SamplePortal
) -> None:
    reprint = one(soup_of(client, sample.article.url), ".reprint")
    assert reprint.get_text() == "转载来源：陕西省人民政府网"
    assert attr(one(reprint, "a"), "href") == "https://www.shaanxi.gov.cn/"


def test_original_article_has_no_reprint_line(client: Client, sample: SamplePortal) -> None:
    article = sample.columns["headlines"].articles().first()
    assert article is not None
    assert soup_of(client, article.url).select_one(".reprint") is None


def test_article_with_a_table_block_renders_a_table_with_headers(
    client: Client, portal: Portal
) -> None:
    article = add_article(
        portal.notices,
        "2025年预算公开表",
        body=[("table", "项目\t金额（万元）\n教育\t1200\n卫生\t800")],
    )
    table = one(soup_of(client, article.url), ".article-body table")
    assert texts(table, "th") == ["项目", "金额（万元）"]
    assert texts(table, "tbody tr") == ["教育 1200", "卫生 800"]


def test_article_page_stays_within_15_queries(
    client: Client, sample: SamplePortal, django_assert_max_num_queries: Any
) -> None:
    # A typical article three columns deep: a cover picture, a picture in the text, a table and
    # three attachments.
    picture = png_image("会议现场", (90, 90, 90))
    with review_bypass(reason="测试数据"):
        article = add_article(
            sample.columns["towns"],
            "我区召开优化营商环境推进会",
            cover=picture,
            cover_alt="推进会现场",
            body=[
                ("paragraph", "<p>会议总结了一季度工作。</p>"),
                ("image", {"image": picture, "alt": "推进会现场", "caption": "会议现场"}),
                ("table", "指标\t完成\n新设企业\t320"),
            ],
        )
        for name in ("a.pdf", "b.xlsx", "c.docx"):
            ArticleAttachment.objects.create(
                page=article, document=document(name, name, b"x" * 900)
            )
        article.save_revision().publish()
    url = ArticlePage.objects.get(pk=article.pk).url
    client.get(url)
    cache.clear()  # as for the home page: pictures resized once, nothing in the cache
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
