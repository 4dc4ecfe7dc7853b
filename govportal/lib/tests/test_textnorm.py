"""Normalisation for matching: each derived character maps back to the input."""

import pytest

from govportal.lib.textnorm import (
    OffsetMap,
    Utf16,
    fold,
    has_astral,
    join,
    normalise,
    normalise_term,
)


def back(text: str, derived: str, span: tuple[int, int]) -> str:
    return text[span[0] : span[1]]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ＡＢＣ１２３", "abc123"),  # full width
        ("開放中文轉換", "开放中文转换"),  # traditional
        ("MiXeD CaSe", "mixed case"),
        ("按\u200b装", "按装"),  # zero-width space
        ("按\u200d\u2060\ufeff装", "按装"),  # joiner, word joiner, BOM
        ("敏\u202e感", "敏感"),  # right-to-left override
        ("敏\ufe0f感", "敏感"),  # variation selector
        ("敏\U000e0041感", "敏感"),  # tag character
        ("e\u0301", "e"),  # combining accent dropped
        ("𝐭𝐞𝐬𝐭", "test"),  # mathematical bold
        ("㈠", "(一)"),  # an expansion
        ("测试，敏感。", "测试，敏感。"),  # clause punctuation stays as it is
    ],
)
def test_folding_evens_out_forms_that_look_alike(text, folded):
    assert fold(text)[0] == folded


def test_every_folded_character_maps_back_to_the_character_it_came_from():
    text = "A\u200bＢ㈠開\ud800x"
    folded, offsets = fold(text)
    assert folded == "ab(一)开\ufffdx"
    sources = [text[offsets.start(i) : offsets.end(i)] for i in range(len(folded))]
    assert sources == ["A", "Ｂ", "㈠", "㈠", "㈠", "開", "\ud800", "x"]


def test_a_lone_surrogate_becomes_a_replacement_character_that_can_be_encoded():
    folded, _ = fold("a\udcff\ud800b")
    folded.encode("utf-8")  # no UnicodeEncodeError
    assert folded == "a\ufffd\ufffdb"


@pytest.mark.parametrize(
    ("folded", "joined"),
    [
        ("敏 感 词", "敏感词"),
        ("敏*感.词", "敏感词"),
        ("敏★感😀词", "敏感词"),
        ("敏·感", "敏感"),
        ("s e x", "sex"),
    ],
)
def test_separators_between_two_letters_are_removed_when_joining(folded, joined):
    assert join(folded)[0] == joined


@pytest.mark.parametrize(
    "folded",
    [
        "测试，敏感。词",  # clause punctuation is a barrier
        "按\n装",  # so is a line break
        "第3.5条",  # a dot between digits stays
        "增长6%以上",  # a percent sign after a digit stays
        " 开头和结尾 ",  # no letter on one side
    ],
)
def test_barriers_and_separators_next_to_digits_stay_when_joining(folded):
    assert join(folded)[0] == folded


def test_a_joined_span_maps_back_over_the_skipped_separators():
    text = "请按 * 装软件"
    norm = normalise(text)
    assert norm.joined == "请按装软件"
    start, end = norm.joined_span(1, 3)
    assert text[start:end] == "按 * 装"


def test_a_joined_span_maps_back_through_folding_and_joining_together():
    text = "Ｔ\u200bＥ ｓ Ｔ"
    norm = normalise(text)
    assert norm.joined == "test"
    assert norm.joined_span(0, 4) == (0, len(text))


def test_lexicon_words_are_normalised_like_the_text():
    assert normalise_term("測 試★敏感詞") == "测试敏感词"
    assert normalise_term(" ★ ") == ""


def test_offset_map_without_segments_is_the_identity():
    offsets = OffsetMap()
    assert offsets.is_identity
    assert offsets.span(3, 7) == (3, 7)


def test_utf16_offsets_count_characters_even_after_astral_ones():
    text = "😀敏感𠀀词"
    assert has_astral(text)
    utf16 = Utf16(text)
    # "词" starts at byte 12: 😀 (4 bytes) 敏 感 (2 each) 𠀀 (4 bytes)
    assert utf16.char_index(12) == 4
    assert utf16.char_index(4) == 1


def test_text_without_astral_characters_is_not_taken_for_astral():
    assert not has_astral("普通文本 plain text \ud800")


def test_a_text_of_nothing_but_invisible_characters_folds_to_nothing():
    text = "\u200b\u200b\u200b测试"
    folded, offsets = fold(text)
    assert folded == "测试"
    assert offsets.span(0, 2) == (3, 5)
    assert fold("\u200b\u2060")[0] == ""
