"""Browser tests: Debian's chromium driven by Python playwright against pytest-django's live_server.

Never `playwright install`: the tests use the system chromium and download nothing. When it is
missing, every browser test is skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_REASON = "chromium 未安装: 浏览器测试跳过 (apt-get install chromium fonts-noto-cjk)"
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by the
# tests and fixtures are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# Module scope, not session: Playwright's event loop must stop when the browser tests are done,
# or every later test that calls asyncio.run (the crawler) fails in the same session.
@pytest.fixture(scope="module")
def browser(django_db_setup: None) -> Iterator[Any]:
    from django.db import connections
    from playwright.sync_api import sync_playwright

    kept = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        # Code after this point runs with its own contextvars, where Django hands out new
        # connection objects; without the serialized rows of the data migrations on them,
        # serialized_rollback cannot restore what each browser test's flush removes
        # (pytest-django issue 1117).
        for alias, contents in kept.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents  # type: ignore[attr-defined]
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """Open a new tab `width` pixels wide; call it with a path on the live server."""
    contexts: list[Any] = []

    def opener(path: str, *, width: int = 1280, height: int = 900, elder: bool = False) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="zh-CN", base_url=live_server.url
        )
        if elder:
            context.add_cookies([{"name": "elder", "value": "1", "url": live_server.url}])
        contexts.append(context)
        tab = context.new_page()
        tab.goto(path)
        return tab

    yield opener
    for context in contexts:
        context.close()


def screenshot(tab: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
