"""Tracking numbers and secret query codes for citizens' letters (区长信箱) and requests (依申请公开).

A citizen gets two strings on submission: a tracking number (not secret: it appears on the
receipt, in e-mails and in staff lists) and a query code (secret: with the number it opens the
letter or request). Both apps draw and check them here; each keeps its own visible number
format, because citizens have numbers of that format on paper.

Stored query-code formats, all verified by `query_code_matches`:

- `sha256$<salt>$<hex>`: what `query_code_hash` writes now.
- `pbkdf2_sha256$<iterations>$<salt>$<hex>`: the mailbox's hashes before the salted SHA-256.
- `pbkdf2_sha256$<iterations>$<salt>$<base64>`: disclosure requests before, written by Django's
  `make_password` with its default hasher (the site never set `PASSWORD_HASHERS`).

Why one salted SHA-256 and not a slow hash: a code is 12 characters from 31 (≈ 59 bits), drawn
at random or by HMAC from a 192-bit secret, so guessing one from a stolen database takes about
4·10^17 SHA-256 per row (years on a GPU) and the per-row salt stops one table serving every row.
What the code guards (the letter or request and its reply) is in that same database anyway, so
a slow hash (3 ms per letter with the mailbox's PBKDF2, most of a submission's budget; 0.2 s of
CPU per request and per look-up with Django's million iterations) would protect little more.
No server secret in the hash on purpose: citizens keep their codes for months, and a rotated
SECRET_KEY must not lock them out. Online guessing is limited by each app's look-up rate limit.
A hash stored in an older format keeps its cost: verifying it runs its PBKDF2 iterations.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

__all__ = [
    "CODE_ALPHABET",
    "DIGITS",
    "QUERY_CODE_LENGTH",
    "normalise_query_code",
    "normalise_tracking_number",
    "query_code_derived",
    "query_code_hash",
    "query_code_matches",
    "query_code_new",
    "tracking_number_new",
]

# Letters and digits without look-alikes (no 0/O, 1/I/L), so a code can be read over the phone.
# The order matters for `query_code_derived`: a changed order would change the codes of forms
# still open, so it stays the mailbox's order.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
DIGITS = "0123456789"
QUERY_CODE_LENGTH = 12  # 31**12 ≈ 7.9·10^17 codes, ≈ 59 bits

_SHA256 = "sha256"
_PBKDF2 = "pbkdf2_sha256"


def random_string(length: int, alphabet: str = CODE_ALPHABET) -> str:
    """`length` characters drawn from `alphabet` by the operating system's CSPRNG."""
    return "".join(secrets.choice(alphabet) for _ in range(length))


def tracking_number_new(prefix: str, length: int, alphabet: str = CODE_ALPHABET) -> str:
    """`prefix` (the app's visible part, e.g. a date) followed by `length` random characters.

    The random part makes numbers hard to guess; uniqueness is the database's job (each app
    draws again on a unique-constraint collision or checks before saving).
    """
    return prefix + random_string(length, alphabet)


def normalise_tracking_number(number: str) -> str:
    """A typed tracking number as stored: no surrounding spaces, upper case."""
    return number.strip().upper()


def query_code_new(length: int = QUERY_CODE_LENGTH) -> str:
    """A fresh random query code."""
    return random_string(length)


def query_code_derived(key: bytes, message: str, length: int = QUERY_CODE_LENGTH) -> str:
    """A query code computed from a secret `key` and `message` with HMAC-SHA256.

    For an app that must show the same code again for the same submission (a double click)
    without storing the code itself; the 256-bit digest read in base 31 gives `length`
    characters that are as unguessable as `key` and `message` together.
    """
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    return "".join(chars)


def normalise_query_code(code: str) -> str:
    """A typed code as it was hashed: no spaces anywhere, upper case (codes are shown so)."""
    return "".join(code.split()).upper()


def query_code_hash(code: str, salt: str | None = None) -> str:
    """The stored form of a query code: `sha256$<salt>$<hex>` with a fresh 64-bit salt."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256(salt.encode() + b"$" + normalise_query_code(code).encode())
    return f"{_SHA256}${salt}${digest.hexdigest()}"


def query_code_matches(code: str, stored: str | None) -> bool:
    """Whether `code` is the code hashed into `stored` (any format above), in constant time.

    `stored` None (no such tracking number) still costs one hash, so the answer's timing does
    not tell an unknown number from a wrong code for hashes in the current format.
    """
    if stored is None:
        query_code_hash(code)
        return False
    parts = stored.split("$")
    if parts[0] == _SHA256 and len(parts) == 3:
        return hmac.compare_digest(query_code_hash(code, parts[1]), stored)
    if parts[0] == _PBKDF2 and len(parts) == 4 and parts[1].isdigit():
        expected = _decode_digest(parts[3])
        if expected is None:
            return False
        actual = hashlib.pbkdf2_hmac(
            "sha256", normalise_query_code(code).encode(), parts[2].encode(), int(parts[1])
        )
        return hmac.compare_digest(actual, expected)
    return False


def _decode_digest(text: str) -> bytes | None:
    """A PBKDF2 digest as the mailbox wrote it (64 hex digits) or as Django did (base64)."""
    try:
        if len(text) == 64:
            return bytes.fromhex(text)
        return base64.b64decode(text, validate=True)
    except ValueError:  # binascii.Error is one
        return None
