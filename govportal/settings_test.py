"""Thin overlay for the test suite: same settings, faster hashing, tasks run inline."""

import tempfile
from pathlib import Path

from govportal.settings import *  # noqa: F403
from govportal.settings import CACHES, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="govportal-test-media-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="govportal-test-static-"))
MAILBOX_FILES_ROOT = Path(tempfile.mkdtemp(prefix="govportal-test-mailbox-"))

if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    # Local-memory aliases with one LOCATION share one store: the "shared" alias is the default
    # cache here, so a test's cache.clear() resets the rate limits and tokens too, and xdist
    # workers (separate processes) never share files. With Redis both aliases are already one
    # Redis database (one per xdist worker, govportal/conftest.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "govportal",
        },
        "shared": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "govportal",
        },
    }
