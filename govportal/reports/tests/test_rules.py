"""Deadlines (第四十九条) and the policy-document counts of table 二. No database."""

from __future__ import annotations

import datetime as dt

import pytest

from govportal.reports.rules import (
    DocumentFacts,
    PublisherKind,
    days_left_label,
    document_counts,
    document_kind,
    report_deadline,
    report_year_due,
)


def test_the_district_report_is_due_on_31_march_of_the_next_year() -> None:
    assert report_deadline(2025, PublisherKind.DISTRICT) == dt.date(2026, 3, 31)


def test_a_unit_report_is_due_on_31_january_of_the_next_year() -> None:
    assert report_deadline(2025, "unit") == dt.date(2026, 1, 31)


def test_an_unknown_publisher_kind_is_an_error() -> None:
    with pytest.raises(ValueError):
        report_deadline(2025, "town")


@pytest.mark.parametrize(
    ("today", "kind", "year"),
    [
        (dt.date(2026, 1, 31), PublisherKind.UNIT, 2025),
        (dt.date(2026, 2, 1), PublisherKind.UNIT, 2026),
        (dt.date(2026, 3, 31), PublisherKind.DISTRICT, 2025),
        (dt.date(2026, 4, 1), PublisherKind.DISTRICT, 2026),
        (dt.date(2026, 12, 31), PublisherKind.DISTRICT, 2026),
    ],
)
def test_the_year_due_next_turns_over_the_day_after_the_deadline(
    today: dt.date, kind: str, year: int
) -> None:
    assert report_year_due(today, kind) == year


def test_days_left_reads_as_a_countdown_then_as_overdue() -> None:
    deadline = dt.date(2026, 3, 31)
    assert days_left_label(deadline, dt.date(2026, 3, 1)) == "还剩 30 天"
    assert days_left_label(deadline, deadline) == "今天截止"
    assert days_left_label(deadline, dt.date(2026, 4, 2)) == "已逾期 2 天"


def facts(**changes: object) -> DocumentFacts:
    values: dict[str, object] = {
        "genre_name": "办法",
        "catalogue_code": "a20-11",
        "is_reprint": False,
        "has_number": True,
        "written_date": dt.date(2025, 5, 1),
        "valid_until": None,
        "repealed_on": None,
    }
    values.update(changes)
    return DocumentFacts(**values)  # type: ignore[arg-type]


def test_which_documents_count_as_normative_or_rules() -> None:
    assert document_kind(facts()) == "normative"
    assert document_kind(facts(genre_name="通知")) is None
    assert document_kind(facts(genre_name="通知", catalogue_code="a20-01")) == "normative"
    assert document_kind(facts(has_number=False)) is None
    assert document_kind(facts(is_reprint=True)) is None
    assert document_kind(facts(genre_name="规章")) == "rule"


def test_document_counts_of_a_year() -> None:
    documents = [
        facts(),  # made in 2025, in force
        facts(written_date=dt.date(2020, 1, 1), repealed_on=dt.date(2025, 6, 1)),
        facts(written_date=dt.date(2021, 1, 1), valid_until=dt.date(2025, 12, 31)),
        facts(written_date=dt.date(2022, 1, 1), valid_until=dt.date(2025, 6, 30)),  # expired
        facts(written_date=dt.date(2026, 1, 5)),  # next year
        facts(written_date=dt.date(2024, 1, 1), repealed_on=dt.date(2026, 2, 1)),  # later
        facts(genre_name="规章", written_date=dt.date(2025, 2, 1)),
        facts(genre_name="通知"),  # not counted
    ]
    counts = document_counts(documents, 2025)
    assert counts["normative.issued"] == 1
    assert counts["normative.repealed"] == 1
    # In force on 31 December: the new one, the one valid through that day, the one repealed
    # only in 2026.
    assert counts["normative.in_force"] == 3
    assert counts["rule.issued"] == 1
    assert counts["rule.in_force"] == 1
    assert counts["rule.repealed"] == 0
