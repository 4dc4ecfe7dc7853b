"""The "shared" cache alias (settings.CACHES) of the embedded deployment: two separate processes
on one machine, without Redis, see the same rate-limit counts and generation tokens (answer bot,
site memo, working-day calendar).

Each step runs in a fresh Python process with the real settings (not the tests' overlay), a
VAR_DIR of its own for this test and no REDIS_URL, as `make run`'s gunicorn workers do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

STEP = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.cache import caches
from govportal.core import ratelimit, sitecache
from govportal.core.models.calendar import CALENDAR_VERSION_KEY, workday_calendar_reset
from govportal.interaction.knowledge import bot

out = {"backend": settings.CACHES["shared"]["BACKEND"]}
if sys.argv[1] == "first":
    out["token_before"] = sitecache.read_generation()
    out["hits"] = [ratelimit.limit_hit("form", "203.0.113.9", limit=2, window=600) for _ in "ab"]
    bot.index_invalidate()
    sitecache.site_changed()
    workday_calendar_reset()  # what an edit of the office's calendar calls
else:
    out["reached"] = ratelimit.limit_reached("form", "203.0.113.9", limit=2)
    out["hits"] = [ratelimit.limit_hit("form", "203.0.113.9", limit=2, window=600)]
    out["other_key"] = ratelimit.limit_hit("form", "198.51.100.7", limit=2, window=600)
out["version"] = bot.version_current()
out["token"] = sitecache.read_generation()
out["calendar"] = caches["shared"].get(CALENDAR_VERSION_KEY)
print(json.dumps(out))
"""


def run_step(step: str, var_dir: Path) -> dict[str, Any]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "PYTEST_XDIST_WORKER"}
    }
    env.update(DJANGO_SETTINGS_MODULE="govportal.settings", GOVPORTAL_VAR_DIR=str(var_dir))
    done = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", STEP, step],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_second_process_sees_the_counts_and_tokens_of_the_first(tmp_path: Path) -> None:
    first = run_step("first", tmp_path)
    second = run_step("second", tmp_path)

    assert first["hits"] == [True, True]
    # The limit the first process used up holds in the second: the third attempt is refused.
    assert second["reached"] is True
    assert second["hits"] == [False]
    assert second["other_key"] is True  # another client is counted apart
    # The answer bot's version and the site memo's token the first process moved.
    assert first["version"] >= 1
    assert second["version"] == first["version"]
    assert first["token"] not in (None, first["token_before"])
    assert second["token"] == first["token"]
    # The working-day calendar's version: an edit of the office's calendar reaches every process.
    assert first["calendar"] is not None
    assert second["calendar"] == first["calendar"]
    assert first["backend"] == "django.core.cache.backends.filebased.FileBasedCache"
    # In VAR_DIR, where every process of the machine finds it.
    assert list((tmp_path / "shared-cache").glob("*/*.djcache"))
