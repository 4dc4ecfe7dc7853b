"""在线访谈 in a real browser: a pair the host publishes appears on the open live page without
a reload; without JavaScript the page offers the reload link instead. Survey and interview
pages pass axe-core at phone width."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from govportal.browser_tests.conftest import screenshot
from govportal.interaction.interviews import services
from govportal.interaction.models.surveys import SurveyResponse
from govportal.interaction.tests.factories_surveys import make_interview, make_survey
from govportal.testing import build_portal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def serious_violations(tab: Any) -> list[str]:
    results = Axe().run(tab)
    return [
        f"[{v['impact']}] {v['id']}: {' '.join(n['target'])}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
        for n in v["nodes"]
    ]


def test_published_pair_appears_on_the_live_page_without_reload(open_page: Any) -> None:
    build_portal()
    now = timezone.now()
    interview = services.interview_start(interview=make_interview(starts_at=now), now=now)
    tab = open_page(interview.get_absolute_url(), width=375)
    tab.evaluate("window.__sameDocument = true")
    assert tab.locator(".qa-pair").count() == 0

    services.pair_publish(
        interview=interview,
        question="<b>学位</b>够不够？",
        answer="今年新增学位一千个。",
        guest=interview.guests.get(),
        token=secrets.token_urlsafe(16),
        now=now,
    )
    tab.wait_for_selector("#qa-1", timeout=20_000)
    assert "今年新增学位一千个。" in tab.inner_text("#qa-1")
    assert "<b>学位</b>够不够？" in tab.inner_text("#qa-1")  # shown as text, not markup
    assert tab.evaluate("window.__sameDocument") is True  # no reload happened

    services.interview_end(interview=interview, now=now)
    tab.wait_for_function(
        "document.querySelector('.live-status').textContent.includes('访谈已结束')",
        timeout=20_000,
    )


def test_without_javascript_the_live_page_offers_a_reload_link(
    browser: Any, live_server: Any
) -> None:
    build_portal()
    now = timezone.now()
    interview = services.interview_start(interview=make_interview(starts_at=now), now=now)
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        tab = context.new_page()
        tab.goto(interview.get_absolute_url())
        link = tab.get_by_role("link", name="刷新查看最新问答")
        assert link.is_visible()
        link.click()
        assert tab.url.endswith(interview.get_absolute_url())
    finally:
        context.close()


def test_survey_and_interview_pages_pass_axe_at_phone_width(open_page: Any) -> None:
    build_portal()
    survey = make_survey(
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=1),
    )
    interview = make_interview(starts_at=timezone.now() + dt.timedelta(days=1))
    closed = make_survey(
        title="已结束的调查",
        opens_at=timezone.now() - dt.timedelta(days=9),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    first = closed.questions.all()[0]
    for n, age in enumerate(["18–59岁", "60岁及以上", "18–59岁"]):
        SurveyResponse.objects.create(survey=closed, token=f"axe-{n}").items.create(
            question=first, choice=age
        )
    paths = [p.get_absolute_url() for p in (survey, interview, closed)]
    for path in [*paths, "/surveys/", "/interviews/"]:
        tab = open_page(path, width=375)
        assert serious_violations(tab) == [], path
        screenshot(tab, f"interaction{path.replace('/', '-').rstrip('-')}")
