"""The catalogue's list at scale: the title-word index, the cached lists and totals, the pager."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from wagtail.models import Page

from govportal.content.review import review_bypass
from govportal.core.models import Unit, UnitKind
from govportal.disclosure import catalogue as catalogue_module
from govportal.disclosure import rules
from govportal.disclosure.catalogue import catalogue_queryset
from govportal.disclosure.models import (
    CataloguePage,
    PolicyDocumentPage,
    PolicyTitleGram,
    Topic,
    title_grams_fill_missing,
)
from govportal.disclosure.tests.helpers import add_document
from govportal.testing import TEST_DATA, Portal

TODAY = dt.date(2025, 6, 1)


def add_catalogue(portal: Portal) -> CataloguePage:
    page = CataloguePage(title="政府信息公开目录", slug="catalogue")
    with review_bypass(reason=TEST_DATA):
        portal.affairs.add_child(instance=page)
    return page


def titles_for(q: str) -> set[str]:
    return set(catalogue_queryset({"q": q}, today=TODAY).values_list("title", flat=True))


def test_the_title_word_filter_finds_words_inside_titles_and_document_numbers(
    portal: Portal,
) -> None:
    parking = add_document(portal, title="关于加强城区停车管理的通知")
    fees = add_document(
        portal, title="关于旧停车收费标准的通知", document_number="宝渭政办发〔2021〕7号"
    )
    add_document(portal, title="关于做好秋季招生工作的通知")

    assert titles_for("停车") == {parking.title, fees.title}
    assert titles_for("车管") == {parking.title}  # across a word boundary
    assert titles_for("停车 旧") == {fees.title}  # a one-character word is matched too
    assert titles_for("〔2021〕7号") == {fees.title}
    assert titles_for("停车场") == set()


def test_a_renamed_document_is_found_by_its_new_title_only(portal: Portal) -> None:
    doc = add_document(portal, title="关于加强城区停车管理的通知")

    doc.title = "关于加强城区道路养护的通知"
    with review_bypass(reason=TEST_DATA):
        doc.save()

    assert titles_for("停车") == set()
    assert titles_for("道路养护") == {doc.title}
    assert set(PolicyTitleGram.objects.filter(document=doc).values_list("gram", flat=True)) == (
        rules.title_grams(doc.title, doc.document_number)
    )


def test_documents_without_grams_are_indexed_by_the_fill_and_twice_is_harmless(
    portal: Portal,
) -> None:
    doc = add_document(portal, title="关于加强城区停车管理的通知")
    PolicyTitleGram.objects.all().delete()  # e.g. rows inserted in bulk, or before the index
    assert titles_for("停车") == set()

    assert title_grams_fill_missing() == 1
    assert title_grams_fill_missing() == 0

    assert titles_for("停车") == {doc.title}


def test_deleting_a_document_deletes_its_grams(portal: Portal) -> None:
    doc = add_document(portal)
    assert PolicyTitleGram.objects.filter(document=doc).exists()
    Page.objects.get(pk=doc.pk).delete()
    assert not PolicyTitleGram.objects.exists()


def test_the_filter_lists_follow_new_units_and_topics_despite_the_cache(
    portal: Portal, client: Client
) -> None:
    catalogue = add_catalogue(portal)
    add_document(portal)
    client.get(catalogue.url)  # fills the cache
    unit = Unit.objects.create(name="渭滨区应急管理局", code="WBYJ", kind=UnitKind.DEPARTMENT)
    Topic.objects.create(name="应急管理", code="YJ", sort_order=999)
    add_document(portal, units=[unit], title="关于做好防汛工作的通知")

    html = client.get(catalogue.url).content.decode()

    assert f'<option value="{unit.pk}">渭滨区应急管理局</option>' in html
    assert '<option value="YJ">应急管理</option>' in html


def test_a_unit_without_documents_is_not_offered_but_still_filters(
    portal: Portal, client: Client
) -> None:
    catalogue = add_catalogue(portal)
    add_document(portal)
    idle = Unit.objects.create(name="渭滨区档案馆", code="WBDA", kind=UnitKind.DEPARTMENT)

    listing = client.get(catalogue.url).content.decode()
    filtered = client.get(f"{catalogue.url}?unit={idle.pk}")

    assert "渭滨区档案馆" not in listing
    assert filtered.status_code == 200
    assert "没有符合条件的信息" in filtered.content.decode()


def test_the_total_follows_publication_and_withdrawal(portal: Portal, client: Client) -> None:
    catalogue = add_catalogue(portal)
    add_document(portal)
    assert "共 1 条" in client.get(catalogue.url).content.decode()

    second = add_document(portal, title="关于做好防汛工作的通知")
    assert "共 2 条" in client.get(catalogue.url).content.decode()

    with review_bypass(reason=TEST_DATA):
        PolicyDocumentPage.objects.get(pk=second.pk).unpublish()
    assert "共 1 条" in client.get(catalogue.url).content.decode()


def test_the_pager_shows_a_window_of_pages_and_clamps_a_page_out_of_range(
    portal: Portal, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue_module, "PAGE_SIZE", 2)
    catalogue = add_catalogue(portal)
    for n in range(2 * 6 + 1):  # seven pages
        add_document(portal, title=f"第{n + 1}号文件", written_date=dt.date(2024, 1, 1))

    page4 = client.get(f"{catalogue.url}?page=4").content.decode()
    beyond = client.get(f"{catalogue.url}?page=99").content.decode()
    nonsense = client.get(f"{catalogue.url}?page=abc")

    assert "第 4/7 页" in page4
    for n in (1, 2, 3, 5, 6, 7):
        assert f'page={n}">{n}</a>' in page4
    assert "第 7/7 页" in beyond
    assert "第1号文件" in beyond  # the oldest entry is on the last page
    assert nonsense.status_code == 200
    assert "第 1/7 页" in nonsense.content.decode()


def test_the_pager_marks_gaps_far_from_the_current_page(
    portal: Portal, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue_module, "PAGE_SIZE", 2)
    catalogue = add_catalogue(portal)
    for n in range(2 * 9 + 1):  # ten pages
        add_document(portal, title=f"第{n + 1}号文件", written_date=dt.date(2024, 1, 1))

    html = client.get(f"{catalogue.url}?page=5").content.decode()

    assert html.count('class="gap"') == 2  # 1 … 3 4 5 6 7 … 10
    assert 'page=2">2</a>' not in html
    assert 'page=10">10</a>' in html


def test_a_draft_title_is_not_searchable_until_it_is_published(portal: Portal) -> None:
    doc = add_document(portal, title="关于加强城区停车管理的通知")
    live_title = doc.title

    doc.title = "关于加强城区道路养护的通知"
    doc.save_revision(user=portal.editor_a)

    assert titles_for("停车") == {live_title}
    assert titles_for("道路养护") == set()
