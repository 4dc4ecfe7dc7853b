"""The answer bot: segmentation, BM25 ranking, the confidence threshold, the sources and the
index's rebuild when content changes (第十条(二))."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from govportal.interaction.knowledge import bot
from govportal.interaction.knowledge.bot import Doc, index_build, index_search, question_groups
from govportal.interaction.tests.factories_knowledge import entry, service_guide
from govportal.testing import Portal

TODAY = dt.date(2026, 5, 11)


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    bot.index_invalidate()
    yield
    bot.index_invalidate()


def doc(key: str, title: str, text: str = "") -> Doc:
    return Doc(source="knowledge", key=key, title=title, quote=text, url=f"/k/{key}/", text=text)


# --- Pure: no database ---------------------------------------------------------------------------


def test_question_words_drop_stop_words_and_punctuation() -> None:
    groups = question_groups("请问，低保怎么申请？")
    words = set().union(*groups)
    assert "低保" in words
    assert "申请" in words
    assert not words & {"请问", "怎么", "，", "？"}


def test_a_synonym_group_counts_once() -> None:
    groups = question_groups("孩子上学")
    assert any({"上学", "入学"} <= g for g in groups)
    assert any({"孩子", "子女"} <= g for g in groups)


def test_the_document_with_the_question_words_ranks_first() -> None:
    index = index_build(
        [
            doc("1", "公积金提取需要什么条件", "购房、租房、退休可以提取住房公积金。"),
            doc("2", "适龄儿童入学报名材料", "户口簿、出生医学证明、房产证明。"),
            doc("3", "低保申请条件", "家庭人均收入低于当地最低生活保障标准。"),
        ]
    )
    hits = index_search(index, question_groups("小孩上学要带哪些材料"), limit=3)
    assert index.docs[hits[0].number].key == "2"
    assert hits[0].coverage > 0.8


def test_synonyms_match_what_the_source_calls_otherwise() -> None:
    index = index_build([doc("1", "子女入学报名", "报名时间和材料。"), doc("2", "社保卡补办")])
    hits = index_search(index, question_groups("孩子上学怎么报名"), limit=2)
    assert [index.docs[h.number].key for h in hits] == ["1"]


def test_a_question_about_something_else_covers_little() -> None:
    index = index_build([doc("1", "低保申请条件", "需要提供家庭收入证明。")])
    hits = index_search(index, question_groups("明天会下雨吗需要带伞"), limit=1)
    assert not hits or hits[0].coverage < bot.DEFAULT_THRESHOLD


def test_rarer_words_weigh_more_than_common_ones() -> None:
    docs = [doc(str(n), f"办理事项{n}", "办理地点在政务服务中心。") for n in range(20)]
    docs.append(doc("x", "办理居住证", "居住证办理地点在派出所。"))
    index = index_build(docs)
    assert index.idf["居住证"] > index.idf["办理"]
    hits = index_search(index, question_groups("居住证在哪里办理"), limit=3)
    assert index.docs[hits[0].number].key == "x"


def test_an_empty_index_finds_nothing() -> None:
    assert index_search(index_build([]), question_groups("低保"), limit=5) == []


# --- With the database: the real sources ---------------------------------------------------------


def test_a_question_matching_an_entry_returns_it_first_with_its_link(portal: Portal) -> None:
    wanted = entry(
        "适龄儿童入学报名需要提交哪些材料？",
        "报名时请携带户口簿、不动产权证书或购房合同、出生医学证明原件及复印件。",
        unit=portal.unit_b,
    )
    entry(
        "低保怎么申请？", "向户籍所在地镇政府提出书面申请。", topic_name="低保", topic_slug="dibao"
    )
    service_guide(portal, "小学一年级新生入学办事指南", "新生入学报名的时间、地点和流程。")

    result = bot.answer("孩子上小学报名要带什么材料", today=TODAY)

    assert result.answered
    first = result.hits[0]
    assert first.doc.source == "knowledge"
    assert first.doc.url == f"/knowledge/{wanted.pk}/"
    assert first.doc.title == wanted.question
    assert "出生医学证明" in first.doc.quote


def test_an_unrelated_question_is_not_answered(portal: Portal) -> None:
    entry(
        "低保怎么申请？", "向户籍所在地镇政府提出书面申请。", topic_name="低保", topic_slug="dibao"
    )
    result = bot.answer("周末去哪里钓鱼比较好", today=TODAY)
    assert not result.answered
    assert result.hits == []


def test_a_question_of_stop_words_only_is_not_understood(portal: Portal) -> None:
    result = bot.answer("你好，请问？", today=TODAY)
    assert not result.understood
    assert not result.answered


def test_a_service_guide_is_found_with_its_page_link(portal: Portal) -> None:
    guide = service_guide(
        portal,
        "个体工商户设立登记办事指南",
        "个体工商户设立登记的申请条件、所需材料、办理流程和办理时限。",
    )
    result = bot.answer("开个体工商户要什么材料", today=TODAY)
    assert result.answered
    assert result.hits[0].doc.source == "service_guides"
    assert result.hits[0].doc.url == guide.url
    assert result.hits[0].label == "办事指南"


def test_an_article_outside_service_columns_is_not_a_guide(portal: Portal) -> None:
    from govportal.testing import add_article

    add_article(portal.news, "个体工商户设立登记新闻", summary="个体工商户设立登记工作会召开。")
    result = bot.answer("个体工商户设立登记", today=TODAY)
    assert all(hit.doc.source != "service_guides" for hit in result.hits)


def test_a_repealed_policy_document_shows_its_validity(portal: Portal) -> None:
    from govportal.disclosure.tests.helpers import add_document

    new = add_document(
        portal,
        title="渭滨区城乡居民最低生活保障实施办法",
        document_number="宝渭政发〔2025〕3号",
        summary="规定城乡低保的申请条件、审核确认程序和保障标准。",
    )
    add_document(
        portal,
        title="渭滨区城乡居民最低生活保障暂行办法",
        document_number="宝渭政发〔2019〕8号",
        summary="规定城乡低保的申请条件、审核程序和保障标准。",
        repealed_on=dt.date(2025, 3, 1),
        replaced_by=new,
    )

    result = bot.answer("最低生活保障暂行办法", today=TODAY)

    repealed = next(h for h in result.hits if "暂行办法" in h.doc.title)
    assert repealed.validity == "废止"
    assert repealed.validity_changed_on == dt.date(2025, 3, 1)
    assert repealed.doc.replaced_by == (new.title, new.url)
    current = bot.answer("最低生活保障实施办法", today=TODAY).hits[0]
    assert current.doc.title == new.title
    assert current.validity == "有效"
    assert current.validity_changed_on is None


def test_an_entry_past_its_validity_is_answered_with_a_review_warning(portal: Portal) -> None:
    entry(
        "城乡居民医保缴费标准是多少？",
        "2025年度城乡居民医保个人缴费标准为每人每年400元。",
        topic_name="医保",
        topic_slug="yibao",
        valid_until=dt.date(2025, 12, 31),
    )
    hit = bot.answer("城乡居民医保缴费标准", today=TODAY).hits[0]
    assert hit.review_due
    assert not bot.answer("城乡居民医保缴费标准", today=dt.date(2025, 6, 1)).hits[0].review_due


def test_an_entry_taken_offline_is_no_longer_found(portal: Portal) -> None:
    item = entry(
        "公积金怎么提取？",
        "购房、租房、退休可提取住房公积金。",
        topic_name="公积金",
        topic_slug="gjj",
    )
    assert bot.answer("公积金提取", today=TODAY).answered
    item.live = False
    item.save()  # the save bumps the index version: the next question rebuilds
    assert not bot.answer("公积金提取", today=TODAY).answered


def test_a_new_entry_is_found_by_the_next_question(portal: Portal) -> None:
    assert not bot.answer("居住证怎么办理", today=TODAY).answered
    entry("居住证怎么办理？", "到居住地派出所申领居住证。", topic_name="户籍", topic_slug="huji")
    assert bot.answer("居住证怎么办理", today=TODAY).answered


def test_the_index_is_kept_between_questions(portal: Portal) -> None:
    entry("居住证怎么办理？", "到居住地派出所申领居住证。", topic_name="户籍", topic_slug="huji")
    first = bot.index_get(today=TODAY)
    assert bot.index_get(today=TODAY) is first
    bot.index_invalidate()
    assert bot.index_get(today=TODAY) is not first


def test_a_unit_name_is_one_word(portal: Portal) -> None:
    from govportal.core.models import Unit

    Unit.objects.create(name="区退役军人事务局", kind="department")
    bot.index_get(today=TODAY)
    assert any("区退役军人事务局" in g for g in question_groups("区退役军人事务局电话"))


def test_script_in_the_question_is_only_text(portal: Portal) -> None:
    result = bot.answer("<script>alert('低保')</script>", today=TODAY)
    assert result.question == "<script>alert('低保')</script>"


def test_an_oversized_question_is_cut_to_the_maximum(portal: Portal) -> None:
    result = bot.answer("低保" * 500, today=TODAY)
    assert len(result.question) == bot.QUESTION_MAX_LENGTH


def test_an_unpublished_guide_is_no_longer_found(portal: Portal) -> None:
    guide = service_guide(portal, "居住证办理指南", "居住证申领的条件、材料和办理地点。")
    assert bot.answer("居住证申领", today=TODAY).answered
    guide.unpublish()
    assert not bot.answer("居住证申领", today=TODAY).answered


def test_collecting_the_sources_costs_the_same_queries_for_more_items(portal: Portal) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from govportal.disclosure.tests.helpers import add_document

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            bot.collect_documents(today=TODAY)
        return len(captured.captured_queries)

    entry("低保怎么申请？", "向镇政府申请。")
    service_guide(portal, "居住证办理指南", "居住证申领。")
    add_document(portal, title="关于低保的通知", document_number="宝渭政发〔2025〕1号")
    few = queries()
    for n in range(3):
        entry(f"问题{n}", "答复")
        service_guide(portal, f"指南{n}", "摘要")
        add_document(portal, title=f"通知{n}", document_number=f"宝渭政发〔2025〕{n + 2}号")
    assert queries() == few
