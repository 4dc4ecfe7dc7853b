"""The public pages in a real browser: phone and desktop widths, axe-core, keyboard, 长者模式."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from govportal.browser_tests.conftest import screenshot
from govportal.browser_tests.sample import SamplePortal, sample_portal_build
from govportal.testing import build_portal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [375, 1280]
# Issue 2, item 9: responsive from 360 px to 1440 px; the layout is checked at both ends as well.
LAYOUT_WIDTHS = [360, *WIDTHS, 1440]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def sample() -> SamplePortal:
    return sample_portal_build(build_portal())


def pages_of(sample: SamplePortal) -> dict[str, str]:
    """Home, a column and an article (issue 2, item 11), plus the site map and the 404 page."""
    return {
        "home": "/",
        "column": sample.columns["headlines"].url,
        "article": sample.article.url,
        "sitemap": "/sitemap/",
        "not-found": "/no-such-page/",
    }


def horizontal_overflow(tab: Any) -> int:
    return int(tab.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def blocking_violations(tab: Any) -> list[str]:
    """Serious and critical axe-core violations, one readable line per element."""
    results = Axe().run(tab)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            lines.append(
                f"[{violation['impact']}] {violation['id']}: {violation['help']}\n"
                f"    元素: {' '.join(node['target'])}\n"
                f"    {node.get('failureSummary', '').strip()}"
            )
    return lines


@pytest.mark.parametrize("width", LAYOUT_WIDTHS)
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_pages_fit_the_screen_without_horizontal_scrolling(
    sample: SamplePortal, open_page: Any, width: int, elder: bool
) -> None:
    overflowing = {}
    for name, path in pages_of(sample).items():
        tab = open_page(path, width=width, elder=elder)
        screenshot(tab, f"{name}-{width}{'-elder' if elder else ''}")
        if (extra := horizontal_overflow(tab)) > 0:
            overflowing[name] = extra
    assert not overflowing, f"页面出现横向滚动 (多出的像素): {overflowing}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_pages_have_no_serious_or_critical_axe_violations(
    sample: SamplePortal, open_page: Any, width: int, elder: bool
) -> None:
    report = []
    for name, path in pages_of(sample).items():
        tab = open_page(path, width=width, elder=elder)
        report += [f"{name} ({path}) {line}" for line in blocking_violations(tab)]
    print("\n".join(report))
    assert not report, "axe-core 发现严重的无障碍问题:\n" + "\n".join(report)


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(
    sample: SamplePortal, open_page: Any
) -> None:
    tab = open_page(sample.article.url)
    tab.keyboard.press("Tab")
    focused = tab.evaluate("[document.activeElement.className, document.activeElement.textContent]")
    assert focused == ["skip-link", "跳到主要内容"]
    assert tab.evaluate("getComputedStyle(document.activeElement).top") != "-200px"
    screenshot(tab, "skip-link-focused")
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"


def test_keyboard_focus_is_visible_on_navigation_links(
    sample: SamplePortal, open_page: Any
) -> None:
    tab = open_page("/")
    tab.focus(".main-nav a")
    tab.keyboard.press("Tab")
    outline = tab.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert outline[0] != "none" and outline[1] >= 2


def body_font_size(tab: Any) -> float:
    return float(tab.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))


def test_elder_mode_persists_to_the_next_page_and_enlarges_body_text(
    sample: SamplePortal, open_page: Any
) -> None:
    tab = open_page("/", width=1280)
    assert body_font_size(tab) < 24
    tab.click("text=长者模式")
    tab.wait_for_load_state()
    assert body_font_size(tab) >= 24
    # 第二页: the choice is kept in a cookie, not in the address.
    tab.goto(sample.article.url)
    assert tab.evaluate("document.documentElement.classList.contains('elder')")
    assert body_font_size(tab) >= 24
    line_height = float(tab.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)"))
    assert line_height >= 1.3 * 24
    screenshot(tab, "article-1280-elder-after-switch")
    tab.click("text=退出长者模式")
    tab.wait_for_load_state()
    assert body_font_size(tab) < 24


def test_elder_mode_makes_navigation_targets_at_least_60_pixels(
    sample: SamplePortal, open_page: Any
) -> None:
    tab = open_page(sample.columns["headlines"].url, width=375, elder=True)
    too_small = tab.evaluate(
        """[...document.querySelectorAll(
              '.main-nav a, .news-list a, .search-form button, .topbar-links a, .footer-links a')]
            .map(a => [a.textContent.trim(), a.getBoundingClientRect()])
            .filter(([, r]) => r.width < 60 || r.height < 60)
            .map(([text, r]) => `${text}: ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )
    assert too_small == []
