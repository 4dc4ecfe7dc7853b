"""Every interaction test keeps the mailbox's private files in its own temporary folder and
starts and ends with an empty cache (rate limits, one-time tokens, statistics). `staff` is the
portal with e-mail addresses for the people reminders and escalations go to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from govportal.testing import Portal


@pytest.fixture(autouse=True)
def _mailbox_files_and_cache(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.MAILBOX_FILES_ROOT = tmp_path
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(portal: Portal) -> Portal:
    """The portal whose unit A and unit B editors and operator have e-mail addresses.

    Unit A's reviewer has none on purpose: a reminder to unit A then goes to one address.
    """
    for user, email in (
        (portal.editor_a, "editor_a@example.test"),
        (portal.operator, "operator@example.test"),
        (portal.editor_b, "editor_b@example.test"),
    ):
        user.email = email
        user.save()
    return portal
