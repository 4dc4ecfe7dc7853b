"""The env-driven settings: bad values stop start-up with a clear message, good ones take effect.

Settings are read once at import, so each case starts a fresh interpreter with its own
environment, the way a deployment starts manage.py or gunicorn.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
# Variables this module sets itself; inherited values (CI exports DATABASE_URL) must not leak in.
_OURS = (
    "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SITE_URL",
    "TIME_ZONE", "DATABASE_CONN_MAX_AGE", "DJANGO_SETTINGS_MODULE", "GOVPORTAL_VAR_DIR",
    "MAILBOX_BENCH_MODE", "DISCLOSURE_ENCRYPTION_KEY",
)  # fmt: skip
GOOD_SECRET = "a-secret-key-long-enough-for-the-check-0123456789"


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in _OURS}
    environ.update(
        DJANGO_SETTINGS_MODULE="govportal.settings",
        GOVPORTAL_VAR_DIR=str(tmp_path),
        PYTHONWARNINGS="ignore",
        **env,
    )
    return subprocess.run(  # noqa: S603  (our own interpreter and arguments)
        [sys.executable, *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


BAD_VALUES = [
    pytest.param({"DEBUG": "maybe"}, "DEBUG='maybe': 应为 true/false", id="DEBUG=maybe"),
    pytest.param(
        {"DATABASE_URL": "mysql://x"},
        "DATABASE_URL 指向不支持的数据库",
        id="DATABASE_URL=mysql",
    ),
    pytest.param({"DATABASE_URL": "garbage"}, "DATABASE_URL 无法解析", id="DATABASE_URL=garbage"),
    pytest.param(
        {"REDIS_URL": "http://x"}, "REDIS_URL='http://x': 应以 redis://", id="REDIS_URL=http"
    ),
    pytest.param({"SECRET_KEY": "short"}, "SECRET_KEY 太短", id="SECRET_KEY=short"),
    pytest.param(
        {"MAILBOX_BENCH_MODE": "1", "SITE_URL": "https://www.weibin.gov.cn"},
        "MAILBOX_BENCH_MODE: 仅用于本机压力测试",
        id="bench-mode-on-a-public-site",
    ),
    pytest.param(
        {"DISCLOSURE_ENCRYPTION_KEY": "not-a-key"},
        "DISCLOSURE_ENCRYPTION_KEY: 应为 32 字节密钥",
        id="DISCLOSURE_ENCRYPTION_KEY=garbage",
    ),
]


def test_good_configuration_passes_the_system_checks(tmp_path: Path) -> None:
    result = run(["manage.py", "check"], tmp_path, SECRET_KEY=GOOD_SECRET)

    assert result.returncode == 0, result.stderr
    assert "ERRORS:" not in result.stderr


@pytest.mark.parametrize(("env", "message"), BAD_VALUES)
def test_bad_value_stops_manage_py_with_a_clear_message(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    # Only the configuration checks: the full set runs once, in the test above.
    result = run(
        ["manage.py", "check", "--tag", "govportal"],
        tmp_path,
        **{"SECRET_KEY": GOOD_SECRET, **env},
    )

    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# The WSGI module reports whatever the checks collect; two kinds of bad value show it.
@pytest.mark.parametrize(("env", "message"), [BAD_VALUES[0], BAD_VALUES[2]])
def test_gunicorn_refuses_to_load_the_app_with_a_bad_value(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    result = run(["-c", "import govportal.wsgi"], tmp_path, **{"SECRET_KEY": GOOD_SECRET, **env})

    assert result.returncode == 3
    assert "配置错误，拒绝启动" in result.stderr
    assert message in result.stderr


def test_gunicorn_check_config_fails_on_a_short_secret_key(tmp_path: Path) -> None:
    gunicorn = [
        "-m", "gunicorn", "--check-config", "govportal.wsgi:application",
    ]  # fmt: skip
    result = run(gunicorn, tmp_path, SECRET_KEY="short")

    assert result.returncode != 0
    assert "SECRET_KEY 太短" in result.stderr


def test_postgresql_url_gets_persistent_connections_with_health_checks(tmp_path: Path) -> None:
    script = (
        "import json; from django.conf import settings; db = settings.DATABASES['default'];"
        "print(json.dumps({k: db.get(k) for k in ('ENGINE', 'NAME', 'HOST', 'PORT',"
        " 'CONN_MAX_AGE', 'CONN_HEALTH_CHECKS')} | {'errors': settings.CONFIG_ERRORS}))"
    )
    result = run(
        ["-c", script],
        tmp_path,
        SECRET_KEY=GOOD_SECRET,
        DATABASE_URL="postgres://portal@127.0.0.1:5432/govportal",
    )

    assert result.returncode == 0, result.stderr
    db = json.loads(result.stdout)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["HOST"], db["PORT"]) == ("govportal", "127.0.0.1", 5432)
    assert db["CONN_MAX_AGE"] > 0
    assert db["CONN_HEALTH_CHECKS"] is True
    assert db["errors"] == []


def test_sqlite_default_lives_in_the_var_directory(tmp_path: Path) -> None:
    script = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    result = run(["-c", script], tmp_path, SECRET_KEY=GOOD_SECRET)

    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == tmp_path / "govportal.sqlite3"
