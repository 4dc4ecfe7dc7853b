"""Thin overlay for the test suite: same settings, faster hashing, tasks run inline."""

import tempfile
from pathlib import Path

from govportal.settings import *  # noqa: F403
from govportal.settings import STORAGES

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
