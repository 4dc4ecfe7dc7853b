"""The verdict as a pure function of check results and indicators (no database)."""

from decimal import Decimal

from govportal.monitoring.rules import CheckResult, Finding
from govportal.monitoring.verdict import IndicatorSpec, verdict


def spec(code: str, level: str, points: str = "0", cap: str | None = None) -> IndicatorSpec:
    return IndicatorSpec(
        code=code,
        name=f"指标{code}",
        level=level,
        rule_kind=code,
        points=Decimal(points),
        cap=None if cap is None else Decimal(cap),
    )


def hit(count: int = 1) -> CheckResult:
    return CheckResult(measured=count, findings=(Finding("问题"),), breached=True, count=count)


OK = CheckResult(measured=0)


def test_a_site_with_no_problem_passes_with_full_score() -> None:
    indicators = [spec("v", "veto"), spec("d", "deduction", "5")]
    result = verdict({"v": OK, "d": OK}, indicators)
    assert result.passed
    assert result.label == "合格"
    assert result.score == Decimal(100)


def test_any_veto_fails_the_site_and_nothing_is_scored() -> None:
    indicators = [spec("v", "veto"), spec("d", "deduction", "5")]
    result = verdict({"v": hit(), "d": hit()}, indicators)
    assert not result.passed
    assert [h.indicator.code for h in result.vetoes] == ["v"]
    assert result.score is None


def test_a_veto_below_its_threshold_does_not_apply() -> None:
    below = CheckResult(measured=3, findings=(Finding("a"),) * 3, breached=False, count=1)
    result = verdict({"v": below}, [spec("v", "veto")])
    assert result.passed
    assert result.vetoes == ()


def test_deductions_are_capped_per_indicator() -> None:
    indicators = [spec("links", "deduction", "1", cap="4"), spec("policy", "deduction", "5")]
    result = verdict({"links": hit(count=9), "policy": hit(count=3)}, indicators)
    points = {h.indicator.code: h.points for h in result.deductions}
    assert points == {"links": Decimal(4), "policy": Decimal(5)}
    assert result.score == Decimal(91)


def test_a_score_below_60_fails_without_a_veto() -> None:
    indicators = [spec(f"d{i}", "deduction", "10") for i in range(5)]
    result = verdict({i.code: hit() for i in indicators}, indicators)
    assert result.score == Decimal(50)
    assert not result.passed
    assert result.vetoes == ()


def test_exactly_60_passes() -> None:
    indicators = [spec(f"d{i}", "deduction", "10") for i in range(4)]
    result = verdict({i.code: hit() for i in indicators}, indicators)
    assert result.score == Decimal(60)
    assert result.passed


def test_bonus_counts_only_above_80_and_at_most_30() -> None:
    bonus = spec("b", "bonus", "40")
    above = verdict({"b": hit()}, [bonus])
    assert above.score == Decimal(130)
    deductions = [spec("d1", "deduction", "15"), spec("d2", "deduction", "10")]
    below = verdict({"b": hit(), "d1": hit(), "d2": hit()}, [bonus, *deductions])
    assert below.score == Decimal(75)


def test_untested_indicators_are_listed_and_never_pass_silently() -> None:
    indicators = [spec("v", "veto"), spec("w", "veto")]
    result = verdict({"v": CheckResult(untested_reason="没有留言数据。")}, indicators)
    assert [(i.code, reason) for i, reason in result.untested] == [
        ("v", "没有留言数据。"),
        ("w", "没有检查结果。"),
    ]
    assert result.vetoes == ()
