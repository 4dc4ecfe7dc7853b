"""Crawler speed and accuracy against linkchecker. Prints one table.

    .venv/bin/python bench/crawl.py                 # 10,000 pages, a few hundred planted faults
    .venv/bin/python bench/crawl.py --pages 2000    # quicker
    .venv/bin/python bench/crawl.py --skip-linkchecker

The site is generated here and served on 127.0.0.1 by a child process (the crawler's test
server). Every planted broken link is unique, so the expected answer is a set of
(source page, target) pairs; ours is compared with it exactly (missed and false ones).
linkchecker is installed from the package index into a temporary virtual environment (never
into the project); if that fails the table says so. Blocked domains are never fetched: ours
knows the block list, linkchecker is told to ignore them (so it cannot find those).
Each crawler runs in its own process; its peak memory is that process's maximum RSS (ours:
plus the maximum RSS of its helper process, as if both peaked at once).

Fairness: both crawlers get the same site, server and time-out (3 s). Ours uses 2 processes
(the machine has 2 cores), 64 requests at once; linkchecker runs its threads (10, as
configured here; it is one Python process) with its per-host rate limit lifted by the
"LinkChecker" response header and maxrequestspersecond=1000, and --check-extern so that it
checks the same off-site links ours does.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govportal.lib.crawl import CrawlConfig, crawl
from govportal.lib.crawl.testserver import Route, serve_forever

# kind: how many planted links of it
PLANTED = {
    "404 page": 60,
    "410 page": 20,
    "500 page": 20,
    "404 image": 40,
    "404 attachment": 40,
    "soft 404": 30,
    "redirect loop": 20,
    "redirect chain of 50": 10,
    "never answers (timeout)": 10,
    "connection refused": 20,
    "blocked domain": 20,
}
TIMEOUT = 3.0


def build_site(pages: int, seed: int = 6) -> tuple[dict[str, Route], set[tuple[str, str]]]:
    rng = random.Random(seed)
    body: dict[int, list[str]] = {i: [] for i in range(pages)}
    routes: dict[str, Route] = {}
    planted: set[tuple[str, str]] = set()
    for i in range(pages):
        links = [
            f'<a href="/p/{j}.html">第{j}页</a>' for j in (2 * i + 1, 2 * i + 2, i + 1) if j < pages
        ]
        links.append(f'<a href="/p/{rng.randrange(pages)}.html">相关</a>')
        links.append('<a href="/">首页</a>')
        links.append(f'<img src="/img/{i % 50}.png" alt="图{i % 50}">')
        links.append(f'<a href="/files/{i % 100}.pdf">附件{i % 100}</a>')
        body[i] = links
    for n in range(50):
        routes[f"/img/{n}.png"] = Route(body=b"\x89PNG", headers={"Content-Type": "image/png"})
    for n in range(100):
        routes[f"/files/{n}.pdf"] = Route(body=b"%PDF", headers={"Content-Type": "application/pdf"})
    serial = 0
    for kind, count in PLANTED.items():
        for _ in range(count):
            serial += 1
            source = rng.randrange(pages)
            if kind == "404 page":
                target, tag = f"/gone/{serial}.html", "a"
            elif kind == "410 page":
                target, tag = f"/removed/{serial}.html", "a"
                routes[target] = Route(410, b"gone")
            elif kind == "500 page":
                target, tag = f"/broken/{serial}.html", "a"
                routes[target] = Route(500, b"error")
            elif kind == "404 image":
                target, tag = f"/img/missing-{serial}.png", "img"
            elif kind == "404 attachment":
                target, tag = f"/files/missing-{serial}.pdf", "a"
            elif kind == "soft 404":
                target, tag = f"/soft/{serial}.html", "a"
                routes[target] = Route(
                    body="<html><head><title>页面不存在</title></head><body>对不起，您访问的页面不存在。</body></html>".encode()
                )
            elif kind == "redirect loop":
                target, tag = f"/loop/{serial}/a", "a"
                routes[target] = Route(302, b"", {"Location": f"/loop/{serial}/b"})
                routes[f"/loop/{serial}/b"] = Route(302, b"", {"Location": target})
            elif kind == "redirect chain of 50":
                target, tag = f"/chain/{serial}/0", "a"
                for hop in range(50):
                    routes[f"/chain/{serial}/{hop}"] = Route(
                        301, b"", {"Location": f"/chain/{serial}/{hop + 1}"}
                    )
                routes[f"/chain/{serial}/50"] = Route(body=b"<p>end</p>")
            elif kind == "never answers (timeout)":
                target, tag = f"/hang/{serial}.html", "a"
                routes[target] = Route(behaviour="hang")
            elif kind == "connection refused":
                target, tag = f"http://127.0.0.1:9/refused/{serial}", "a"
            else:
                target, tag = f"http://casino{serial}.blocked.test/", "a"
            element = (
                f'<img src="{target}" alt="坏图">'
                if tag == "img"
                else f'<a href="{target}">坏链</a>'
            )
            body[source].append(element)
            planted.add((f"/p/{source}.html", target))
    for i in range(pages):
        html = (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>第{i}页</title></head>"
            f"<body><h1>第{i}页</h1><p>区政府工作动态第{i}期。</p>{''.join(body[i])}</body></html>"
        )
        routes[f"/p/{i}.html"] = Route(body=html.encode())
    routes["/"] = Route(body=b'<html><body><a href="/p/0.html">start</a></body></html>')
    return routes, planted


def _serve(pages: int, port_queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    routes, _ = build_site(pages)
    # linkchecker limits itself to 10 requests a second per host unless the server answers
    # with a "LinkChecker" header; with it, its rate limit is lifted like ours is.
    fallback = Route(404, b"<title>404</title>")
    for route in [*routes.values(), fallback]:
        route.headers["LinkChecker"] = "bench"
    serve_forever(routes, 0, ready=port_queue.put, fallback=fallback)


def run_ours(base: str, out: Path) -> None:
    config = CrawlConfig(
        max_pages=1_000_000,
        concurrency=64,
        per_host=64,
        timeout=TIMEOUT,
        deadline=TIMEOUT * 2,
        retries=1,
        backoff=0.2,
        blocked_domains=frozenset({"blocked.test"}),
        use_sitemap=False,
        processes=2,
    )
    report = asyncio.run(crawl(base + "/", config))
    # The helper process's peak is added to ours: an upper bound of the crawl's memory.
    helper_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    broken = [b.as_json() for b in report.broken_links()]
    out.write_text(json.dumps({"broken": broken, "helper_mb": helper_mb}, ensure_ascii=False))


def measured(command: list[str]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds) of a child process and the processes it
    waited for (user and system time: on a machine shared with other work, the wall time
    depends on the load, the CPU time much less)."""
    started = time.monotonic()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def install_linkchecker(where: Path) -> Path | str:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    pip = subprocess.run(
        [
            str(where / "bin" / "pip"),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "linkchecker",
        ],
        capture_output=True,
        text=True,
    )
    if pip.returncode != 0:
        return (
            "linkchecker could not be installed: " + (pip.stderr.strip().splitlines() or ["?"])[-1]
        )
    return where / "bin" / "linkchecker"


