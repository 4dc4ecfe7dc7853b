"""`make run` on a fresh database: `load_demo --if-empty` builds the portal.

Kept apart from test_demo_command.py, whose module-wide demo would make the database non-empty.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from wagtail.models import Page

from govportal.content.models import HomePage

pytestmark = pytest.mark.heavy


@pytest.mark.django_db
def test_if_empty_loads_a_fresh_database(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    assert not HomePage.objects.exists()
    assert Page.objects.filter(depth=2).exists()  # Wagtail's "Welcome" page
    out = io.StringIO()
    with time_machine.travel(dt.datetime(2025, 6, 3, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        call_command("load_demo", "--if-empty", "--scale", "0.1", stdout=out)
    assert "演示数据已生成" in out.getvalue()
    assert HomePage.objects.count() == 1
    assert list(Page.objects.filter(depth=2).specific()) == [HomePage.objects.get()]
    assert (tmp_path / "demo-logins.txt").exists()
