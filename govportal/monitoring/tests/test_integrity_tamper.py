"""防篡改 (第十八条): fingerprints at publication, the live check, alerts, and the restore action.

Tampering is simulated the two ways it happens: the page's row changed behind Wagtail's back
(a raw SQL UPDATE), and a server in front serving a modified copy (a snapshot of the site on
127.0.0.1 with one page altered).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, Revision

from govportal.content.models import ArticlePage, ReviewEvent
from govportal.content.review import (
    content_findings,
    page_publish_approved,
    review_approve,
    review_submit,
)
from govportal.lib.crawl.testserver import Route, ServerThread
from govportal.monitoring.integrity import (
    RestoreError,
    alerts_for_user,
    checked_pages,
    connect_signals,
    content_region,
    disconnect_signals,
    integrity_check,
    integrity_restore,
    page_path,
    signals_connected,
    text_sha256,
)
from govportal.monitoring.models import IntegrityAlert, IntegrityCheck, PageFingerprint
from govportal.testing import Portal, add_article

NOW = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fingerprint_on_publish() -> Iterator[None]:
    # What MonitoringConfig.ready() does in the running platform; left as it was found.
    connected = signals_connected()
    connect_signals()
    yield
    if not connected:
        disconnect_signals()


@pytest.fixture
def emails(portal: Portal) -> Portal:
    for user, address in (
        (portal.operator, "yunwei@example.gov.cn"),
        (portal.security_admin, "anquan@example.gov.cn"),
        (portal.editor_a, "bianji@example.gov.cn"),
    ):
        user.email = address
        user.save()
    return portal


# --- Helpers -------------------------------------------------------------------------------------


def publish_reviewed(
    portal: Portal, *, title: str, summary: str, page: Any = None, **fields: Any
) -> Any:
    """Publish through the real path: the editor writes, the reviewer approves, the editor
    publishes (第十二条). A new page when `page` is None, else a new revision of it."""
    if page is None:
        page = ArticlePage(
            title=title,
            slug=f"art-{ArticlePage.objects.count() + 1}",
            pub_date=timezone.now(),
            source="区政府办公室",
            summary=summary,
            live=False,
            owner=portal.editor_a,
        )
        portal.news.add_child(instance=page)
    else:
        page = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
        page.title, page.summary = title, summary
        for name, value in fields.items():
            setattr(page, name, value)
    page.save_revision(user=portal.editor_a)
    review_submit(page=page, user=portal.editor_a)
    page = Page.objects.get(pk=page.pk).specific
    revision = page.get_latest_revision()
    review_approve(
        task_state=page.current_workflow_task_state,
        user=portal.reviewer_a,
        revision=revision,
        acknowledged=[f.key for f in content_findings(revision.as_object()) if not f.is_blocking],
    )
    page_publish_approved(page=page, user=portal.editor_a)
    return Page.objects.get(pk=page.pk).specific


def alert_mails() -> list[Any]:
    # The review workflow mails reviewers too; only the alerts matter here.
    return [m for m in mail.outbox if m.subject.startswith("【防篡改告警】")]


def raw_update(sql: str, params: list[Any]) -> None:
    """Change the database behind Wagtail's back: no save(), no signals, no revision."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def check(portal: Portal, **kwargs: Any) -> Any:
    return integrity_check(site=portal.site, now=kwargs.pop("now", NOW), **kwargs)


def results(report: Any) -> dict[str, str]:
    return {o.url: o.result for o in report.outcomes}


def snapshot(portal: Portal, alter: dict[str, Callable[[bytes], bytes]] | None = None) -> dict:
    """The site as the public sees it now, as fixed answers for a server on 127.0.0.1."""
    client = Client(HTTP_HOST="localhost")
    routes = {}
    for page in checked_pages(portal.site):
        path = page_path(page)
        body = client.get(path).content
        if alter and path in alter:
            body = alter[path](body)
        routes[path] = Route(200, body, {"Content-Type": "text/html; charset=utf-8"})
    return routes


# --- The main content region (pure) --------------------------------------------------------------

PAGE = """<html><body><header><a href="/">首页</a></header>
<main id="main"><nav class="breadcrumbs"><a href="/news/">新闻</a></nav>
<article><h1>标题</h1><p>正文 <b>加粗</b> 结尾</p>
<img src="https://www.example.gov.cn/media/a.png" alt="示意图">
<ul class="news-list"><li><a href="/news/other/">另一篇</a></li></ul>
<form><input type="hidden" name="csrfmiddlewaretoken" value="abc"></form>
<script src="https://evil.example/x.js"></script>
<p class="article-tools"><a href="/news/">返回“新闻”</a></p></article></main>
<footer>网站标识码：6103020001</footer></body></html>"""


