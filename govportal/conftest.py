import os
from collections.abc import Generator, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings
from django.db import connections
from django.test import override_settings

from govportal.core import sitecache
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `heavy` (those that load the whole demo district) first, otherwise in
    collection order.

    Under `pytest -n 2 --dist loadfile --no-loadscope-reorder` (.ci/run) the workers take files
    in this order, so the longest files start at once and run beside the rest. xdist's own
    reordering (most tests first) sent them last, where one ran alone at the end of each leg.
    """
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


def _restores_itself(item: pytest.Item | None) -> bool:
    marker = item.get_closest_marker("django_db") if item else None
    return bool(
        marker and marker.kwargs.get("transaction") and marker.kwargs.get("serialized_rollback")
    )


_db_blocker: Any = None


@pytest.fixture(scope="session", autouse=True)
def _keep_the_db_blocker(django_db_blocker: Any) -> None:
    global _db_blocker
    _db_blocker = django_db_blocker


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    """After a transactional test, put back the rows the migrations wrote, for the next test.

    A transactional test ends with a flush, and with serialized_rollback only the *next* such
    test restores the migrations' rows (groups, permissions, the starter lexicon, the indicator
    table) when it starts. In one process pytest-django runs every transactional test after the
    others; under pytest-xdist a worker runs whole files in the order it is sent them, so a
    plain test can come right after a flush and find those rows gone.
    """
    result = yield
    if _restores_itself(item) and nextitem is not None and not _restores_itself(nextitem):
        with _db_blocker.unblock():
            for connection in connections.all():
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
    return result


@pytest.fixture(autouse=True)
def _fresh_workday_calendar() -> Iterator[None]:
    # The calendar is cached per process; a test's rolled-back rows must not leak into the next.
    workday_calendar_reset()
    yield
    workday_calendar_reset()


@pytest.fixture(autouse=True)
def _fresh_site_cache() -> Iterator[None]:
    # Sites, identities and top columns are kept per process; a rolled-back test replaces no
    # token, so its rows must not leak into the next test's memo.
    sitecache.reset()
    yield
    sitecache.reset()


@pytest.fixture
def portal(db: None) -> Portal:
    return build_portal()
