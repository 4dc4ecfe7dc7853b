"""The demo district comes out 不合格 for the planted reasons; fixed, the next check is 合格.

Loads the full demo once for this module (its first daily check crawls the site in process),
inside a transaction rolled back after it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Site

from govportal.accounts.models import User
from govportal.content.models import ArticlePage
from govportal.content.review import review_bypass
from govportal.core.models import ColumnPage, Unit, UnitRole
from govportal.demo.columns import EMPTY_COLUMNS, STALE_COLUMNS
from govportal.demo.links import PLANTED_LINKS
from govportal.demo.units import UNIT_BY_CODE
from govportal.interaction.mailbox import services as mailbox
from govportal.interaction.models import Message, MessageAssignment
from govportal.monitoring.crawling import crawl_in_process
from govportal.monitoring.indicators import stored_assessment
from govportal.monitoring.models import CheckRun, WorkOrder
from govportal.monitoring.supervision import daily_check

pytestmark = pytest.mark.heavy

NOW = dt.datetime(2025, 3, 14, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Friday morning
TODAY = NOW.date()
TOMORROW = NOW + dt.timedelta(days=1)
STALE_VETO = "栏目不更新：不更新栏目累计达到5个"
UNANSWERED_VETO = "互动回应差：留言超过3个月未回复"
BROKEN_LINKS = "other-broken-links"
# The unit that must fix each planted column (demo/columns.py).
RESPONSIBLE = {
    "media": "xcb",
    "social-assistance": "mzj",
    "personnel": "rsj",
    "culture-tourism": "wlj",
    "education-disclosure": "jyj",
    "proposals": "zfb",
}


# Tests collect no static files: WhiteNoise serves them from the finders for the in-process
# crawls (the handler is built per crawl, so the override is in force for both).
SERVE_STATIC = {"WHITENOISE_USE_FINDERS": True, "WHITENOISE_AUTOREFRESH": True}


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    var_dir = tmp_path_factory.mktemp("var")
    files = tmp_path_factory.mktemp("mailbox")
    with (
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=var_dir, MAILBOX_FILES_ROOT=files, **SERVE_STATIC),
    ):
        with transaction.atomic():
            with time_machine.travel(NOW, tick=False):
                call_command("load_demo", stdout=io.StringIO())
            yield
            transaction.set_rollback(True)
        Site.clear_site_root_paths_cache()
        cache.clear()


def vetoes(day: dt.date) -> list[str]:
    assessment = stored_assessment(day)
    assert assessment is not None
    return [hit.indicator.name for hit in assessment.verdict.vetoes]


def unit_names(order: WorkOrder) -> list[str]:
    return sorted(u.name for u in order.units.all())


def staff(unit: Unit, role: str) -> User:
    return User.objects.filter(groups__unit_role__unit=unit, groups__unit_role__role=role)[0]


def article_with(column_slug: str, href: str) -> ArticlePage:
    column = ColumnPage.objects.get(slug=column_slug)
    articles = ArticlePage.objects.child_of(column).live().specific()
    (article,) = [a for a in articles if href in str(list(a.body.raw_data))]
    return article


def site_url(path: str) -> str:
    return Site.objects.get(is_default_site=True).root_url + path


@pytest.mark.django_db
def test_the_demo_fails_for_the_planted_reasons_and_the_fixes_turn_it_to_pass(demo: None) -> None:
    # The demo's own first daily check (demo/supervision.py) has judged it, after a crawl.
    run = CheckRun.objects.get(date=TODAY)
    assert run.passed is False
    assert sorted(vetoes(TODAY)) == sorted([STALE_VETO, UNANSWERED_VETO])
    assessment = stored_assessment(TODAY)
    assert assessment is not None
    # The broken links are reasons too: deductions, though the vetoes leave the score moot.
    assert "其他页面断链" in [hit.indicator.name for hit in assessment.verdict.deductions]
    found = {f.key: f for f in assessment.results[BROKEN_LINKS].findings}
    assert set(found) == {site_url(link.href) for link in PLANTED_LINKS}
    assert not assessment.results["home-broken-links"].breached

    # Column orders reach the unit named in the column responsibility table.
    planted = {*STALE_COLUMNS, *EMPTY_COLUMNS}
    assert set(RESPONSIBLE) == planted
    orders = {
        slug: WorkOrder.objects.get(column__slug=slug, state=WorkOrder.State.OPEN)
        for slug in planted
    }
    for slug, order in orders.items():
        assert unit_names(order) == [UNIT_BY_CODE[RESPONSIBLE[slug]].name]
    # Each broken link reaches the unit of the column whose article carries it.
    for link in PLANTED_LINKS:
        order = WorkOrder.objects.get(
            indicator_code=BROKEN_LINKS, message__contains=site_url(link.href)
        )
        assert unit_names(order) == [UNIT_BY_CODE[link.unit].name]
        assert order.column is not None and order.column.slug == link.column
    # The unanswered letter reaches the unit it was assigned to.
    (letter_finding,) = assessment.results["unanswered-messages"].findings
    letter = Message.objects.get(tracking_number=letter_finding.key)
    letter_order = WorkOrder.objects.get(indicator_code="unanswered-messages")
    letter_unit = MessageAssignment.objects.get(message=letter).unit
    assert unit_names(letter_order) == [letter_unit.name]
    all_orders = list(WorkOrder.objects.filter(state=WorkOrder.State.OPEN))
    assert len(all_orders) == len(planted) + len(PLANTED_LINKS) + 1  # nothing unplanted

    # The next morning the units fix everything, as their users would.
    with time_machine.travel(TOMORROW, tick=False):
        with review_bypass(reason="测试数据"):
            for n, slug in enumerate(sorted(planted)):
                ColumnPage.objects.get(slug=slug).add_child(
                    instance=ArticlePage(
                        title=f"补充更新{n}",
                        slug=f"fix-{n}",
                        pub_date=timezone.now(),
                        source=UNIT_BY_CODE[RESPONSIBLE[slug]].name,
                    )
                )
            for link in PLANTED_LINKS:
                # The unit's editor takes the dead link out of the article: a new revision.
                article = article_with(link.column, link.href)
                article.body = [
                    (block.block_type, block.value)
                    for block in article.body
                    if link.href not in str(block.value)
                ]
                article.save_revision().publish()
        editor = staff(letter_unit, UnitRole.EDITOR)
        reply = mailbox.reply_save(
            message=letter, user=editor, text="经核实，已协调解决，感谢您的来信。", submit=True
        )
        mailbox.reply_approve(reply=reply, user=staff(letter_unit, UnitRole.REVIEWER))
        with override_settings(**SERVE_STATIC):
            crawl = crawl_in_process(site=Site.objects.get(is_default_site=True))
        next_run, sync = daily_check(today=TOMORROW.date(), now=TOMORROW)

    assert crawl.state == "finished"
    assert next_run.passed is True
    assert next_run.verdict_label == "合格"
    assert vetoes(TOMORROW.date()) == []
    verified = {o.pk for o in sync.verified}
    assert {o.pk for o in all_orders} <= verified
    for order in all_orders:
        order.refresh_from_db()
        assert order.state == WorkOrder.State.VERIFIED
        assert order.verified_on == TOMORROW.date()


@pytest.mark.django_db
def test_the_demo_dashboard_and_a_units_orders(demo: None) -> None:
    from django.test import Client
    from django.urls import reverse

    operator = Client()
    operator.force_login(User.objects.get(username="operator"))
    with time_machine.travel(NOW, tick=False):
        page = operator.get(reverse("monitoring_supervision:dashboard")).content.decode()
    assert "评估结论：不合格" in page
    assert STALE_VETO in page
    assert UNANSWERED_VETO in page
    assert "其他页面断链：扣" in page

    editor = Client()
    editor.force_login(User.objects.get(username="jyj_editor"))  # 区教育局
    page = editor.get(reverse("monitoring_supervision:orders")).content.decode()
    assert "教育领域" in page
    assert "媒体聚焦" not in page  # 区委宣传部's column