def test_the_region_is_the_pages_own_content_with_its_addresses() -> None:
    text = content_region(PAGE, own_hosts={"www.example.gov.cn"})
    assert text.splitlines() == [
        "标题",
        "正文",
        "加粗",
        "结尾",
        "[img /media/a.png]",
        "[alt 示意图]",
        "[script https://evil.example/x.js]",
    ]


def test_whitespace_and_markup_layout_do_not_change_the_region() -> None:
    reflowed = PAGE.replace("<p>正文 <b>加粗</b> 结尾</p>", "<p>\n  正文\n  <b>加粗</b>\n 结尾</p>")
    assert content_region(reflowed) == content_region(PAGE)
    assert content_region(PAGE.replace("结尾", "结尾！")) != content_region(PAGE)


def test_a_template_can_mark_its_own_region_and_skip_parts() -> None:
    html = (
        '<main><div data-integrity="content"><p>自有内容</p>'
        '<p data-integrity="skip">访问量 123</p></div><p>侧栏</p></main>'
    )
    assert content_region(html) == "自有内容"


def test_an_empty_or_broken_answer_has_an_empty_region() -> None:
    assert content_region(b"") == ""
    assert content_region("   ") == ""


# --- Fingerprints --------------------------------------------------------------------------------


def test_a_reviewed_publication_fingerprints_what_the_page_serves(portal: Portal) -> None:
    article = publish_reviewed(portal, title="区政府召开常务会议", summary="会议研究了民生工作。")
    fingerprint = PageFingerprint.objects.get(page=article)
    assert fingerprint.source == PageFingerprint.Source.PUBLISH
    assert fingerprint.revision_id == article.live_revision_id
    assert fingerprint.url == "/news/" + article.slug + "/"
    assert "区政府召开常务会议" in fingerprint.text.splitlines()
    assert fingerprint.sha256 == text_sha256(fingerprint.text)
    # The region of the page as the public receives it is the same.
    live = Client(HTTP_HOST="localhost").get(fingerprint.url).content
    assert content_region(live) == fingerprint.text


def test_pages_a_system_job_put_online_are_fingerprinted_by_the_first_check(
    portal: Portal,
) -> None:
    add_article(portal.news, "系统导入的文章")
    assert not PageFingerprint.objects.exists()  # add_child under review_bypass: no signal

    report = check(portal)

    assert set(results(report).values()) == {"matched"}
    assert PageFingerprint.objects.count() == len(report.outcomes) == 5
    assert set(PageFingerprint.objects.values_list("source", flat=True)) == {"on_demand"}
    # Each got a revision recording what it published, the version a restore puts back.
    assert all(p.live_revision_id for p in checked_pages(portal.site))


# --- Detection -----------------------------------------------------------------------------------


def test_a_row_changed_behind_wagtails_back_raises_one_critical_alert_by_email(
    emails: Portal,
) -> None:
    portal = emails
    article = publish_reviewed(portal, title="区政府召开常务会议", summary="会议研究了民生工作。")
    assert set(results(check(portal)).values()) == {"matched"}

    raw_update("UPDATE wagtailcore_page SET title = %s WHERE id = %s", ["网站已被黑", article.pk])
    report = check(portal, now=NOW + dt.timedelta(hours=1))

    path = f"/news/{article.slug}/"
    assert results(report)[path] == "alert"
    assert [o.result for o in report.outcomes].count("alert") == 1
    alert = IntegrityAlert.objects.get()
    assert (alert.page_id, alert.kind, alert.state) == (article.pk, "content_changed", "open")
    assert "区政府召开常务会议" in alert.expected_text.splitlines()
    assert "网站已被黑" in alert.live_text.splitlines()
    assert list(alert.units.all()) == [portal.unit_a]
    assert report.check.alerts == 1
    (message,) = alert_mails()
    assert sorted(message.to) == ["anquan@example.gov.cn", "yunwei@example.gov.cn"]
    assert "+网站已被黑" in message.body and "-区政府召开常务会议" in message.body
    assert "第十八条" in message.body

    # Run twice: still one open alert, no second e-mail.
    again = check(portal, now=NOW + dt.timedelta(hours=2))
    assert results(again)[path] == "alert" and again.new_alerts == []
    assert IntegrityAlert.objects.count() == 1 and len(alert_mails()) == 1


def test_a_newer_publication_and_other_pages_publishing_are_not_tampering(
    portal: Portal,
) -> None:
    article = publish_reviewed(portal, title="第一版标题", summary="初稿摘要。")
    check(portal)

    publish_reviewed(portal, title="第二版标题", summary="修改后的摘要。", page=article)
    publish_reviewed(portal, title="另一篇新文章", summary="栏目列表和首页都会变化。")
    report = check(portal, now=NOW + dt.timedelta(days=1))

    assert "alert" not in results(report).values()
    assert not IntegrityAlert.objects.exists()
    assert "第二版标题" in PageFingerprint.objects.get(page=article).text


