"""Shared by the supervision tests: judge only the column and home-page indicators, so that the
rule kinds other parts register (mailbox, availability …) do not change the counts under test."""

from __future__ import annotations

import pytest

COLUMN_RULES = (
    "home_not_updated",
    "stale_columns",
    "empty_columns",
    "long_unupdated_columns",
    "top_column_stale",
)


@pytest.fixture
def column_rules_only(db: None) -> None:
    from govportal.monitoring.models import Indicator

    Indicator.objects.exclude(rule_kind__in=COLUMN_RULES).update(active=False)
