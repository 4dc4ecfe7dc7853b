"""第十五条: archive and restore pages and whole columns from the admin, and the archive log."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from wagtail.admin.ui.menus.pages import get_page_header_buttons

from govportal.content.models import ArchiveLog, ArticlePage
from govportal.content.services import page_archive
from govportal.core.models import ColumnPage
from govportal.testing import Portal, add_article, add_column

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 10, 9, 30, tzinfo=dt.UTC)


def archive_url(page: Any) -> str:
    return reverse("content_archive:archive", args=[page.pk])


def restore_url(page: Any) -> str:
    return reverse("content_archive:restore", args=[page.pk])


def refused(response: Any) -> bool:
    # Wagtail's admin answers PermissionDenied by sending the user to the dashboard.
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def reload(page: Any) -> Any:
    return type(page).objects.get(pk=page.pk)


@time_machine.travel(NOW, tick=False)
def test_the_operator_archives_an_article_with_a_reason_and_the_log_says_who_and_when(
    portal: Portal, client: Any
) -> None:
    article = add_article(portal.news, "二〇一九年春季植树活动")
    client.force_login(portal.operator)
    confirm = client.get(archive_url(article))
    assert confirm.status_code == 200
    assert "确定归档“二〇一九年春季植树活动”吗？" in confirm.content.decode()

    response = client.post(archive_url(article), {"reason": "网站改版"})
    assert response.status_code == 302
    assert reload(article).archived
    assert reload(article).archived_at == NOW
    log = ArchiveLog.objects.get()
    assert (log.page_id, log.action, log.user, log.at, log.reason, log.is_column) == (
        article.pk,
        ArchiveLog.Action.ARCHIVE,
        portal.operator,
        NOW,
        "网站改版",
        False,
    )


@time_machine.travel(NOW, tick=False)
def test_an_archived_page_stays_at_its_url_and_says_it_is_archived(
    portal: Portal, client: Any
) -> None:
    article = add_article(portal.news, "二〇一九年春季植树活动")
    client.force_login(portal.operator)
    client.post(archive_url(article), {"reason": ""})
    client.logout()
    response = client.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "已归档" in html
    assert "2025-03-10" in html


def test_archiving_a_column_marks_every_page_under_it(portal: Portal, client: Any) -> None:
    old = add_column(portal.news, "旧版图片新闻", units=[portal.unit_a])
    inner = add_column(old, "二〇一八年")
    article = add_article(inner, "旧版页面上的一则图片新闻")
    client.force_login(portal.operator)
    confirm = client.get(archive_url(old))
    assert "该栏目下的 2 个页面" in confirm.content.decode()
    client.post(archive_url(old), {"reason": "改版后栏目撤并"})

    archived_article = ArticlePage.objects.get(pk=article.pk)
    assert not archived_article.archived  # the page itself is untouched …
    assert archived_article.archived_in() == reload(old)  # … and archived through its column
    assert ColumnPage.objects.get(pk=inner.pk).archived_in() == reload(old)
    assert ArchiveLog.objects.get().is_column
    response = client.get(article.url)
    assert response.status_code == 200
    assert "已归档" in response.content.decode()
    assert "已归档" not in client.get(portal.news.url).content.decode()


def test_a_restored_page_is_no_longer_archived_and_the_restore_is_logged(
    portal: Portal, client: Any
) -> None:
    article = add_article(portal.news, "区运动会圆满闭幕")
    page_archive(page=article, user=portal.operator, reason="")
    client.force_login(portal.operator)
    response = client.post(restore_url(article), {"reason": "误归档"})
    assert response.status_code == 302
    assert not reload(article).archived
    restore = ArchiveLog.objects.filter(action=ArchiveLog.Action.RESTORE).get()
    assert (restore.reason, restore.user) == ("误归档", portal.operator)


def test_a_unit_user_who_may_publish_the_page_may_archive_it(portal: Portal, client: Any) -> None:
    article = add_article(portal.news, "区运动会圆满闭幕")
    publisher = next(
        u
        for u in (portal.editor_a, portal.reviewer_a)
        if article.permissions_for_user(u).can_publish()
    )
    client.force_login(publisher)
    assert client.post(archive_url(article), {"reason": ""}).status_code == 302
    assert reload(article).archived
    assert ArchiveLog.objects.get().user == publisher


def test_a_user_who_cannot_publish_the_page_may_not_archive_it(portal: Portal, client: Any) -> None:
    notice = add_article(add_column(portal.home, "服务", units=[portal.unit_b]), "办事指南调整")
    for user in (portal.editor_a, portal.reviewer_a, portal.auditor):
        client.force_login(user)
        assert refused(client.get(archive_url(notice)))
        assert refused(client.post(archive_url(notice), {"reason": "试图归档"}))
    assert not reload(notice).archived
    assert not ArchiveLog.objects.exists()


def test_the_home_page_cannot_be_archived(portal: Portal, client: Any) -> None:
    client.force_login(portal.operator)
    assert client.get(archive_url(portal.home)).status_code == 404


def test_archiving_an_archived_page_again_changes_nothing(portal: Portal, client: Any) -> None:
    article = add_article(portal.news, "旧闻")
    page_archive(page=article, user=portal.operator, reason="")
    client.force_login(portal.operator)
    response = client.post(archive_url(article), {"reason": "再次归档"})
    assert response.status_code == 302
    assert ArchiveLog.objects.count() == 1


def test_a_next_address_outside_the_site_is_ignored(portal: Portal, client: Any) -> None:
    article = add_article(portal.news, "旧闻")
    client.force_login(portal.operator)
    response = client.post(archive_url(article) + "?next=https://evil.example.com/", {"reason": ""})
    assert response["Location"] == reverse("wagtailadmin_explore", args=[portal.news.pk])


def test_the_page_header_offers_archive_or_restore_to_those_allowed(portal: Portal) -> None:
    article = add_article(portal.news, "区政协会议开幕")

    def labels(user: Any) -> list[str]:
        return [b.label for b in get_page_header_buttons(article, user, None, "edit")]

    assert "归档" in labels(portal.operator)
    assert "归档" not in labels(portal.editor_b)
    page_archive(page=article, user=portal.operator, reason="")
    article = reload(article)
    assert "取消归档" in labels(portal.operator)


def test_the_page_listing_menu_offers_archive_to_the_operator(portal: Portal, client: Any) -> None:
    add_article(portal.news, "区政协会议开幕")
    client.force_login(portal.operator)
    html = client.get(reverse("wagtailadmin_explore", args=[portal.news.pk])).content.decode()
    assert reverse("content_archive:archive", args=[portal.news.get_children().first().pk]) in html


@time_machine.travel(NOW, tick=False)
def test_the_archive_log_lists_what_when_who_and_why_and_filters(
    portal: Portal, client: Any
) -> None:
    article = add_article(portal.news, "二〇二〇年防汛工作部署")
    page_archive(page=article, user=portal.operator, reason="网站改版")
    page_archive(page=portal.notices, user=portal.operator, reason="栏目撤并")
    client.force_login(portal.auditor)
    response = client.get(reverse("content_archive:log"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "二〇二〇年防汛工作部署",
        "通知公告",
        "网站改版",
        "栏目撤并",
        "2025-03-10 17:30",
        "operator",
    ):
        assert text in html
    response = client.get(reverse("content_archive:log"), {"is_column": "true"})
    html = response.content.decode()
    assert "栏目撤并" in html
    assert "网站改版" not in html


def test_the_archive_log_is_not_open_to_unit_editors(portal: Portal, client: Any) -> None:
    client.force_login(portal.editor_a)
    assert refused(client.get(reverse("content_archive:log")))


def test_the_reports_menu_offers_the_archive_log_to_the_operator_and_auditor(
    portal: Portal, rf: Any
) -> None:
    from govportal.content.wagtail_hooks import archive_log_menu_item

    def shown(user: Any) -> bool:
        request = rf.get("/admin/")
        request.user = user
        return bool(archive_log_menu_item().is_shown(request))

    assert shown(portal.operator)
    assert shown(portal.auditor)
    assert not shown(portal.editor_a)
