"""The nightly check of a hundred hosted sites: does it fit in a night? (issue 6, Scale)

    .venv/bin/python bench/nightly.py                       # 100 sites of 300 pages
    .venv/bin/python bench/nightly.py --sites 5 --pages 50  # end to end in about a minute
    .venv/bin/python bench/nightly.py --sites 10 --profile  # and each step of a crawl timed

`--sites 5 --pages 50` runs end to end in about a minute (70 s measured on the shared 2-core
machine with the load average at 9; `--reference-sites 0` saves 8 s) once the migrated
template exists: the first run migrates the whole
project into `govportal_bench_nightly_tpl_<hash of the migration files>` (34 s of CPU, two
minutes on a busy machine) and keeps it for the next runs, which copy it with CREATE DATABASE
… TEMPLATE; a new migration makes a new template and drops the old one.

N sites are generated here (pages linked as a tree, shared images and attachments, a few
planted broken links each) and served on 127.0.0.1 by the crawler's test server, one port per
site, in threads of this process. A temporary PostgreSQL database on 127.0.0.1:5432 (user
postgres; a copy of the template, dropped at the end) gets the small portal of govportal.testing.
Then the crawl is started as production starts it: one ``crawl_site`` task per site (which calls
``crawl_run_start`` and enqueues its ``crawl_batch`` tasks), run by ``--workers`` processes of
``manage.py db_worker --batch`` (they exit when the queue is empty). The crawl phase is timed
from the first run's start to the last run's end (workers that serve all night are already up;
the workers' wall time with start-up is shown too). Then ``daily_check`` runs once, timed.
The workers run from compiled files kept in a temporary pycache directory, as production does,
even when the shell sets PYTHONDONTWRITEBYTECODE.

Counted from the servers' per-address hit counters: duplicates (an address fetched more than
once; robots.txt is shown apart, as each worker fetches it once per crawl_batch task), unvisited addresses,
and missed planted broken links (compared with ``broken_links(run)`` of each run). Peak RSS is
each worker's maximum resident set (``wait4``). The in-memory crawler (``lib.crawl.crawl``, the
engine of bench/crawl.py) crawls a sample of the same sites afterwards as the reference rate.
``--profile`` crawls the first site once more with one worker in this process, each step of
``crawl_run_work`` timed and the SQL statements counted.

The extrapolation scales the measured URLs per second linearly: with more workers it assumes a
core per worker and PostgreSQL not saturated, which this 2-core machine cannot check. The local
server answers in well under a millisecond; a real site's latency and politeness limits add to
it. The machine is shared with other work: compare figures from the same run only.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalogue import PG_DSN, pg_database, production_env  # noqa: E402
from govportal.lib.crawl.testserver import Route, ServerThread  # noqa: E402

NIGHT_HOURS = 8.0  # 22:00 to 06:00
DEMO_PAGES = 800  # the demo district's size
BIG_PAGES = 10_000


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def html(title: str, body: str) -> Route:
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>区政府工作动态。</p>{body}</body></html>"
    )
    return Route(body=page.encode())


@dataclass
class Site:
    index: int
    routes: dict[str, Route]
    planted: set[tuple[str, str]]  # (source path, target path)
    base: str = ""
    hits: dict[str, int] = field(default_factory=dict)  # after the DB-backed crawl


def build_site(index: int, pages: int, broken: int) -> Site:
    """Pages as a tree (page i links to 2i+1 and 2i+2), plus a related page, the home page, one
    of 20 images and one of 30 attachments; `broken` planted links, each to its own address."""
    rng = random.Random(index)
    body = {i: [] for i in range(pages)}  # type: dict[int, list[str]]
    routes: dict[str, Route] = {}
    for i in range(pages):
        body[i] += [
            f'<a href="/p/{j}.html">第{j}页</a>' for j in (2 * i + 1, 2 * i + 2) if j < pages
        ]
        body[i].append(f'<a href="/p/{rng.randrange(pages)}.html">相关</a>')
        body[i].append('<a href="/">首页</a>')
        body[i].append(f'<img src="/img/{i % 20}.png" alt="图{i % 20}">')
        body[i].append(f'<a href="/files/{i % 30}.pdf">附件{i % 30}</a>')
    for n in range(min(20, pages)):
        routes[f"/img/{n}.png"] = Route(body=b"\x89PNG", headers={"Content-Type": "image/png"})
    for n in range(min(30, pages)):
        routes[f"/files/{n}.pdf"] = Route(body=b"%PDF", headers={"Content-Type": "application/pdf"})
    planted = set()
    for k in range(broken):
        source = rng.randrange(pages)
        if k % 3 == 0:
            target, element, status = f"/gone/{k}.html", '<a href="{}">旧闻</a>', 404
        elif k % 3 == 1:
            target, element, status = f"/img/missing-{k}.png", '<img src="{}" alt="坏图">', 404
        else:
            target, element, status = f"/files/removed-{k}.pdf", '<a href="{}">附件</a>', 410
        routes[target] = Route(status, b"<title>not found</title>")
        body[source].append(element.format(target))
        planted.add((f"/p/{source}.html", target))
    for i in range(pages):
        routes[f"/p/{i}.html"] = html(f"第{i}页", "".join(body[i]))
    routes["/"] = html("首页", '<a href="/p/0.html">工作动态</a>')
    routes["/robots.txt"] = Route(
        body=b"User-agent: *\nAllow: /\n", headers={"Content-Type": "text/plain"}
    )
    routes["/sitemap.xml"] = Route(404, b"")
    return Site(index, routes, planted)


def django_env(work: Path, database: str) -> dict[str, str]:
    env = production_env(work, DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}")
    # Production runs from compiled files; a shell with PYTHONDONTWRITEBYTECODE would make each
    # worker compile the whole project at start-up. Keep the compiled files outside the tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "govportal-bench-pycache")
    return env


def migrated_template(env: dict[str, str]) -> str:
    """A migrated database to copy (CREATE DATABASE … TEMPLATE takes a second, migrating the
    whole project a minute or two on a busy machine). Its name carries a hash of every migration
    file in the tree, so a new migration makes a new one; older ones are dropped then."""
    import psycopg

    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("govportal/*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    name = f"govportal_bench_nightly_tpl_{digest.hexdigest()[:10]}"
    with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=10) as conn:
        existing = [
            row[0]
            for row in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'govportal_bench_nightly_tpl_%'"
            )
        ]
    if name in existing:
        return name
    for old in existing:
        pg_database("drop", old)
    say(f"migrating a template database {name} (once per set of migrations)")
    building = f"{name}_building"
    pg_database("drop", building)
    pg_database("create", building)
    manage = [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"]
    database_url = env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + building
    try:
        subprocess.run(manage, env={**env, "DATABASE_URL": database_url}, check=True, timeout=1800)
    except BaseException:
        pg_database("drop", building)
        raise
    with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"'.encode())
    return name


def reference_crawl(bases: list[str]) -> None:
    """In a child process: the in-memory crawler over `bases`, one after another; prints JSON."""
    from govportal.lib.crawl import CrawlConfig, crawl

    urls = pages = 0
    for base in bases:
        report = asyncio.run(crawl(base + "/", CrawlConfig()))
        urls += len(report.results)
        pages += report.pages
    print(json.dumps({"urls": urls, "pages": pages}))


def phases(base: str) -> list[str]:
    """One more crawl of a site by one worker in this process, each step of the DB-backed
    crawl timed and its SQL statements counted (a profile the asyncio loop cannot blur)."""
    from django.db import connection

    from govportal.lib.crawl import fetch
    from govportal.monitoring import crawling

    spent: dict[str, list[float]] = {}
    statements = {"n": 0}

    def timed(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        if asyncio.iscoroutinefunction(original):

            async def async_wrapper(*a: Any, **k: Any) -> Any:
                started = time.perf_counter()
                try:
                    return await original(*a, **k)
                finally:
                    spent.setdefault(label, []).append(time.perf_counter() - started)

            setattr(owner, name, async_wrapper)
            return

        def wrapper(*a: Any, **k: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*a, **k)
            finally:
                spent.setdefault(label, []).append(time.perf_counter() - started)

        setattr(owner, name, wrapper)

    def count(execute: Any, sql: str, *rest: Any) -> Any:
        statements["n"] += 1
        return execute(sql, *rest)

    steps = [
        (crawling, "_seed_sitemap", "sitemap seed"),
        (crawling, "release_stale_claims", "release stale claims"),
        (crawling, "claim_batch", "claim a batch"),
        (fetch.Fetcher, "__aenter__", "open a Fetcher (TLS context)"),
        (crawling, "_visit_all", "fetch a batch"),
        (crawling.Visitor, "_load_robots", "  of which: robots.txt"),
        (crawling, "_process", "store a batch (pages, links, scan)"),
        (crawling, "_store_pages", "  of which: store the pages (one upsert)"),
        (crawling, "_record_links", "  of which: record links (in the transaction)"),
        (crawling, "crawl_run_finish", "is the run finished?"),
    ]
    for owner, name, label in steps:
        timed(owner, name, label)
    run = crawling.crawl_run_start(start_url=base + "/", config={})
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        visited = crawling.crawl_run_work(run)
    total = time.perf_counter() - started
    batches = len(spent.get("claim a batch", [])) - 1
    lines = [
        "",
        f"one worker in-process, one more crawl of {base}: {visited} URLs in {batches} batches, "
        f"{total:.2f} s, {statements['n']} SQL statements ({statements['n'] / max(batches, 1):.1f} "
        "per batch)",
        f"  {'step':<44} {'calls':>6} {'total s':>8} {'ms/call':>8} {'share':>6}",
    ]
    for label, times in ((label, spent.get(label, [])) for *_, label in steps):
        if not times:
            continue
        lines.append(
            f"  {label:<44} {len(times):>6} {sum(times):>8.2f} "
            f"{1000 * sum(times) / len(times):>8.1f} {sum(times) / total:>6.0%}"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--pages", type=int, default=300, help="pages per site")
    parser.add_argument("--broken", type=int, default=4, help="planted broken links per site")
    parser.add_argument("--workers", type=int, default=2, help="db_worker processes")
    parser.add_argument(
        "--reference-sites", type=int, default=10, help="sites the in-memory crawler crawls"
    )
    parser.add_argument(
        "--profile", action="store_true", help="time each step of one more crawl of a site"
    )
    parser.add_argument("--reference", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference is not None:
        reference_crawl(args.reference)
        return 0
    if args.sites < 1 or args.pages < 10 or args.workers < 1:
        parser.error("--sites ≥ 1, --pages ≥ 10, --workers ≥ 1")

    sites = [build_site(i, args.pages, args.broken) for i in range(args.sites)]
    work = Path(tempfile.mkdtemp(prefix="govportal-bench-nightly-"))
    database = f"govportal_bench_{secrets.token_hex(4)}"
    env = django_env(work, database)

    def on_signal(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    import psycopg

    template = migrated_template(env)
    with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"'.encode())
    try:
        with ExitStack() as stack:
            for site in sites:
                site.base = stack.enter_context(ServerThread(site.routes))
            return run(args, sites, env, work)
    finally:
        from django.db import connections

        connections.close_all()
        pg_database("drop", database)
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, sites: list[Site], env: dict[str, str], work: Path) -> int:
    manage = [sys.executable, str(ROOT / "manage.py")]
    os.environ.update(env)
    sys.dont_write_bytecode = False
    sys.pycache_prefix = env["PYTHONPYCACHEPREFIX"]
    import django

    django.setup()
    from django.utils import timezone

    from govportal.monitoring.crawling import broken_links
    from govportal.monitoring.models import CrawlPage, CrawlRun
    from govportal.monitoring.supervision import daily_check
    from govportal.monitoring.tasks import crawl_site
    from govportal.testing import build_portal

    build_portal()
    for site in sites:
        crawl_site.enqueue(site.base + "/", "full", args.workers, {})
    say(f"{len(sites)} crawl_site tasks queued; starting {args.workers} db_worker processes")
    worker = [*manage, "db_worker", "--batch", "--no-startup-delay", "--interval", "0.5"]
    started = time.monotonic()
    procs = []
    for n in range(args.workers):
        log = (work / f"worker-{n + 1}.log").open("wb")
        procs.append(subprocess.Popen(worker, env=env, cwd=ROOT, stdout=log, stderr=log))
    rss = []
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        rss.append(usage.ru_maxrss / 1024)
    workers_wall = time.monotonic() - started
    for site in sites:
        site.hits = {path: route.hits for path, route in site.routes.items()}

    runs = list(CrawlRun.objects.all())
    # The crawl phase: from the first run's start to the last one's end (workers that run all
    # night are already up; their start-up is in workers_wall).
    ends = [r.finished_at for r in runs if r.finished_at is not None]
    crawl_wall = (max(ends) - min(r.started_at for r in runs)).total_seconds() if ends else 0.0
    unfinished = [r.start_url for r in runs if r.state != CrawlRun.State.FINISHED]
    by_base = {site.base + "/": site for site in sites}
    missed = found = 0
    for crawl_run in runs:
        site = by_base[crawl_run.start_url]
        got = {
            (link.source.url.removeprefix(site.base), link.target.url.removeprefix(site.base))
            for link in broken_links(crawl_run)
        }
        found += len(got & site.planted)
        missed += len(site.planted - got)
    urls = CrawlPage.objects.filter(state=CrawlPage.State.DONE).count()
    pages = CrawlPage.objects.filter(state=CrawlPage.State.DONE, kind="page").count()
    planted = sum(len(s.planted) for s in sites)
    missed += planted - found - missed  # sites without a run
    duplicates = sum(max(0, h - 1) for s in sites for p, h in s.hits.items() if p != "/robots.txt")
    twice = [f"{s.base}{p} × {h}" for s in sites for p, h in s.hits.items() if h > 1]
    twice = [t for t in twice if "/robots.txt" not in t]
    unvisited = sum(1 for s in sites for p, h in s.hits.items() if h == 0 and p != "/robots.txt")
    robots = sum(s.hits["/robots.txt"] for s in sites)

    say("crawl finished; running daily_check once")
    started = time.monotonic()
    opened: int | str
    try:
        _, sync = daily_check(today=timezone.localdate())
        opened = len(sync.opened)
    except Exception as exc:  # the crawl's figures still stand; say why
        opened = f"daily_check failed: {type(exc).__name__}: {str(exc).splitlines()[0]}"
    check_wall = time.monotonic() - started

    sample = sites[: max(0, min(args.reference_sites, len(sites)))]
    ref = None
    if sample:
        say(f"reference: the in-memory crawler over {len(sample)} sites")
        out = work / "reference.json"
        with out.open("w") as handle:
            started = time.monotonic()
            subprocess.run(
                [sys.executable, __file__, "--reference", *[s.base for s in sample]],
                stdout=handle,
                check=True,
                timeout=3600,
            )
            ref_wall = time.monotonic() - started
        ref = {**json.loads(out.read_text()), "wall": ref_wall, "sites": len(sample)}

    report(args, locals())
    if args.profile:
        print("\n".join(phases(sites[0].base)))
    return 0 if not unfinished and not missed and not duplicates else 1


def report(args: argparse.Namespace, m: dict[str, Any]) -> None:
    urls, pages, crawl_wall, check_wall = m["urls"], m["pages"], m["crawl_wall"], m["check_wall"]
    rate = urls / crawl_wall
    per_page = urls / max(pages, 1)
    print()
    print(
        f"nightly check: {args.sites} sites × {args.pages} pages, {args.broken} planted broken "
        f"links each, {args.workers} db_worker processes, PostgreSQL on 127.0.0.1"
    )
    print(
        f"machine: {os.cpu_count()} cores shared with other work, load average "
        f"{os.getloadavg()[0]:.2f} at the end; figures are comparable within one run only"
    )
    print()
    rows: list[tuple[str, str]] = [
        ("sites (runs finished)", f"{args.sites} ({len(m['runs']) - len(m['unfinished'])})"),
        ("pages fetched", f"{pages:,}"),
        ("URLs checked (pages + resources)", f"{urls:,}"),
        ("crawl phase wall s (first run → last)", f"{crawl_wall:.1f}"),
        ("workers' wall s (with start-up)", f"{m['workers_wall']:.1f}"),
        ("daily_check wall s", f"{check_wall:.1f}"),
        ("pages/s, URLs/s (DB-backed)", f"{pages / crawl_wall:.1f}, {rate:.1f}"),
        ("peak RSS of the workers MB", ", ".join(f"{r:.0f}" for r in m["rss"])),
        ("duplicates (URL fetched twice)", str(m["duplicates"])),
        ("robots.txt fetches", f"{m['robots']} for {args.sites} sites"),
        ("unvisited addresses", str(m["unvisited"])),
        ("planted broken links found", f"{m['found']} of {m['planted']}"),
        ("missed", str(m["missed"])),
        ("daily_check work orders opened", str(m["opened"])),
    ]
    ref = m["ref"]
    if ref:
        rows.append(
            (
                f"reference: in-memory crawler, {ref['sites']} sites",
                f"{ref['pages'] / ref['wall']:.1f} pages/s, {ref['urls'] / ref['wall']:.1f} URLs/s "
                f"(wall {ref['wall']:.1f} s with start-up)",
            )
        )
    for label, value in rows:
        print(f"  {label:<38} {value}")
    if m["twice"]:
        print(f"  fetched twice: {', '.join(m['twice'][:5])}")
    if m["unfinished"]:
        print(f"  unfinished runs: {', '.join(m['unfinished'][:5])}")

    print()
    print(f"extrapolation (URLs/page {per_page:.2f} as measured; a night = {NIGHT_HOURS:.0f} h):")
    print(f"  {'platform':<30} {'workers':>7} {'hours':>7}  fits")
    for site_pages in (DEMO_PAGES, BIG_PAGES):
        for workers in (args.workers, 8):
            hours = 100 * site_pages * per_page / (rate * workers / args.workers) / 3600
            hours += check_wall / 3600
            label = f"100 sites × {site_pages:,} pages"
            verdict = "yes" if hours <= NIGHT_HOURS else "NO"
            print(f"  {label:<30} {workers:>7} {hours:>7.2f}  {verdict}")
    print(
        "  (linear in workers: assumes a core per worker and PostgreSQL not saturated; "
        "local server, no network latency)"
    )


if __name__ == "__main__":
    sys.exit(main())
