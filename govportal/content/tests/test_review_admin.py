"""The review workflow through the Wagtail admin, as each role uses it."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from govportal.content.models import ArticlePage, ReviewApproval, ReviewEvent
from govportal.content.review import page_emergency_publish, review_submit
from govportal.content.tests.test_review import (
    CLASSIFIED,
    ID_NUMBER,
    SENSITIVE,
    TYPO,
    approve,
    draft,
    reload,
    warning_keys,
)
from govportal.testing import Portal, UserFactory, add_article


@pytest.fixture
def superuser(db: None) -> Any:
    return UserFactory.create(username="root", is_superuser=True, is_staff=True)


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def article_form(page: Page | None = None, **fields: Any) -> dict[str, Any]:
    """The article editor's POST data, as the browser sends it."""
    data = {
        "title": getattr(page, "title", "新建的文章"),
        "slug": getattr(page, "slug", "new-article"),
        "subtitle": "",
        "source": "区政府办公室",
        "author": "",
        "pub_date": "2026-03-02 09:00",
        "summary": getattr(page, "summary", ""),
        "keywords": "",
        "cover_alt": "",
        "body": streamfield([]),
        "attachments": inline_formset([]),
        "is_reprint": "",
        "reprint_site": "",
        "reprint_url": "",
        "seo_title": "",
        "search_description": "",
        "comments": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)


def edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def denied(response: Any) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


@pytest.fixture
def notice_middleware(settings: Any) -> None:
    # The withdrawn notice needs WithdrawnNoticeMiddleware in MIDDLEWARE (docs/review.md).
    assert "govportal.content.review_views.WithdrawnNoticeMiddleware" in settings.MIDDLEWARE


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Wagtail's own publish buttons ----------------------------------------------------------------


def test_the_editor_has_no_publish_button_and_a_crafted_publish_only_saves_a_draft(
    client: Client, portal: Portal
) -> None:
    page = draft(portal)
    login(client, portal.editor_a)

    editor = client.get(edit_url(page))
    assert editor.status_code == 200
    assert 'name="action-publish"' not in editor.content.decode()

    response = client.post(
        edit_url(page), article_form(page, summary="想直接发布的摘要", **{"action-publish": "1"})
    )

    assert response.status_code == 302
    page = reload(page)
    assert page.live is False
    assert page.get_latest_revision_as_object().summary == "想直接发布的摘要"


def test_creating_a_page_with_publish_only_saves_a_draft(client: Client, portal: Portal) -> None:
    login(client, portal.editor_a)
    url = reverse("wagtailadmin_pages:add", args=["content", "articlepage", portal.news.pk])

    response = client.post(url, article_form(**{"action-publish": "1"}))

    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="new-article")
    assert page.live is False


def test_a_superuser_cannot_publish_in_the_admin_either(
    client: Client, portal: Portal, superuser: Any
) -> None:
    page = draft(portal, summary=f"附：{CLASSIFIED}")
    login(client, superuser)

    client.post(edit_url(page), article_form(page, **{"action-publish": "1"}))
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    client.post(f"{bulk}?id={page.pk}", {"include_descendants": ""})

    assert reload(page).live is False


def test_bulk_publishing_is_refused_with_a_message(client: Client, portal: Portal) -> None:
    page = draft(portal)
    login(client, portal.editor_a)
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])

    response = client.post(f"{bulk}?id={page.pk}", {"include_descendants": ""}, follow=True)

    assert reload(page).live is False
    assert any("不能批量发布" in m for m in messages_of(response))


def test_copying_with_published_copies_is_refused(client: Client, portal: Portal) -> None:
    page = add_article(portal.news, "已发布的新闻")
    login(client, portal.editor_a)

    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {
            "new_title": "复制的新闻",
            "new_slug": "copied",
            "new_parent_page": portal.news.pk,
            "publish_copies": "on",
        },
    )

    assert response.status_code == 302
    assert not ArticlePage.objects.filter(slug="copied", live=True).exists()


# --- Submitting -----------------------------------------------------------------------------------


@pytest.mark.parametrize("planted", [ID_NUMBER, SENSITIVE, CLASSIFIED])
def test_submitting_with_a_planted_problem_shows_it_at_the_field_and_submits_nothing(
    client: Client, portal: Portal, planted: str
) -> None:
    page = draft(portal)
    login(client, portal.editor_a)

    response = client.post(
        edit_url(page),
        article_form(page, summary=f"摘要：{planted}。", **{"action-submit": "1"}),
    )

    assert response.status_code == 200
    assert planted in str(response.context["form"].errors["summary"])
    assert reload(page).workflow_in_progress is False
    assert ReviewEvent.objects.filter(page=page, action="submit_refused").exists()


