"""Policy documents and interpretations: numbers, links, reprints and 需同步解读."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from govportal.content.review import ReviewError, page_publish_approved
from govportal.disclosure.models import InterpretationPage, PolicyDocumentPage
from govportal.disclosure.services import (
    interpretation_links_check,
    policy_publish_with_interpretation,
)
from govportal.disclosure.tests.helpers import (
    add_document,
    add_interpretation,
    reload,
    submit_and_approve,
)
from govportal.testing import Portal


def test_index_numbers_are_generated_per_unit_topic_and_year_in_sequence(portal: Portal) -> None:
    first = add_document(portal)
    second = add_document(portal, document_number="宝渭政办发〔2024〕3号")
    other_year = add_document(portal, written_date=dt.date(2023, 5, 1))
    assert first.index_number == "WBZF-NY-2024-00001"
    assert second.index_number == "WBZF-NY-2024-00002"
    assert other_year.index_number == "WBZF-NY-2023-00001"


@override_settings(DISCLOSURE_INDEX_NUMBER_FORMAT="{unit}/{year}-{category}{seq:03d}")
def test_the_index_number_scheme_is_a_setting(portal: Portal) -> None:
    assert add_document(portal).index_number == "WBZF/2024-NY001"


def test_a_duplicate_index_number_gives_a_clear_error(portal: Portal) -> None:
    first = add_document(portal)
    second = add_document(portal)
    second.index_number = first.index_number
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert f"索引号“{first.index_number}”已被《{first.title}》使用" in str(error.value)


def test_a_malformed_document_number_is_refused_by_the_page_form_validation(
    portal: Portal,
) -> None:
    doc = add_document(portal)
    doc.document_number = "宝渭政办发(2020)19号"
    with pytest.raises(ValidationError) as error:
        doc.full_clean()
    assert "六角括号" in str(error.value.message_dict["document_number"])


def test_a_unit_without_a_code_cannot_number_a_document_and_is_told_why(portal: Portal) -> None:
    portal.unit_b.code = ""
    portal.unit_b.save()
    with pytest.raises(ValidationError) as error:
        add_document(portal, units=[portal.unit_b])
    assert "未设置单位代码" in str(error.value)
    assert not PolicyDocumentPage.objects.exists()


def test_a_reprint_must_name_the_source_organ_and_url(portal: Portal) -> None:
    doc = add_document(
        portal,
        is_reprint=True,
        reprint_organ="陕西省人民政府",
        reprint_url="https://www.shaanxi.gov.cn/zfxxgk/1.html",
    )
    doc.reprint_organ = ""
    doc.reprint_url = ""
    with pytest.raises(ValidationError) as error:
        doc.full_clean()
    assert set(error.value.message_dict) >= {"reprint_organ", "reprint_url"}


def test_a_document_needs_an_issuing_organ_unless_it_is_a_reprint(portal: Portal) -> None:
    doc = add_document(portal)
    doc.issuing_units.set([])
    with pytest.raises(ValidationError) as error:
        doc.full_clean()
    assert "发文机关" in str(error.value.message_dict["issuing_units"])


def test_an_interpretation_linked_to_a_missing_document_gives_a_clear_error(
    portal: Portal,
) -> None:
    doc = add_document(portal)
    with pytest.raises(ValidationError) as error:
        interpretation_links_check([doc.pk, 999999])
    assert "所关联的政策文件不存在（编号 999999）" in str(error.value)


def test_the_interpretation_form_refuses_a_missing_document_in_chinese(portal: Portal) -> None:
    doc = add_document(portal)
    interpretation = add_interpretation(portal, [doc])
    form_class = InterpretationPage.get_edit_handler().get_form_class()
    form = form_class(
        data={
            "title": "解读",
            "slug": "jd",
            "form": "text",
            "body-count": "0",
            "documents": [str(doc.pk), "999999"],
        },
        instance=interpretation,
        for_user=portal.editor_a,
    )
    assert not form.is_valid()
    assert form.errors["documents"] == ["所关联的政策文件不存在（编号 999999），请重新选择。"]


def test_an_interpretation_without_any_document_is_refused(portal: Portal) -> None:
    interpretation = add_interpretation(portal, [add_document(portal)])
    interpretation.documents.set([])
    with pytest.raises(ValidationError) as error:
        interpretation.full_clean()
    assert "至少一个政策文件" in str(error.value)


# --- 需同步解读 (第十条(三)) -----------------------------------------------------------------


def test_a_document_marked_for_interpretation_cannot_be_published_alone(portal: Portal) -> None:
    doc = add_document(portal, live=False, needs_interpretation=True)
    submit_and_approve(doc, portal)

    with pytest.raises(ReviewError) as error:
        page_publish_approved(page=doc, user=portal.editor_a)

    assert "需同步解读" in str(error.value)
    assert reload(doc).live is False


def test_an_unmarked_document_is_published_alone_as_usual(portal: Portal) -> None:
    doc = add_document(portal, live=False)
    submit_and_approve(doc, portal)
    page_publish_approved(page=doc, user=portal.editor_a)
    assert reload(doc).live is True


def test_the_document_and_its_approved_interpretation_go_live_in_one_action(
    portal: Portal,
) -> None:
    doc = add_document(portal, live=False, needs_interpretation=True)
    interpretation = add_interpretation(portal, [doc], live=False)
    submit_and_approve(doc, portal)
    submit_and_approve(interpretation, portal)

    policy_publish_with_interpretation(
        document=doc, interpretation=interpretation, user=portal.editor_a
    )

    assert reload(doc).live is True
    assert reload(interpretation).live is True
    assert list(reload(doc).live_interpretations()) == [reload(interpretation)]


def test_an_unapproved_interpretation_publishes_neither_page(portal: Portal) -> None:
    doc = add_document(portal, live=False, needs_interpretation=True)
    interpretation = add_interpretation(portal, [doc], live=False)
    submit_and_approve(doc, portal)

    with pytest.raises(ReviewError) as error:
        policy_publish_with_interpretation(
            document=doc, interpretation=interpretation, user=portal.editor_a
        )

    assert "尚未审核通过" in str(error.value)
    assert reload(doc).live is False
    assert reload(interpretation).live is False


def test_an_interpretation_of_another_document_does_not_count(portal: Portal) -> None:
    doc = add_document(portal, live=False, needs_interpretation=True)
    other = add_document(portal)
    interpretation = add_interpretation(portal, [other], live=False)
    submit_and_approve(doc, portal)
    submit_and_approve(interpretation, portal)

    with pytest.raises(ReviewError) as error:
        policy_publish_with_interpretation(
            document=doc, interpretation=interpretation, user=portal.editor_a
        )

    assert "没有关联" in str(error.value)
    assert reload(doc).live is False
    assert reload(interpretation).live is False


def test_when_the_document_is_refused_the_interpretation_is_rolled_back_too(
    portal: Portal,
) -> None:
    doc = add_document(portal, live=False, needs_interpretation=True)
    interpretation = add_interpretation(portal, [doc], live=False)
    submit_and_approve(doc, portal)
    submit_and_approve(interpretation, portal)

    # The reviewer may not publish what they approved (审发分离): the document is refused after
    # the interpretation went through the same check, and the transaction takes both back.
    with pytest.raises(ReviewError):
        policy_publish_with_interpretation(
            document=doc, interpretation=interpretation, user=portal.reviewer_a
        )

    assert reload(doc).live is False
    assert reload(interpretation).live is False


def test_the_lone_save_path_is_guarded_too(portal: Portal) -> None:
    doc = add_document(portal, live=False, needs_interpretation=True)
    submit_and_approve(doc, portal)
    revision = reload(doc).get_latest_revision()

    with pytest.raises(ReviewError):
        revision.publish(user=portal.editor_a)

    assert reload(doc).live is False
    assert not InterpretationPage.objects.live().exists()


# --- Bad input through the admin's page form: a Chinese error and nothing changes ---------------


def document_form(portal: Portal, doc: PolicyDocumentPage, **changes: str) -> Any:
    """The admin edit form of `doc`, bound to its current values with `changes`."""
    form_class = PolicyDocumentPage.get_edit_handler().get_form_class()
    data = {
        "title": doc.title,
        "slug": doc.slug,
        "issuing_units": [str(u.pk) for u in doc.issuing_units.all()],
        "organ_label": doc.organ_label,
        "document_number": doc.document_number,
        "index_number": doc.index_number,
        "written_date": doc.written_date.isoformat(),
        "pub_date": timezone.localtime(doc.pub_date).strftime("%Y-%m-%d %H:%M"),
        "topic": str(doc.topic_id),
        "genre": str(doc.genre_id),
        "catalogue_item": str(doc.catalogue_item_id),
        "summary": doc.summary,
        "body-count": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        **changes,
    }
    return form_class(data=data, instance=doc, for_user=portal.editor_a)


def test_the_form_accepts_the_document_as_it_is(portal: Portal) -> None:
    doc = add_document(portal, document_number="宝渭政办发〔2024〕3号")
    form = document_form(portal, doc)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("number", "hint"),
    [
        ("宝渭政办发(2024)3号", "六角括号"),
        ("宝渭政办发〔24〕3号", "四位"),
        ("宝渭政办发〔2024〕03号", "虚位"),
        ("宝渭政办发〔2024〕3", "以“号”结尾"),
    ],
)
def test_a_malformed_document_number_in_the_form_is_refused_and_nothing_changes(
    portal: Portal, number: str, hint: str
) -> None:
    doc = add_document(portal, document_number="宝渭政办发〔2024〕3号")
    form = document_form(portal, doc, document_number=number)

    assert not form.is_valid()
    assert hint in form.errors["document_number"][0]
    assert PolicyDocumentPage.objects.get(pk=doc.pk).document_number == "宝渭政办发〔2024〕3号"


def test_a_duplicate_index_number_in_the_form_is_refused_by_name_and_nothing_changes(
    portal: Portal,
) -> None:
    first = add_document(portal)
    second = add_document(portal, title="关于做好防汛工作的通知")
    before = second.index_number
    form = document_form(portal, second, index_number=first.index_number)

    assert not form.is_valid()
    assert form.errors["index_number"] == [
        f"索引号“{first.index_number}”已被《{first.title}》使用，索引号不能重复。"
    ]
    assert PolicyDocumentPage.objects.get(pk=second.pk).index_number == before


def test_a_duplicate_index_number_cannot_reach_the_database_either(portal: Portal) -> None:
    from django.db import IntegrityError, transaction

    first = add_document(portal)
    second = add_document(portal, title="关于做好防汛工作的通知")

    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyDocumentPage.objects.filter(pk=second.pk).update(index_number=first.index_number)


def test_an_interpretation_linked_to_a_missing_document_changes_nothing(portal: Portal) -> None:
    doc = add_document(portal)
    interpretation = add_interpretation(portal, [doc])
    title = interpretation.title
    form_class = InterpretationPage.get_edit_handler().get_form_class()
    form = form_class(
        data={
            "title": "改过的解读标题",
            "slug": interpretation.slug,
            "form": "text",
            "body-count": "0",
            "documents": ["999999"],
        },
        instance=interpretation,
        for_user=portal.editor_a,
    )

    assert not form.is_valid()
    assert "所关联的政策文件不存在" in form.errors["documents"][0]
    stored = InterpretationPage.objects.get(pk=interpretation.pk)
    assert stored.title == title
    assert list(stored.documents.all()) == [doc]
