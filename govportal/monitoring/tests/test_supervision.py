"""Daily check (日监测读网): stored measurements, the verdict of a stored date, work orders."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from govportal.core.models import ColumnPage
from govportal.monitoring.models import CheckRun, Indicator, Measurement, WorkOrder, WorkOrderEvent
from govportal.monitoring.rules import Finding
from govportal.monitoring.supervision import (
    daily_check,
    finding_fingerprint,
    orders_visible_to,
    work_order_fix,
)
from govportal.monitoring.tests.supervision_fixtures import column_rules_only  # noqa: F401
from govportal.testing import Portal, add_article, add_column

pytestmark = pytest.mark.usefixtures("column_rules_only")

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 15)


def days_ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def command(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def plant(portal: Portal) -> list[ColumnPage]:
    """Fresh own columns, plus 5 stale news columns of unit B (a 单项否决)."""
    add_article(portal.news, "今日要闻", pub_date=days_ago(1))
    add_article(portal.notices, "通知", pub_date=days_ago(1))
    stale = []
    for n in range(5):
        column = add_column(portal.affairs, f"部门动态{n}", kind_code="news", units=[portal.unit_b])
        add_article(column, f"旧动态{n}", pub_date=days_ago(30))
        stale.append(column)
    return stale


def test_a_column_problem_has_one_fingerprint_whichever_indicator_saw_it() -> None:
    stale = Finding("栏目A：超期", column_id=7)
    empty = Finding("栏目A：空白栏目", column_id=7)
    assert finding_fingerprint("stale_columns", stale) == finding_fingerprint(
        "empty_columns", empty
    )
    one = Finding("断链1", column_id=7, url="http://x/a", key="http://x/dead1")
    two = Finding("断链2", column_id=7, url="http://x/a", key="http://x/dead2")
    assert finding_fingerprint("broken_links", one) != finding_fingerprint("broken_links", two)
    assert finding_fingerprint("broken_links", one) != finding_fingerprint("stale_columns", stale)


@time_machine.travel(NOW, tick=False)
def test_the_daily_check_stores_each_indicator_and_assess_judges_the_stored_date(
    portal: Portal, tmp_path: Path
) -> None:
    stale = plant(portal)
    text = command("daily_check", "--date", "2026-06-15")
    assert "2026-06-15 日监测读网完成：不合格" in text
    run = CheckRun.objects.get(date=TODAY)
    active = Indicator.objects.filter(active=True).count()
    assert run.measurements.count() == active
    measured = Measurement.objects.get(run=run, indicator_code="stale-columns")
    assert measured.breached and measured.measured == 5
    assert {f["column_id"] for f in measured.findings} == {c.pk for c in stale}
    home = Measurement.objects.get(run=run, indicator_code="home-not-updated")
    assert (home.breached, home.measured) == (False, 1)

    # Fix today's data: `assess --date` still judges what was measured on the 15th.
    for column in stale:
        add_article(column, "新动态", pub_date=days_ago(0))
    report = tmp_path / "verdict.json"
    text = command("assess", "--date", "2026-06-15", "--json", str(report))
    assert "2026-06-15 评估结论：不合格" in text
    assert "栏目不更新：不更新栏目累计达到5个" in text
    assert "依据 2026-06-15 日监测读网记录" in text
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["passed"] is False
    assert data["source"] == "stored"
    assert data["check_run"] == run.pk
    assert {"date", "edition", "verdict", "score", "vetoes", "deductions", "untested"} <= set(data)


@time_machine.travel(NOW, tick=False)
def test_assess_says_so_when_nothing_was_stored_for_the_date(portal: Portal) -> None:
    text = command("assess", "--date", "2026-06-14")
    assert "2026-06-14 没有日监测读网记录" in text
    assert "daily_check --date 2026-06-14" in text
    assert "评估结论" not in text


@time_machine.travel(NOW, tick=False)
def test_a_threshold_edited_later_does_not_rewrite_a_stored_verdict(portal: Portal) -> None:
    plant(portal)
    daily_check(today=TODAY)
    Indicator.objects.filter(code="stale-columns").update(active=False)
    assert "评估结论：不合格" in command("assess", "--date", "2026-06-15")
    daily_check(today=TODAY)  # measured again with the edited table
    assert "评估结论：合格" in command("assess", "--date", "2026-06-15")


@time_machine.travel(NOW, tick=False)
def test_each_problem_becomes_one_order_for_its_unit_and_the_next_check_verifies_it(
    portal: Portal,
) -> None:
    stale = plant(portal)
    _, sync = daily_check(today=TODAY)
    assert len(sync.opened) == 5
    orders = WorkOrder.objects.filter(column__in=stale)
    assert orders.count() == 5
    for order in orders:
        assert list(order.units.all()) == [portal.unit_b]
        assert order.state == WorkOrder.State.OPEN
        assert order.due_on == TODAY + dt.timedelta(days=5)  # a veto problem
        assert "部门动态" in order.message

    # The same problems the next day are the same orders, not new ones.
    _, sync = daily_check(today=TODAY + dt.timedelta(days=1))
    assert sync.opened == []
    assert len(sync.still_open) == 5
    assert WorkOrder.objects.count() == 5

    # Unit B fixes one and says so; unit A cannot touch it.
    order = orders.get(column=stale[0])
    with pytest.raises(PermissionDenied):
        work_order_fix(order=order, user=portal.editor_a, note="已更新")
    with pytest.raises(ValidationError, match="整改说明"):
        work_order_fix(order=order, user=portal.editor_b, note="  ")
    add_article(stale[0], "新动态", pub_date=NOW + dt.timedelta(days=1))
    work_order_fix(order=order, user=portal.editor_b, note="已发布最新动态")
    with pytest.raises(ValidationError, match="已整改待核验"):
        work_order_fix(order=order, user=portal.editor_b, note="再次提交")

    # Unit B marks a second one fixed without fixing it: the next check reopens it.
    liar = orders.get(column=stale[1])
    work_order_fix(order=liar, user=portal.editor_b, note="已处理")

    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        _, sync = daily_check(today=TODAY + dt.timedelta(days=2))
    order.refresh_from_db()
    liar.refresh_from_db()
    assert order.state == WorkOrder.State.VERIFIED
    assert order.fixed_by == portal.editor_b
    assert liar.state == WorkOrder.State.OPEN
    assert liar.reopen_count == 1
    assert [o.pk for o in sync.verified] == [order.pk]
    assert [o.pk for o in sync.reopened] == [liar.pk]
    kinds = list(order.events.values_list("kind", flat=True))
    assert kinds == ["opened", "fixed", "verified"]
    assert WorkOrderEvent.objects.filter(order=liar, kind="reopened").count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_daily_check_is_safe_to_run_twice_for_a_date(portal: Portal) -> None:
    plant(portal)
    command("daily_check")
    command("daily_check")
    assert CheckRun.objects.count() == 1
    assert Measurement.objects.count() == Indicator.objects.filter(active=True).count()
    assert WorkOrder.objects.count() == 5
    assert WorkOrderEvent.objects.filter(kind="opened").count() == 5


@time_machine.travel(NOW, tick=False)
def test_units_see_their_own_orders_and_the_operator_sees_all(portal: Portal) -> None:
    plant(portal)
    empty = add_column(portal.affairs, "空栏目", kind_code="static", units=[portal.unit_a])
    daily_check(today=TODAY)
    assert orders_visible_to(portal.operator).count() == 6
    assert orders_visible_to(portal.editor_b).count() == 5
    assert [o.column_id for o in orders_visible_to(portal.editor_a)] == [empty.pk]
    with pytest.raises(PermissionDenied):
        orders_visible_to(portal.auditor)


@time_machine.travel(NOW, tick=False)
def test_the_scheduler_can_enqueue_the_daily_check_and_the_reminder(portal: Portal) -> None:
    from govportal.monitoring.tasks import daily_check_run, monthly_reminder_run

    plant(portal)
    result = daily_check_run.enqueue("2026-06-15")  # ImmediateBackend in tests: runs inline
    assert result.return_value == CheckRun.objects.get(date=TODAY).pk
    assert WorkOrder.objects.count() == 5
    assert (monthly_reminder_run.enqueue("2026-06").return_value or 0) >= 1
    assert monthly_reminder_run.enqueue("2026-06").return_value == 0  # once per unit per month
