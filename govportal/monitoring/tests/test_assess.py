"""manage.py assess on a portal with planted stale and empty columns: 不合格, then 合格."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from govportal.content.services import page_archive
from govportal.core.models import ColumnPage
from govportal.monitoring.models import Indicator
from govportal.monitoring.tests.supervision_fixtures import COLUMN_RULES
from govportal.testing import Portal, add_article, add_column

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


def days_ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def assess(*args: str) -> str:
    out = StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def plant(portal: Portal) -> tuple[list[ColumnPage], list[ColumnPage]]:
    """A portal whose own columns are fresh, plus 5 stale news columns and 5 empty columns."""
    add_article(portal.news, "今日要闻", pub_date=days_ago(1))
    add_article(portal.notices, "通知", pub_date=days_ago(1))
    stale = []
    for n in range(5):
        column = add_column(portal.affairs, f"部门动态{n}", kind_code="news")
        add_article(column, f"旧动态{n}", pub_date=days_ago(30))
        stale.append(column)
    empty = [add_column(portal.affairs, f"空栏目{n}", kind_code="static") for n in range(5)]
    return stale, empty


@time_machine.travel(NOW, tick=False)
def test_assess_fails_the_planted_portal_and_passes_it_once_fixed(
    portal: Portal, tmp_path: Path
) -> None:
    stale, empty = plant(portal)
    report = tmp_path / "verdict.json"
    text = assess("--json", str(report))
    assert "评估结论：不合格" in text
    assert "栏目不更新：不更新栏目累计达到5个" in text
    assert "栏目不更新：空白栏目达到5个" in text
    assert "部门动态0" in text
    assert "未测" in text
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["passed"] is False
    assert data["score"] is None
    assert set(data["vetoes"]) == {
        "栏目不更新：不更新栏目累计达到5个",
        "栏目不更新：空白栏目达到5个",
    }

    for column in stale:
        add_article(column, "新动态", pub_date=days_ago(1))
    for column in empty[:3]:
        add_article(column, "补充内容", pub_date=days_ago(1))
    for column in empty[3:]:
        page_archive(page=column, user=portal.operator, reason="栏目停更归档")  # 第十五条

    # Only the column indicators count here (other parts' rule kinds have their own tests).
    Indicator.objects.exclude(rule_kind__in=COLUMN_RULES).update(active=False)
    text = assess("--json", str(report))
    assert "评估结论：合格" in text
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["passed"] is True
    assert data["vetoes"] == []
    assert data["score"] == "100"


@time_machine.travel(NOW, tick=False)
def test_assess_judges_the_date_it_is_given(portal: Portal) -> None:
    add_article(portal.news, "今日要闻", pub_date=days_ago(1))
    add_article(portal.notices, "通知", pub_date=days_ago(1))
    # The verdict of a date is judged from that date's stored daily check (日监测读网).
    call_command("daily_check", "--date", "2026-06-15", stdout=StringIO())
    call_command("daily_check", "--date", "2026-07-15", stdout=StringIO())
    assert "首页不更新" not in assess("--date", "2026-06-15")
    text = assess("--date", "2026-07-15")
    assert "2026-07-15 评估结论：不合格" in text
    assert "首页不更新" in text


@pytest.mark.django_db
def test_assess_refuses_a_date_it_cannot_read() -> None:
    with pytest.raises(CommandError, match="日期无效"):
        assess("--date", "15/06/2026")


@time_machine.travel(NOW, tick=False)
def test_a_threshold_edited_in_the_table_changes_the_verdict(portal: Portal) -> None:
    add_article(portal.news, "今日要闻", pub_date=days_ago(1))
    add_article(portal.notices, "通知", pub_date=days_ago(1))
    add_column(portal.affairs, "空栏目", kind_code="static")
    assert "评估结论：合格" in assess()
    Indicator.objects.filter(code="empty-columns").update(thresholds={"count": 1})
    assert "评估结论：不合格" in assess()
    Indicator.objects.filter(code="empty-columns").update(active=False)
    assert "评估结论：合格" in assess()