def test_a_modified_copy_served_in_front_of_the_site_is_caught_over_http(portal: Portal) -> None:
    article = publish_reviewed(portal, title="通知", summary="请按时参加会议。")
    path = f"/news/{article.slug}/"
    honest = snapshot(portal)
    with ServerThread(honest) as base:
        report = check(portal, base_url=base + "/")
    assert set(results(report).values()) == {"matched"}
    assert IntegrityCheck.objects.get(pk=report.check.pk).base_url == base + "/"

    def inject(body: bytes) -> bytes:  # 挂马: a script injected into the article
        return body.replace(b"</h1>", b'</h1><script src="http://evil.example/m.js"></script>')

    with ServerThread(snapshot(portal, {path: inject})) as base:
        report = check(portal, base_url=base + "/", now=NOW + dt.timedelta(hours=1))
    assert results(report)[path] == "alert"
    alert = IntegrityAlert.objects.get()
    assert "[script http://evil.example/m.js]" in alert.live_text


def test_an_unreachable_page_is_reported_not_alerted(portal: Portal) -> None:
    routes = snapshot(portal)
    routes["/news/"] = Route(503, b"busy")
    with ServerThread(routes) as base:
        report = check(portal, base_url=base + "/", timeout=2)
    assert results(report)["/news/"] == "unreachable"
    assert report.check.unreachable == 1 and not IntegrityAlert.objects.exists()


def test_a_changed_link_target_in_the_text_follows_the_linked_page(portal: Portal) -> None:
    """Another page's publication may change this page's region (a link to it follows its new
    address): the published content renders exactly as the public sees it, so no alert."""
    target = publish_reviewed(portal, title="被链接的文章", summary="被引用。")
    article = ArticlePage(
        title="引用文章",
        slug="cite",
        pub_date=timezone.now(),
        live=False,
        owner=portal.editor_a,
        body=[("paragraph", f'<p>详见<a linktype="page" id="{target.pk}">相关文章</a></p>')],
    )
    portal.news.add_child(instance=article)
    article = publish_reviewed(portal, title="引用文章", summary="摘要。", page=article)
    assert f"[a /news/{target.slug}/]" in PageFingerprint.objects.get(page=article).text
    check(portal)

    publish_reviewed(portal, title="被链接的文章", summary="被引用。", page=target, slug="renamed")
    report = check(portal, now=NOW + dt.timedelta(hours=1))

    assert results(report)["/news/cite/"] == "rebaselined"
    assert not IntegrityAlert.objects.exists()
    assert "[a /news/renamed/]" in PageFingerprint.objects.get(page=article).text


def test_an_altered_published_revision_is_caught_and_cannot_be_restored(portal: Portal) -> None:
    article = publish_reviewed(portal, title="原始标题", summary="原始摘要。")
    check(portal)
    # The attacker changes both the row and the stored revision, hoping to look published.
    raw_update("UPDATE wagtailcore_page SET title = %s WHERE id = %s", ["篡改标题", article.pk])
    content = Revision.objects.get(pk=article.live_revision_id).content
    content["title"] = "篡改标题"
    raw_update(
        "UPDATE wagtailcore_revision SET content = %s WHERE id = %s",
        [json.dumps(content, ensure_ascii=False), article.live_revision_id],
    )
    check(portal, now=NOW + dt.timedelta(hours=1))

    alert = IntegrityAlert.objects.get()
    assert alert.kind == "revision_changed"
    with pytest.raises(RestoreError, match="没有可恢复的已审核版本"):
        integrity_restore(alert=alert, user=portal.operator)


# --- Restore -------------------------------------------------------------------------------------


@pytest.fixture
def tampered(portal: Portal) -> Iterator[tuple[Portal, Any, IntegrityAlert]]:
    article = publish_reviewed(portal, title="区政府召开常务会议", summary="会议研究了民生工作。")
    check(portal)
    raw_update("UPDATE wagtailcore_page SET title = %s WHERE id = %s", ["网站已被黑", article.pk])
    check(portal, now=NOW + dt.timedelta(hours=1))
    yield portal, article, IntegrityAlert.objects.get()


def test_the_operator_restores_the_approved_version_and_the_trail_records_it(
    tampered: tuple[Portal, Any, IntegrityAlert],
) -> None:
    portal, article, alert = tampered
    revision = integrity_restore(alert=alert, user=portal.operator)

    page = Page.objects.get(pk=article.pk)
    assert page.title == "区政府召开常务会议"
    assert revision.pk == page.live_revision_id == alert.revision_id
    alert.refresh_from_db()
    assert (alert.state, alert.resolved_by) == ("restored", portal.operator)
    event = ReviewEvent.objects.filter(page=page).order_by("-at", "-pk").first()
    assert event is not None
    assert (event.action, event.actor) == ("integrity_restore", portal.operator)
    assert f"告警 {alert.pk}" in event.comment
    report = check(portal, now=NOW + dt.timedelta(hours=2))
    assert set(results(report).values()) == {"matched"}


