"""State changes of the annual disclosure report: one function each, keyword-only, atomic.

The admin screens, the demo and the tests call these; none of them writes a report directly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from govportal.accounts.roles import Role, user_has_role
from govportal.core.models import Unit
from govportal.disclosure import request_stats
from govportal.reports import tables
from govportal.reports.models import DisclosureReport
from govportal.reports.rules import DocumentFacts, PublisherKind, document_counts

FIRST_YEAR = 2008  # 政府信息公开条例 (2007) took effect on 2008-05-01


class ReportError(Exception):
    """A refused change; `messages` are Chinese and name the cells when there are cells."""

    def __init__(self, messages: list[str], cells: list[tables.CellError] | None = None) -> None:
        super().__init__("；".join(messages))
        self.messages = messages
        self.cells = cells or []


def user_can_manage_reports(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(
        "reports.change_disclosurereport"
    )


def user_can_publish_reports(user: Any) -> bool:
    """Only the operator (运维监管, the office running the portal) publishes reports."""
    return user_has_role(user, Role.OPERATOR)


# --- Create and edit ----------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *, year: int, publisher_kind: str, unit: Unit | None, user: Any, today: dt.date
) -> DisclosureReport:
    """A new draft report with zero tables. Refuses a second report for the same publisher and
    year, a year not yet over, and a unit report without its unit."""
    errors: list[str] = []
    if not FIRST_YEAR <= year < today.year:
        errors.append(
            f"报告年度须在 {FIRST_YEAR} 年至 {today.year - 1} 年之间（年度结束后才能编写）。"
        )
    if publisher_kind not in PublisherKind.values:
        errors.append("请选择发布主体。")
    elif publisher_kind == PublisherKind.UNIT and unit is None:
        errors.append("部门或单位的年度报告须选择部门或单位。")
    if errors:
        raise ReportError(errors)
    if publisher_kind == PublisherKind.DISTRICT:
        unit = None
    clash = DisclosureReport.objects.filter(year=year, publisher_kind=publisher_kind, unit=unit)
    if clash.exists():
        name = unit.name if unit else "区人民政府"
        raise ReportError([f"{name}{year}年的年度报告已经存在，请直接编辑。"])
    try:
        with transaction.atomic():
            return DisclosureReport.objects.create(
                year=year, publisher_kind=publisher_kind, unit=unit, updated_by=user
            )
    except IntegrityError as exc:  # a concurrent create of the same report
        raise ReportError([f"{year}年的这份年度报告已经存在，请直接编辑。"]) from exc


@transaction.atomic
def report_update(
    *,
    report: DisclosureReport,
    user: Any,
    overview: str,
    problems: str,
    other_matters: str,
    fees_collected: Decimal,
    tables_new: Mapping[str, Mapping[str, Any]],
) -> DisclosureReport:
    """Save the text and the tables, only if every number is valid and the totals add up.

    A published report is changed only after it is taken offline, so the public never sees
    numbers that nobody published.
    """
    report = DisclosureReport.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        raise ReportError(["报告已发布，不能直接修改：请先撤销发布，修改后再发布。"])
    if fees_collected < 0:
        raise ReportError(["本年收取信息处理费不能为负数。"])
    problems_found = tables.tables_check(tables_new)
    if problems_found:
        raise ReportError([p.message for p in problems_found], problems_found)
    report.overview = overview
    report.problems = problems
    report.other_matters = other_matters
    report.fees_collected = fees_collected
    report.proactive = _normalised("proactive", tables_new["proactive"])
    report.requests = _normalised("requests", tables_new["requests"])
    report.appeals = _normalised("appeals", tables_new["appeals"])
    report.updated_by = user
    report.save()
    return report


def _normalised(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in tables.TABLES[table]:
        if table == "proactive" and key == tables.FEES:
            out[key] = str(tables.fees_parse(values[key]))
        else:
            out[key] = tables.count_parse(values[key])
    return out


# --- Fill from the platform's data --------------------------------------------------------------


@dataclass
class FillPlan:
    """What “按平台数据填充” would write: the changed cells, the new values, and notes on the
    cells the platform has no data for (they keep what was entered)."""

    values: dict[str, dict[str, Any]]
    fees_collected: Decimal | None
    changes: list[tables.Change] = field(default_factory=list)
    fees_change: tuple[Decimal, Decimal] | None = None
    notes: list[str] = field(default_factory=list)
    problems: list[tables.CellError] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """Identifies what the operator saw on the preview, to confirm exactly that."""
        payload = json.dumps(
            [self.values, str(self.fees_collected)], sort_keys=True, ensure_ascii=False
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _documents_facts(report: DisclosureReport) -> list[DocumentFacts]:
    from govportal.disclosure.models import PolicyDocumentPage

    documents = PolicyDocumentPage.objects.live()
    if report.publisher_kind == PublisherKind.UNIT:
        documents = documents.filter(issuing_units=report.unit)
    rows = documents.values_list(
        "genre__name",
        "catalogue_item__code",
        "is_reprint",
        "document_number",
        "written_date",
        "valid_until",
        "repealed_on",
    )
    return [
        DocumentFacts(
            genre_name=genre,
            catalogue_code=item,
            is_reprint=reprint,
            has_number=bool(number),
            written_date=written,
            valid_until=until,
            repealed_on=repealed,
        )
        for genre, item, reprint, number, written, until, repealed in rows
    ]


def report_fill_plan(*, report: DisclosureReport) -> FillPlan:
    """Compute, without saving, what filling from the platform's data changes."""
    new = {name: dict(values) for name, values in report.tables_dict().items()}
    notes: list[str] = []
    # 表二 第二十条第（一）项 from the policy documents (the district: all of them).
    new["proactive"].update(document_counts(_documents_facts(report), report.year))
    notes.append(
        "表二“规章、行政规范性文件”按平台已发布的政策文件统计（不含转载上级文件）；"
        "行政许可、行政处罚、行政强制和行政事业性收费平台无数据，保留原填写值。"
    )
    fees: Decimal | None = None
    if report.publisher_kind == PublisherKind.DISTRICT:
        counts = request_stats.annual_request_counts(report.year)
        new["requests"] = tables.requests_table(counts)
        fees = Decimal(request_stats.annual_fees_collected(report.year)).quantize(Decimal("0.01"))
        notes.append("表三按平台登记的依申请公开办理情况统计；信息处理费按平台记录的实收金额填写。")
    else:
        notes.append(
            "平台的依申请公开统计按全区汇总，部门和单位的表三及信息处理费请按本单位台账填写。"
        )
    notes.append("表四（行政复议、行政诉讼）平台无数据，保留原填写值。")
    plan = FillPlan(values=new, fees_collected=fees, notes=notes)
    plan.changes = tables.changes_between(report.tables_dict(), new)
    if fees is not None and fees != report.fees_collected:
        plan.fees_change = (report.fees_collected, fees)
    plan.problems = tables.tables_check(new)
    return plan


