"""The demo district comes out 不合格 for the planted reasons; fixed, the next check clears them.

Loads the full demo once for this module (about 15 s), inside a transaction rolled back after it.
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

from govportal.content.models import ArticlePage
from govportal.content.review import review_bypass
from govportal.core.models import ColumnPage
from govportal.demo.columns import EMPTY_COLUMNS, STALE_COLUMNS
from govportal.demo.units import UNIT_BY_CODE
from govportal.monitoring.indicators import stored_assessment
from govportal.monitoring.models import CheckRun, WorkOrder
from govportal.monitoring.supervision import daily_check
from govportal.monitoring.tests.supervision_fixtures import COLUMN_RULES

NOW = dt.datetime(2025, 3, 14, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Friday morning
TODAY = NOW.date()
STALE_VETO = "栏目不更新：不更新栏目累计达到5个"
# The unit that must fix each planted column (demo/columns.py).
RESPONSIBLE = {
    "media": "xcb",
    "social-assistance": "mzj",
    "personnel": "rsj",
    "culture-tourism": "wlj",
    "education-disclosure": "jyj",
    "proposals": "zfb",
}


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    var_dir = tmp_path_factory.mktemp("var")
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir):
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


@pytest.mark.django_db
def test_the_demo_fails_for_the_planted_columns_and_the_fix_clears_them(demo: None) -> None:
    # The demo's own first daily check (demo/supervision.py) has judged it.
    run = CheckRun.objects.get(date=TODAY)
    assert run.passed is False
    assert STALE_VETO in vetoes(TODAY)

    planted = {*STALE_COLUMNS, *EMPTY_COLUMNS}
    assert set(RESPONSIBLE) == planted
    orders = {
        slug: WorkOrder.objects.get(column__slug=slug, state=WorkOrder.State.OPEN)
        for slug in planted
    }
    for slug, order in orders.items():
        # Each order reaches the unit named in the column responsibility table.
        assert [u.name for u in order.units.all()] == [UNIT_BY_CODE[RESPONSIBLE[slug]].name]

    # The units publish a fresh item in each planted column the next morning.
    tomorrow = NOW + dt.timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False), review_bypass(reason="测试数据"):
        for n, slug in enumerate(sorted(planted)):
            column = ColumnPage.objects.get(slug=slug)
            column.add_child(
                instance=ArticlePage(
                    title=f"补充更新{n}",
                    slug=f"fix-{n}",
                    pub_date=timezone.now(),
                    source=UNIT_BY_CODE[RESPONSIBLE[slug]].name,
                )
            )
        _, sync = daily_check(today=tomorrow.date(), now=tomorrow)

    assert STALE_VETO not in vetoes(tomorrow.date())
    # No column or home-page veto is left: what remains, if anything, belongs to other parts
    # (an unanswered message planted by the mailbox demo, availability …).
    assessment = stored_assessment(tomorrow.date())
    assert assessment is not None
    column_vetoes = [
        hit.indicator.name
        for hit in assessment.verdict.vetoes
        if hit.indicator.rule_kind in COLUMN_RULES
    ]
    assert column_vetoes == []
    verified = {o.pk for o in sync.verified}
    for order in orders.values():
        order.refresh_from_db()
        assert order.state == WorkOrder.State.VERIFIED
        assert order.pk in verified
        assert order.verified_on == tomorrow.date()


@pytest.mark.django_db
def test_the_demo_dashboard_and_a_units_orders(demo: None) -> None:
    from django.test import Client
    from django.urls import reverse

    from govportal.accounts.models import User

    operator = Client()
    operator.force_login(User.objects.get(username="operator"))
    with time_machine.travel(NOW, tick=False):
        page = operator.get(reverse("monitoring_supervision:dashboard")).content.decode()
    assert "评估结论：不合格" in page
    assert STALE_VETO in page

    editor = Client()
    editor.force_login(User.objects.get(username="jyj_editor"))  # 区教育局
    page = editor.get(reverse("monitoring_supervision:orders")).content.decode()
    assert "教育领域" in page
    assert "媒体聚焦" not in page  # 区委宣传部's column
