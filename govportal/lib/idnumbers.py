"""Checks for Chinese identity, card and phone numbers. Pure functions; no regular expressions.

- Resident identity numbers (居民身份证号码), GB 11643-1999: 6-digit address code, 8-digit birth
  date, 3-digit sequence, 1 check character (0-9 or X) from ISO 7064 MOD 11-2. The old
  15-digit numbers (before 1999) have a 6-digit birth date in the 1900s and no check character.
- Bank card numbers: 16 to 19 digits that pass the Luhn check.
- Mobile numbers: 11 digits starting 13-19; landlines: a 3- or 4-digit area code starting 0
  and a 7- or 8-digit local number.
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "PROVINCE_CODES",
    "is_bank_card",
    "is_landline",
    "is_mobile",
    "is_old_resident_id",
    "is_resident_id",
    "looks_like_resident_id",
    "luhn_valid",
    "phone_keys",
    "resident_id_birth_date",
    "resident_id_check_character",
]

# The first two digits of the address code: provinces, autonomous regions and municipalities
# (GB/T 2260), plus 71 台湾, 81 香港, 82 澳门 and 83 used on residence permits (居住证).
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    }
)  # fmt: skip

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"
# Nobody alive was born before this; it also keeps years like 0001 out.
_EARLIEST_BIRTH = dt.date(1890, 1, 1)


def resident_id_check_character(first17: str) -> str:
    """The GB 11643 check character (0-9 or X) for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def resident_id_birth_date(number: str) -> dt.date | None:
    """The birth date in an 18- or 15-digit number, if it is a real calendar date."""
    if len(number) == 18 and number[:17].isdigit():
        return _date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    if len(number) == 15 and number.isdigit():
        return _date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    return None


def _plausible_birth(born: dt.date | None, today: dt.date) -> bool:
    return born is not None and _EARLIEST_BIRTH <= born <= today


def looks_like_resident_id(number: str) -> bool:
    """An 18-character number shaped like an ID: a province code and a date-like birth field.

    The check character and whether the date exists are not looked at: such a number is never
    reported as a bank card, because a mistyped ID is still an ID.
    """
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789Xx":
        return False
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    return (
        number[:2] in PROVINCE_CODES
        and 1800 <= year <= 2099
        and 1 <= month <= 12
        and 1 <= day <= 31
    )


def is_resident_id(number: str, *, today: dt.date) -> bool:
    """An 18-character resident ID with a valid check character and a real birth date."""
    return (
        looks_like_resident_id(number)
        and _plausible_birth(resident_id_birth_date(number), today)
        and resident_id_check_character(number[:17]) == number[17].upper()
    )


def is_old_resident_id(number: str, *, today: dt.date) -> bool:
    """A 15-digit resident ID (issued before 1999): province code and a real birth date."""
    return (
        len(number) == 15
        and number.isdigit()
        and number[:2] in PROVINCE_CODES
        and _plausible_birth(resident_id_birth_date(number), today)
    )


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by bank card numbers."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# First digits of card schemes issued in China: 3 (JCB), 4 (Visa), 5 (Mastercard),
# 6 (UnionPay 62, domestic debit 60/65), 9 (older domestic cards).
_CARD_FIRST_DIGITS = frozenset("34569")


def is_bank_card(digits: str) -> bool:
    """16 to 19 digits of a known card scheme that pass Luhn and are not shaped like an ID."""
    return (
        16 <= len(digits) <= 19
        and digits.isdigit()
        and digits[0] in _CARD_FIRST_DIGITS
        and luhn_valid(digits)
        and not looks_like_resident_id(digits)
    )


def is_mobile(digits: str) -> bool:
    """An 11-digit mainland mobile number (13x to 19x)."""
    return len(digits) == 11 and digits.isdigit() and digits[0] == "1" and digits[1] in "3456789"


def is_landline(area: str, local: str) -> bool:
    """An area code (010, 02x, 0xxx) and a 7- or 8-digit local number not starting 0 or 1."""
    if not (area.isdigit() and local.isdigit()) or area[:1] != "0" or area[1:2] == "0":
        return False
    if len(area) == 3 and area[1] not in "12":
        return False  # three-digit area codes are 010 and 020-029
    if len(area) not in (3, 4):
        return False
    return len(local) in (7, 8) and local[0] not in "01"


def phone_keys(number: str) -> set[str]:
    """The forms of a published phone number a finding is compared with (digits only).

    ``0917-3212345-801`` gives ``09173212345801`` and ``09173212345``; ``+86 138 1234 5678``
    gives ``13812345678``.
    """
    digits = "".join(ch for ch in number if ch.isdigit())
    keys = {digits}
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and is_mobile(digits[len(prefix) :]):
            keys.add(digits[len(prefix) :])
    parts = ["".join(ch for ch in part if ch.isdigit()) for part in number.split("-")]
    parts = [p for p in parts if p]
    if len(parts) >= 2 and parts[0].startswith("0"):
        keys.add(parts[0] + parts[1])
    return {k for k in keys if k}
