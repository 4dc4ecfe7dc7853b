"""The veto 安全、泄密事故等严重问题: recorded incidents, open tamper alerts and blocking content
on live pages each bring it on their own; the operator records incidents, the auditor reads them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from govportal.checks.models import LexiconEntry
from govportal.monitoring.indicators import assess
from govportal.monitoring.integrity import integrity_check, integrity_restore
from govportal.monitoring.models import IntegrityAlert, SecurityIncident
from govportal.monitoring.rules import rule_run
from govportal.testing import PASSWORD, Portal, add_article

TODAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)
VETO = "安全、泄密事故等严重问题"


def run(today: dt.date = TODAY, **thresholds: Any) -> Any:
    return rule_run("security_incidents", today=today, thresholds=thresholds)


def incident(portal: Portal, occurred_on: dt.date, **fields: Any) -> SecurityIncident:
    defaults: dict[str, Any] = {
        "kind": SecurityIncident.Kind.MISSTATEMENT,
        "description": "领导姓名写错，发布两小时后更正。",
        "url": "/news/a-1/",
        "unit": portal.unit_a,
        "recorded_by": portal.operator,
    }
    return SecurityIncident.objects.create(occurred_on=occurred_on, **{**defaults, **fields})


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


# The rule -------------------------------------------------------------------------------------


def test_a_clean_portal_is_measured_and_passes(portal: Portal) -> None:
    add_article(portal.news, "区政府召开常务会议", summary="会议研究了秋季防汛工作。")
    result = run()
    assert not result.untested
    assert not result.breached
    assert result.measured == 0
    assert result.findings == ()


def test_a_recorded_incident_of_the_window_is_a_veto_that_reaches_its_unit(
    portal: Portal,
) -> None:
    recorded = incident(
        portal, TODAY - dt.timedelta(days=300), resolved_on=TODAY - dt.timedelta(days=299)
    )
    result = run()
    assert result.breached and result.measured == 1
    (finding,) = result.findings
    assert "严重表述错误" in finding.message and "区政府办公室" in finding.message
    assert finding.unit_ids == (portal.unit_a.pk,)
    assert finding.url == "/news/a-1/"
    assert finding.key == f"incident:{recorded.pk}"


def test_a_resolved_incident_older_than_the_window_does_not_count(portal: Portal) -> None:
    incident(portal, dt.date(2025, 5, 1), resolved_on=dt.date(2025, 6, 10))
    assert not run().breached
    # The window comes from the thresholds when the indicator row gives one.
    assert run(window_months=13).breached


def test_an_old_incident_still_unresolved_or_resolved_inside_the_window_counts(
    portal: Portal,
) -> None:
    incident(portal, dt.date(2024, 1, 5))
    old_resolved_late = incident(
        portal, dt.date(2025, 1, 5), resolved_on=dt.date(2025, 7, 1), unit=None, url=""
    )
    result = run()
    assert result.measured == 2
    assert any("尚未处置完成" in f.message for f in result.findings)
    late = next(f for f in result.findings if f.key == f"incident:{old_resolved_late.pk}")
    assert late.unit_ids == () and "2025-07-01 处置完成" in late.message


def test_an_incident_after_the_assessed_date_does_not_count_for_it(portal: Portal) -> None:
    incident(portal, TODAY + dt.timedelta(days=1))
    assert not run().breached
    assert run(TODAY + dt.timedelta(days=1)).breached


@pytest.fixture
def tampered(portal: Portal) -> IntegrityAlert:
    article = add_article(portal.news, "区政府召开常务会议")
    integrity_check(site=portal.site, now=NOW)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE wagtailcore_page SET title = %s WHERE id = %s", ["黑页", article.pk])
    integrity_check(site=portal.site, now=NOW + dt.timedelta(hours=1))
    return IntegrityAlert.objects.get()


def test_an_unresolved_tamper_alert_on_a_live_page_is_a_veto(
    portal: Portal, tampered: IntegrityAlert
) -> None:
    assert run(TODAY - dt.timedelta(days=1)).findings == ()  # not detected yet on that date
    result = run()
    assert result.breached and result.measured == 1
    (finding,) = result.findings
    assert finding.message.startswith("【防篡改告警】")
    assert finding.column_id == portal.news.pk
    assert finding.unit_ids == (portal.unit_a.pk,)
    assert finding.url == tampered.url and finding.key == f"tamper:{tampered.pk}"


def test_a_restored_tamper_alert_no_longer_counts_from_the_day_it_was_restored(
    portal: Portal, tampered: IntegrityAlert
) -> None:
    integrity_restore(alert=tampered, user=portal.operator, now=NOW + dt.timedelta(days=2))
    tampered.refresh_from_db()
    assert tampered.state == IntegrityAlert.State.RESTORED
    assert run(TODAY + dt.timedelta(days=1)).breached  # still open on that day
    assert not run(TODAY + dt.timedelta(days=2)).breached


def test_a_classified_marking_on_a_live_page_is_a_veto_for_its_column_and_unit(
    portal: Portal,
) -> None:
    add_article(portal.notices, "关于做好防汛工作的通知", summary="机密★1年\n各镇街、各部门：……")
    result = run()
    assert result.breached and result.measured == 1
    (finding,) = result.findings
    assert finding.message.startswith("【内容检查】关于做好防汛工作的通知")
    assert "机密" in finding.message and "第十九条" in finding.message
    assert finding.column_id == portal.notices.pk
    assert finding.unit_ids == (portal.unit_b.pk,)
    assert finding.url.startswith("/affairs/notices/")


def test_a_blocking_word_added_to_the_lexicon_after_publication_is_a_veto(
    portal: Portal,
) -> None:
    add_article(portal.news, "区政府召开常务会议", summary="会议通报了示例禁用词甲的处理情况。")
    assert not run().breached
    LexiconEntry.objects.create(word="示例提示词乙", category="typo", suggestion="示例提示词丙")
    add_article(portal.news, "区教育局召开会议", summary="示例提示词乙")
    assert not run().breached  # a warning is for the reviewer, not a veto
    LexiconEntry.objects.create(word="示例禁用词甲", category="sensitive")
    result = run()
    assert result.breached
    (finding,) = result.findings
    assert "示例禁用词甲" in finding.message and finding.column_id == portal.news.pk


def test_a_withdrawn_page_with_a_marking_no_longer_counts(portal: Portal) -> None:
    article = add_article(portal.news, "内部通知", summary="内部资料 注意保密")
    assert run().breached
    article.unpublish()
    assert not run().breached


def test_the_assessment_measures_the_veto_instead_of_listing_it_as_untested(
    portal: Portal,
) -> None:
    assessment = assess(TODAY)
    untested = [spec.name for spec, _ in assessment.verdict.untested]
    assert VETO not in untested
    assert VETO not in [hit.indicator.name for hit in assessment.verdict.vetoes]
    incident(portal, TODAY)
    assert VETO in [hit.indicator.name for hit in assess(TODAY).verdict.vetoes]


# The admin screen -----------------------------------------------------------------------------

ADD_URL = "/admin/snippets/monitoring/securityincident/add/"
INDEX_URL = "/admin/snippets/monitoring/securityincident/"


def form_data(portal: Portal, **fields: Any) -> dict[str, Any]:
    return {
        "occurred_on": "2026-06-01",
        "kind": SecurityIncident.Kind.TAMPERED,
        "description": "首页被植入暗链，当日清除并加固。",
        "url": "/",
        "unit": str(portal.unit_a.pk),
        "resolved_on": "2026-06-01",
        **fields,
    }


def test_the_operator_records_an_incident_through_the_admin(portal: Portal) -> None:
    client = login(portal.operator)
    assert client.get(ADD_URL).status_code == 200
    response = client.post(ADD_URL, form_data(portal))
    assert (response.status_code, response.get("Location")) == (302, INDEX_URL)
    recorded = SecurityIncident.objects.get()
    assert recorded.recorded_by == portal.operator
    assert recorded.unit == portal.unit_a
    assert "网站被攻击篡改" in client.get(INDEX_URL).content.decode()


def test_the_admin_refuses_an_incident_resolved_before_it_happened(portal: Portal) -> None:
    client = login(portal.operator)
    response = client.post(ADD_URL, form_data(portal, resolved_on="2026-05-01"))
    assert response.status_code == 200
    assert "处置完成日期不能早于发生日期" in response.content.decode()
    assert not SecurityIncident.objects.exists()


def test_the_auditor_reads_the_incidents_but_cannot_record_one(portal: Portal) -> None:
    incident(portal, TODAY - dt.timedelta(days=3))
    client = login(portal.auditor)
    listing = client.get(INDEX_URL)
    assert listing.status_code == 200
    assert "严重表述错误" in listing.content.decode()
    assert client.get(ADD_URL).status_code in (302, 403)
    client.post(ADD_URL, form_data(portal))
    assert SecurityIncident.objects.count() == 1


def test_a_unit_editor_sees_no_incident_screen(portal: Portal) -> None:
    client = login(portal.editor_a)
    assert client.get(INDEX_URL).status_code in (302, 403)
