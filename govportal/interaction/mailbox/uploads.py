"""Attachments kept across a failed submission (nothing the citizen entered is lost).

Browsers cannot refill a file input, so checked uploads of a form that comes back with an error
(a wrong captcha, a subject too long, a rate limit) are saved in the mailbox's private storage
under pending/ and named in a signed hidden field; the next post of the form picks them up.
The signature means a client can only point at files this site kept for it, for a day.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.files.base import ContentFile

from govportal.interaction.mailbox.services import Upload
from govportal.interaction.models import mailbox_storage

SALT = "govportal.mailbox.kept-uploads"
MAX_AGE = 24 * 3600


@dataclass(frozen=True)
class KeptFile:
    name: str
    kind: str
    path: str


def keep(uploads: list[Upload]) -> list[KeptFile]:
    storage = mailbox_storage()
    kept = []
    for upload in uploads:
        path = storage.save(
            f"pending/{secrets.token_hex(12)}.{upload.kind}", ContentFile(upload.data)
        )
        kept.append(KeptFile(upload.name, upload.kind, path))
    return kept


def kept_sign(files: list[KeptFile]) -> str:
    return signing.dumps([[f.name, f.kind, f.path] for f in files], salt=SALT) if files else ""


def kept_read(signed: str) -> list[KeptFile]:
    if not signed:
        return []
    try:
        rows = signing.loads(signed, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    storage = mailbox_storage()
    files = []
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, list) and len(row) == 3 and all(isinstance(v, str) for v in row):
            name, kind, path = row
            if path.startswith("pending/") and storage.exists(path):
                files.append(KeptFile(name, kind, path))
    return files


def kept_load(files: list[KeptFile]) -> list[Upload]:
    storage = mailbox_storage()
    uploads = []
    for f in files:
        with storage.open(f.path, "rb") as handle:
            uploads.append(Upload(name=f.name, kind=f.kind, data=handle.read()))
    return uploads


def kept_discard(files: list[KeptFile]) -> None:
    storage = mailbox_storage()
    for f in files:
        storage.delete(f.path)
