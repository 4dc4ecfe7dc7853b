"""Supervision screens: the operator's dashboard and documents, a unit's own work orders."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from govportal.monitoring.models import (
    AccountabilityMeasure,
    CrawlLink,
    CrawlPage,
    CrawlRun,
    WorkOrder,
)
from govportal.monitoring.supervision import daily_check
from govportal.monitoring.tests.supervision_fixtures import column_rules_only  # noqa: F401
from govportal.testing import Portal, add_article, add_column

pytestmark = pytest.mark.usefixtures("column_rules_only")

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 15)


def url(name: str, *args: object) -> str:
    return reverse(f"monitoring_supervision:{name}", args=args)


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def denied(response: object) -> bool:
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard and a message."""
    status = response.status_code  # type: ignore[attr-defined]
    if status == 302:
        return response["Location"] == reverse("wagtailadmin_home")  # type: ignore[index]
    return status == 403


def plant(portal: Portal) -> None:
    add_article(portal.news, "今日要闻", pub_date=NOW - dt.timedelta(days=1))
    add_article(portal.notices, "通知", pub_date=NOW - dt.timedelta(days=1))
    for n in range(5):
        add_column(portal.affairs, f"空栏目{n}", kind_code="static", units=[portal.unit_b])
    add_column(portal.affairs, "甲单位空栏目", kind_code="static", units=[portal.unit_a])


@time_machine.travel(NOW, tick=False)
def test_the_operator_dashboard_shows_the_verdict_trend_and_worst_units(portal: Portal) -> None:
    plant(portal)
    daily_check(today=TODAY - dt.timedelta(days=1))
    client = client_for(portal.operator)
    response = client.post(url("run_check"))
    assert response.status_code == 302
    page = client.get(url("dashboard")).content.decode()
    assert "2026-06-15 评估结论" in page
    assert "评估结论：不合格" in page
    assert "栏目不更新：空白栏目达到5个" in page
    assert "<svg" in page and "06-14 不合格" in page
    assert "区教育局" in page  # the unit with the most open orders
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "监测监管" in home and "评估结论：不合格" in home


@time_machine.travel(NOW, tick=False)
def test_a_unit_sees_only_its_own_orders_and_not_the_operator_screens(portal: Portal) -> None:
    plant(portal)
    daily_check(today=TODAY)
    client = client_for(portal.editor_a)
    page = client.get(url("orders")).content.decode()
    assert "甲单位空栏目" in page
    assert "空栏目0" not in page
    other = WorkOrder.objects.get(message__contains="空栏目0")
    assert client.get(url("order", other.pk)).status_code == 404
    for name in ("dashboard", "duty_log", "circular", "annual", "accountability", "crawls"):
        assert denied(client.get(url(name))), name
    assert denied(client_for(portal.auditor).get(url("orders")))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "本单位工单" in home


