"""Server time of the disclosure catalogue's list page with 100,000 policy documents.

    .venv/bin/python bench/catalogue.py                 # SQLite
    .venv/bin/python bench/catalogue.py --postgres      # SQLite, then PostgreSQL
    .venv/bin/python bench/catalogue.py --postgres-only
    .venv/bin/python bench/catalogue.py --documents 20000 --requests 20   # quicker

Each database leg runs in its own process (Django's settings are set once per process): it
migrates a fresh database (SQLite in a temporary directory; PostgreSQL: a temporary database on
127.0.0.1:5432 as user postgres, dropped at the end), builds the small portal of
govportal.testing, adds a catalogue page and bulk-inserts the documents as live pages of one
column (page rows with treebeard paths computed here, then the policy-document rows and the
发文机关 links, batch by batch: no `add_child` per document). Then Django's test client asks for
the catalogue list with each filter, once to warm up and `--requests` times measured; the figure
is the time of the whole request in the process (URL routing, middleware, queries, template),
which is the server time without the network. DEBUG=false, local-memory cache.

Target (issue 4): p95 under 100 ms for every filter, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_P95_MS = 100.0
PG_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"

# Title parts: a few of them are rare, so that the title-word filter has a small answer too.
SUBJECTS = [
    "春耕生产",
    "食品安全",
    "安全生产",
    "城乡环境整治",
    "义务教育招生",
    "医疗保障",
    "就业创业",
    "营商环境",
    "防汛抗旱",
    "乡村振兴",
    "养老服务",
    "文物保护",
    "燃气安全",
    "秸秆禁烧",
    "老旧小区改造",
    "冬季供暖",
]
TEMPLATES = [
    "关于做好{y}年{s}工作的通知",
    "关于印发{s}实施方案的通知",
    "关于进一步加强{s}工作的意见",
    "{s}专项行动工作方案",
    "关于开展{s}检查的通知",
]
TITLE_WORDS = "燃气安全"


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def filters(year: int, topic: str, unit_id: int) -> list[tuple[str, dict[str, str]]]:
    return [
        ("none", {}),
        ("topic", {"topic": topic}),
        ("unit", {"unit": str(unit_id)}),
        ("year", {"year": str(year)}),
        ("validity", {"validity": "repealed"}),
        ("title words", {"q": TITLE_WORDS}),
        ("page 50", {"page": "50"}),
    ]


# --- One leg: runs in its own process -----------------------------------------------------------


def documents_insert(count: int, rnd: random.Random) -> dict[str, Any]:
    """Bulk-insert `count` live policy documents under a new column; returns the filter values."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page

    from govportal.content.review import review_bypass
    from govportal.core.models import Unit, UnitKind
    from govportal.disclosure.models import (
        CatalogueItem,
        CataloguePage,
        Genre,
        PolicyDocumentPage,
        Topic,
        title_grams_fill_missing,
    )
    from govportal.testing import TEST_DATA, add_column, build_portal

    portal = build_portal()
    units = [portal.unit_a, portal.unit_b] + [
        Unit.objects.create(name=f"测试单位{n:02d}", code=f"U{n:02d}", kind=UnitKind.DEPARTMENT)
        for n in range(1, 19)
    ]
    column = add_column(portal.home, "政策文件", kind_code="static", units=units[:1], slug="docs")
    catalogue = CataloguePage(title="政府信息公开目录", slug="catalogue")
    with review_bypass(reason=TEST_DATA):
        column.add_child(instance=catalogue)
    column.refresh_from_db()
    topics = list(Topic.objects.all())
    genres = list(Genre.objects.all())
    items = list(CatalogueItem.objects.all())
    content_type = ContentType.objects.get_for_model(PolicyDocumentPage)
    child_fields = [
        f for f in PolicyDocumentPage._meta.local_concrete_fields if not f.primary_key
    ] + [PolicyDocumentPage._meta.pk]
    through: Any = PolicyDocumentPage.issuing_units.through
    ptr_name = next(
        f.attname for f in through._meta.concrete_fields if f.related_model is PolicyDocumentPage
    )
    unit_name = next(f.attname for f in through._meta.concrete_fields if f.related_model is Unit)
    now = timezone.now()
    existing = column.numchild  # the catalogue page: the documents follow it
    batch = 2000
    started = time.monotonic()
    with transaction.atomic():
        for first in range(0, count, batch):
            pages, docs, doc_units = [], [], []
            for n in range(first, min(first + batch, count)):
                age = rnd.uniform(0, 20 * 365)
                pub = now - dt.timedelta(days=age)
                written = (pub - dt.timedelta(days=rnd.randint(1, 12))).date()
                subject = rnd.choice(SUBJECTS)
                title = rnd.choice(TEMPLATES).format(y=written.year, s=subject)
                title = f"{title}（第{n + 1}号）"
                slug = f"doc-{n + 1}"
                path = Page._get_path(column.path, column.depth + 1, existing + n + 1)
                pages.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=slug,
                        content_type=content_type,
                        path=path,
                        depth=column.depth + 1,
                        numchild=0,
                        url_path=f"{column.url_path}{slug}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=pub,
                        last_published_at=pub,
                        locale_id=column.locale_id,
                    )
                )
                unit = units[n % len(units)]
                doc_units.append(unit)
                roll = rnd.random()
                docs.append(
                    PolicyDocumentPage(
                        document_number=f"宝渭测发〔{written.year}〕{n + 1}号",
                        index_number=f"{unit.code or 'WBZF'}-{n + 1:06d}",
                        written_date=written,
                        pub_date=pub,
                        topic=rnd.choice(topics),
                        genre=rnd.choice(genres),
                        catalogue_item=rnd.choice(items),
                        summary=f"明确了{subject}的目标任务、责任分工和保障措施。",
                        valid_from=written,
                        # About 5 % repealed, 5 % expired.
                        repealed_on=written + dt.timedelta(days=400) if roll < 0.05 else None,
                        valid_until=(
                            written + dt.timedelta(days=365) if 0.05 <= roll < 0.10 else None
                        ),
                        organ_label=unit.name,
                        is_reprint=roll > 0.97,
                        reprint_organ="省人民政府办公厅" if roll > 0.97 else "",
                    )
                )
            Page.objects.bulk_create(pages)
            pks = dict(
                Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk")
            )
            links = []
            for page, doc, unit in zip(pages, docs, doc_units, strict=True):
                doc.page_ptr_id = doc.pk = pks[page.path]
                links.append(through(**{ptr_name: doc.pk, unit_name: unit.pk}))
            # Only the policy-document table: Model.bulk_create refuses multi-table models.
            PolicyDocumentPage._base_manager._insert(
                docs, fields=child_fields, using=connection.alias, raw=True
            )
            through.objects.bulk_create(links)
        Page.objects.filter(pk=column.pk).update(numchild=existing + count)
    say(f"inserted {count} documents in {time.monotonic() - started:.1f}s")
    started = time.monotonic()
    # The title-word index (PolicyTitleGram): what each document's save does, in bulk.
    title_grams_fill_missing()
    say(f"indexed the titles' character pairs in {time.monotonic() - started:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as a maintained database has
    return {
        "url": catalogue.url,
        "home_url": "/",
        "year": now.year - 3,
        "topic": topics[0].code,
        "unit": units[5].pk,
    }


class QueryCounter:
    """A database execute wrapper: the number of queries of one request, the query time and
    the slowest query (so that a row over the target says where the time goes)."""

    def __init__(self) -> None:
        self.count = 0
        self.total_ms = 0.0
        self.slowest: tuple[float, str] = (0.0, "")

    def __call__(self, execute: Any, sql: str, *rest: Any) -> Any:
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, *rest)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            self.total_ms += elapsed
            self.slowest = max(self.slowest, (elapsed, sql))


