"""Demo data for availability and tamper detection (站点无法访问, 防篡改). Called once from
builder._build (see builder.DemoWorld).

- A probe target for the demo site, and 8 days of probes every 30 minutes up to `now` (48 a day,
  over the 20 a day the indicator asks) with a few failures, well under the 5% veto.
- The home page's fingerprint, taken now. Every other page is fingerprinted on demand by the
  first `manage.py check_integrity` (from its published version): rendering all ~900 pages
  here would add half a minute or more to the demo.
- One page-element check of the home page (with its search and site map), in process, so the
  admin shows the footer findings.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from wagtail.models import Site

if TYPE_CHECKING:
    from govportal.demo.builder import DemoWorld

PROBE_MINUTES = 30
PROBE_DAYS = 8
FAILURES = 6  # of 8 × 48 probes: about 1.6%, under the 5% veto


def load(world: DemoWorld) -> None:
    from govportal.monitoring.integrity import elements_check, fingerprint_take
    from govportal.monitoring.models import AvailabilityProbe, PageFingerprint, ProbeTarget

    site = Site.objects.filter(root_page=world.home).first() or Site.objects.first()
    base = (getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/") + "/"
    target, _ = ProbeTarget.objects.update_or_create(
        base_url=base, defaults={"name": "渭滨区人民政府门户网站", "site": site, "active": True}
    )

    step = dt.timedelta(minutes=PROBE_MINUTES)
    last = world.now.replace(second=0, microsecond=0)
    last -= dt.timedelta(minutes=last.minute % PROBE_MINUTES)
    count = PROBE_DAYS * 24 * 60 // PROBE_MINUTES
    times = [last - step * n for n in range(count)]
    failed = set(world.rnd.sample(range(count), FAILURES))
    probes = []
    for n, at in enumerate(times):
        if n in failed:
            # Mostly time-outs at night (maintenance window), one gateway error.
            status, error, elapsed = (
                (502, "", 120) if n == min(failed) else (None, "timeout", 15000)
            )
            probes.append(
                AvailabilityProbe(
                    target=target,
                    at=at,
                    ok=False,
                    status_code=status,
                    error=error,
                    elapsed_ms=elapsed,
                )
            )
        else:
            elapsed = world.rnd.randint(80, 900)
            probes.append(
                AvailabilityProbe(
                    target=target, at=at, ok=True, status_code=200, elapsed_ms=elapsed
                )
            )
    AvailabilityProbe.objects.bulk_create(probes, batch_size=500)

    fingerprint_take(page=world.home, source=PageFingerprint.Source.ON_DEMAND, now=world.now)
    if site is not None:
        elements_check(
            site=site, today=timezone.localdate(world.now), base_url="", sample=0, now=world.now
        )
    world.log(
        f"可用性探测 {len(probes)} 次（失败 {FAILURES} 次）；首页指纹已生成，"
        "其余页面在首次防篡改检查时生成。"
    )


def remove() -> None:
    """Delete probes, fingerprints, checks and alerts of the demo site (demo_remove only)."""
    from govportal.monitoring.models import (
        AvailabilityProbe,
        ElementCheck,
        IntegrityAlert,
        IntegrityCheck,
        PageFingerprint,
        ProbeTarget,
    )

    for model in (
        IntegrityAlert,
        PageFingerprint,
        IntegrityCheck,
        ElementCheck,
        AvailabilityProbe,
        ProbeTarget,
    ):
        model.objects.all().delete()
