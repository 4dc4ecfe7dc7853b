"""发文字号, 索引号 and validity as pure functions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from govportal.disclosure import rules
from govportal.disclosure.rules import Validity

TODAY = dt.date(2025, 6, 1)


def test_a_well_formed_document_number_is_parsed_into_organ_year_and_number() -> None:
    number = rules.document_number_parse("宝渭政办发〔2020〕19号", today=TODAY)
    assert (number.organ, number.year, number.seq) == ("宝渭政办发", 2020, 19)
    assert str(number) == "宝渭政办发〔2020〕19号"


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("宝渭政办发[2020]19号", "六角括号"),
        ("宝渭政办发（2020）19号", "六角括号"),
        ("宝渭政办发【2020】19号", "六角括号"),
        ("宝渭政办发〔2020〕19", "以“号”结尾"),
        ("宝渭政办发〔20〕19号", "四位"),
        ("宝渭政办发〔2020〕019号", "不编虚位"),
        ("〔2020〕19号", "格式不正确"),
        ("宝渭政办发〔2099〕1号", "不合理"),
    ],
)
def test_a_malformed_document_number_gets_a_chinese_message_that_says_what_to_fix(
    value: str, hint: str
) -> None:
    with pytest.raises(ValidationError) as error:
        rules.document_number_parse(value, today=TODAY)
    assert hint in error.value.messages[0]


def test_the_index_number_prefix_is_the_scheme_up_to_the_sequence() -> None:
    fmt = rules.DEFAULT_INDEX_NUMBER_FORMAT
    prefix = rules.index_number_prefix(fmt=fmt, unit="WBZF", category="NY", year=2024)
    assert prefix == "WBZF-NY-2024-"
    number = rules.index_number_make(fmt=fmt, unit="WBZF", category="NY", year=2024, seq=7)
    assert number == "WBZF-NY-2024-00007"
    assert rules.index_number_seq(fmt=fmt, prefix=prefix, number=number) == 7
    assert rules.index_number_seq(fmt=fmt, prefix=prefix, number="WBZF-NY-2023-00009") is None


@pytest.mark.parametrize(
    ("valid_until", "repealed_on", "expected"),
    [
        (None, None, Validity.IN_FORCE),
        (dt.date(2025, 6, 1), None, Validity.IN_FORCE),  # the last valid day still counts
        (dt.date(2025, 5, 31), None, Validity.EXPIRED),
        (None, dt.date(2025, 6, 1), Validity.REPEALED),
        (None, dt.date(2025, 6, 2), Validity.IN_FORCE),  # a repeal announced for tomorrow
        (dt.date(2020, 1, 1), dt.date(2024, 1, 1), Validity.REPEALED),
    ],
)
def test_validity_follows_from_the_dates_on_a_given_day(
    valid_until: dt.date | None, repealed_on: dt.date | None, expected: Validity
) -> None:
    assert (
        rules.validity_on(valid_until=valid_until, repealed_on=repealed_on, today=TODAY) == expected
    )


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("关于做好2024年燃气安全工作的通知", "燃气安全"),
        ("关于做好2024年燃气安全工作的通知", "2024年燃气安全工作"),
        ("关于做好2024年燃气安全工作的通知", "通知"),
        ("宝渭政办发〔2020〕19号", "〔2020〕19号"),
        ("Guidelines on ABC", "abc"),
    ],
)
def test_a_text_that_contains_a_word_has_all_the_grams_looked_up_for_it(
    text: str, word: str
) -> None:
    grams = rules.title_grams_of_word(word)
    assert grams
    assert len(grams) <= rules.TITLE_GRAMS_PER_WORD
    assert set(grams) <= rules.title_grams(text)


def test_a_one_character_word_has_no_gram_and_pairs_do_not_span_two_texts() -> None:
    assert rules.title_grams_of_word("旧") == []
    assert "知宝" not in rules.title_grams("通知", "宝渭政办发〔2020〕19号")