def leg(backend: str, count: int, requests: int, seed: int) -> list[dict[str, Any]]:
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # No collectstatic here: plain static storage instead of the manifest one (whose lookup is
    # a dictionary access, so the figures are the same).
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from govportal.disclosure.catalogue import CatalogueFilterForm, catalogue_queryset
    from govportal.disclosure.models import PolicyDocumentPage

    call_command("migrate", interactive=False, verbosity=0)
    values = documents_insert(count, random.Random(seed))
    live = PolicyDocumentPage.objects.live().count()
    say(f"{backend}: {live} live documents; catalogue at {values['url']}")
    client = Client()
    rows = []
    cases = [
        (name, values["url"], params)
        for name, params in filters(values["year"], values["topic"], values["unit"])
    ]
    # The floor: the home page of the small test portal, with the same header and middleware.
    cases.append(("(home)", values["home_url"], {}))
    for name, url, params in cases:
        executed = QueryCounter()
        with connection.execute_wrapper(executed):
            started = time.perf_counter()
            response = client.get(url, params)
            first = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"[bench] {name}: HTTP {response.status_code}")
        found = 0
        if url == values["url"]:
            form = CatalogueFilterForm(params)
            assert form.is_valid(), form.errors  # noqa: S101
            found = catalogue_queryset(form.cleaned_data, today=timezone.localdate()).count()
            if not found or "第" not in response.content.decode():
                raise SystemExit(f"[bench] {name}: the list shows no document")
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url, params)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        rows.append(
            {
                "backend": backend,
                "filter": name,
                "query": "&".join(f"{k}={v}" for k, v in params.items()),
                "found": found,
                "queries": executed.count,
                "sql_ms": executed.total_ms,
                "slowest_ms": executed.slowest[0],
                "slowest_sql": executed.slowest[1],
                "first": first,
                "p50": statistics.median(times),
                "p95": times[max(0, round(0.95 * len(times)) - 1)],
                "max": times[-1],
            }
        )
        say(f"{backend}: {name}: p95 {rows[-1]['p95']:.1f} ms")
    return rows


