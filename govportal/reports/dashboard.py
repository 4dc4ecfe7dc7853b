"""The operator's dashboard panel: the next annual-report deadlines and where each report stands.

第四十九条: the departments publish by 31 January, the district government by 31 March.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from wagtail.admin.ui.components import Component

from govportal.core.models import Unit, UnitKind
from govportal.reports.models import DisclosureReport
from govportal.reports.rules import (
    PublisherKind,
    days_left,
    days_left_label,
    report_deadline,
    report_year_due,
)

# The units that publish a report of their own: the district government's departments
# (县级以上人民政府部门, 第四十九条).
REPORTING_UNIT_KINDS = (UnitKind.DEPARTMENT,)


@dataclass
class DeadlineRow:
    label: str
    year: int
    deadline: dt.date
    days: int
    days_label: str
    status: str
    done: bool
    overdue: bool


def deadline_rows(today: dt.date) -> list[DeadlineRow]:
    """For each publisher kind: the report with the next deadline, and the report whose deadline
    has passed if it is still not published."""
    rows: list[DeadlineRow] = []
    for kind in (PublisherKind.UNIT, PublisherKind.DISTRICT):
        due_year = report_year_due(today, kind)
        for year in (due_year - 1, due_year):
            row = _row(kind, year, today)
            if year == due_year or not row.done:
                rows.append(row)
    rows.sort(key=lambda row: row.deadline)
    return rows


def _row(kind: str, year: int, today: dt.date) -> DeadlineRow:
    deadline = report_deadline(year, kind)
    reports = DisclosureReport.objects.filter(year=year, publisher_kind=kind)
    if kind == PublisherKind.DISTRICT:
        report = reports.first()
        label = f"区人民政府{year}年度报告"
        done = report is not None and report.is_published
        status = "未创建" if report is None else report.get_status_display()
    else:
        units = Unit.objects.filter(kind__in=REPORTING_UNIT_KINDS).count()
        published = reports.filter(status=DisclosureReport.Status.PUBLISHED).count()
        drafts = reports.filter(status=DisclosureReport.Status.DRAFT).count()
        label = f"区政府部门{year}年度报告"
        done = units > 0 and published >= units
        status = f"已发布 {published} 份、草稿 {drafts} 份，共 {units} 个部门"
    days = days_left(deadline, today)
    return DeadlineRow(
        label=label,
        year=year,
        deadline=deadline,
        days=days,
        days_label="已按时完成" if done and days >= 0 else days_left_label(deadline, today),
        status=status,
        done=done,
        overdue=days < 0 and not done,
    )


class ReportDeadlinesPanel(Component):
    name = "disclosure_report_deadlines"
    order = 120
    template_name = "reports/admin/deadlines_panel.html"

    def __init__(self, rows: list[DeadlineRow]) -> None:
        self.rows = rows

    def get_context_data(self, parent_context: Mapping[str, Any] | None) -> dict[str, Any]:
        return {"rows": self.rows, "list_url": reverse("govportal_reports:list")}
