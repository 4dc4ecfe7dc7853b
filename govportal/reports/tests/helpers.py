"""Building reports for the reports tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from govportal.disclosure.request_stats import CARRIED_IN, CARRIED_OUT, RECEIVED
from govportal.reports import tables
from govportal.reports.models import DisclosureReport
from govportal.reports.rules import PublisherKind

NOW = timezone.make_aware(dt.datetime(2026, 3, 10, 9, 30))

# Raw platform counts as request_stats.annual_request_counts returns them (no totals):
# 自然人 8 new + 1 carried in = 7 answered + 2 carried out; 商业企业 2 new = 2 answered.
COUNTS: dict[str, dict[str, int]] = {
    RECEIVED: {"natural_person": 8, "business": 2},
    CARRIED_IN: {"natural_person": 1},
    "disclosed": {"natural_person": 4, "business": 1},
    "partly_disclosed": {"natural_person": 1},
    "withheld_third_party": {"business": 1},
    "unavailable_not_held": {"natural_person": 2},
    CARRIED_OUT: {"natural_person": 2},
}


def balanced_tables() -> dict[str, dict[str, Any]]:
    data = tables.zeros()
    data["requests"] = tables.requests_table(COUNTS)
    data["appeals"] = tables.appeals_totals({"review.upheld": 1, "suit_direct.pending": 1})
    data["proactive"].update({"normative.issued": 3, "normative.in_force": 40, "licensing": 512})
    data["proactive"]["fees"] = "12.5"
    return data


def add_report(
    *,
    year: int = 2025,
    unit: Any = None,
    overview: str = "本年度全区政务公开工作稳步推进。",
    **fields: Any,
) -> DisclosureReport:
    kind = PublisherKind.UNIT if unit is not None else PublisherKind.DISTRICT
    data = balanced_tables()
    values: dict[str, Any] = {
        "year": year,
        "publisher_kind": kind,
        "unit": unit,
        "overview": overview,
        "proactive": data["proactive"],
        "requests": data["requests"],
        "appeals": data["appeals"],
    }
    values.update(fields)
    return DisclosureReport.objects.create(**values)
