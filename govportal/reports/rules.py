"""Pure rules of the annual disclosure report: who publishes, when it is due, and which policy
documents count in table 二. No database here: every function takes what it needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from govportal.disclosure.rules import Validity, validity_on


class PublisherKind(models.TextChoices):
    """Who publishes the report (政府信息公开条例第四十九条)."""

    DISTRICT = "district", "区人民政府"
    UNIT = "unit", "区政府部门和单位"


def report_deadline(year: int, publisher_kind: str) -> dt.date:
    """The last day to publish the report on year `year`.

    第四十九条: 县级以上人民政府部门应当在每年1月31日前……提交本行政机关上一年度政府信息公开
    工作年度报告并向社会公布; 县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前
    向社会公布本级政府上一年度政府信息公开工作年度报告.
    """
    if publisher_kind == PublisherKind.DISTRICT:
        return dt.date(year + 1, 3, 31)
    if publisher_kind == PublisherKind.UNIT:
        return dt.date(year + 1, 1, 31)
    raise ValueError(f"unknown publisher kind: {publisher_kind!r}")


def report_year_due(today: dt.date, publisher_kind: str) -> int:
    """The year whose report has the next deadline on or after `today`."""
    year = today.year - 1
    if today > report_deadline(year, publisher_kind):
        year += 1
    return year


def days_left(deadline: dt.date, today: dt.date) -> int:
    """Calendar days from `today` to the deadline: 0 on the day, negative once it has passed."""
    return (deadline - today).days


def days_left_label(deadline: dt.date, today: dt.date) -> str:
    days = days_left(deadline, today)
    if days > 0:
        return f"还剩 {days} 天"
    if days == 0:
        return "今天截止"
    return f"已逾期 {-days} 天"


# --- Table 二, 第二十条第（一）项 ------------------------------------------------------------------

# 体裁 (Genre vocabulary) names that make a document a 规章. A district government makes none
# (立法法第九十三条: 规章 are made by provinces and 设区的市), so the default vocabulary has no
# such genre; an operator who adds one gets it counted.
RULE_GENRE_NAMES = frozenset({"规章", "政府规章"})
# Genres that set binding rules: an own document with a 发文字号 in one of these, or filed under
# the catalogue item 第二十条第（一）项, counts as a 行政规范性文件.
NORMATIVE_GENRE_NAMES = frozenset({"决定", "规定", "办法", "意见", "通告", "规范性文件"})
NORMATIVE_CATALOGUE_CODE = "a20-01"


@dataclass(frozen=True)
class DocumentFacts:
    """What table 二 needs to know of one policy document."""

    genre_name: str
    catalogue_code: str
    is_reprint: bool
    has_number: bool
    written_date: dt.date
    valid_until: dt.date | None
    repealed_on: dt.date | None


def document_kind(facts: DocumentFacts) -> str | None:
    """ "rule" (规章), "normative" (行政规范性文件) or None (not counted).

    A reprint of a higher organ's document is not this organ's own (第八条(一)), so never counts.
    """
    if facts.is_reprint:
        return None
    if facts.genre_name in RULE_GENRE_NAMES:
        return "rule"
    if facts.catalogue_code == NORMATIVE_CATALOGUE_CODE:
        return "normative"
    if facts.has_number and facts.genre_name in NORMATIVE_GENRE_NAMES:
        return "normative"
    return None


def document_counts(documents: Iterable[DocumentFacts], year: int) -> dict[str, int]:
    """Table 二 第二十条第（一）项 for `year`, as "row.column" → count.

    本年制发: 成文日期 in the year. 本年废止: 废止日期 in the year (a document that merely ran
    out, 失效, is not 废止). 现行有效: written by the end of the year and in force on 31 December
    (rules of disclosure.rules.validity_on).
    """
    counts = {
        f"{row}.{col}": 0
        for row in ("rule", "normative")
        for col in ("issued", "repealed", "in_force")
    }
    year_end = dt.date(year, 12, 31)
    for facts in documents:
        kind = document_kind(facts)
        if kind is None:
            continue
        if facts.written_date.year == year:
            counts[f"{kind}.issued"] += 1
        if facts.repealed_on is not None and facts.repealed_on.year == year:
            counts[f"{kind}.repealed"] += 1
        in_force = (
            validity_on(
                valid_until=facts.valid_until, repealed_on=facts.repealed_on, today=year_end
            )
            == Validity.IN_FORCE
        )
        if facts.written_date <= year_end and in_force:
            counts[f"{kind}.in_force"] += 1
    return counts
