"""The operator's supervision dashboard reads a fixed number of queries, however many work
orders, units and daily checks there are (no query per row)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govportal.monitoring.models import CheckRun, WorkOrder
from govportal.testing import Portal, UnitFactory, add_column

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 15)


def plant(portal: Portal, rows: int, start: int = 0) -> None:
    """`rows` more open work orders, each for its own unit and column, and daily checks."""
    for n in range(start, start + rows):
        unit = UnitFactory.create(name=f"测试单位{n}")
        column = add_column(portal.affairs, f"栏目{n}", kind_code="static", units=[unit])
        order = WorkOrder.objects.create(
            fingerprint=f"f{n}",
            indicator_code="empty_columns",
            indicator_name="空白栏目",
            level="veto",
            message=f"栏目{n}为空白栏目",
            column=column,
            opened_on=TODAY - dt.timedelta(days=n % 20),
            due_on=TODAY - dt.timedelta(days=n % 3),
            last_seen_on=TODAY,
        )
        order.units.set([unit, portal.unit_a])
        CheckRun.objects.create(
            date=TODAY - dt.timedelta(days=n),
            edition="2019",
            finished_at=NOW - dt.timedelta(days=n),
            passed=n % 2 == 0,
            score=90 - n % 10,
        )


def dashboard_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("monitoring_supervision:dashboard"))
    assert response.status_code == 200
    return len(queries)


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_needs_as_many_queries_for_50_orders_as_for_5(portal: Portal) -> None:
    client = Client()
    client.force_login(portal.operator)
    plant(portal, 5)
    page = client.get(reverse("monitoring_supervision:dashboard")).content.decode()
    assert "测试单位" in page  # the rows are on the page (and caches warm)
    few = dashboard_queries(client)
    plant(portal, 45, start=5)
    many = dashboard_queries(client)
    assert many <= few, f"{few} queries with 5 rows, {many} with 50"
