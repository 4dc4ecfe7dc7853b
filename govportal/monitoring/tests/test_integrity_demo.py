"""The demo part: a week of probes under the veto, fingerprints, one page-element check."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from govportal.demo import integrity as demo_integrity
from govportal.demo.builder import DemoWorld
from govportal.monitoring import integrity_rules
from govportal.monitoring.models import AvailabilityProbe, ElementCheck, PageFingerprint
from govportal.testing import Portal

NOW = dt.datetime(2026, 6, 15, 3, 7, tzinfo=dt.UTC)


def test_the_demo_week_of_probes_passes_the_availability_veto(portal: Portal) -> None:
    lines: list[str] = []
    world = DemoWorld(
        now=NOW,
        scale=1.0,
        log=lines.append,
        units={},
        users={},
        columns={},
        home=portal.home,
        rnd=random.Random(7),
    )
    demo_integrity.load(world)

    assert AvailabilityProbe.objects.count() == 8 * 48
    assert AvailabilityProbe.objects.filter(ok=False).count() == demo_integrity.FAILURES
    assert max(AvailabilityProbe.objects.values_list("at", flat=True)) == dt.datetime(
        2026, 6, 15, 3, 0, tzinfo=dt.UTC
    )
    result = integrity_rules.site_unreachable(
        today=timezone.localdate(NOW), thresholds={"visits_per_day": 20, "failure_share": 0.05}
    )
    assert not result.untested and not result.breached
    assert result.measured is not None and 0 < result.measured < 5
    assert list(PageFingerprint.objects.values_list("page_id", flat=True)) == [portal.home.pk]
    assert [p["url"] for p in ElementCheck.objects.get().pages] == ["/"]
    assert "可用性探测 384 次" in lines[0]
