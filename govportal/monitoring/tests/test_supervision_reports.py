"""季发文通报 (DOCX, PDF) and 年绩效考核 (XLSX), and the monthly reminder (月单独提醒)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from govportal.monitoring.models import UnitReminder, WorkOrder
from govportal.monitoring.supervision import daily_check, work_order_fix
from govportal.monitoring.supervision_reports import (
    MeasureFacts,
    OrderFacts,
    RunFacts,
    circular_build,
    circular_docx,
    circular_pdf,
    facts_load,
    quarter_bounds,
    unit_scores,
    unit_scores_xlsx,
)
from govportal.monitoring.tests.supervision_fixtures import column_rules_only  # noqa: F401
from govportal.testing import Portal, add_article, add_column

D = dt.date


def order(
    pk: int,
    units: tuple[int, ...],
    opened: dt.date,
    due: dt.date,
    resolved: dt.date | None = None,
    *,
    level: str = "deduction",
    reopened: int = 0,
) -> OrderFacts:
    return OrderFacts(
        pk=pk,
        unit_ids=units,
        level=level,
        message=f"问题{pk}",
        opened_on=opened,
        due_on=due,
        resolved_on=resolved,
        verified_on=resolved,
        reopen_count=reopened,
    )


NAMES = {1: "区民政局", 2: "区教育局", 3: "区统计局"}
ORDERS = [
    # 区民政局: one fixed in time, one still open and long past its deadline.
    order(1, (1,), D(2026, 4, 2), D(2026, 4, 7), D(2026, 4, 5)),
    order(2, (1,), D(2026, 4, 2), D(2026, 4, 7), level="veto"),
    # 区教育局: one fixed late.
    order(3, (2,), D(2026, 5, 1), D(2026, 5, 11), D(2026, 5, 20)),
    # 区统计局: nothing this quarter (an old order, fixed last quarter).
    order(4, (3,), D(2026, 1, 5), D(2026, 1, 15), D(2026, 1, 10)),
]
RUNS = [
    RunFacts(D(2026, 4, 2), False, None, ("栏目不更新：空白栏目达到5个",)),
    RunFacts(D(2026, 6, 30), True, Decimal(95), ()),
    RunFacts(D(2026, 7, 1), True, Decimal(100), ()),  # next quarter
]


def test_quarter_bounds() -> None:
    assert quarter_bounds(2026, 2) == (D(2026, 4, 1), D(2026, 6, 30))
    assert quarter_bounds(2026, 4) == (D(2026, 10, 1), D(2026, 12, 31))


def test_the_circular_ranks_units_by_overdue_then_open_problems() -> None:
    data = circular_build(year=2026, quarter=2, orders=ORDERS, runs=RUNS, unit_names=NAMES)
    assert [(r.name, r.found, r.open, r.fixed, r.overdue) for r in data.units] == [
        ("区民政局", 2, 1, 1, 1),
        ("区教育局", 1, 0, 1, 1),
    ]
    assert data.checked_days == 2
    assert (data.passed_days, data.failed_days) == (1, 1)
    assert data.veto_counts == [("栏目不更新：空白栏目达到5个", 1)]
    assert data.title == "关于2026年第二季度政府网站监管情况的通报"


def test_the_circular_reads_back_from_word_and_pdf() -> None:
    data = circular_build(year=2026, quarter=2, orders=ORDERS, runs=RUNS, unit_names=NAMES)
    document = Document(io.BytesIO(circular_docx(data)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "关于2026年第二季度政府网站监管情况的通报" in text
    assert "合格 1 天、不合格 1 天" in text
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "排名",
        "单位",
        "发现问题",
        "未整改",
        "已整改",
        "超期",
    ]
    assert [c.text for c in table.rows[1].cells] == ["1", "区民政局", "2", "1", "1", "1"]

    pdf = PdfReader(io.BytesIO(circular_pdf(data)))
    pdf_text = "".join(page.extract_text() for page in pdf.pages)
    assert "政府网站监管情况的通报" in pdf_text
    assert "区民政局" in pdf_text
    assert "区教育局" in pdf_text


def test_the_annual_score_follows_the_documented_formula() -> None:
    measures = [MeasureFacts(1, "talk", "约谈", D(2026, 5, 1))]
    scores = unit_scores(
        year=2026, orders=ORDERS, measures=measures, unit_names=NAMES, today=D(2026, 12, 31)
    )
    by_name = {s.name: s for s in scores}
    # 民政局: 0.5 (fixed in time) + 2 × (0.5 + 5) (veto, unresolved) + 3 (约谈) = 14.5
    assert by_name["区民政局"].score == Decimal("85.5")
    assert (by_name["区民政局"].on_time, by_name["区民政局"].unresolved) == (1, 1)
    # 教育局: 0.5 + 2 (late)
    assert by_name["区教育局"].score == Decimal("97.5")
    assert by_name["区统计局"].score == Decimal("99.5")
    assert [s.name for s in scores] == ["区统计局", "区教育局", "区民政局"]


def test_the_annual_scores_export_to_excel() -> None:
    scores = unit_scores(
        year=2026, orders=ORDERS, measures=[], unit_names=NAMES, today=D(2026, 12, 31)
    )
    sheet = load_workbook(io.BytesIO(unit_scores_xlsx(scores, year=2026))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("排名", "单位", "发现问题")
    assert rows[2][1] == "区统计局"
    assert rows[2][-1] == 99.5


NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


@pytest.mark.usefixtures("column_rules_only")
@time_machine.travel(NOW, tick=False)
def test_facts_come_from_the_stored_checks_and_orders(portal: Portal) -> None:
    add_article(portal.news, "今日要闻", pub_date=NOW - dt.timedelta(days=1))
    add_article(portal.notices, "通知", pub_date=NOW - dt.timedelta(days=1))
    empty = add_column(portal.affairs, "空栏目", kind_code="static", units=[portal.unit_b])
    daily_check(today=D(2026, 6, 15))
    work_order_fix(order=WorkOrder.objects.get(column=empty), user=portal.editor_b, note="已补充")
    orders, runs, _, names = facts_load()
    assert [o.unit_ids for o in orders] == [(portal.unit_b.pk,)]
    assert orders[0].resolved_on == D(2026, 6, 15)
    assert [r.date for r in runs] == [D(2026, 6, 15)]
    assert names[portal.unit_b.pk] == "区教育局"


@pytest.mark.usefixtures("column_rules_only")
@time_machine.travel(NOW, tick=False)
def test_each_unit_gets_one_monthly_reminder_with_its_orders_and_due_columns(
    portal: Portal,
) -> None:
    portal.unit_b.email = "jyj@example.test"
    portal.unit_b.save()
    add_article(portal.news, "今日要闻", pub_date=NOW - dt.timedelta(days=1))
    add_article(portal.notices, "通知", pub_date=NOW - dt.timedelta(days=1))
    add_column(portal.affairs, "空栏目", kind_code="static", units=[portal.unit_b])
    daily_check(today=D(2026, 6, 15))

    out = StringIO()
    call_command("monthly_reminder", "--month", "2026-06", stdout=out)
    call_command("monthly_reminder", "--month", "2026-06", stdout=out)
    reminder = UnitReminder.objects.get(unit=portal.unit_b)
    assert reminder.open_orders == 1
    assert "空栏目" in reminder.body
    assert reminder.sent_at is not None
    mails = [m for m in mail.outbox if "jyj@example.test" in m.to]
    assert len(mails) == 1  # once per unit per month, however often it runs
    assert "区教育局" in mails[0].subject
    assert "一、尚未整改的问题（1 件）" in mails[0].body
    assert "二、本月到期或已超期的栏目" in mails[0].body
    assert "本次生成 0 份" in out.getvalue()
