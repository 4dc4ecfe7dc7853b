"""Baseline speed of the public pages: gunicorn next to nginx serving the same HTML from disk.

    .venv/bin/python bench/serve.py [--duration 10] [--connections 8] [--keep]   (or: make bench)

Builds the demo district in a fresh SQLite database in a temporary directory (`manage.py
load_demo`; a small portal from govportal.testing while that command does not exist), counts the
SQL queries of the home page, a column list and an article with Django's test client, then starts
gunicorn (2 sync workers, DEBUG=false) and nginx (serving those three pages, rendered by gunicorn,
from disk) on free ports of 127.0.0.1, runs wrk against each page on both and prints one table.

No target for speed yet: the figures are the baseline for the caching and static-publishing work.
Query targets (issue 2): home page at most 25, article at most 15. wrk, nginx and both servers
share this machine's cores, so compare figures from the same run only. Installs wrk and nginx
with apt-get when they are missing (as root). Everything listens on 127.0.0.1 only; every run is
bounded in time, and the script stops what it started, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUERY_TARGETS = {"home": 25, "article": 15}
NGINX = "/usr/sbin/nginx"


@dataclass
class Page:
    name: str
    path: str  # as the browser sends it: percent-encoded
    queries_cold: int = 0
    queries_warm: int = 0
    size: int = 0


@dataclass
class Result:
    page: str
    server: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: str


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def tools_ensure() -> None:
    missing = [
        pkg for pkg, path in (("wrk", "/usr/bin/wrk"), ("nginx", NGINX)) if not Path(path).exists()
    ]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(
            f"[bench] missing: {' '.join(missing)}; install with: apt-get install {' '.join(missing)}"
        )
    say(f"installing with apt-get: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    apt = ["apt-get", "-o", "DPkg::Lock::Timeout=600"]
    subprocess.run([*apt, "update", "-qq"], check=True, env=env, timeout=900)
    subprocess.run(
        [*apt, "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env=env,
        timeout=900,
    )
    # Debian starts the packaged nginx on port 80; the bench runs its own on 127.0.0.1 only.
    subprocess.run(["service", "nginx", "stop"], capture_output=True, timeout=60)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"[bench] {proc.args!r} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  (127.0.0.1)
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"[bench] no answer from {url} within {seconds:.0f}s")


def site_build(*, small: bool) -> str:
    """Migrate and load the demo district; returns a line describing what was loaded."""
    import django
    from django.core.management import call_command, get_commands

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not small and "load_demo" in get_commands():
        started = time.monotonic()
        try:
            call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        except Exception as exc:
            raise SystemExit(f"[bench] manage.py load_demo failed: {exc}") from exc
        how = f"demo district (manage.py load_demo, {time.monotonic() - started:.0f}s)"
    else:
        how = "small portal from govportal.testing" + (
            "" if small else ": manage.py load_demo does not exist yet"
        )
        from govportal.testing import add_article, build_portal

        portal = build_portal()
        for i in range(60):
            add_article(portal.news, f"测试新闻第{i + 1}篇：区政府召开专题会议")
    from govportal.content.models import ArticlePage
    from govportal.core.models import ColumnPage

    return (
        f"{how}: {ColumnPage.objects.live().count()} columns, "
        f"{ArticlePage.objects.live().count()} live articles"
    )


def pages_pick() -> list[Page]:
    """The home page, the column with the most live articles, and that column's newest article."""
    from wagtail.models import Site

    from govportal.content.models import ArticlePage
    from govportal.core.models import ColumnPage

    site = Site.objects.get(is_default_site=True)
    columns = [
        (ArticlePage.objects.child_of(column).live().count(), column)
        for column in ColumnPage.objects.live().descendant_of(site.root_page)
    ]
    count, column = max(columns, key=lambda pair: pair[0], default=(0, None))
    if column is None or count == 0:
        raise SystemExit("[bench] the site has no column with live articles")
    article = ArticlePage.objects.child_of(column).live().order_by("-pub_date").first()
    if article is None:
        raise SystemExit(f"[bench] {column} has no live article")

    def path(page: Any) -> str:
        relative = page.get_url(None, current_site=site)
        return urllib.parse.quote(urllib.parse.urlsplit(relative).path)

    return [
        Page("home", path(site.root_page)),
        Page("column", path(column)),
        Page("article", path(article)),
    ]


def queries_count(pages: list[Page]) -> None:
    """SQL queries per page with Django's test client: the first request, then a warm one."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for page in pages:
        for attr in ("queries_cold", "queries_warm"):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(page.path)
            if response.status_code != 200:
                raise SystemExit(f"[bench] {page.path} answered {response.status_code}")
            setattr(page, attr, len(ctx.captured_queries))


NGINX_CONF = """\
worker_processes 2;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    types {{ text/html html; }}
    default_type text/html;
    charset utf-8;
    sendfile on;
    client_body_temp_path {work}/nginx-tmp/body;
    proxy_temp_path {work}/nginx-tmp/proxy;
    fastcgi_temp_path {work}/nginx-tmp/fastcgi;
    uwsgi_temp_path {work}/nginx-tmp/uwsgi;
    scgi_temp_path {work}/nginx-tmp/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""


