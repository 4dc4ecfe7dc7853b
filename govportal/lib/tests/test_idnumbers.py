"""Identity, card and phone number checks."""

import datetime as dt

import pytest

from govportal.lib import idnumbers

TODAY = dt.date(2025, 6, 30)


def with_check(first17: str) -> str:
    return first17 + idnumbers.resident_id_check_character(first17)


def test_the_check_character_follows_gb_11643():
    # The worked example of the standard's MOD 11-2 scheme: 11010519491231002 → X.
    assert idnumbers.resident_id_check_character("11010519491231002") == "X"
    assert idnumbers.is_resident_id("11010519491231002X", today=TODAY)
    assert idnumbers.is_resident_id("11010519491231002x", today=TODAY)


def test_a_wrong_check_character_is_not_an_id():
    assert not idnumbers.is_resident_id("110105194912310021", today=TODAY)


@pytest.mark.parametrize(
    "birth",
    [
        "20230229",  # not a leap year
        "19991301",  # month 13
        "18800101",  # before anyone alive was born
        "20300101",  # in the future
    ],
)
def test_an_id_with_an_impossible_birth_date_is_not_an_id(birth):
    assert not idnumbers.is_resident_id(with_check("610302" + birth + "123"), today=TODAY)


def test_an_id_born_today_is_an_id_and_one_born_tomorrow_is_not():
    assert idnumbers.is_resident_id(with_check("610302" + "20250630" + "123"), today=TODAY)
    assert not idnumbers.is_resident_id(with_check("610302" + "20250701" + "123"), today=TODAY)


def test_an_unknown_province_code_is_not_an_id():
    assert not idnumbers.is_resident_id(with_check("990302" + "19800101" + "123"), today=TODAY)


def test_old_fifteen_digit_ids_need_a_real_date_in_the_1900s():
    assert idnumbers.is_old_resident_id("610302800101123", today=TODAY)
    assert not idnumbers.is_old_resident_id("610302800230123", today=TODAY)  # 30 February


def test_luhn():
    assert idnumbers.luhn_valid("4111111111111111")
    assert not idnumbers.luhn_valid("4111111111111112")


def test_a_valid_id_number_is_never_a_bank_card_even_when_it_passes_luhn():
    # Find an 18-digit ID (digit check character) that also passes Luhn.
    for seq in range(1000):
        number = with_check(f"62030219800101{seq:03d}")
        if number[-1] != "X" and idnumbers.luhn_valid(number):
            break
    else:
        pytest.fail("no ID passing Luhn found")
    assert idnumbers.is_resident_id(number, today=TODAY)
    assert not idnumbers.is_bank_card(number)


def test_a_bank_card_needs_a_card_scheme_and_16_to_19_digits():
    assert idnumbers.is_bank_card("6222021234567894")
    assert not idnumbers.is_bank_card("1222021234567891")  # no scheme starts with 1
    assert not idnumbers.is_bank_card("622202123456789")  # 15 digits


@pytest.mark.parametrize(
    ("number", "mobile"),
    [("13812345678", True), ("19912345678", True), ("12812345678", False), ("1381234567", False)],
)
def test_mobile_numbers(number, mobile):
    assert idnumbers.is_mobile(number) is mobile


@pytest.mark.parametrize(
    ("area", "local", "landline"),
    [
        ("010", "12345678", False),  # a local number does not start with 1
        ("010", "62345678", True),
        ("0917", "3212345", True),
        ("031", "3212345", False),  # three-digit area codes are 010 and 02x
        ("917", "3212345", False),
        ("0917", "321234", False),
    ],
)
def test_landlines(area, local, landline):
    assert idnumbers.is_landline(area, local) is landline


def test_phone_keys_cover_the_forms_a_number_is_written_in():
    assert idnumbers.phone_keys("0917-3212345-801") == {"09173212345801", "09173212345"}
    assert "13812345678" in idnumbers.phone_keys("+86 138 1234 5678")
