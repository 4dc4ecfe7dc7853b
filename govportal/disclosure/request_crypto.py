"""The applicant's ID number at rest: Fernet-encrypted, with a keyed digest and a masked form.

The key is settings.DISCLOSURE_ENCRYPTION_KEY (URL-safe Base64 of 32 bytes) when set; otherwise
it is derived from SECRET_KEY with HKDF, so a fresh checkout works. Changing SECRET_KEY then
makes stored numbers unreadable: production sets the dedicated key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

__all__ = [
    "IdNumberUnreadable",
    "decrypt_id_number",
    "encrypt_id_number",
    "id_number_digest",
    "mask_id_number",
]


class IdNumberUnreadable(Exception):
    """The stored number cannot be decrypted with the current key."""


def _derive(material: bytes, info: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"govportal-disclosure-requests", info=info
    ).derive(material)


@cache
def _keys(configured: str, secret: str) -> tuple[bytes, bytes]:
    fernet_key = (
        configured.encode()
        if configured
        else base64.urlsafe_b64encode(_derive(secret.encode(), b"id-number-encryption"))
    )
    digest_key = _derive(base64.urlsafe_b64decode(fernet_key), b"id-number-digest")
    return fernet_key, digest_key


def _current_keys() -> tuple[bytes, bytes]:
    return _keys(getattr(settings, "DISCLOSURE_ENCRYPTION_KEY", "") or "", settings.SECRET_KEY)


def encrypt_id_number(number: str) -> str:
    return Fernet(_current_keys()[0]).encrypt(number.encode()).decode()


def decrypt_id_number(token: str) -> str:
    try:
        return Fernet(_current_keys()[0]).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise IdNumberUnreadable(
            "证件号码无法解密：加密密钥已变更。请检查 DISCLOSURE_ENCRYPTION_KEY 设置。"
        ) from error


def id_number_digest(id_type: str, number: str) -> str:
    """The same document always gives the same digest; nobody can reverse it without the key."""
    message = f"{id_type}:{number.strip().upper()}".encode()
    return hmac.new(_current_keys()[1], message, hashlib.sha256).hexdigest()


def mask_id_number(number: str) -> str:
    """Shown in lists instead of the number: the first two and the last two characters."""
    number = number.strip()
    if len(number) <= 4:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]
