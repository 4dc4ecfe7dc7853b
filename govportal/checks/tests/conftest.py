import datetime as dt

import pytest

from govportal.checks.engine import CheckContext, Finding, check
from govportal.checks.lexicon import Lexicon, Term, starter_lexicon

TODAY = dt.date(2025, 6, 30)


def context(*terms: Term, **fields: object) -> CheckContext:
    """A context with just these terms (or the starter lexicon when none are given)."""
    lexicon = Lexicon(terms) if terms else starter_lexicon()
    return CheckContext(lexicon=lexicon, today=TODAY, **fields)  # type: ignore[arg-type]


def matches(text: str, ctx: CheckContext, *, rule_prefix: str = "") -> list[str]:
    return [f.match for f in check(text, context=ctx) if f.rule.startswith(rule_prefix)]


def only(findings: list[Finding], rule_prefix: str) -> list[Finding]:
    return [f for f in findings if f.rule.startswith(rule_prefix)]


@pytest.fixture
def starter() -> CheckContext:
    return context()