@transaction.atomic
def report_fill_from_data(
    *, report: DisclosureReport, user: Any, now: dt.datetime, expected: str | None = None
) -> FillPlan:
    """Write the platform's figures into a draft report; returns the plan with what changed.

    The admin shows the plan first and calls this only when the operator confirms: data never
    overwrites edited numbers silently. If the platform's own figures do not add up (e.g. a
    request counted twice), they are still written and the problems returned: the report cannot
    be published until someone corrects them. With `expected` (the digest of the plan shown),
    the fill is refused if the data or the report changed since.
    """
    report = DisclosureReport.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        raise ReportError(["报告已发布，不能按平台数据重新填充：请先撤销发布。"])
    plan = report_fill_plan(report=report)
    if expected is not None and plan.digest != expected:
        raise ReportError(["平台数据或报告内容在预览后发生了变化，请重新核对将要改变的数据。"])
    report.proactive = plan.values["proactive"]
    report.requests = plan.values["requests"]
    report.appeals = plan.values["appeals"]
    if plan.fees_collected is not None:
        report.fees_collected = plan.fees_collected
    report.filled_at = now
    report.updated_by = user
    report.save()
    return plan


# --- Publish ------------------------------------------------------------------------------------


@transaction.atomic
def report_publish(*, report: DisclosureReport, user: Any, now: dt.datetime) -> DisclosureReport:
    """Put the report on the public site: only the operator, only when the totals add up and
    the 总体情况 is written."""
    if not user_can_publish_reports(user):
        raise ReportError(["只有运维监管人员可以发布年度报告。"])
    report = DisclosureReport.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        raise ReportError(["报告已经发布。"])
    problems = tables.tables_check(report.tables_dict())
    messages = [p.message for p in problems]
    if not report.overview.strip():
        messages.append("“一、总体情况”尚未填写，不能发布。")
    if messages:
        raise ReportError(messages, problems)
    report.status = DisclosureReport.Status.PUBLISHED
    report.published_at = now
    report.published_by = user
    report.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return report


@transaction.atomic
def report_unpublish(*, report: DisclosureReport, user: Any) -> DisclosureReport:
    """Take the report offline (back to draft), e.g. to correct a number."""
    if not user_can_publish_reports(user):
        raise ReportError(["只有运维监管人员可以撤销发布年度报告。"])
    report = DisclosureReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_published:
        raise ReportError(["报告尚未发布。"])
    report.status = DisclosureReport.Status.DRAFT
    report.save(update_fields=["status", "updated_at"])
    return report
