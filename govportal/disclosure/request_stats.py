"""Disclosure requests counted for table 三 of the annual disclosure report (2021 format,
国办公开办函〔2021〕30号; regulations.md §5.5). The reports app reads only this module.

Columns are the applicant kinds; rows are the intake lines and the outcome of every request
answered in the year. 区分处理的，只计“部分公开”: a request counts once, under its final outcome.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

# (key, label): 自然人 | 法人或其他组织 (five kinds) | 总计 is computed by the report.
APPLICANT_COLUMNS: list[tuple[str, str]] = [
    ("natural_person", "自然人"),
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("nonprofit", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
]

# (key, label, group): the outcome rows of 三、本年度办理结果. `group` is the numbered heading
# the row belongs to; a row whose key equals its group has no sub-rows.
OUTCOME_ROWS: list[tuple[str, str, str]] = [
    ("disclosed", "（一）予以公开", "disclosed"),
    (
        "partly_disclosed",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "partly_disclosed",
    ),
    ("withheld_state_secret", "1.属于国家秘密", "withheld"),
    ("withheld_law", "2.其他法律行政法规禁止公开", "withheld"),
    ("withheld_security", "3.危及“三安全一稳定”", "withheld"),
    ("withheld_third_party", "4.保护第三方合法权益", "withheld"),
    ("withheld_internal", "5.属于三类内部事务信息", "withheld"),
    ("withheld_process", "6.属于四类过程性信息", "withheld"),
    ("withheld_enforcement_file", "7.属于行政执法案卷", "withheld"),
    ("withheld_inquiry", "8.属于行政查询事项", "withheld"),
    ("unavailable_not_held", "1.本机关不掌握相关政府信息", "unavailable"),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作", "unavailable"),
    ("unavailable_unclear", "3.补正后申请内容仍不明确", "unavailable"),
    ("not_processed_petition", "1.信访举报投诉类申请", "not_processed"),
    ("not_processed_repeat", "2.重复申请", "not_processed"),
    ("not_processed_publication", "3.要求提供公开出版物", "not_processed"),
    ("not_processed_excessive", "4.无正当理由大量反复申请", "not_processed"),
    ("not_processed_confirm", "5.要求行政机关确认或重新出具已获取信息", "not_processed"),
    (
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "other",
    ),
    (
        "other_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "other",
    ),
    ("other", "3.其他", "other"),
]

OUTCOME_GROUPS: list[tuple[str, str]] = [
    ("disclosed", "（一）予以公开"),
    ("partly_disclosed", "（二）部分公开"),
    ("withheld", "（三）不予公开"),
    ("unavailable", "（四）无法提供"),
    ("not_processed", "（五）不予处理"),
    ("other", "（六）其他处理"),
]

# Row keys of the whole table besides the outcomes.
RECEIVED = "received"  # 一、本年新收政府信息公开申请数量
CARRIED_IN = "carried_in"  # 二、上年结转政府信息公开申请数量
CARRIED_OUT = "carried_out"  # 四、结转下年度继续办理


def annual_request_counts(year: int) -> dict[str, dict[str, int]]:
    """Row key → applicant column key → count, for every row key above (zeros included).

    Row keys: RECEIVED, CARRIED_IN, each OUTCOME_ROWS key, CARRIED_OUT. No totals: the report
    adds the 总计 column and the （七）总计 row itself and checks they agree.

    A request received by 31 December and not answered by then is carried out; one received in
    an earlier year and not answered before 1 January is carried in. So for every column
    RECEIVED + CARRIED_IN = the outcomes + CARRIED_OUT.
    """
    from django.db.models import Count, Q

    from govportal.disclosure.models import DisclosureRequest

    rows = [RECEIVED, CARRIED_IN, *(key for key, _, _ in OUTCOME_ROWS), CARRIED_OUT]
    table = {row: {col: 0 for col, _ in APPLICANT_COLUMNS} for row in rows}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    requests = DisclosureRequest.objects.all()

    def add(row: str, queryset: Any, column: str = "applicant_kind") -> None:
        for entry in queryset.values(column, "applicant_kind").annotate(n=Count("pk")):
            key = row if column == "applicant_kind" else entry[column]
            if key in table and entry["applicant_kind"] in table[key]:
                table[key][entry["applicant_kind"]] += entry["n"]

    add(RECEIVED, requests.filter(received_on__gte=first, received_on__lte=last))
    add(
        CARRIED_IN,
        requests.filter(received_on__lt=first).filter(
            Q(reply_on__isnull=True) | Q(reply_on__gte=first)
        ),
    )
    add("", requests.filter(reply_on__gte=first, reply_on__lte=last), column="outcome")
    add(
        CARRIED_OUT,
        requests.filter(received_on__lte=last).filter(
            Q(reply_on__isnull=True) | Q(reply_on__gt=last)
        ),
    )
    return table


def annual_fees_collected(year: int) -> Decimal:
    """信息处理费 collected in the year, in yuan (section 六 of the report)."""
    from django.db.models import Sum

    from govportal.disclosure.models import DisclosureRequest

    total = DisclosureRequest.objects.filter(fee_paid_on__year=year).aggregate(
        total=Sum("fee_amount")
    )["total"]
    return total if total is not None else Decimal("0")