def html_render(pages: list[Page], base: str, site_dir: Path) -> None:
    """Saves what gunicorn serves for each page where nginx finds it under the same path."""
    for page in pages:
        with urllib.request.urlopen(base + page.path, timeout=30) as response:  # noqa: S310
            body = response.read()
        page.size = len(body)
        target = site_dir / urllib.parse.unquote(page.path).lstrip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(
    url: str, *, duration: int, connections: int, threads: int
) -> tuple[float, float, float, str]:
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    ).stdout

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
        if not match:
            raise SystemExit(f"[bench] cannot read the {percent}% latency from wrk:\n{out}")
        return float(match[1]) * _UNITS_MS[match[2]]

    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.MULTILINE)
    if not rps:
        raise SystemExit(f"[bench] cannot read requests/s from wrk:\n{out}")
    errors = []
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors.append(f"{m[1]} non-2xx")
    if m := re.search(r"Socket errors: (.*)", out):
        errors.append(m[1].strip())
    return float(rps[1]), latency("50"), latency("99"), "; ".join(errors) or "-"


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds of wrk per page and server"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--small", action="store_true", help="a small portal (govportal.testing), not the demo"
    )
    args = parser.parse_args()
    if not 1 <= args.duration <= 120:
        parser.error("--duration: 1 to 120 seconds")

    tools_ensure()
    work = Path(tempfile.mkdtemp(prefix="govportal-bench-"))
    work.chmod(0o755)  # nginx workers run as an unprivileged user and read site/ from here
    site_dir = work / "site"
    (work / "nginx-tmp").mkdir()
    gunicorn_port, nginx_port = free_port(), free_port()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="govportal.settings",
        GOVPORTAL_VAR_DIR=str(work / "var"),
        DATABASE_URL=f"sqlite:///{work / 'var' / 'bench.sqlite3'}",
        MEDIA_ROOT=str(work / "media"),
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SITE_URL=f"http://127.0.0.1:{gunicorn_port}",
        LOG_LEVEL="WARNING",  # not one line per page the loader creates
    )
    os.environ.pop("REDIS_URL", None)  # the baseline: local-memory cache, as make run has it

    procs: list[subprocess.Popen[bytes]] = []

    def on_signal(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    try:
        say(f"building the site in {work}")
        described = site_build(small=args.small)
        say(described)
        pages = pages_pick()
        queries_count(pages)

        gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "govportal.wsgi:application",
                "--bind",
                f"127.0.0.1:{gunicorn_port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "sync",
                "--error-logfile",
                str(work / "gunicorn.log"),
            ],
            cwd=ROOT,
        )
        procs.append(gunicorn)
        gunicorn_base = f"http://127.0.0.1:{gunicorn_port}"
        wait_for(gunicorn_base + pages[0].path, gunicorn)
        html_render(pages, gunicorn_base, site_dir)
        for path in site_dir.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)

        conf = work / "nginx.conf"
        conf.write_text(NGINX_CONF.format(work=work, port=nginx_port, site=site_dir))
        nginx = subprocess.Popen([NGINX, "-p", str(work), "-c", str(conf)], cwd=work)
        procs.append(nginx)
        nginx_base = f"http://127.0.0.1:{nginx_port}"
        wait_for(nginx_base + pages[0].path, nginx)

        results: list[Result] = []
        for page in pages:
            for server, base in (("nginx", nginx_base), ("gunicorn", gunicorn_base)):
                say(f"wrk {args.duration}s: {page.name} on {server}")
                rps, p50, p99, errors = wrk(
                    base + page.path,
                    duration=args.duration,
                    connections=args.connections,
                    threads=args.threads,
                )
                results.append(Result(page.name, server, rps, p50, p99, errors))
        report(args, described, pages, results)
    finally:
        for proc in reversed(procs):
            stop(proc)
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def report(
    args: argparse.Namespace, described: str, pages: list[Page], results: list[Result]
) -> None:
    print()
    print(f"site: {described}")
    print(
        f"load: wrk {args.threads} threads, {args.connections} connections, {args.duration}s per "
        f"row; gunicorn {args.workers} sync workers, DEBUG=false, SQLite, local-memory cache; "
        f"nginx 2 workers; {os.cpu_count()} cores shared by all"
    )
    # Other work on the machine skews every figure: say how busy it was.
    print(
        "machine load average (1, 5, 15 min) at the end: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    print()
    print(
        f"{'page':<8} {'server':<9} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'ratio to nginx':>15}  errors"
    )
    nginx_rps = {r.page: r.rps for r in results if r.server == "nginx"}
    for r in results:
        ratio = r.rps / nginx_rps[r.page] if nginx_rps.get(r.page) else 0.0
        print(
            f"{r.page:<8} {r.server:<9} {r.rps:>11.1f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} "
            f"{ratio:>15.4f}  {r.errors}"
        )
    print()
    print(
        f"{'page':<8} {'SQL queries':>11} {'first request':>14} {'target':>7}  {'verdict':<8} {'HTML bytes':>10}  path"
    )
    for page in pages:
        target = QUERY_TARGETS.get(page.name)
        verdict = "-" if target is None else ("ok" if page.queries_warm <= target else "OVER")
        print(
            f"{page.name:<8} {page.queries_warm:>11} {page.queries_cold:>14} "
            f"{'≤ ' + str(target) if target else '-':>7}  {verdict:<8} {page.size:>10}  "
            f"{urllib.parse.unquote(page.path)}"
        )


if __name__ == "__main__":
    sys.exit(main())
