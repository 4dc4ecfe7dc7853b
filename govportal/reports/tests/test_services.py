"""Creating, editing, filling, publishing reports through services.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from govportal.disclosure import request_stats
from govportal.reports import services
from govportal.reports.models import DisclosureReport
from govportal.reports.rules import PublisherKind
from govportal.reports.tests.helpers import COUNTS, NOW, add_report, balanced_tables
from govportal.testing import Portal

pytestmark = pytest.mark.django_db
TODAY = NOW.date()


def update(report: DisclosureReport, user: Any, data: dict[str, Any], **text: Any) -> None:
    services.report_update(
        report=report,
        user=user,
        overview=text.get("overview", "总体情况"),
        problems=text.get("problems", ""),
        other_matters="",
        fees_collected=Decimal("0"),
        tables_new=data,
    )


def test_a_district_report_is_created_once_a_year(portal: Portal) -> None:
    report = services.report_create(
        year=2025,
        publisher_kind=PublisherKind.DISTRICT,
        unit=None,
        user=portal.operator,
        today=TODAY,
    )
    assert report.title == "渭滨区人民政府2025年政府信息公开工作年度报告"
    assert report.status == DisclosureReport.Status.DRAFT
    with pytest.raises(services.ReportError, match="已经存在"):
        services.report_create(
            year=2025,
            publisher_kind=PublisherKind.DISTRICT,
            unit=None,
            user=portal.operator,
            today=TODAY,
        )


def test_unit_reports_are_one_per_unit_and_year(portal: Portal) -> None:
    for unit in (portal.unit_a, portal.unit_b):
        services.report_create(
            year=2025,
            publisher_kind=PublisherKind.UNIT,
            unit=unit,
            user=portal.operator,
            today=TODAY,
        )
    with pytest.raises(services.ReportError, match="区教育局2025年"):
        services.report_create(
            year=2025,
            publisher_kind=PublisherKind.UNIT,
            unit=portal.unit_b,
            user=portal.operator,
            today=TODAY,
        )


def test_a_report_for_a_year_not_yet_over_is_refused(portal: Portal) -> None:
    with pytest.raises(services.ReportError, match="年度结束后"):
        services.report_create(
            year=2026, publisher_kind="district", unit=None, user=portal.operator, today=TODAY
        )
    with pytest.raises(services.ReportError, match="须选择部门"):
        services.report_create(
            year=2025, publisher_kind="unit", unit=None, user=portal.operator, today=TODAY
        )
    assert not DisclosureReport.objects.exists()


def test_an_inconsistent_table_is_refused_and_nothing_changes(portal: Portal) -> None:
    report = add_report(overview="原有的总体情况")
    data = balanced_tables()
    data["requests"]["total.natural_person"] += 1
    with pytest.raises(services.ReportError) as caught:
        update(report, portal.operator, data, overview="新的总体情况")
    assert any("（七）总计·自然人" in m for m in caught.value.messages)
    report.refresh_from_db()
    assert report.overview == "原有的总体情况"
    assert report.requests == balanced_tables()["requests"]


def test_a_consistent_edit_is_saved(portal: Portal) -> None:
    report = add_report()
    data = balanced_tables()
    data["appeals"]["review.corrected"] = 2
    data["appeals"]["review.total"] = 3
    update(report, portal.operator, data, problems="个别部门更新不及时。")
    report.refresh_from_db()
    assert report.appeals["review.total"] == 3
    assert report.problems == "个别部门更新不及时。"
    assert report.updated_by == portal.operator


def test_a_published_report_cannot_be_edited(portal: Portal) -> None:
    report = add_report(status=DisclosureReport.Status.PUBLISHED)
    with pytest.raises(services.ReportError, match="请先撤销发布"):
        update(report, portal.operator, balanced_tables())


def test_fill_plan_shows_the_changes_and_saves_nothing(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(request_stats, "annual_request_counts", lambda year: COUNTS)
    monkeypatch.setattr(request_stats, "annual_fees_collected", lambda year: Decimal("300"))
    report = DisclosureReport.objects.create(year=2025, publisher_kind="district")
    plan = services.report_fill_plan(report=report)
    changed = {change.key: change.new for change in plan.changes if change.table == "requests"}
    assert changed["received.natural_person"] == 8
    assert changed["received.total"] == 10
    assert changed["total.total"] == 9
    assert plan.fees_change == (Decimal("0"), Decimal("300.00"))
    assert plan.problems == []
    report.refresh_from_db()
    assert report.requests["received.natural_person"] == 0


def test_fill_from_data_keeps_what_the_platform_does_not_know(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(request_stats, "annual_request_counts", lambda year: COUNTS)
    report = add_report()
    report.appeals = {**report.appeals, "review.upheld": 4, "review.total": 4}
    report.proactive = {**report.proactive, "licensing": 777}
    report.save()
    services.report_fill_from_data(report=report, user=portal.operator, now=NOW)
    report.refresh_from_db()
    assert report.appeals["review.upheld"] == 4
    assert report.proactive["licensing"] == 777
    assert report.requests["carried_out.natural_person"] == 2
    assert report.filled_at == NOW


def test_fill_counts_the_policy_documents_of_the_year(portal: Portal) -> None:
    from govportal.disclosure.models import Genre
    from govportal.disclosure.tests.helpers import add_document

    banfa = Genre.objects.get(code="banfa")
    add_document(
        portal,
        written_date=dt.date(2025, 4, 1),
        genre=banfa,
        document_number="宝渭政办发〔2025〕3号",
    )
    add_document(
        portal,
        title="旧办法",
        written_date=dt.date(2019, 4, 1),
        genre=banfa,
        document_number="宝渭政办发〔2019〕7号",
        repealed_on=dt.date(2025, 4, 1),
    )
    add_document(
        portal,
        title="转载",
        written_date=dt.date(2025, 5, 1),
        is_reprint=True,
        reprint_organ="陕西省人民政府",
        reprint_url="https://www.example.com/a",
    )
    district = DisclosureReport.objects.create(year=2025, publisher_kind="district")
    plan = services.report_fill_plan(report=district)
    assert plan.values["proactive"]["normative.issued"] == 1
    assert plan.values["proactive"]["normative.repealed"] == 1
    assert plan.values["proactive"]["normative.in_force"] == 1
    unit_b = DisclosureReport.objects.create(year=2025, publisher_kind="unit", unit=portal.unit_b)
    assert services.report_fill_plan(report=unit_b).values["proactive"]["normative.issued"] == 0


def test_a_unit_report_does_not_take_the_district_wide_request_counts(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(request_stats, "annual_request_counts", lambda year: COUNTS)
    report = DisclosureReport.objects.create(year=2025, publisher_kind="unit", unit=portal.unit_a)
    plan = services.report_fill_plan(report=report)
    assert not [c for c in plan.changes if c.table == "requests"]
    assert any("本单位台账" in note for note in plan.notes)


def test_unbalanced_platform_counts_are_written_but_block_publishing(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = {**COUNTS, "carried_out": {"natural_person": 5}}
    monkeypatch.setattr(request_stats, "annual_request_counts", lambda year: broken)
    report = add_report()
    plan = services.report_fill_from_data(report=report, user=portal.operator, now=NOW)
    assert plan.problems
    with pytest.raises(services.ReportError, match="自然人"):
        services.report_publish(report=report, user=portal.operator, now=NOW)


def test_only_the_operator_publishes(portal: Portal) -> None:
    report = add_report()
    with pytest.raises(services.ReportError, match="运维监管"):
        services.report_publish(report=report, user=portal.editor_a, now=NOW)
    services.report_publish(report=report, user=portal.operator, now=NOW)
    report.refresh_from_db()
    assert report.is_published
    assert report.published_at == NOW
    assert report.published_by == portal.operator
    with pytest.raises(services.ReportError, match="运维监管"):
        services.report_unpublish(report=report, user=portal.editor_a)
    services.report_unpublish(report=report, user=portal.operator)
    report.refresh_from_db()
    assert not report.is_published


def test_a_report_without_an_overview_is_not_published(portal: Portal) -> None:
    report = add_report(overview="  ")
    with pytest.raises(services.ReportError, match="总体情况"):
        services.report_publish(report=report, user=portal.operator, now=NOW)
