"""The verdict: 合格 / 不合格, vetoes, deductions and score, as a pure function.

国办秘函〔2019〕19号 (shared reference §1.1): any veto item → 不合格, and no other indicator is
scored; otherwise below 60 on the 100-point deduction part → 不合格; above 80 the bonus part is
added (at most 30 points); deductions within one indicator never exceed its own cap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from govportal.monitoring.rules import CheckResult

FULL_SCORE = Decimal(100)
PASS_SCORE = Decimal(60)
BONUS_FROM = Decimal(80)
BONUS_MAX = Decimal(30)
VETO, DEDUCTION, BONUS = "veto", "deduction", "bonus"


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator as the verdict needs it (a plain copy of the `Indicator` row)."""

    code: str
    name: str
    level: str
    rule_kind: str
    thresholds: Mapping[str, Any] = field(default_factory=dict)
    points: Decimal = Decimal(0)
    cap: Decimal | None = None

    @property
    def limit(self) -> Decimal:
        """The most this indicator can deduct or add: its cap, or its points once."""
        return self.points if self.cap is None else self.cap


@dataclass(frozen=True)
class Hit:
    """An indicator that applies: a veto, or a deduction or bonus with its points."""

    indicator: IndicatorSpec
    result: CheckResult
    points: Decimal = Decimal(0)


@dataclass(frozen=True)
class Verdict:
    passed: bool
    vetoes: tuple[Hit, ...]
    deductions: tuple[Hit, ...]
    bonuses: tuple[Hit, ...]
    # None when a veto applies: 单项否决 means no other indicator is scored.
    score: Decimal | None
    untested: tuple[tuple[IndicatorSpec, str], ...]

    @property
    def label(self) -> str:
        return "合格" if self.passed else "不合格"


def _points(indicator: IndicatorSpec, result: CheckResult) -> Decimal:
    return min(indicator.points * result.count, indicator.limit)


def verdict(results: Mapping[str, CheckResult], indicators: Sequence[IndicatorSpec]) -> Verdict:
    """Judge the results (by indicator code) against the indicators.

    An indicator without a result, or whose result is untested, is listed in `untested` and
    does not count either way: the verdict says what it could not measure.
    """
    vetoes: list[Hit] = []
    deductions: list[Hit] = []
    bonuses: list[Hit] = []
    missing: list[tuple[IndicatorSpec, str]] = []
    for indicator in indicators:
        result = results.get(indicator.code)
        if result is None:
            missing.append((indicator, "没有检查结果。"))
            continue
        if result.untested:
            missing.append((indicator, result.untested_reason))
            continue
        if not result.breached:
            continue
        if indicator.level == VETO:
            vetoes.append(Hit(indicator, result))
        elif indicator.level == DEDUCTION:
            deductions.append(Hit(indicator, result, _points(indicator, result)))
        elif indicator.level == BONUS:
            bonuses.append(Hit(indicator, result, _points(indicator, result)))
    if vetoes:
        return Verdict(
            False, tuple(vetoes), tuple(deductions), tuple(bonuses), None, tuple(missing)
        )
    score = max(Decimal(0), FULL_SCORE - sum((h.points for h in deductions), Decimal(0)))
    if score > BONUS_FROM:
        score += min(BONUS_MAX, sum((h.points for h in bonuses), Decimal(0)))
    return Verdict(
        passed=score >= PASS_SCORE,
        vetoes=(),
        deductions=tuple(deductions),
        bonuses=tuple(bonuses),
        score=score,
        untested=tuple(missing),
    )
