"""The citizens' forms in a real browser: the mailbox letter, the disclosure request, the answer
bot and the annual reports, at phone and desktop widths and in 长者模式. No serious or critical
axe-core violation, no horizontal scrolling, and a form sent empty shows its errors next to the
fields with the typed input kept."""

from __future__ import annotations

from typing import Any

import pytest

from govportal.browser_tests.conftest import screenshot
from govportal.browser_tests.test_public_pages import blocking_violations, horizontal_overflow
from govportal.testing import build_portal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = {
    "mailbox-write": "/mailbox/write/",
    "mailbox-query": "/mailbox/query/",
    "mailbox-statistics": "/mailbox/statistics/",
    "request-apply": "/disclosure/requests/",
    "request-lookup": "/disclosure/requests/lookup/",
    "bot": "/knowledge/ask/?q=孩子上小学要准备哪些材料",
    "reports": "/reports/",
}


@pytest.mark.parametrize(("width", "elder"), [(375, False), (375, True), (1280, False)])
def test_citizen_forms_are_accessible_and_fit_the_screen(
    open_page: Any, width: int, elder: bool
) -> None:
    build_portal()
    report = []
    overflowing = {}
    for name, path in PAGES.items():
        tab = open_page(path, width=width, elder=elder)
        screenshot(tab, f"{name}-{width}{'-elder' if elder else ''}")
        report += [f"{name} ({path}) {line}" for line in blocking_violations(tab)]
        if (extra := horizontal_overflow(tab)) > 0:
            overflowing[name] = extra
    assert not report, "axe-core 发现严重的无障碍问题:\n" + "\n".join(report)
    assert not overflowing, f"页面出现横向滚动 (多出的像素): {overflowing}"


def test_a_letter_sent_incomplete_keeps_the_text_and_names_the_missing_fields(
    open_page: Any,
) -> None:
    build_portal()
    tab = open_page("/mailbox/write/", width=375)
    tab.fill("textarea[name=content]", "小区门口路灯坏了半个月，晚上出行不便。")
    tab.locator("form button[type=submit], form input[type=submit]").last.click()
    tab.wait_for_load_state()
    screenshot(tab, "mailbox-write-errors-375")
    assert tab.input_value("textarea[name=content]") == "小区门口路灯坏了半个月，晚上出行不便。"
    errors = tab.locator("[aria-invalid=true]")
    assert errors.count() >= 1
    assert blocking_violations(tab) == []
