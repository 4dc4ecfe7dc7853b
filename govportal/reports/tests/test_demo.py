"""The demo part of the reports app, on a small hand-built world."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from govportal.demo import reports as demo_reports
from govportal.demo.builder import DemoWorld
from govportal.reports.models import DisclosureReport
from govportal.reports.tables import tables_check
from govportal.testing import Portal

pytestmark = pytest.mark.django_db


def test_demo_publishes_last_years_district_report_and_drafts_one_department(
    portal: Portal,
) -> None:
    lines: list[str] = []
    world = DemoWorld(
        now=timezone.make_aware(dt.datetime(2026, 3, 20, 10, 0)),
        scale=0.2,
        log=lines.append,
        units={"jyj": portal.unit_b},
        users={"operator": portal.operator},
        columns={},
        home=portal.home,
        rnd=random.Random(7),
    )
    demo_reports.load(world)
    district = DisclosureReport.objects.get(publisher_kind="district")
    assert district.year == 2025
    assert district.is_published
    assert district.filled_at == world.now
    assert "2025年，渭滨区人民政府" in district.overview
    assert district.proactive["licensing"] >= 1800
    assert tables_check(district.tables_dict()) == []
    draft = DisclosureReport.objects.get(publisher_kind="unit")
    assert draft.unit == portal.unit_b
    assert not draft.is_published
    assert any("已发布" in line for line in lines)
