"""Flagged words: found however they are disguised, with offsets into the original text."""

import random

import pytest

from govportal.checks.engine import check
from govportal.checks.lexicon import Term
from govportal.checks.tests.helpers import context, matches

SENSITIVE = Term("测试敏感词", "sensitive", "block")


@pytest.mark.parametrize(
    "written",
    [
        "测试敏感词",
        "測試敏感詞",  # traditional
        "ｃ测试敏感词",  # full-width neighbour
        "测\u200b试\u200c敏\u200d感\u2060词",  # zero-width characters
        "测 试 敏 感 词",  # spaces
        "测*试.敏-感_词",  # ASCII punctuation
        "测★试😀敏·感　词",  # symbols, emoji, middle dot, ideographic space
        "测\u202e试敏感词",  # bidi override
    ],
)
def test_a_sensitive_word_is_found_however_it_is_written(written):
    text = f"前文{written}后文"
    findings = check(text, context=context(SENSITIVE))
    assert [(f.category, f.severity) for f in findings] == [("sensitive", "block")]
    finding = findings[0]
    assert text[finding.start : finding.end] == finding.match
    assert finding.match.replace("ｃ", "") == written.replace("ｃ", "")


def test_latin_words_are_found_in_any_case_and_width_but_only_as_whole_words():
    ctx = context(Term("casino", "advertising", "warn"))
    assert matches("欢迎访问 CaSiNo 网站", ctx) == ["CaSiNo"]
    assert matches("欢迎访问 ｃａｓｉｎｏ 网站", ctx) == ["ｃａｓｉｎｏ"]
    assert matches("c a s i n o", ctx) == ["c a s i n o"]
    assert matches("casinos and minicasino", ctx) == []


def test_letters_partly_spaced_are_parts_of_different_words():
    ctx = context(Term("sex", "sensitive", "block"))
    assert matches("this is exciting", ctx) == []
    assert matches("s e x", ctx) == ["s e x"]


def test_clause_punctuation_and_line_breaks_are_never_skipped():
    ctx = context(Term("按装", "typo", "warn", "安装"))
    assert matches("请按，装修要求施工", ctx) == []
    assert matches("请按\n装修要求施工", ctx) == []
    assert matches("请按。装修", ctx) == []


def test_no_more_than_three_separators_are_skipped_between_two_characters():
    ctx = context(Term("按装", "typo", "warn", "安装"))
    assert matches("按 **装", ctx) == ["按 **装"]
    assert matches("按 * *装", ctx) == []


def test_a_typo_finding_carries_its_correction():
    (finding,) = check("请按装好软件。", context=context(Term("按装", "typo", "warn", "安装")))
    assert (finding.category, finding.severity, finding.suggestion) == ("typo", "warn", "安装")
    assert (finding.start, finding.end, finding.match) == (1, 3, "按装")
    assert "安装" in finding.message


def test_a_correct_word_that_contains_a_typo_is_not_flagged_when_listed_as_an_exception():
    ctx = context(Term("以经", "typo", "warn", "已经", exceptions=("以经济", "以经营")))
    assert matches("坚持以经济建设为中心，以经营为主。", ctx) == []
    assert matches("我们以经完成了任务。", ctx) == ["以经"]


def test_an_exception_of_one_entry_does_not_hide_another_entry():
    ctx = context(
        Term("以经", "typo", "warn", "已经", exceptions=("以经济",)),
        Term("经济测试", "sensitive", "block"),
    )
    assert matches("以经济测试", ctx) == ["经济测试"]


def test_a_match_inside_a_longer_match_of_the_same_category_is_reported_once():
    ctx = context(Term("敏感词", "sensitive", "block"), Term("测试敏感词甲", "sensitive", "block"))
    assert matches("这是测试敏感词甲。", ctx) == ["测试敏感词甲"]


def test_overlapping_words_of_different_categories_are_both_reported():
    ctx = context(Term("按装", "typo", "warn", "安装"), Term("装修广告", "advertising", "warn"))
    assert sorted(matches("按装修广告", ctx)) == ["按装", "装修广告"]


def test_wrong_wording_can_block_or_warn_per_entry():
    ctx = context(
        Term("台湾政府", "wording", "block", "台湾当局"),
        Term("国务院办公室", "wording", "warn", "国务院办公厅"),
    )
    findings = check("国务院办公室就台湾政府问题答问", context=ctx)
    assert [(f.match, f.severity, f.suggestion) for f in findings] == [
        ("国务院办公室", "warn", "国务院办公厅"),
        ("台湾政府", "block", "台湾当局"),
    ]


def test_offsets_point_into_the_html_source():
    source = '<p class="lead">请按<b>&#35013;</b>软件</p>'
    (finding,) = check(source, context=context(Term("按装", "typo", "warn", "安装")))
    assert finding.match == "按<b>&#35013;"
    assert source[finding.start : finding.end] == finding.match


def test_the_starter_lexicon_finds_common_errors(starter):
    text = "再接再励，一愁莫展，按装设备，国务院办公室，既使下雨也要去。"
    found = {f.match: f.suggestion for f in check(text, context=starter)}
    assert found == {
        "再接再励": "再接再厉",
        "一愁莫展": "一筹莫展",
        "按装": "安装",
        "国务院办公室": "国务院办公厅",
        "既使": "即使",
    }


def test_planted_words_are_found_with_exact_offsets_in_random_surroundings():
    rng = random.Random(7)
    noise = [
        "\u200b",
        "\u2060",
        "\ufeff",
        "Ａ",
        "ｂ",
        "開",
        "會",
        "😀",
        " ",
        "，",
        "。",
        "\n",
        "1",
        "x",
        "㈠",
    ]
    disguises = ["{}", "{} ", "\u200b{}"]
    ctx = context(SENSITIVE)
    for _ in range(300):
        before = "".join(rng.choice(noise) for _ in range(rng.randrange(0, 8)))
        after = "".join(rng.choice(noise) for _ in range(rng.randrange(0, 8)))
        word = "".join(rng.choice(disguises).format(ch) for ch in "测试敏感词").rstrip()
        text = f"{before}。{word}。{after}"
        findings = check(text, html=False, context=ctx)
        assert [f.rule for f in findings] == ["lexicon.sensitive"], repr(text)
        (finding,) = findings
        assert text[finding.start : finding.end] == finding.match == word.lstrip("\u200b")
