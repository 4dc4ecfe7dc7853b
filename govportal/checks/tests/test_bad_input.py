"""Any input gives findings or a clear error, never a crash or a hang."""

import random

import pytest

from govportal.checks.engine import check


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "😀🎉👍🏽👨‍👩‍👧‍👦 表情符号",
        "مرحبا بالعالم שלום עולם 测试",  # right-to-left scripts
        "\u202e\u202d\u200f\u061c 方向控制符",
        "".join(chr(c) for c in range(32)) + "控制字符\x7f\x85",
        "孤立代理项\ud800\udfff\udc80尾",
        "\ufffd\ufffe\uffff\U0010ffff",
        "\x00" * 1000,
        "<" * 1000 + ">" * 1000,
        "&" * 1000 + "#" * 1000,
    ],
)
def test_strange_text_is_checked_without_error(text, starter):
    for html in (None, True, False):
        findings = check(text, html=html, context=starter)
        for f in findings:
            assert 0 <= f.start <= f.end <= len(text)


def test_words_next_to_lone_surrogates_are_still_found(starter):
    text = "\udcff测试敏感词甲\ud800"
    (finding,) = check(text, context=starter)
    assert finding.match == "测试敏感词甲"


def test_random_unicode_never_breaks_the_engine(starter):
    rng = random.Random(3)
    for _ in range(200):
        text = "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(1, 60)))
        check(text, context=starter)
        check("<p>" + text + "</p>", html=True, context=starter)


def test_ten_megabytes_of_text_are_checked(starter):
    block = "区政府召开会议，研究部署重点工作。请按装软件。" * 10 + "\n"
    text = block * (10 * 1024 * 1024 // len(block.encode()))
    findings = check(text, context=starter)
    assert len(findings) == text.count("按装")


@pytest.mark.parametrize(
    "source",
    [
        "<div>" * 10_000 + "测试敏感词甲" + "</div>" * 10_000,
        "<p><b><i>测试敏感词甲</p></b>",
        "<p 测试敏感词甲",
        "<![CDATA[测试敏感词甲",
        "<![foo]>测试敏感词甲",
        "<!-- 测试敏感词甲",
        "<script>测试敏感词甲",
        "<a href='javascript:alert(1)' title=\"测试敏感词甲\">x</a>",
        '<img src=x onerror="测试敏感词甲">',
    ],
)
def test_malformed_or_deep_html_is_checked_without_error(source, starter):
    findings = check(source, html=True, context=starter)
    for f in findings:
        assert source[f.start : f.end] == f.match


@pytest.mark.parametrize(
    "unit",
    ["<!--", "<a '", '<a x="', "&#", "&amp", "<script>", "<![CDATA[", "<p alt='x ", "</", "<?"],
)
def test_long_runs_of_unclosed_markup_take_linear_time(unit, starter):
    # 200,000 unclosed comments took minutes in the standard library's parser here.
    source = unit * 200_000 + "测试敏感词甲"
    findings = check(source, html=True, context=starter)
    for f in findings:
        assert source[f.start : f.end] == f.match


@pytest.mark.parametrize(
    "unit",
    ["www.", "http://", "1室", "秘密", "以经以经济", "1 ", "a@b.", "1-x", "\u200b"],
)
def test_long_runs_of_repeated_text_take_linear_time(unit, starter):
    # Each of these once made a check read the rest of the text again at every repetition.
    source = unit * 100_000 + "测试敏感词甲"
    findings = check(source, html=False, context=starter)
    assert findings[-1].match == "测试敏感词甲"


def test_the_word_in_a_deeply_nested_element_is_still_found(starter):
    source = "<div>" * 10_000 + "测试敏感词甲" + "</div>" * 10_000
    assert [f.match for f in check(source, context=starter)] == ["测试敏感词甲"]