def strip_base(pairs: set[tuple[str, str]], base: str) -> set[tuple[str, str]]:
    return {(s.removeprefix(base), t.removeprefix(base)) for s, t in pairs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--skip-linkchecker", action="store_true")
    parser.add_argument("--ours-only", metavar="BASE", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ours_only:
        run_ours(args.ours_only, Path(args.out))
        return

    _, planted = build_site(args.pages)
    port_queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    server = multiprocessing.Process(target=_serve, args=(args.pages, port_queue), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{port_queue.get(timeout=120)}"
    rows = []
    with tempfile.TemporaryDirectory(prefix="govportal-bench-crawl-") as tmp:
        ours_out = Path(tmp) / "ours.json"
        wall, rss, cpu = measured(
            [sys.executable, __file__, "--ours-only", base, "--out", str(ours_out)]
        )
        ours_json = json.loads(ours_out.read_text())
        rss += ours_json["helper_mb"]
        found = {(b["source"], b["target"]) for b in ours_json["broken"]}
        found = strip_base(found, base)
        rows.append(
            ("ours", wall, cpu, rss, len(found), len(planted - found), len(found - planted))
        )
        print(f"ours: {wall:.1f} s, {rss:.0f} MB, found {len(found)} of {len(planted)}", flush=True)
        ours_wall, ours_cpu = wall, cpu

        if not args.skip_linkchecker:
            linkchecker = install_linkchecker(Path(tmp) / "venv")
            if isinstance(linkchecker, str):
                print(linkchecker)
            else:
                # Run as root, linkchecker drops to user nobody: let it write its report.
                Path(tmp).chmod(0o755)
                csv_out = Path(tmp) / "linkchecker.csv"
                csv_out.touch(mode=0o666)
                csv_out.chmod(0o666)
                config = Path(tmp) / "linkcheckerrc"
                config.write_text("[checking]\nmaxrequestspersecond=1000\n")
                config.chmod(0o644)
                wall, rss, cpu = measured(
                    [
                        str(linkchecker), "-f", str(config), "--no-status", "--check-extern", "--threads", "10",
                        "--timeout", str(int(TIMEOUT)), "--ignore-url", r"blocked\.test",
                        "--output", "none", "--file-output", f"csv/utf-8/{csv_out}", base + "/",
                    ]
                )  # fmt: skip
                theirs = set()
                lines = [
                    x
                    for x in csv_out.read_text(encoding="utf-8").splitlines()
                    if x and not x.startswith("#")
                ]
                for row in csv.DictReader(lines, delimiter=";"):
                    if row.get("valid", "").lower() in ("false", "0"):
                        theirs.add(
                            (
                                row["parentname"],
                                row["urlname"]
                                if "://" in row["urlname"]
                                else base + row["urlname"],
                            )
                        )
                theirs = strip_base(theirs, base)
                rows.append(
                    (
                        "linkchecker",
                        wall,
                        cpu,
                        rss,
                        len(theirs),
                        len(planted - theirs),
                        len(theirs - planted),
                    )
                )
                print(
                    f"ours is {wall / ours_wall:.1f}× faster than linkchecker "
                    f"(wall time; {cpu / ours_cpu:.1f}× less CPU time)"
                )
    server.terminate()
    print(
        f"site: {args.pages} pages, {len(planted)} planted broken links ({', '.join(f'{k} {v}' for k, v in PLANTED.items())})"
    )
    print(
        f"{'crawler':<12} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'found':>6} {'missed':>7} {'false':>6}"
    )
    for name, wall, cpu, rss, n, missed, false in rows:
        print(f"{name:<12} {wall:>8.1f} {cpu:>8.1f} {rss:>8.0f} {n:>6} {missed:>7} {false:>6}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
