"""Every interaction test keeps the mailbox's private files in its own temporary folder and
starts and ends with an empty cache (rate limits, one-time tokens, statistics)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _mailbox_files_and_cache(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.MAILBOX_FILES_ROOT = tmp_path
    cache.clear()
    yield
    cache.clear()
