"""内容检查 in the editor: the draft's findings marked in its text, with the suggestion."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from wagtail.rich_text import RichText

from govportal.content.review_findings import findings_url
from govportal.content.tests.test_review import ID_NUMBER, TYPO, draft, reload
from govportal.content.tests.test_review_admin import article_form, denied, edit_url, login
from govportal.testing import Portal

SUGGESTION = "安装"  # the starter lexicon's correction of 按装


def marks(html: str) -> list[dict[str, str]]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for mark in soup.select("mark.govportal-finding"):
        number = mark.sup.extract().get_text() if mark.sup else ""
        found.append(
            {
                "text": mark.get_text(),
                "class": " ".join(mark.get_attribute_list("class")),
                "title": str(mark.get("title", "")),
                "number": number,
            }
        )
    return found


def test_the_report_marks_a_typo_with_its_suggestion_and_an_id_number_as_blocking(
    client: Client, portal: Portal
) -> None:
    page = draft(portal, summary=f"请{TYPO}新版软件。联系人身份证号 {ID_NUMBER}。")
    login(client, portal.editor_a)

    response = client.get(findings_url(page))

    assert response.status_code == 200
    typo, id_number = marks(response.content.decode())
    assert typo["text"] == TYPO
    assert "govportal-finding--warn" in typo["class"]
    assert SUGGESTION in typo["title"]
    assert id_number["text"] == ID_NUMBER
    assert "govportal-finding--block" in id_number["class"]
    assert "禁止发布" in id_number["title"]
    table = str(BeautifulSoup(response.content, "html.parser").select("table"))
    assert SUGGESTION in table and ID_NUMBER in table


def test_the_marks_sit_exactly_on_the_matched_text_in_rich_text_too(
    client: Client, portal: Portal
) -> None:
    page = draft(portal).get_latest_revision_as_object()
    page.body = [
        (
            "paragraph",
            RichText(f"<p>第一段<b>加粗</b>&amp;说明。</p><p>请{TYPO}软件，号码{ID_NUMBER}。</p>"),
        )
    ]
    page.save_revision(user=portal.editor_a)
    login(client, portal.editor_a)

    html = client.get(findings_url(page)).content.decode()

    assert [m["text"] for m in marks(html)] == [TYPO, ID_NUMBER]
    text = BeautifulSoup(html, "html.parser").select(".govportal-findings__text")
    body = next(t.get_text() for t in text if ID_NUMBER in t.get_text())
    assert f"请{TYPO}1软件，号码{ID_NUMBER}2。" in body  # the mark's number follows it
    assert "第一段加粗&说明。" in body  # the reader's text, not the HTML source


def test_html_in_the_content_is_escaped_in_the_report(client: Client, portal: Portal) -> None:
    page = draft(portal, summary=f'<script>alert("x")</script><b onclick="y">{TYPO}</b>')
    login(client, portal.editor_a)

    html = client.get(findings_url(page)).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<b onclick="y">' not in html
    assert [m["text"] for m in marks(html)] == [TYPO]


def test_only_people_who_can_edit_the_page_see_the_report(client: Client, portal: Portal) -> None:
    page = draft(portal, summary=f"联系人身份证号 {ID_NUMBER}。")

    for person in (portal.editor_b, portal.auditor):
        response = login(client, person).get(findings_url(page))
        assert denied(response), person
        assert ID_NUMBER not in response.content.decode()
    assert login(client, portal.editor_a).get(findings_url(page)).status_code == 200
    client.logout()
    assert client.get(findings_url(page)).status_code == 302  # to the login page


def test_the_report_checks_the_editor_form_as_it_stands_without_saving_it(
    client: Client, portal: Portal
) -> None:
    page = draft(portal)
    revisions = page.revisions.count()
    login(client, portal.editor_a)

    response = client.post(
        findings_url(page), article_form(page, summary=f"未保存的摘要：{ID_NUMBER}。")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "尚未保存" in html
    assert [m["text"] for m in marks(html)] == [ID_NUMBER]
    assert reload(page).revisions.count() == revisions
    assert reload(page).workflow_in_progress is False


def test_posting_the_report_never_submits_even_if_asked_to(client: Client, portal: Portal) -> None:
    page = draft(portal)
    login(client, portal.editor_a)

    client.post(findings_url(page), article_form(page, **{"action-submit": "1"}))

    assert reload(page).workflow_in_progress is False


def test_the_editor_has_the_button_and_its_script(client: Client, portal: Portal) -> None:
    page = draft(portal)
    login(client, portal.editor_a)

    html = client.get(edit_url(page)).content.decode()

    button = BeautifulSoup(html, "html.parser").select_one("a.govportal-findings-button")
    assert button is not None
    assert (button["href"], button.get_text(strip=True)) == (findings_url(page), "内容检查")
    assert "content/findings.js" in html


def test_a_blocked_submission_points_to_the_report(client: Client, portal: Portal) -> None:
    page = draft(portal)
    login(client, portal.editor_a)

    response = client.post(
        edit_url(page),
        article_form(page, summary=f"摘要：{ID_NUMBER}。", **{"action-submit": "1"}),
    )

    errors = " ".join(str(e) for e in response.context["form"].non_field_errors())
    assert "内容检查" in errors
    assert findings_url(page) in errors
    assert reverse("govportal_review_findings", args=[page.pk]) == findings_url(page)


@pytest.mark.parametrize("suffix", ["", "?partial=1"])
def test_a_clean_draft_reports_nothing_to_fix(client: Client, portal: Portal, suffix: str) -> None:
    page = draft(portal)
    login(client, portal.editor_a)

    html = client.get(findings_url(page) + suffix).content.decode()

    assert "内容检查未发现问题" in html
    assert marks(html) == []
