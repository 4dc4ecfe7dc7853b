"""200 letters posted to the mayor's mailbox at the same moment, on PostgreSQL.

    .venv/bin/python bench/mailbox.py                     # temporary database and gunicorn
    .venv/bin/python bench/mailbox.py --submissions 50    # quicker
    .venv/bin/python bench/mailbox.py --url http://127.0.0.1:8000 \
        --database-url postgres://postgres@127.0.0.1:5432/govportal   # a running server

Without --url the script creates a temporary PostgreSQL database on 127.0.0.1:5432 (user
postgres; dropped at the end), migrates it, builds the small portal of govportal.testing and
starts gunicorn (gthread workers, DEBUG=false) on a free port of 127.0.0.1 with
MAILBOX_BENCH_MODE=true, which switches the captcha and the rate limits off (a site whose
address is not this machine refuses to start with it). A server given with --url must run with
that setting too.

Each simulated citizen opens the form (GET: CSRF cookie and the one-time form token), then all
of them post at once (a barrier releases the threads together); `--double` of them post the same
form twice at the same moment, as a double click does. Then the database is asked what it
stored. Printed: forms, posts, accepted (forms whose post got a receipt), stored, duplicates
(rows beyond one per form), lost (accepted but not stored), errors, and p50/p95/max latency of
the posts. Targets (issue 5): 0 lost, 0 duplicated, p95 under 300 ms. The client threads and
the server share this machine's cores: compare figures from the same machine only.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PG_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
TARGET_P95_MS = 300.0
TRACKING = re.compile(r"留言编号：<strong[^>]*>(\d+)<")


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass
class Post:
    form: int
    status: int = 0
    ms: float = 0.0
    tracking: str = ""
    error: str = ""


@dataclass
class Citizen:
    index: int
    client: httpx.Client
    data: dict[str, str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pg(sql: str, database: str = "postgres") -> None:
    import psycopg

    dsn = PG_DSN.replace("dbname=postgres", f"dbname={database}")
    with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.encode())


def wait_for(url: str, proc: subprocess.Popen[bytes] | None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"[bench] the server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"[bench] no answer from {url} within {seconds:.0f}s")


def prepare(base: str, index: int, run: str) -> Citizen:
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/mailbox/write/")
    page.raise_for_status()
    html = page.text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    token = re.search(r'name="form_token" value="([^"]+)"', html)
    if csrf is None or token is None:
        raise SystemExit("[bench] the form has no CSRF or form token field")
    if 'name="captcha_1"' in html:
        raise SystemExit(
            "[bench] the server shows a captcha: start it with MAILBOX_BENCH_MODE=true"
        )
    data = {
        "csrfmiddlewaretoken": csrf.group(1),
        "form_token": token.group(1),
        "message_type": "consultation",
        "subject": f"bench-{run}-{index:05d}",
        "content": "压力测试留言：请问小区旁道路何时完工？",
        "name": "测试",
        "phone": f"139{index:08d}",
        "email": "",
        "consent_publish": "on",
    }
    # Post on a new connection: the server closes idle keep-alive connections after a few
    # seconds, and a post sent just as it does would fail on the client's side, not the server's.
    fresh = httpx.Client(base_url=base, timeout=60, cookies=client.cookies)
    client.close()
    return Citizen(index, fresh, data)


def post(citizen: Citizen, barrier: threading.Barrier, results: list[Post]) -> None:
    result = Post(citizen.index)
    try:
        barrier.wait(timeout=120)
        started = time.perf_counter()
        response = citizen.client.post(
            "/mailbox/write/", data=citizen.data, headers={"Referer": str(citizen.client.base_url)}
        )
        result.ms = (time.perf_counter() - started) * 1000
        result.status = response.status_code
        match = TRACKING.search(response.text)
        result.tracking = match.group(1) if match else ""
    except (httpx.HTTPError, threading.BrokenBarrierError) as exc:
        result.error = type(exc).__name__
    results.append(result)


def stored(database_url: str, run: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url, connect_timeout=10) as conn:
        rows = conn.execute(
            "SELECT subject, count(*) FROM interaction_message WHERE subject LIKE %s GROUP BY subject",
            (f"bench-{run}-%",),
        ).fetchall()
    return {subject: int(count) for subject, count in rows}


def fire(base: str, database_url: str, forms: int, double: int) -> None:
    run = secrets.token_hex(3)
    say(f"opening {forms} forms")
    citizens = [prepare(base, i, run) for i in range(forms)]
    twice = {c.index for c in citizens[:double]}
    posts = forms + len(twice)
    barrier = threading.Barrier(posts)
    results: list[Post] = []
    # The second post of a double click gets its own connection (same cookies), as a browser
    # may open one; one httpx.Client is not shared between two threads posting at once.
    seconds = [
        Citizen(c.index, httpx.Client(base_url=base, timeout=60, cookies=c.client.cookies), c.data)
        for c in citizens
        if c.index in twice
    ]
    threads = [
        threading.Thread(target=post, args=(c, barrier, results)) for c in citizens + seconds
    ]
    say(f"posting {posts} times at once ({len(twice)} forms twice, as a double click)")
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for citizen in citizens + seconds:
        citizen.client.close()
    rows = stored(database_url, run)
    accepted_forms = {r.form for r in results if r.status == 200 and r.tracking}
    stored_forms = {int(subject.rsplit("-", 1)[1]) for subject in rows}
    times = sorted(r.ms for r in results if r.status)
    errors = [r for r in results if r.status != 200 or not r.tracking]
    p95 = times[max(0, int(len(times) * 0.95) - 1)] if times else float("nan")
    lines = [
        ("forms", forms),
        ("posts", posts),
        ("accepted (forms with a receipt)", len(accepted_forms)),
        ("stored (forms in the database)", len(stored_forms)),
        ("duplicates (extra rows)", sum(rows.values()) - len(rows)),
        ("lost (accepted, not stored)", len(accepted_forms - stored_forms)),
        ("errors (posts without a receipt)", len(errors)),
        ("p50 ms", f"{statistics.median(times):.0f}" if times else "-"),
        ("p95 ms", f"{p95:.0f}"),
        ("max ms", f"{times[-1]:.0f}" if times else "-"),
    ]
    print(
        f"\nmailbox: {posts} posts at once (target: 0 lost, 0 duplicated, p95 < {TARGET_P95_MS:.0f} ms)"
    )
    for label, value in lines:
        print(f"  {label:<36} {value}")
    kinds: dict[str, int] = {}
    for r in errors:
        key = (r.error or f"HTTP {r.status}") + (" (double-click form)" if r.form in twice else "")
        kinds[key] = kinds.get(key, 0) + 1
    if kinds:
        print("  errors by kind: " + ", ".join(f"{k} × {n}" for k, n in sorted(kinds.items())))
    verdict = p95 <= TARGET_P95_MS and not (accepted_forms - stored_forms)
    print(f"  {'meets' if verdict and sum(rows.values()) == len(rows) else 'misses'} the targets")


def setup_site(env: dict[str, str]) -> None:
    def manage(*args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True, timeout=1800
        )

    manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from govportal.testing import build_portal; build_portal()",
        ],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=600,
    )


def own_server(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="govportal-bench-mailbox-"))
    database = f"govportal_bench_{secrets.token_hex(4)}"
    database_url = f"postgres://postgres@127.0.0.1:5432/{database}"
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govportal.settings",
        "GOVPORTAL_VAR_DIR": str(work / "var"),
        "MEDIA_ROOT": str(work / "media"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "MAILBOX_BENCH_MODE": "true",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    server: subprocess.Popen[bytes] | None = None

    def on_signal(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    pg(f'CREATE DATABASE "{database}"')
    try:
        say(f"migrating {database} and building the small portal")
        setup_site(env)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "govportal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(args.threads),
                "--backlog",
                "2048",
                "--error-logfile",
                str(work / "gunicorn.log"),
            ],
            env=env,
            cwd=ROOT,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/mailbox/write/", server)
        say(f"gunicorn: {args.workers} workers × {args.threads} threads on {base}")
        fire(base, database_url, args.submissions, args.double)
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        pg(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--double", type=int, default=20, help="forms posted twice at once")
    parser.add_argument("--url", help="a running server (with MAILBOX_BENCH_MODE=true)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker")
    args = parser.parse_args()
    if args.url:
        if not args.database_url.startswith("postgres"):
            parser.error("--url needs --database-url (PostgreSQL) to count what was stored")
        wait_for(args.url.rstrip("/") + "/mailbox/write/", None)
        fire(args.url.rstrip("/"), args.database_url, args.submissions, args.double)
        return 0
    return own_server(args)


if __name__ == "__main__":
    raise SystemExit(main())