def test_the_editor_submits_in_the_admin_and_the_trail_records_the_checks(
    client: Client, portal: Portal
) -> None:
    page = draft(portal)
    login(client, portal.editor_a)

    client.post(
        edit_url(page), article_form(page, summary=f"请{TYPO}新版软件。", **{"action-submit": "1"})
    )

    page = reload(page)
    assert page.workflow_in_progress is True
    submit = ReviewEvent.objects.get(page=page, action="submit")
    assert submit.actor == portal.editor_a
    assert [f["match"] for f in submit.findings] == [TYPO]


# --- Reviewing ------------------------------------------------------------------------------------


def test_the_reviewer_approves_on_the_review_screen_after_acknowledging_each_warning(
    client: Client, portal: Portal
) -> None:
    page = draft(portal, summary=f"请{TYPO}新版软件。")
    review_submit(page=page, user=portal.editor_a)
    state = reload(page).current_workflow_task_state
    url = reverse("govportal_review:task", args=[state.pk])
    login(client, portal.reviewer_a)

    home = client.get(reverse("wagtailadmin_home"))
    assert url in home.content.decode()
    screen = client.get(url)
    assert screen.status_code == 200
    assert TYPO in screen.content.decode()

    revision_id = reload(page).latest_revision_id
    refused = client.post(url, {"decision": "approve", "revision_id": revision_id})
    assert refused.status_code == 200
    assert not ReviewApproval.objects.filter(page=page).exists()

    client.post(
        url,
        {"decision": "approve", "revision_id": revision_id, "acknowledged": warning_keys(page)},
    )
    assert ReviewApproval.objects.filter(page=page, revision_id=revision_id).exists()
    assert reload(page).live is False


def test_the_reviewer_sends_back_with_a_comment(client: Client, portal: Portal) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)
    state = reload(page).current_workflow_task_state
    login(client, portal.reviewer_a)

    client.post(
        reverse("govportal_review:task", args=[state.pk]),
        {"decision": "reject", "comment": "数据需核实。", "revision_id": state.revision_id},
    )

    event = ReviewEvent.objects.get(page=page, action="reject")
    assert (event.actor, event.comment) == (portal.reviewer_a, "数据需核实。")


def test_people_who_are_not_reviewers_of_the_step_cannot_open_it(
    client: Client, portal: Portal
) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)
    state = reload(page).current_workflow_task_state
    url = reverse("govportal_review:task", args=[state.pk])

    for person in (portal.editor_a, portal.editor_b, portal.operator):
        assert denied(login(client, person).get(url)), person


def test_a_reviewer_who_edited_the_item_is_told_and_cannot_approve(
    client: Client, portal: Portal
) -> None:
    page = draft(portal)
    edited = page.get_latest_revision_as_object()
    edited.summary = "审核人员改写的摘要"
    edited.save_revision(user=portal.reviewer_a)
    review_submit(page=page, user=portal.editor_a)
    state = reload(page).current_workflow_task_state
    url = reverse("govportal_review:task", args=[state.pk])
    login(client, portal.reviewer_a)

    assert "审发分离" in client.get(url).content.decode()
    client.post(url, {"decision": "approve", "revision_id": reload(page).latest_revision_id})

    assert not ReviewApproval.objects.filter(page=page).exists()


# --- Publishing the approved revision ---------------------------------------------------------------


def test_the_editor_proofreads_and_publishes_the_approved_revision(
    client: Client, portal: Portal
) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)
    approve(page, portal.reviewer_a)
    url = reverse("govportal_review:publish", args=[page.pk])
    login(client, portal.editor_a)

    assert url in client.get(reverse("wagtailadmin_home")).content.decode()
    assert url in client.get(edit_url(page)).content.decode()
    not_proofread = client.post(url, {"go_live_at": ""})
    assert not_proofread.status_code == 200
    assert reload(page).live is False

    client.post(url, {"proofread": "on", "go_live_at": ""})
    assert reload(page).live is True
    assert ReviewEvent.objects.filter(page=page, action="publish", actor=portal.editor_a).exists()


def test_the_publish_screen_refuses_an_unapproved_revision(client: Client, portal: Portal) -> None:
    page = draft(portal)
    login(client, portal.editor_a)

    response = client.post(
        reverse("govportal_review:publish", args=[page.pk]), {"proofread": "on"}, follow=True
    )

    assert reload(page).live is False
    assert any("尚未审核通过" in m for m in messages_of(response))


# --- Withdrawal -----------------------------------------------------------------------------------


