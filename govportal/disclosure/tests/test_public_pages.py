"""The public pages: metadata, the two-way links, validity banners and the catalogue."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from govportal.content.review import review_bypass
from govportal.disclosure.models import CataloguePage, Genre
from govportal.disclosure.tests.helpers import add_document, add_interpretation
from govportal.testing import TEST_DATA, Portal

TODAY = dt.datetime(2025, 6, 1, 10, 0, tzinfo=dt.UTC)


def add_catalogue(portal: Portal) -> CataloguePage:
    page = CataloguePage(title="政府信息公开目录", slug="catalogue")
    with review_bypass(reason=TEST_DATA):
        portal.affairs.add_child(instance=page)
    return page


def test_the_document_page_shows_its_metadata_and_links_to_its_interpretations(
    portal: Portal, client: Client
) -> None:
    doc = add_document(portal, document_number="宝渭政办发〔2024〕3号")
    interpretation = add_interpretation(portal, [doc], title="一图读懂春耕通知")

    html = client.get(doc.url).content.decode()
    assert doc.index_number in html
    assert "宝渭政办发〔2024〕3号" in html
    assert "区政府办公室" in html
    assert "2024年3月1日" in html
    assert f'href="{interpretation.url}"' in html

    back = client.get(interpretation.url).content.decode()
    assert f'href="{doc.url}"' in back
    assert "【图解】" in html


def test_a_draft_interpretation_is_not_linked_from_the_document(
    portal: Portal, client: Client
) -> None:
    doc = add_document(portal)
    add_interpretation(portal, [doc], live=False, title="尚未发布的解读")
    assert "尚未发布的解读" not in client.get(doc.url).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_repealed_document_keeps_its_url_and_shows_the_date_and_its_replacement(
    portal: Portal, client: Client
) -> None:
    new = add_document(portal, title="渭滨区春耕生产工作实施办法（2025年修订）")
    old = add_document(portal, repealed_on=dt.date(2025, 3, 1), replaced_by=new)

    response = client.get(old.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "本文件已废止" in html
    assert "2025年3月1日" in html
    assert f'href="{new.url}"' in html
    assert "本文件已" not in client.get(new.url).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_an_expired_document_says_so_from_the_day_after_its_last_valid_day(
    portal: Portal, client: Client
) -> None:
    doc = add_document(portal, valid_until=dt.date(2025, 5, 31))
    html = client.get(doc.url).content.decode()
    assert "本文件已失效" in html
    assert "2025年6月1日" in html


@time_machine.travel(TODAY, tick=False)
def test_the_catalogue_filters_by_validity_topic_year_unit_form_and_title_words(
    portal: Portal, client: Client
) -> None:
    catalogue = add_catalogue(portal)
    portal.unit_b.code = "WBJY"
    portal.unit_b.save()
    in_force = add_document(portal, title="关于加强城区停车管理的通知")
    repealed = add_document(
        portal, title="关于旧停车收费标准的通知", repealed_on=dt.date(2025, 1, 1)
    )
    other_unit = add_document(
        portal,
        title="教育局关于秋季招生的通知",
        units=[portal.unit_b],
        written_date=dt.date(2023, 7, 1),
        genre=Genre.objects.get(code="yijian"),
    )

    def titles(query: str) -> set[str]:
        response = client.get(f"{catalogue.url}?{query}")
        assert response.status_code == 200
        html = response.content.decode()
        return {d.title for d in (in_force, repealed, other_unit) if d.title in html}

    assert titles("") == {in_force.title, repealed.title, other_unit.title}
    assert titles("validity=repealed") == {repealed.title}
    assert titles("validity=in_force") == {in_force.title, other_unit.title}
    assert titles("year=2023") == {other_unit.title}
    assert titles(f"unit={portal.unit_b.pk}") == {other_unit.title}
    assert titles("genre=yijian") == {other_unit.title}
    assert titles("q=停车") == {in_force.title, repealed.title}
    assert titles("q=停车 旧") == {repealed.title}
    assert titles("topic=JY") == set()


def test_each_catalogue_entry_shows_index_name_summary_and_date(
    portal: Portal, client: Client
) -> None:
    catalogue = add_catalogue(portal)
    doc = add_document(portal)
    html = client.get(catalogue.url).content.decode()
    for text in (
        "索引号",
        "名称",
        "内容概述",
        "生成日期",
        doc.index_number,
        doc.summary,
        "2024-03-01",
    ):
        assert text in html


def test_a_bad_catalogue_filter_gets_a_400_with_a_chinese_message(
    portal: Portal, client: Client
) -> None:
    catalogue = add_catalogue(portal)
    response = client.get(f"{catalogue.url}?topic=nonsense&year=abc")
    assert response.status_code == 400
    html = response.content.decode()
    assert "所选主题分类不存在" in html
    assert "成文年份须为四位数字" in html
    assert client.get(f"{catalogue.url}export/csv/?year=abc").status_code == 400


def test_the_catalogue_exports_csv_and_json_with_the_same_filters(
    portal: Portal, client: Client
) -> None:
    catalogue = add_catalogue(portal)
    doc = add_document(portal, title="关于加强城区停车管理的通知")
    add_document(portal, title="关于秋季招生的通知")

    response = client.get(f"{catalogue.url}export/csv/?q=停车")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][:4] == ["索引号", "名称", "内容概述", "生成日期"]
    assert [r[1] for r in rows[1:]] == [doc.title]
    assert rows[1][0] == doc.index_number

    response = client.get(f"{catalogue.url}export/json/?q=停车")
    data = json.loads(response.getvalue())
    assert [item["title"] for item in data["items"]] == [doc.title]
    assert data["items"][0]["generated_date"] == "2024-03-01"
    assert data["items"][0]["validity"] == "有效"


def test_the_document_page_stays_within_the_article_query_budget(
    portal: Portal, client: Client
) -> None:
    doc = add_document(portal)
    for n in range(3):
        add_interpretation(portal, [doc], title=f"解读{n}")
    client.get(doc.url)  # warm the site-wide caches the other pages share
    with CaptureQueriesContext(connection) as queries:
        assert client.get(doc.url).status_code == 200
    assert len(queries) <= 15


def test_the_catalogue_page_answers_in_a_fixed_number_of_queries(
    portal: Portal, client: Client
) -> None:
    catalogue = add_catalogue(portal)
    for n in range(25):
        add_document(portal, title=f"第{n}号文件")
    client.get(catalogue.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{catalogue.url}?topic=NY&validity=in_force").status_code == 200
    # Routing, the shared header, the filter's choice lists, the count and one page of rows.
    assert len(queries) <= 20