# --- The driver: one process per database -----------------------------------------------------


def pg_database(action: str, name: str) -> None:
    import psycopg

    with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=10) as conn:
        if action == "create":
            conn.execute(f'CREATE DATABASE "{name}"')
        else:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(work: Path, **extra: str) -> dict[str, str]:
    """The environment of a production-like Django process of a bench (DEBUG off, its own var
    and media folders under `work`, a fresh secret, no Redis), with `extra` on top."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govportal.settings",
        "GOVPORTAL_VAR_DIR": str(work / "var"),
        "MEDIA_ROOT": str(work / "media"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def run_leg(backend: str, args: argparse.Namespace, work: Path) -> list[dict[str, Any]]:
    env = production_env(work, ALLOWED_HOSTS="127.0.0.1,localhost,testserver")
    database = ""
    if backend == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{work / 'var' / 'bench.sqlite3'}"
    else:
        database = f"govportal_bench_{secrets.token_hex(4)}"
        pg_database("create", database)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    try:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--leg",
                backend,
                "--documents",
                str(args.documents),
                "--requests",
                str(args.requests),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            check=True,
            timeout=3600,
        )
    finally:
        if database:
            pg_database("drop", database)
    rows: list[dict[str, Any]] = json.loads(out.stdout)
    return rows


def report(args: argparse.Namespace, rows: list[dict[str, Any]]) -> None:
    print()
    print(
        f"catalogue list page, {args.documents:,} live policy documents, {args.requests} requests "
        f"per row after one warm-up, Django test client in-process, DEBUG=false"
    )
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end")
    print()
    header = (
        f"{'database':<10} {'filter':<12} {'found':>7} {'SQL':>4} {'SQL ms':>7} {'slowest':>8} "
        f"{'first':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  {'p95 < 100 ms':<12}  query"
    )
    print(header)
    for r in rows:
        verdict = "ok" if r["p95"] < TARGET_P95_MS else "OVER"
        if r["filter"].startswith("("):
            verdict = "(floor)"
        print(
            f"{r['backend']:<10} {r['filter']:<12} {r['found']:>7} {r['queries']:>4} "
            f"{r['sql_ms']:>7.1f} {r['slowest_ms']:>8.1f} {r.get('first', 0):>7.1f} "
            f"{r['p50']:>8.1f} {r['p95']:>8.1f} {r['max']:>8.1f}  {verdict:<12}  {r['query']}"
        )
    print()
    print(
        "first: the warm-up request (the filter set's total not cached yet); SQL ms: its query\n"
        "time; slowest: its slowest query. (home): the test portal's home page, with the same\n"
        "header, routing and middleware: the floor of any page on this machine at this load."
    )
    for r in rows:
        if r["p95"] >= TARGET_P95_MS and not r["filter"].startswith("("):
            print(f"\n{r['backend']} {r['filter']}: slowest query {r['slowest_ms']:.1f} ms:")
            print(f"  {r['slowest_sql'][:600]}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50, help="measured requests per filter")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument(
        "--postgres-only", action="store_true", help="on PostgreSQL only (skip SQLite)"
    )
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--leg", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 100 <= args.documents <= 1_000_000:
        parser.error("--documents: 100 to 1,000,000")
    if args.leg:
        print(json.dumps(leg(args.leg, args.documents, args.requests, args.seed)))
        return 0
    work = Path(tempfile.mkdtemp(prefix="govportal-bench-catalogue-"))
    rows: list[dict[str, Any]] = []
    try:
        backends = ["sqlite"] + (["postgres"] if args.postgres else [])
        if args.postgres_only:
            backends = ["postgres"]
        for backend in backends:
            say(f"{backend}: building {args.documents:,} documents")
            rows += run_leg(backend, args, work)
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    report(args, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
