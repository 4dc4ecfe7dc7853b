import os
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import override_settings

from govportal.core.models.calendar import workday_calendar_reset
from govportal.testing import Portal, build_portal


def redis_url_for_worker(url: str, worker: str) -> str:
    """The Redis URL with the database number moved up by the xdist worker's number (gw1: +1).

    Under `pytest -n 2` both workers would share one Redis database, and the cache's clear() is
    FLUSHDB: one worker's test would wipe the other's cache and sessions half-way through.
    """
    offset = int(worker.removeprefix("gw"))
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query))
        query["db"] = str(int(query.get("db", 0)) + offset)
        return f"unix://{parts.netloc}{parts.path}?{urlencode(query)}"
    return parts._replace(path=f"/{int(parts.path.strip('/') or 0) + offset}").geturl()


def pytest_configure(config: pytest.Config) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not settings.REDIS_URL:
        return
    url = redis_url_for_worker(settings.REDIS_URL, worker)
    caches = {alias: {**conf} for alias, conf in settings.CACHES.items()}
    for conf in caches.values():
        if conf.get("LOCATION") == settings.REDIS_URL:
            conf["LOCATION"] = url
    # For the whole worker process (the cache handler is reset by the setting_changed signal),
    # and for the manage.py processes that some tests start.
    override_settings(REDIS_URL=url, CACHES=caches).enable()
    os.environ["REDIS_URL"] = url


@pytest.fixture(autouse=True)
def _fresh_workday_calendar() -> Iterator[None]:
    # The calendar is cached per process; a test's rolled-back rows must not leak into the next.
    workday_calendar_reset()
    yield
    workday_calendar_reset()


@pytest.fixture
def portal(db: None) -> Portal:
    return build_portal()
