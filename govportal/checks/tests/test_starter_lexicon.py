"""The starter lexicon finds common errors without flagging correct government text."""

from pathlib import Path

from govportal.checks.engine import check
from govportal.checks.lexicon import STARTER_LEXICON
from govportal.checks.lexicon_io import parse_text
from govportal.checks.tests.helpers import context
from govportal.lib.idnumbers import phone_keys

CLEAN_ARTICLE = Path(__file__).parent / "fixtures" / "clean_article.txt"


def test_a_correct_article_full_of_near_misses_has_no_findings():
    ctx = context(
        allowed_numbers=frozenset(phone_keys("0917-3210000")),
        allowed_emails=frozenset({"office@gov.test"}),
    )
    text = CLEAN_ARTICLE.read_text(encoding="utf-8")
    assert [(f.rule, f.match) for f in check(text, context=ctx)] == []


def test_no_starter_entry_flags_its_own_correction():
    rows, _ = parse_text(STARTER_LEXICON.read_text(encoding="utf-8"))
    ctx = context()
    flagged = {
        row.word: [f.match for f in check(row.suggestion, context=ctx)]
        for row in rows
        if row.suggestion
    }
    assert {word: found for word, found in flagged.items() if found} == {}


def test_every_starter_entry_finds_itself():
    rows, _ = parse_text(STARTER_LEXICON.read_text(encoding="utf-8"))
    ctx = context()
    missed = [row.word for row in rows if not check(f"。{row.word}。", context=ctx)]
    assert missed == []
