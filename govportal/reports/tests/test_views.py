"""Public report pages, the admin screens and the dashboard panel."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from govportal.disclosure import request_stats
from govportal.reports import tables
from govportal.reports.forms import field_name
from govportal.reports.models import DisclosureReport
from govportal.reports.tests.helpers import COUNTS, add_report
from govportal.testing import Portal

pytestmark = pytest.mark.django_db


def admin_url(name: str, *args: Any) -> str:
    return reverse(f"govportal_reports:{name}", args=args)


def form_data(report: DisclosureReport, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "overview": report.overview,
        "problems": report.problems,
        "other_matters": report.other_matters,
        "fees_collected": str(report.fees_collected),
    }
    for table, values in report.tables_dict().items():
        for key in tables.TABLES[table]:
            data[field_name(table, key)] = values[key]
    data.update(changes)
    return data


# --- Public site --------------------------------------------------------------------------------


def test_a_published_report_is_a_page_with_accessible_tables(
    portal: Portal, client: Client
) -> None:
    report = add_report(status=DisclosureReport.Status.PUBLISHED)
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>渭滨区人民政府2025年政府信息公开工作年度报告</h1>" in html
    assert '<caption id="table-三-caption">三、收到和处理政府信息公开申请情况</caption>' in html
    assert '<th scope="col" rowspan="2">自然人</th>' in html
    assert '<th scope="rowgroup" rowspan="22">三、本年度办理结果</th>' in html
    assert "测试区人民政府门户网站" in html  # base.html: the site's header and footer
    assert reverse("reports:disclosure_pdf", args=[2025, "district"]) in html


def test_a_draft_report_is_not_public(portal: Portal, client: Client) -> None:
    report = add_report()
    assert client.get(report.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("reports:disclosure_docx", args=[2025, "district"])).status_code == 404
    )


def test_the_index_lists_only_published_reports(portal: Portal, client: Client) -> None:
    add_report(status=DisclosureReport.Status.PUBLISHED)
    add_report(unit=portal.unit_b)
    html = client.get(reverse("reports:index")).content.decode()
    assert "渭滨区人民政府2025年政府信息公开工作年度报告" in html
    assert "区教育局" not in html


def test_public_downloads_are_docx_and_pdf_files(portal: Portal, client: Client) -> None:
    report = add_report(unit=portal.unit_b, status=DisclosureReport.Status.PUBLISHED)
    docx = client.get(reverse("reports:disclosure_docx", args=[2025, report.slug]))
    assert docx.status_code == 200
    assert docx.content[:2] == b"PK"
    assert "filename*=UTF-8''%E5%8C%BA%E6%95%99%E8%82%B2%E5%B1%80" in docx["Content-Disposition"]
    pdf = client.get(reverse("reports:disclosure_pdf", args=[2025, report.slug]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


# --- Admin --------------------------------------------------------------------------------------


def test_only_report_managers_see_the_admin_screens(portal: Portal, client: Client) -> None:
    report = add_report()
    client.force_login(portal.editor_a)
    # Wagtail turns a refusal in the admin into a redirect to the dashboard with a message.
    for url in (admin_url("list"), admin_url("edit", report.pk), admin_url("pdf", report.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    client.force_login(portal.operator)
    response = client.get(admin_url("list"))
    assert response.status_code == 200
    assert "渭滨区人民政府2025年政府信息公开工作年度报告" in response.content.decode()


def test_the_operator_creates_a_report(portal: Portal, client: Client) -> None:
    client.force_login(portal.operator)
    with time_machine.travel(dt.datetime(2026, 2, 10, 9, 0), tick=False):
        response = client.post(admin_url("add"), {"year": "2025", "publisher_kind": "unit"})
        assert response.status_code == 400
        assert "须选择部门或单位" in response.content.decode()
        response = client.post(
            admin_url("add"),
            {"year": "2025", "publisher_kind": "unit", "unit": str(portal.unit_b.pk)},
        )
    report = DisclosureReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == admin_url("edit", report.pk)
    assert report.unit == portal.unit_b


def test_an_inconsistent_form_names_the_cells_keeps_the_input_and_saves_nothing(
    portal: Portal, client: Client
) -> None:
    report = add_report()
    client.force_login(portal.operator)
    data = form_data(report, overview="改写后的总体情况")
    data[field_name("requests", "received.natural_person")] = 9  # 一 no longer equals 三 + 四
    response = client.post(admin_url("edit", report.pk), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "数据未保存" in html
    assert "“一、本年新收政府信息公开申请数量·总计”为 10，但六类申请人之和为 11" in html
    assert "表三“自然人”列：一、本年新收（9）加二、上年结转（1）共 10" in html
    assert "改写后的总体情况" in html  # nothing typed is lost
    report.refresh_from_db()
    assert report.overview == "本年度全区政务公开工作稳步推进。"
    assert report.requests["received.natural_person"] == 8


def test_negative_and_fractional_numbers_are_refused_by_the_form(
    portal: Portal, client: Client
) -> None:
    report = add_report()
    client.force_login(portal.operator)
    data = form_data(report)
    data[field_name("proactive", "licensing")] = "-3"
    data[field_name("appeals", "review.upheld")] = "1.5"
    response = client.post(admin_url("edit", report.pk), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "表二“行政许可·本年处理决定数量”不能为负数。" in html
    assert "表四“行政复议·结果维持”须为整数。" in html
    name = field_name("proactive", "licensing")
    assert f'aria-describedby="id_{name}-error"' in html
    assert f'<span class="error-message" id="id_{name}-error">' in html
    report.refresh_from_db()
    assert report.proactive["licensing"] == 512


def test_a_consistent_form_is_saved(portal: Portal, client: Client) -> None:
    report = add_report()
    client.force_login(portal.operator)
    data = form_data(report, problems="部分栏目更新不够及时。")
    data[field_name("appeals", "suit_after_review.corrected")] = 2
    data[field_name("appeals", "suit_after_review.total")] = 2
    response = client.post(admin_url("edit", report.pk), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.appeals["suit_after_review.total"] == 2
    assert report.problems == "部分栏目更新不够及时。"


def test_fill_from_data_shows_the_changes_before_writing_them(
    portal: Portal, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(request_stats, "annual_request_counts", lambda year: COUNTS)
    monkeypatch.setattr(request_stats, "annual_fees_collected", lambda year: Decimal("50"))
    report = DisclosureReport.objects.create(year=2025, publisher_kind="district")
    client.force_login(portal.operator)
    preview = client.get(admin_url("fill", report.pk)).content.decode()
    assert "表三“一、本年新收政府信息公开申请数量·自然人”" in preview
    assert "确认填充以上数据" in preview
    report.refresh_from_db()
    assert report.requests["received.natural_person"] == 0
    digest = re.search(r'name="digest" value="(\w+)"', preview)
    assert digest is not None
    # The data changed after the preview: nothing is written, the preview is shown again.
    other = {**COUNTS, "received": {"natural_person": 9, "business": 2}}
    monkeypatch.setattr(request_stats, "annual_request_counts", lambda year: other)
    response = client.post(admin_url("fill", report.pk), {"digest": digest[1]})
    assert response["Location"] == admin_url("fill", report.pk)
    report.refresh_from_db()
    assert report.requests["received.natural_person"] == 0
    monkeypatch.setattr(request_stats, "annual_request_counts", lambda year: COUNTS)
    response = client.post(admin_url("fill", report.pk), {"digest": digest[1]})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.requests["received.natural_person"] == 8
    assert report.fees_collected == Decimal("50")


def test_publish_buttons_are_the_operators_and_a_published_report_is_read_only(
    portal: Portal, client: Client
) -> None:
    report = add_report()
    client.force_login(portal.operator)
    client.post(admin_url("publish", report.pk))
    report.refresh_from_db()
    assert report.is_published
    html = client.get(admin_url("edit", report.pk)).content.decode()
    assert "撤销发布" in html
    assert "报告已发布，内容不能直接修改" in html
    assert 'name="overview"' not in html
    response = client.post(admin_url("edit", report.pk), form_data(report, overview="偷改"))
    assert "请先撤销发布" in response.content.decode()
    report.refresh_from_db()
    assert report.overview != "偷改"


def test_admin_downloads_work_for_drafts(portal: Portal, client: Client) -> None:
    report = add_report()
    client.force_login(portal.operator)
    assert client.get(admin_url("pdf", report.pk)).content.startswith(b"%PDF")
    assert client.get(admin_url("docx", report.pk)).content[:2] == b"PK"


# --- Dashboard ----------------------------------------------------------------------------------


def test_the_dashboard_shows_the_next_deadlines(portal: Portal, client: Client) -> None:
    add_report(year=2025, status=DisclosureReport.Status.PUBLISHED)
    client.force_login(portal.operator)
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0), tick=False):
        html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "政府信息公开工作年度报告期限" in html
    assert "区人民政府2025年度报告" in html
    assert "2026年3月31日" in html
    assert "已按时完成" in html
    # The departments' 31 January deadline has passed with no department report.
    assert "区政府部门2025年度报告" in html
    assert "已逾期 29 天" in html
    assert "区政府部门2026年度报告" in html


def test_the_dashboard_panel_is_not_shown_to_unit_editors(portal: Portal, client: Client) -> None:
    client.force_login(portal.editor_a)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "政府信息公开工作年度报告期限" not in html


def test_bad_create_input_gets_a_chinese_error_not_a_500(portal: Portal, client: Client) -> None:
    add_report(year=2024)
    client.force_login(portal.operator)
    with time_machine.travel(dt.datetime(2026, 2, 10, 9, 0), tick=False):
        response = client.post(admin_url("add"), {"year": "二〇二五", "publisher_kind": "district"})
        assert response.status_code == 400
        assert "报告年度须为四位数字年份" in response.content.decode()
        response = client.post(admin_url("add"), {"year": "2024", "publisher_kind": "district"})
        assert response.status_code == 400
        assert "区人民政府2024年的年度报告已经存在" in response.content.decode()
        response = client.post(
            admin_url("add"), {"year": "2025", "publisher_kind": "unit", "unit": "999999"}
        )
        assert "所选部门或单位不存在" in response.content.decode()
    assert DisclosureReport.objects.count() == 1
