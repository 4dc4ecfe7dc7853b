"""Classified markings block; the word 秘密 in running text does not."""

import pytest

from govportal.checks.engine import check
from govportal.checks.tests.helpers import context


def classified(text: str) -> list[str]:
    ctx = context(checkers=frozenset({"classified"}))
    findings = check(text, context=ctx)
    assert all(f.severity == "block" for f in findings)
    return [f.match for f in findings]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("机密★1年\n关于……的通知", "机密★1年"),
        ("秘密★\n正文", "秘密★"),
        ("绝密☆长期", "绝密☆长期"),
        ("文件标注 机密 ★ 5年 字样", "机密 ★ 5年"),
        ("密级：秘密", "秘密"),
        ("本文件为机密级文件", "机密级"),
        ("【绝密】会议纪要", "绝密"),
        ("  秘密  \n正文", "秘密"),
        ("機密★1年", "機密★1年"),
        ("机 密★", "机 密★"),
    ],
)
def test_secrecy_markings_are_found(text, match):
    assert classified(text) == [match]


@pytest.mark.parametrize("words", ["内部资料", "注意保密", "不得外传"])
def test_internal_use_notices_are_found_anywhere(words):
    assert classified(f"本材料为{words}，请妥善保管。") == [words]


@pytest.mark.parametrize(
    "text",
    [
        "走进秘密花园，发现自然之美。",
        "揭开长寿的秘密。",
        "这次的机密任务已经公开报道。",
        "秘密花园\n正文",
    ],
)
def test_the_words_in_running_text_are_not_markings(text):
    assert classified(text) == []