def test_unpublishing_leads_to_withdrawal_which_logs_the_reason_and_can_leave_a_notice(
    client: Client, portal: Portal, notice_middleware: None
) -> None:
    page = add_article(portal.news, "需要撤下的新闻")
    public_url = page.url
    login(client, portal.editor_a)

    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert response["Location"] == reverse("govportal_review:withdraw", args=[page.pk])
    assert reload(page).live is True

    client.post(response["Location"], {"reason": "数据有误，核实后重发。", "show_notice": "on"})

    assert reload(page).live is False
    event = ReviewEvent.objects.get(page=page, action="withdraw")
    assert (event.actor, event.comment) == (portal.editor_a, "数据有误，核实后重发。")
    client.logout()
    notice = client.get(public_url)
    assert notice.status_code == 410
    assert "数据有误，核实后重发。" in notice.content.decode()
    assert "需要撤下的新闻" in notice.content.decode()


def test_a_withdrawal_without_a_notice_leaves_a_plain_404(
    client: Client, portal: Portal, notice_middleware: None
) -> None:
    page = add_article(portal.news, "撤下不留说明")
    public_url = page.url
    login(client, portal.operator)

    client.post(reverse("govportal_review:withdraw", args=[page.pk]), {"reason": "过时信息"})

    client.logout()
    assert client.get(public_url).status_code == 404


def test_a_live_page_cannot_be_deleted_before_it_is_withdrawn(
    client: Client, portal: Portal, superuser: Any
) -> None:
    page = add_article(portal.news, "已发布的新闻")
    login(client, superuser)

    client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))

    assert Page.objects.filter(pk=page.pk).exists()


# --- Emergency publishing ---------------------------------------------------------------------------


def test_only_the_operator_gets_the_emergency_screen(client: Client, portal: Portal) -> None:
    page = draft(portal)
    url = reverse("govportal_review:emergency", args=[page.pk])

    for person in (portal.editor_a, portal.reviewer_a, portal.auditor):
        assert denied(login(client, person).get(url)), person
    login(client, portal.operator)
    assert url in client.get(edit_url(page)).content.decode()
    client.post(url, {"reason": "重大突发事件权威发布"})

    assert reload(page).live is True


def test_the_pending_list_shows_to_operator_and_auditor_until_approved_by_another_person(
    client: Client, portal: Portal
) -> None:
    page = draft(portal, summary="关于网传停水消息的辟谣说明。")
    approval = page_emergency_publish(page=page, user=portal.operator, reason="网络谣言辟谣")
    review_url = reverse("govportal_review:emergency_review", args=[approval.pk])
    home = reverse("wagtailadmin_home")

    assert review_url in login(client, portal.operator).get(home).content.decode()
    assert review_url in login(client, portal.auditor).get(home).content.decode()
    assert review_url not in login(client, portal.editor_b).get(home).content.decode()

    login(client, portal.operator).post(review_url, {"comment": "自己补审"})
    assert (
        reload(approval.page)
        and ReviewApproval.objects.get(pk=approval.pk).retro_approved_at is None
    )

    login(client, portal.reviewer_a).post(review_url, {"comment": "内容属实。"})
    assert ReviewApproval.objects.get(pk=approval.pk).retro_approved_by == portal.reviewer_a
    assert review_url not in login(client, portal.operator).get(home).content.decode()


# --- The trail --------------------------------------------------------------------------------------


def test_the_auditor_reads_and_exports_the_trail_and_nobody_else_can(
    client: Client, portal: Portal, superuser: Any
) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)
    index = reverse("review_trail:index")

    for person in (
        portal.editor_a,
        portal.reviewer_a,
        portal.operator,
        portal.system_admin,
    ):
        assert denied(login(client, person).get(index)), person
    login(client, portal.auditor)
    listing = client.get(index, {"action": "submit"})
    assert listing.status_code == 200
    assert "区政府常务会议召开" in listing.content.decode()

    exported: Any = client.get(index, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "操作人", "操作"]
    assert any(row[2] == "提交审核" and "editor_a" in row[1] for row in rows[1:])

    xlsx: Any = client.get(index, {"export": "xlsx"})
    sheet: Any = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert "提交审核" in cells


def test_nobody_edits_or_deletes_the_trail_in_the_admin(client: Client, portal: Portal) -> None:
    event = ReviewEvent.objects.first()
    assert event is not None
    login(client, portal.auditor)

    assert client.get(reverse("review_trail:inspect", args=[event.pk])).status_code == 200
    assert denied(client.post(reverse("review_trail:edit", args=[event.pk]), {"comment": "x"}))
    assert denied(client.post(reverse("review_trail:delete", args=[event.pk])))
    assert denied(client.get(reverse("review_trail:add")))
    assert ReviewEvent.objects.filter(pk=event.pk, comment=event.comment).exists()
