"""Attachments through the review gate: renamed files and planted text block like the page's own."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import inline_formset

from govportal.checks.tests.test_attachments import docx_bytes, pdf_bytes
from govportal.content import review_attachments
from govportal.content.models import ArticleAttachment, ReviewApproval, ReviewEvent
from govportal.content.review import (
    ReviewError,
    content_findings,
    page_publish_approved,
    review_submit,
)
from govportal.content.tests.test_review import ID_NUMBER, TYPO, approve, draft, reload
from govportal.content.tests.test_review_admin import article_form, edit_url, login
from govportal.testing import Portal


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "这是一个压缩包，不是 PDF。")
    return buffer.getvalue()


# (file name, planted content, clean content with the same extension)
BAD_ATTACHMENTS = {
    "docx_with_an_id_number": (
        "会议纪要.docx",
        lambda: docx_bytes("会议纪要", f"联系人身份证号 {ID_NUMBER}。"),
        lambda: docx_bytes("会议纪要", "会议研究了年度重点工作。"),
    ),
    "pdf_with_an_id_number": (
        "notice.pdf",
        lambda: pdf_bytes(f"Contact ID {ID_NUMBER}"),
        lambda: pdf_bytes("Annual work plan of the district"),
    ),
    "zip_renamed_to_pdf": ("通知全文.pdf", zip_bytes, lambda: pdf_bytes("Notice")),
}


def upload(filename: str, data: bytes, title: str = "") -> Any:
    return get_document_model().objects.create(
        title=title or filename.rsplit(".", 1)[0], file=ContentFile(data, name=filename)
    )


def replace_file(document: Any, data: bytes) -> None:
    """Someone overwrites the stored file; the document row and the page do not change."""
    with open(document.file.path, "wb") as handle:
        handle.write(data)


def attach(page: Page, user: Any, *documents: Any, **fields: Any) -> Any:
    """A new revision of the page by `user` with these documents as its attachments."""
    page = page.specific.get_latest_revision_as_object()
    page.attachments = [
        ArticleAttachment(document=d, sort_order=i) for i, d in enumerate(documents)
    ]
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision(user=user)
    return reload(page)


# --- Submission ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(BAD_ATTACHMENTS))
def test_a_bad_attachment_blocks_submission_and_the_message_names_the_file(
    portal: Portal, case: str
) -> None:
    name, bad, _clean = BAD_ATTACHMENTS[case]
    document = upload(name, bad())
    filename = document.filename  # the storage may have added a suffix
    page = attach(draft(portal), portal.editor_a, document)

    with pytest.raises(ReviewError) as refused:
        review_submit(page=page, user=portal.editor_a)

    assert filename in refused.value.message
    assert reload(page).workflow_in_progress is False
    event = ReviewEvent.objects.get(page=page, action="submit_refused")
    assert any(filename in f["field_label"] and f["severity"] == "block" for f in event.findings)


def test_a_planted_id_number_inside_an_attachment_is_found_at_its_place_in_the_text(
    portal: Portal,
) -> None:
    document = upload("名单.docx", docx_bytes(f"号码 {ID_NUMBER}"))
    page = attach(draft(portal), portal.editor_a, document)

    findings = content_findings(page.get_latest_revision().as_object())

    [finding] = [f for f in findings if f.is_blocking]
    assert finding.field == "attachments.0"
    assert finding.finding.match == ID_NUMBER
    assert finding.finding.category == "personal_data"
    assert document.filename in finding.describe()


def test_a_clean_attachment_passes_submission_review_and_publishing(portal: Portal) -> None:
    page = draft(portal)
    page = attach(
        page,
        portal.editor_a,
        upload("plan.pdf", pdf_bytes("Annual work plan")),
        upload("纪要.docx", docx_bytes("会议研究了年度重点工作。")),
    )

    review_submit(page=page, user=portal.editor_a)
    approve(page, portal.reviewer_a)
    page_publish_approved(page=page, user=portal.editor_a)

    page = reload(page)
    assert page.live is True
    assert [a.document.title for a in page.attachments.all()] == ["plan", "纪要"]


def test_a_typo_inside_an_attachment_warns_and_the_reviewer_acknowledges_it(
    portal: Portal,
) -> None:
    document = upload("说明.docx", docx_bytes(f"请{TYPO}软件。"))
    page = attach(draft(portal), portal.editor_a, document)
    review_submit(page=page, user=portal.editor_a)

    with pytest.raises(ReviewError, match=document.filename):
        approve(page, portal.reviewer_a, acknowledged=[])
    assert approve(page, portal.reviewer_a) is not None  # with every warning acknowledged


# --- Publishing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(BAD_ATTACHMENTS))
def test_a_file_replaced_after_approval_blocks_publishing_by_every_path(
    portal: Portal, case: str
) -> None:
    name, bad, clean = BAD_ATTACHMENTS[case]
    document = upload(name, clean())
    filename = document.filename
    page = attach(draft(portal), portal.editor_a, document)
    review_submit(page=page, user=portal.editor_a)
    approve(page, portal.reviewer_a)
    assert ReviewApproval.objects.filter(page=page).exists()

    replace_file(document, bad())

    with pytest.raises(ReviewError, match=filename):
        page_publish_approved(page=page, user=portal.editor_a)
    with pytest.raises(ReviewError, match=filename):
        reload(page).get_latest_revision().publish()
    assert reload(page).live is False
    assert ReviewEvent.objects.filter(page=page, action="publish_refused").exists()


# --- Documents in the body ------------------------------------------------------------------------


def test_a_document_linked_from_the_body_text_is_checked(portal: Portal) -> None:
    document = upload("附表.docx", docx_bytes(f"身份证号 {ID_NUMBER}"))
    page = draft(portal).get_latest_revision_as_object()
    link = f'<p>详见<a linktype="document" id="{document.pk}">附表</a>。</p>'
    page.body = [("paragraph", RichText(link))]
    page.save_revision(user=portal.editor_a)

    with pytest.raises(ReviewError, match=document.filename):
        review_submit(page=reload(page), user=portal.editor_a)


def test_media_files_in_the_body_are_type_checked_only(portal: Portal) -> None:
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    video = upload("发布会.mp4", mp4)
    captions = upload("发布会.vtt", f"WEBVTT\n\n00:00.000 --> 00:02.000\n{TYPO}\n".encode())
    renamed = upload("讲话.mp4", pdf_bytes("not a video"))
    page = draft(portal).get_latest_revision_as_object()
    page.body = [("video", {"file": video, "title": "新闻发布会", "captions": captions})]
    page.save_revision(user=portal.editor_a)

    assert content_findings(reload(page).get_latest_revision().as_object()) == []

    page = reload(page).get_latest_revision_as_object()
    page.body = [("video", {"file": renamed, "title": "讲话", "captions": None})]
    page.save_revision(user=portal.editor_a)
    [finding] = content_findings(reload(page).get_latest_revision().as_object())
    assert finding.is_blocking
    assert finding.finding.rule == "attachment.type_mismatch"
    assert renamed.filename in finding.describe()


def test_a_missing_file_blocks(portal: Portal) -> None:
    document = upload("丢失.pdf", pdf_bytes("Notice"))
    page = attach(draft(portal), portal.editor_a, document)
    document.file.storage.delete(document.file.name)

    with pytest.raises(ReviewError, match=document.filename):
        review_submit(page=page, user=portal.editor_a)


# --- The editor's form --------------------------------------------------------------------------


def test_the_attachments_as_submitted_in_the_editor_block_the_submission(
    client: Client, portal: Portal
) -> None:
    page = draft(portal)
    document = upload("通知全文.pdf", zip_bytes())
    login(client, portal.editor_a)

    response = client.post(
        edit_url(page),
        article_form(
            page,
            attachments=inline_formset([{"document": document.pk, "title": "通知全文", "id": ""}]),
            **{"action-submit": "1"},
        ),
    )

    assert response.status_code == 200
    errors = str(response.context["form"].non_field_errors())
    assert document.filename in errors
    assert "与扩展名 .pdf 不符" in errors
    assert reload(page).workflow_in_progress is False


def test_an_attachment_removed_in_the_editor_no_longer_blocks(
    client: Client, portal: Portal
) -> None:
    page = attach(draft(portal), portal.editor_a, upload("通知全文.pdf", zip_bytes()))
    row = page.get_latest_revision_as_object().attachments.all()[0]
    login(client, portal.editor_a)

    client.post(
        edit_url(page),
        article_form(
            page,
            attachments=inline_formset(
                [{"document": row.document_id, "title": "", "id": row.pk or "", "DELETE": "1"}]
            ),
            **{"action-submit": "1"},
        ),
    )

    assert reload(page).workflow_in_progress is True


# --- Cost -----------------------------------------------------------------------------------------


def test_each_file_is_read_once_however_often_the_page_is_checked(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = review_attachments.check_attachment

    def counting(data: bytes, filename: str, **kwargs: Any) -> Any:
        calls.append(filename)
        return real(data, filename, **kwargs)

    monkeypatch.setattr(review_attachments, "check_attachment", counting)
    document = upload("规划.docx", docx_bytes(f"请{TYPO}。", "第二段。"))
    page = attach(draft(portal), portal.editor_a, document)
    revision_page = page.get_latest_revision().as_object()

    first = content_findings(revision_page)
    second = content_findings(revision_page)

    assert calls == [document.filename]
    assert [f.finding.match for f in first] == [f.finding.match for f in second] == [TYPO]
