"""Assess the platform against the indicator table for one date: run every active indicator's
rule kind and judge the results (`verdict`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govportal.monitoring.rules import CheckResult, rule_run
from govportal.monitoring.verdict import IndicatorSpec, Verdict, verdict

if TYPE_CHECKING:
    from govportal.monitoring.models import CheckRun

DEFAULT_EDITION = "国办秘函〔2019〕19号"


def indicator_specs(edition: str = DEFAULT_EDITION) -> list[IndicatorSpec]:
    from govportal.monitoring.models import Indicator

    return [
        IndicatorSpec(
            code=i.code,
            name=i.name,
            level=i.level,
            rule_kind=i.rule_kind,
            thresholds=i.thresholds or {},
            points=i.points,
            cap=i.cap,
        )
        for i in Indicator.objects.filter(edition=edition, active=True)
    ]


@dataclass(frozen=True)
class Assessment:
    today: dt.date
    edition: str
    indicators: list[IndicatorSpec]
    results: dict[str, CheckResult]
    verdict: Verdict
    # The daily check (日监测读网) the results were read from; None when measured just now.
    run_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        v = self.verdict
        return {
            "date": self.today.isoformat(),
            "edition": self.edition,
            "source": "stored" if self.run_id is not None else "live",
            "check_run": self.run_id,
            "passed": v.passed,
            "verdict": v.label,
            "score": None if v.score is None else str(v.score),
            "vetoes": [h.indicator.name for h in v.vetoes],
            "deductions": [
                {"indicator": h.indicator.name, "points": str(h.points)} for h in v.deductions
            ],
            "untested": [{"indicator": i.name, "reason": reason} for i, reason in v.untested],
            "indicators": [
                {
                    "code": i.code,
                    "name": i.name,
                    "level": i.level,
                    "rule_kind": i.rule_kind,
                    **self.results[i.code].as_dict(),
                }
                for i in self.indicators
            ],
        }


def assess(today: dt.date, *, edition: str = DEFAULT_EDITION) -> Assessment:
    specs = indicator_specs(edition)
    results = {
        spec.code: rule_run(spec.rule_kind, today=today, thresholds=spec.thresholds)
        for spec in specs
    }
    return Assessment(today, edition, specs, results, verdict(results, specs))


def assessment_from_run(run: CheckRun) -> Assessment:
    """The verdict of a stored daily check: its measurements, judged against the indicators as
    they stood that day (a later edit of the table does not rewrite the past). Pure apart from
    reading the run's rows."""
    specs: list[IndicatorSpec] = []
    results: dict[str, CheckResult] = {}
    for m in run.measurements.order_by("id"):
        specs.append(
            IndicatorSpec(
                code=m.indicator_code,
                name=m.indicator_name,
                level=m.level,
                rule_kind=m.rule_kind,
                thresholds=m.thresholds or {},
                points=m.points,
                cap=m.cap,
            )
        )
        results[m.indicator_code] = CheckResult.from_dict(
            {
                "measured": m.measured,
                "findings": m.findings,
                "untested_reason": m.untested_reason,
                "breached": m.breached,
                "count": m.count,
            }
        )
    return Assessment(run.date, run.edition, specs, results, verdict(results, specs), run.pk)


def stored_assessment(today: dt.date, *, edition: str = DEFAULT_EDITION) -> Assessment | None:
    """The verdict for `today` from the measurements stored by that day's check, or None."""
    from govportal.monitoring.models import CheckRun

    run = CheckRun.objects.filter(date=today, edition=edition, finished_at__isnull=False).first()
    return None if run is None else assessment_from_run(run)
