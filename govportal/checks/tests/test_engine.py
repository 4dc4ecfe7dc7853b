"""The engine: one call, plug-in checkers, findings with offsets into the input."""

from collections.abc import Iterator

import pytest

from govportal.checks import engine
from govportal.checks.engine import CheckContext, Checker, Document, Finding, check, register
from govportal.checks.lexicon import Lexicon, Term
from govportal.checks.models import LexiconCategory, LexiconSeverity
from govportal.checks.tests.helpers import context


def test_the_built_in_checkers_are_registered():
    assert set(engine.registered_checkers()) >= {
        "flagged_words",
        "personal_data",
        "classified",
        "links",
    }


def test_findings_come_sorted_by_position_with_their_original_text(starter):
    text = "机密★1年\n请按装软件，身份证号11010519491231002X。"
    findings = check(text, context=starter)
    assert [f.rule for f in findings] == [
        "classified.marking",
        "lexicon.typo",
        "personal_data.resident_id",
    ]
    for f in findings:
        assert text[f.start : f.end] == f.match
        assert f.message


def test_html_is_recognised_by_its_tags_unless_told(starter):
    source = "<p>请按装软件</p>"
    (finding,) = check(source, context=starter)
    assert source[finding.start : finding.end] == "按装"
    # Told it is plain text, the tags are text too, and offsets are the same here.
    assert [f.match for f in check(source, html=False, context=starter)] == ["按装"]


def test_a_context_can_run_some_checkers_only(starter):
    ctx = CheckContext(lexicon=starter.lexicon, checkers=frozenset({"classified"}))
    assert [f.rule for f in check("按装 机密★", context=ctx)] == ["classified.marking"]


def test_a_checker_that_fails_blocks_instead_of_letting_content_through(monkeypatch):
    class Broken(Checker):
        name = "broken_for_test"

        def run(self, doc: Document) -> Iterator[Finding]:
            raise RuntimeError("boom")

    monkeypatch.setitem(engine._REGISTRY, Broken.name, Broken)
    findings = check("正文", context=context(checkers=frozenset({"broken_for_test"})))
    assert [(f.category, f.severity, f.rule) for f in findings] == [
        ("check_error", "block", "broken_for_test.error")
    ]


def test_a_new_checker_is_added_with_the_register_decorator(monkeypatch):
    monkeypatch.setattr(engine, "_REGISTRY", dict(engine._REGISTRY))

    @register
    class Exclamations(Checker):
        name = "exclamations_for_test"

        def run(self, doc: Document) -> Iterator[Finding]:
            start = doc.text.find("！！！")
            if start != -1:
                yield doc.finding(
                    start=start,
                    end=start + 3,
                    category="wording",
                    severity="warn",
                    rule="exclamations.triple",
                    message="连用三个感叹号。",
                )

    findings = check("好！！！", context=context(checkers=frozenset({Exclamations.name})))
    assert [(f.start, f.end, f.match) for f in findings] == [(1, 4, "！！！")]


def test_two_checkers_cannot_share_a_name():
    class Duplicate(Checker):
        name = "classified"

    with pytest.raises(ValueError, match="already registered"):
        register(Duplicate)


def test_check_takes_text_not_bytes():
    with pytest.raises(TypeError):
        check(b"bytes", context=context())  # type: ignore[arg-type]


def test_an_empty_lexicon_finds_no_words():
    ctx = CheckContext(lexicon=Lexicon([]))
    assert check("按装", context=ctx) == []


def test_the_model_choices_use_the_engine_codes():
    assert {c.value for c in LexiconCategory} == {
        engine.Category.SENSITIVE,
        engine.Category.TYPO,
        engine.Category.WORDING,
        engine.Category.ADVERTISING,
    }
    assert {s.value for s in LexiconSeverity} == {s.value for s in engine.Severity}


def test_a_finding_knows_whether_it_blocks():
    ctx = context(Term("甲乙", "sensitive", "block"), Term("丙丁", "typo", "warn", "丙戊"))
    assert [f.blocks for f in check("甲乙丙丁", context=ctx)] == [True, False]