def test_the_security_admin_may_restore_but_a_unit_editor_may_not(
    tampered: tuple[Portal, Any, IntegrityAlert],
) -> None:
    portal, _article, alert = tampered
    with pytest.raises(RestoreError, match="只有运维监管人员或安全管理员"):
        integrity_restore(alert=alert, user=portal.editor_a)
    integrity_restore(alert=alert, user=portal.security_admin)
    with pytest.raises(RestoreError, match="已处置"):
        integrity_restore(alert=alert, user=portal.operator)


def test_a_page_a_system_job_put_online_is_restored_to_its_first_checked_version(
    portal: Portal,
) -> None:
    article = add_article(portal.news, "导入的通知", summary="导入的摘要。")
    check(portal)
    raw_update(
        "UPDATE content_articlepage SET summary = %s WHERE page_ptr_id = %s", ["x", article.pk]
    )
    raw_update("UPDATE wagtailcore_page SET title = %s WHERE id = %s", ["被改标题", article.pk])
    check(portal, now=NOW + dt.timedelta(hours=1))
    alert = IntegrityAlert.objects.get()

    integrity_restore(alert=alert, user=portal.operator)

    restored = ArticlePage.objects.get(pk=article.pk)
    assert (restored.title, restored.summary) == ("导入的通知", "导入的摘要。")
    assert set(ReviewEvent.objects.filter(page=article).values_list("action", flat=True)) >= {
        "bypass",
        "integrity_restore",
    }


def test_an_alert_closes_itself_when_the_page_shows_its_published_version_again(
    tampered: tuple[Portal, Any, IntegrityAlert],
) -> None:
    portal, article, alert = tampered
    raw_update(
        "UPDATE wagtailcore_page SET title = %s WHERE id = %s", ["区政府召开常务会议", article.pk]
    )
    check(portal, now=NOW + dt.timedelta(hours=2))
    alert.refresh_from_db()
    assert alert.state == "resolved"


# --- Who sees what -------------------------------------------------------------------------------


def test_units_see_only_alerts_of_their_own_pages(
    tampered: tuple[Portal, Any, IntegrityAlert],
) -> None:
    portal, _article, alert = tampered
    assert list(alerts_for_user(portal.operator)) == [alert]
    assert list(alerts_for_user(portal.security_admin)) == [alert]
    assert list(alerts_for_user(portal.editor_a)) == [alert]  # unit A runs the news column
    assert list(alerts_for_user(portal.editor_b)) == []
    assert list(alerts_for_user(portal.auditor)) == []


# --- The command and a real live server -----------------------------------------------------------


def test_the_command_checks_each_site_and_reports_alerts(
    tampered: tuple[Portal, Any, IntegrityAlert],
) -> None:
    out = StringIO()
    call_command("check_integrity", "--no-elements", stdout=out)
    text = out.getvalue()
    assert "localhost（进程内渲染）：检查 5 个页面，一致 4" in text


def test_a_bad_site_option_is_a_clear_error(portal: Portal) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有主机名为"):
        call_command("check_integrity", "--site", "nowhere.example")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tampering_is_caught_on_a_live_server_over_http(live_server: Any) -> None:
    from govportal.testing import build_portal

    portal = build_portal()
    article = add_article(portal.news, "线上文章", summary="线上摘要。")
    report = integrity_check(site=portal.site, base_url=live_server.url + "/", now=NOW)
    assert set(results(report).values()) == {"matched"}

    raw_update("UPDATE wagtailcore_page SET title = %s WHERE id = %s", ["黑页", article.pk])
    report = integrity_check(site=portal.site, base_url=live_server.url + "/", now=NOW)

    assert results(report)[f"/news/{article.slug}/"] == "alert"
    assert IntegrityAlert.objects.get().live_text.splitlines()[0] == "黑页"


def test_a_restore_the_content_checks_now_block_is_refused_with_the_reason(
    tampered: tuple[Portal, Any, IntegrityAlert],
) -> None:
    from govportal.checks.models import LexiconEntry

    portal, article, alert = tampered
    # Since publication the office has listed a word of the approved text as blocking.
    LexiconEntry.objects.create(word="民生工作", category="sensitive", severity="block")

    with pytest.raises(RestoreError, match=r"恢复被发布规则拒绝：.*民生工作"):
        integrity_restore(alert=alert, user=portal.operator)

    assert Page.objects.get(pk=article.pk).title == "网站已被黑"
    alert.refresh_from_db()
    assert alert.state == "open"
