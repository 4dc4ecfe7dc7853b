"""`manage.py workdays`: the answer alone on stdout, clear Chinese errors with a non-zero exit."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from govportal.core.models import CalendarDay, CalendarDayKind, CalendarYear
from govportal.core.models.calendar import workday_calendar_reset

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"


@pytest.fixture(autouse=True)
def fresh_calendar() -> Iterator[None]:
    workday_calendar_reset()
    yield
    workday_calendar_reset()


def workdays(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def complete_2027() -> None:
    year = CalendarYear.objects.create(year=2027, complete=True, source="测试用安排")
    CalendarDay.objects.create(
        calendar_year=year, date=dt.date(2027, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦"
    )


@pytest.mark.django_db
def test_add_prints_only_the_due_date() -> None:
    assert workdays("add", "2026-09-18", "5") == "2026-09-24\n"
    assert workdays("add", "2025-09-30", "5") == "2025-10-14\n"


@pytest.mark.django_db
def test_between_prints_only_the_count() -> None:
    assert workdays("between", "2026-09-18", "2026-09-24") == "5\n"
    assert workdays("between", "2026-09-24", "2026-09-18") == "-5\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-02-30", "5"), "日期“2026-02-30”无效"),
        (("add", "20260918", "5"), "应为 YYYY-MM-DD"),
        (("add", "2026-09-18", "-1"), "工作日数不能为负数"),
        (("add", "2026-09-18", "五"), "工作日数“五”无效"),
        (("between", "2026-09-18", "昨天"), "日期“昨天”无效"),
        (("add", "2027-03-01", "5"), "2027 年的节假日安排尚未录入，无法计算工作日期限"),
        (("between", "2026-12-30", "2027-01-05"), "2027 年的节假日安排尚未录入"),
    ],
)
def test_bad_input_is_a_command_error_in_chinese(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        workdays(*args)


@pytest.mark.django_db
def test_a_complete_2027_in_the_table_lets_the_command_count_into_2027() -> None:
    complete_2027()
    assert workdays("add", "2026-12-21", "20") == "2027-01-19\n"


def database_url_for_child(tmp_path: Path) -> str:
    """A URL a child process can open to see this test's committed rows."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        # The test database is in memory: hand the child a copy on disk.
        connection.ensure_connection()
        copy = tmp_path / "copy.sqlite3"
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


# Every transactional test restores the migrations' rows (serialized_rollback): a flush that
# re-runs post_migrate would give content types new ids, and the next such test could not
# restore its copy.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_run_as_a_script_reads_the_table_and_exits_non_zero_on_errors(
    tmp_path: Path,
) -> None:
    complete_2027()
    env = {**os.environ, "DATABASE_URL": database_url_for_child(tmp_path)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
            [sys.executable, str(MANAGE_PY), "workdays", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    done = run("add", "2026-12-21", "20")
    assert (done.returncode, done.stdout, done.stderr) == (0, "2027-01-19\n", "")

    failed = run("add", "2028-01-03", "1")
    assert failed.returncode != 0
    assert failed.stdout == ""
    assert "2028 年的节假日安排尚未录入" in failed.stderr
