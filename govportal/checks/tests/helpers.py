"""Contexts for checks tests that need no database."""

import datetime as dt

from govportal.checks.engine import CheckContext, check
from govportal.checks.lexicon import Lexicon, Term, starter_lexicon

TODAY = dt.date(2025, 6, 30)


def context(*terms: Term, **fields: object) -> CheckContext:
    """A context with just these terms (or the starter lexicon when none are given)."""
    lexicon = Lexicon(terms) if terms else starter_lexicon()
    return CheckContext(lexicon=lexicon, today=TODAY, **fields)  # type: ignore[arg-type]


def matches(text: str, ctx: CheckContext) -> list[str]:
    return [f.match for f in check(text, context=ctx)]
