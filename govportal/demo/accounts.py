"""Demo accounts: one login per role, passwords generated at load time and shown once.

The passwords live only in the database (hashed) and in var/demo-logins.txt (mode 600,
gitignored), which bin/serve.py prints again at each `make run`.
"""

from __future__ import annotations

import os
import secrets
import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from govportal.accounts.roles import Role

# No look-alike characters (0/O, 1/l/I): people type these from a terminal.
PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
PASSWORD_LENGTH = 14
SUPERUSER = "超级管理员（仅用于初始设置）"


@dataclass(frozen=True)
class AccountSpec:
    username: str
    role: str  # a platform Role, "编辑"/"审核" for unit roles, or SUPERUSER
    unit: str | None  # unit code
    display_name: str


@dataclass(frozen=True)
class Login:
    role: str
    unit: str
    username: str
    password: str


# 第十二条: editors and reviewers are separate people in each unit (审发分离).
UNITS_WITH_STAFF = ["zfb", "szzx", "xzsp", "jyj", "wjj", "rsj", "sgz", "jljd"]

ACCOUNTS: list[AccountSpec] = [
    AccountSpec("admin", SUPERUSER, None, "初始设置"),
    AccountSpec("operator", Role.OPERATOR, "szzx", "运维监管员"),
    # 三员分立: three separate people for the three admin duties.
    AccountSpec("sysadmin", Role.SYSTEM_ADMIN, "dsj", "系统管理员"),
    AccountSpec("secadmin", Role.SECURITY_ADMIN, "dsj", "安全管理员"),
    AccountSpec("auditor", Role.AUDITOR, "zfb", "审计管理员"),
]
for _code in UNITS_WITH_STAFF:
    ACCOUNTS.append(AccountSpec(f"{_code}_editor", "编辑", _code, "编辑"))
    ACCOUNTS.append(AccountSpec(f"{_code}_reviewer", "审核", _code, "审核"))

DEMO_USERNAMES = frozenset(a.username for a in ACCOUNTS)


def password_generate() -> str:
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def logins_table(logins: list[Login], *, admin_url: str) -> str:
    """A plain-text table (role, unit, username, password) that lines up in a terminal."""
    header = Login("角色", "单位", "用户名", "密码")
    rows = [header, *logins]
    widths = [max(_width(getattr(r, f)) for r in rows) for f in ("role", "unit", "username")]
    lines = [
        "演示账号（load_demo 生成；密码只保存在本文件中，切勿提交或外传）",
        f"管理后台: {admin_url}",
        "",
    ]
    for row in rows:
        lines.append(
            "  ".join(
                [
                    _pad(row.role, widths[0]),
                    _pad(row.unit, widths[1]),
                    _pad(row.username, widths[2]),
                    row.password,
                ]
            ).rstrip()
        )
    return "\n".join(lines) + "\n"


def logins_write(path: Path, text: str) -> None:
    """Write the logins readable by the owner only (mode 600), even if the file existed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