@time_machine.travel(NOW, tick=False)
def test_a_unit_marks_its_order_fixed_and_an_empty_note_is_refused(portal: Portal) -> None:
    plant(portal)
    daily_check(today=TODAY)
    order = WorkOrder.objects.get(message__contains="甲单位空栏目")
    client = client_for(portal.editor_a)
    response = client.post(url("order", order.pk), {"note": ""})
    assert response.status_code == 200
    assert "请填写整改说明" in response.content.decode()
    response = client.post(url("order", order.pk), {"note": "已补充栏目内容"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == WorkOrder.State.FIXED
    assert order.fixed_by == portal.editor_a
    page = client.get(url("order", order.pk)).content.decode()
    assert "已补充栏目内容" in page and "单位整改" in page


@time_machine.travel(NOW, tick=False)
def test_the_duty_log_of_a_day_prints_what_was_checked_found_and_fixed(portal: Portal) -> None:
    plant(portal)
    daily_check(today=TODAY)
    order = WorkOrder.objects.get(message__contains="甲单位空栏目")
    client_for(portal.editor_a).post(url("order", order.pk), {"note": "已补充栏目内容"})
    client = client_for(portal.operator)
    page = client.get(url("duty_log_day", "2026-06-15")).content.decode()
    assert "值班读网记录" in page and "@media print" in page
    assert "一、检查了什么" in page and "首页不更新" in page
    assert "新发现问题 6 个" in page
    assert "已补充栏目内容" in page and "editor_a" in page
    response = client.post(url("duty_log_day", "2026-06-15"), {"note": "系统运行正常。"})
    assert response.status_code == 302
    assert "系统运行正常。" in client.get(url("duty_log_day", "2026-06-15")).content.decode()
    assert client.get(url("duty_log_day", "2026-06-01")).status_code == 404
    assert client.get(url("duty_log_day", "not-a-date")).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_operator_downloads_the_circular_and_the_annual_scores(portal: Portal) -> None:
    plant(portal)
    daily_check(today=TODAY)
    client = client_for(portal.operator)
    page = client.get(url("circular"), {"year": "2026", "quarter": "2"}).content.decode()
    assert "关于2026年第二季度政府网站监管情况的通报" in page
    response = client.get(url("circular"), {"year": "2026", "quarter": "2", "format": "docx"})
    document = Document(io.BytesIO(response.content))
    assert document.tables[0].rows[1].cells[1].text == "区教育局"
    response = client.get(url("circular"), {"year": "2026", "quarter": "2", "format": "pdf"})
    assert response.content.startswith(b"%PDF")
    bad = client.get(url("circular"), {"year": "x", "quarter": "9"})
    assert bad.status_code == 200 and "error" in bad.content.decode().lower()
    response = client.get(url("annual"), {"year": "2026", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    names = [r[1] for r in sheet.iter_rows(min_row=3, values_only=True) if isinstance(r[0], int)]
    assert names[-1] == "区教育局"  # five open problems: the lowest score


@time_machine.travel(NOW, tick=False)
def test_the_operator_records_a_measure_linked_to_the_orders_that_caused_it(
    portal: Portal,
) -> None:
    plant(portal)
    daily_check(today=TODAY)
    orders = list(WorkOrder.objects.filter(units=portal.unit_b))
    foreign = WorkOrder.objects.get(units=portal.unit_a)
    client = client_for(portal.operator)
    form = {
        "unit": portal.unit_b.pk,
        "kind": "talk",
        "decided_on": "2026-06-15",
        "reason": "空白栏目长期未整改",
        "orders": [orders[0].pk, foreign.pk],
    }
    response = client.post(url("accountability"), form)
    assert response.status_code == 200
    assert "不属于该单位" in response.content.decode()
    assert "空白栏目长期未整改" in response.content.decode()  # what was typed stays
    form["orders"] = [o.pk for o in orders]
    assert client.post(url("accountability"), form).status_code == 302
    measure = AccountabilityMeasure.objects.get()
    assert measure.get_kind_display() == "约谈"
    assert set(measure.orders.all()) == set(orders)
    assert "约谈" in client.get(url("order", orders[0].pk)).content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_crawl_screen_groups_broken_links_by_unit_and_column(portal: Portal) -> None:
    run = CrawlRun.objects.create(start_url="http://127.0.0.1/", state="finished")
    source = CrawlPage.objects.create(
        run=run,
        url="http://127.0.0.1/news/",
        kind="page",
        state="done",
        status=200,
        column=portal.news,
    )
    dead = CrawlPage.objects.create(
        run=run, url="http://127.0.0.1/gone", kind="page", state="done", status=404
    )
    link = CrawlLink.objects.create(
        run=run,
        source=source,
        target=dead,
        anchor="旧链接",
        tag="a",
        kind="page",
        column=portal.news,
    )
    link.units.add(portal.unit_a)
    client = client_for(portal.operator)
    assert "http://127.0.0.1/" in client.get(url("crawls")).content.decode()
    page = client.get(url("crawl", run.pk)).content.decode()
    assert "共发现断链 <strong>1</strong> 处" in page
    assert "区政府办公室" in page and "旧链接" in page and "HTTP 404" in page
