"""Personal data: identity, card and phone numbers, e-mail, passports and home addresses."""

import pytest

from govportal.checks.engine import check
from govportal.checks.tests.helpers import context
from govportal.lib.idnumbers import phone_keys, resident_id_check_character


def personal(text: str, **fields) -> list[tuple[str, str]]:
    ctx = context(checkers=frozenset({"personal_data"}), **fields)
    return [(f.rule.removeprefix("personal_data."), f.match) for f in check(text, context=ctx)]


VALID_ID = "11010519491231002X"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"身份证号{VALID_ID}。", [("resident_id", VALID_ID)]),
        ("身份证号 110105 19491231 002X。", [("resident_id", "110105 19491231 002X")]),
        (
            "身份证号１１０１０５１９４９１２３１００２Ｘ。",
            [("resident_id", "１１０１０５１９４９１２３１００２Ｘ")],
        ),
        ("旧证号110105491231002。", [("old_resident_id", "110105491231002")]),
    ],
)
def test_resident_ids_with_a_valid_check_character_and_birth_date_are_found(text, expected):
    assert personal(text) == expected


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check character
        "110105202302290015",  # 29 February 2023 does not exist
        "110105491301002",  # old number, month 13
    ],
)
def test_numbers_failing_the_id_checks_are_not_reported(number):
    assert personal(f"编号{number}。") == []


def test_an_id_shaped_number_with_a_wrong_check_character_is_not_taken_for_a_bank_card():
    first17 = "62030219800101123"
    wrong = first17 + ("1" if resident_id_check_character(first17) != "1" else "2")
    assert personal(f"编号{wrong}。") == []


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("卡号6222021234567894。", "6222021234567894"),
        ("卡号 6222 0212 3456 7894 。", "6222 0212 3456 7894"),
        ("卡号6222-0212-3456-7894。", "6222-0212-3456-7894"),
    ],
)
def test_bank_cards_passing_luhn_are_found(text, match):
    assert personal(text) == [("bank_card", match)]


def test_card_numbers_failing_luhn_are_not_reported():
    assert personal("卡号6222021234567895。") == []


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("手机13812345678。", "13812345678"),
        ("手机 138 1234 5678。", "138 1234 5678"),
        ("手机138-1234-5678。", "138-1234-5678"),
        ("手机+86 138 1234 5678。", "+86 138 1234 5678"),
        ("手机+8613812345678。", "+8613812345678"),
        ("手机0086-13812345678。", "0086-13812345678"),
        ("手机１３８\u200b１２３４\u200b５６７８。", "１３８\u200b１２３４\u200b５６７８"),
    ],
)
def test_mobile_numbers_are_found_in_every_usual_form(text, match):
    assert personal(text) == [("mobile", match)]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("电话0917-3212345。", "0917-3212345"),
        ("电话（0917）3212345。", "（0917）3212345"),
        ("电话(010)62345678。", "(010)62345678"),
        ("电话029 88123456。", "029 88123456"),
    ],
)
def test_landlines_with_an_area_code_are_found_and_only_warn(text, match):
    findings = check(text, context=context(checkers=frozenset({"personal_data"})))
    assert [(f.rule, f.match, f.severity) for f in findings] == [
        ("personal_data.landline", match, "warn")
    ]


def test_the_units_own_phone_numbers_may_be_published():
    allowed = frozenset(phone_keys("0917-3212345") | phone_keys("13812345678"))
    text = "办公室电话0917-3212345，值班手机138 1234 5678，另一部0917-3212346。"
    assert personal(text, allowed_numbers=allowed) == [("landline", "0917-3212346")]


def test_e_mail_addresses_are_found_unless_they_are_the_units_own():
    text = "联系 Zhang.San@Example.com 或 office@gov.test。"
    assert personal(text, allowed_emails=frozenset({"office@gov.test"})) == [
        ("email", "Zhang.San@Example.com")
    ]


@pytest.mark.parametrize("number", ["E12345678", "EA1234567", "G12345678", "DE1234567"])
def test_passport_numbers_are_found(number):
    assert personal(f"护照号{number}。") == [("passport", number)]


def test_a_detailed_home_address_is_found_but_an_office_address_is_not():
    text = "张某家住西安市雁塔区长安路88号3号楼2单元501室。本局地址为人民路1号。"
    assert personal(text) == [("address", "西安市雁塔区长安路88号3号楼2单元501室")]


@pytest.mark.parametrize(
    "text",
    [
        "2024年3月15日，全区完成投资38.6亿元，同比增长7.2%。",
        "会议于2024-03-15至2024-03-20举行，共1234567元。",
        "拨打12345政务服务便民热线，或3212345。",
        "统一社会信用代码11610302MB0000000X。",
        "文号宝渭政发〔2024〕12号，索引号11610302MB0000000X/2024-00012。",
        "订单号ABC13812345678。",
        "第3单元的练习题。",
    ],
)
def test_ordinary_figures_are_not_personal_data(text):
    assert personal(text) == []
