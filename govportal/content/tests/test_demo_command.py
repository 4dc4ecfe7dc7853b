"""`manage.py load_demo`: --reset, --if-empty and the printed logins, at a small scale."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from wagtail.models import Site

from govportal.accounts.models import User
from govportal.content.models import ArticlePage, HomePage
from govportal.core.models import ColumnPage, Unit

pytestmark = pytest.mark.heavy

NOW = dt.datetime(2025, 6, 3, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SMALL = "0.1"


def load(*args: str) -> str:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("load_demo", "--scale", SMALL, "--no-crawl", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "home": HomePage.objects.count(),
        "columns": ColumnPage.objects.count(),
        "articles": ArticlePage.objects.count(),
        "units": Unit.objects.count(),
        "users": User.objects.count(),
    }


def titles() -> list[str]:
    return list(ArticlePage.objects.order_by("path").values_list("title", flat=True))


@pytest.fixture(scope="module")
def small_demo(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """A small demo loaded once for this module, rolled back afterwards."""
    var_dir = tmp_path_factory.mktemp("var")
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir):
        with transaction.atomic():
            out = load()
            yield {"stdout": out, "var_dir": var_dir}
            transaction.set_rollback(True)
        Site.clear_site_root_paths_cache()
        cache.clear()


@pytest.fixture
def var_dir(small_demo: dict[str, Any], settings: Any) -> Path:
    settings.VAR_DIR = small_demo["var_dir"]
    return Path(small_demo["var_dir"])


@pytest.mark.django_db
def test_reset_twice_gives_the_same_portal(small_demo: Any, var_dir: Path) -> None:
    first, first_titles = counts(), titles()
    assert first["home"] == 1 and first["articles"] >= 44  # every column with articles has one
    load("--reset")
    assert counts() == first
    load("--reset")
    assert counts() == first
    assert titles() == first_titles


@pytest.mark.django_db
def test_reset_gives_new_passwords(small_demo: Any, var_dir: Path) -> None:
    before = (var_dir / "demo-logins.txt").read_text(encoding="utf-8")
    load("--reset")
    after = (var_dir / "demo-logins.txt").read_text(encoding="utf-8")
    assert before != after
    assert after.splitlines()[:3] == before.splitlines()[:3]


@pytest.mark.django_db
def test_reset_leaves_other_peoples_units_and_users_alone(small_demo: Any, var_dir: Path) -> None:
    other = Unit.objects.create(name="区外来单位", kind="department")
    User.objects.create(username="someone")
    load("--reset")
    assert Unit.objects.filter(pk=other.pk).exists()
    assert User.objects.filter(username="someone").exists()


@pytest.mark.django_db
def test_if_empty_skips_when_a_portal_exists(small_demo: Any, var_dir: Path) -> None:
    logins = (var_dir / "demo-logins.txt").read_text(encoding="utf-8")
    before = counts()
    assert "已有数据，跳过" in load("--if-empty")
    assert counts() == before
    assert (var_dir / "demo-logins.txt").read_text(encoding="utf-8") == logins


@pytest.mark.django_db
def test_loading_over_an_existing_portal_asks_for_reset(small_demo: Any, var_dir: Path) -> None:
    with pytest.raises(CommandError, match="--reset"):
        load()


@pytest.mark.django_db
def test_the_logins_table_lists_role_unit_username_and_password(small_demo: Any) -> None:
    out = small_demo["stdout"]
    header = next(line for line in out.splitlines() if line.startswith("角色"))
    assert header.split() == ["角色", "单位", "用户名", "密码"]
    assert "区政府办公室" in out and "zfb_reviewer" in out and "审计管理员" in out
