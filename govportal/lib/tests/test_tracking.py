"""Tracking numbers and query codes without a database: drawing, hashing, every stored format."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from govportal.lib import tracking

CODE = "ABCDEFGHJKMN"


def test_a_tracking_number_is_the_prefix_and_random_characters_of_the_alphabet() -> None:
    numbers = {tracking.tracking_number_new("YSQ2026", 10) for _ in range(50)}
    assert len(numbers) == 50
    assert all(re.fullmatch(r"YSQ2026[A-HJKMNP-Z2-9]{10}", n) for n in numbers)
    assert re.fullmatch(r"20260930\d{6}", tracking.tracking_number_new("20260930", 6, "0123456789"))


def test_a_typed_tracking_number_is_trimmed_and_upper_cased() -> None:
    assert tracking.normalise_tracking_number("  ysq2026abcdefgh23\n") == "YSQ2026ABCDEFGH23"


def test_new_query_codes_are_random_and_have_no_look_alike_characters() -> None:
    codes = {tracking.query_code_new() for _ in range(50)}
    assert len(codes) == 50
    assert all(len(c) == 12 and not set(c) & set("01OIL") for c in codes)


def test_a_derived_query_code_depends_on_key_and_message_and_never_changes() -> None:
    key = ("pinned-test-key-" + "x" * 40).encode()
    # Computed by the mailbox's code before it moved here: a form posted again after an
    # upgrade must show the citizen the same code as its first post.
    assert tracking.query_code_derived(key, "mailbox-query:form-token-0123456789") == "WDKCZTRVQ9T6"
    assert tracking.query_code_derived(key, "mailbox-query:form-token-0123456780") != "WDKCZTRVQ9T6"
    assert tracking.query_code_derived(b"other", "mailbox-query:form-token-0123456789") != (
        "WDKCZTRVQ9T6"
    )


def test_the_same_code_is_hashed_with_a_different_salt_each_time_and_both_verify() -> None:
    first, second = tracking.query_code_hash(CODE), tracking.query_code_hash(CODE)
    assert first != second and first.startswith("sha256$") and CODE not in first
    assert tracking.query_code_matches(CODE, first) and tracking.query_code_matches(CODE, second)


def test_a_code_typed_in_lower_case_or_with_spaces_matches() -> None:
    stored = tracking.query_code_hash(CODE)
    assert tracking.query_code_matches(" abcd efgh jkmn ", stored)
    assert not tracking.query_code_matches(CODE[:-1], stored)
    assert not tracking.query_code_matches(CODE[:-1] + "P", stored)


def test_an_unknown_tracking_number_matches_no_code() -> None:
    assert not tracking.query_code_matches(CODE, None)


def test_a_mailbox_hash_stored_with_pbkdf2_in_hex_still_verifies() -> None:
    # The mailbox's format before the salted SHA-256, written out independently here.
    digest = hashlib.pbkdf2_hmac("sha256", CODE.encode(), b"0123456789abcdef", 2_000).hex()
    stored = f"pbkdf2_sha256$2000$0123456789abcdef${digest}"
    assert tracking.query_code_matches(CODE.lower(), stored)
    assert not tracking.query_code_matches("ABCDEFGHJKMP", stored)


def test_a_disclosure_hash_stored_by_djangos_password_hasher_still_verifies() -> None:
    # Disclosure requests stored `make_password(code)` with Django's default hasher.
    stored = PBKDF2PasswordHasher().encode(CODE, "Zq3tUkXh1wV9sLmNpR2aBc", iterations=3_000)
    assert stored.startswith("pbkdf2_sha256$3000$")
    assert tracking.query_code_matches(CODE, stored)
    assert not tracking.query_code_matches("ABCDEFGHJKMP", stored)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "sha256$",
        "sha256$salt",
        "sha256$salt$abc$def",
        "pbkdf2_sha256$many$salt$" + "0" * 64,
        "pbkdf2_sha256$1000$salt$not base64!",
        "pbkdf2_sha256$1000$salt$" + "g" * 64,
        "md5$salt$0cc175b9c0f1b6a831c399e269772661",
        CODE,
    ],
)
def test_a_damaged_or_unknown_stored_hash_matches_no_code(stored: str) -> None:
    assert not tracking.query_code_matches(CODE, stored)
