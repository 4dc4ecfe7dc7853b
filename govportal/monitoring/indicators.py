"""Assess the platform against the indicator table for one date: run every active indicator's
rule kind and judge the results (`verdict`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from govportal.monitoring.rules import CheckResult, rule_run
from govportal.monitoring.verdict import IndicatorSpec, Verdict, verdict

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

    def as_dict(self) -> dict[str, Any]:
        v = self.verdict
        return {
            "date": self.today.isoformat(),
            "edition": self.edition,
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
