"""Links: internal targets resolved, external ones fetched from a real server on 127.0.0.1."""

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from govportal.checks.checkers import links as links_module
from govportal.checks.engine import LinkStatus, check
from govportal.checks.tests.helpers import context


class Handler(BaseHTTPRequestHandler):
    requests: list[str] = []

    def _answer(self, body: bool) -> None:
        Handler.requests.append(f"{self.command} {self.path}")
        if self.path.startswith("/slow"):
            time.sleep(1.0)
        status = {"/ok": 200, "/moved": 301, "/gone": 410, "/error": 500}.get(self.path, 404)
        if self.path == "/no-head" and self.command == "HEAD":
            status = 405
        elif self.path == "/no-head":
            status = 200
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "/ok")
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # do not wait for the slow handler when the test ends


@pytest.fixture
def server() -> Iterator[str]:
    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    Handler.requests = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    cache = links_module._DictCache()
    monkeypatch.setattr(links_module, "_cache", lambda: cache)


def link_findings(html: str, **fields) -> list[tuple[str, str, str]]:
    ctx = context(checkers=frozenset({"links"}), **fields)
    return [(f.rule, f.severity, f.match) for f in check(html, html=True, context=ctx)]


def test_working_and_redirected_external_links_pass(server):
    html = f'<a href="{server}/ok">a</a><img src="{server}/moved"><a href="{server}/no-head">c</a>'
    assert link_findings(html, check_external_links=True, allow_private_hosts=True) == []


def test_dead_external_links_block(server):
    html = f'<a href="{server}/missing">a</a> <a href="{server}/gone">b</a>'
    assert link_findings(html, check_external_links=True, allow_private_hosts=True) == [
        ("link.external_dead", "block", f"{server}/missing"),
        ("link.external_dead", "block", f"{server}/gone"),
    ]


def test_a_server_error_or_a_time_out_warns_for_a_person_to_confirm(server):
    html = f'<a href="{server}/error">a</a><a href="{server}/slow">b</a>'
    findings = link_findings(
        html, check_external_links=True, allow_private_hosts=True, http_timeout=0.2
    )
    assert findings == [
        ("link.external_unverified", "warn", f"{server}/error"),
        ("link.external_unverified", "warn", f"{server}/slow"),
    ]


def test_an_unreachable_host_blocks():
    html = '<a href="http://127.0.0.1:9/">a</a>'  # the discard port: nothing listens
    assert link_findings(html, check_external_links=True, allow_private_hosts=True) == [
        ("link.external_dead", "block", "http://127.0.0.1:9/")
    ]


def test_results_are_cached_so_a_second_check_does_not_fetch_again(server):
    html = f'<a href="{server}/gone">a</a>'
    first = link_findings(html, check_external_links=True, allow_private_hosts=True)
    fetched = len(Handler.requests)
    second = link_findings(html, check_external_links=True, allow_private_hosts=True)
    assert first == second
    assert fetched > 0
    assert len(Handler.requests) == fetched


def test_external_links_are_not_fetched_unless_asked(server):
    assert link_findings(f'<a href="{server}/gone">a</a>', allow_private_hosts=True) == []
    assert Handler.requests == []


def test_links_to_an_intranet_address_warn_and_are_not_fetched(server):
    html = f'<a href="{server}/ok">a</a>'
    assert link_findings(html, check_external_links=True) == [
        ("link.private_host", "warn", f"{server}/ok")
    ]
    assert Handler.requests == []


def test_blocked_domains_block_and_commercial_sites_warn():
    html = (
        '<a href="https://www.blocked.test/x">a</a>'
        '<a href="https://lucky.casino/">b</a>'
        '<a href="https://item.taobao.com/item.htm?id=1">c</a>'
        '<a href="https://shop.example.test/">d</a>'
    )
    findings = link_findings(html, commercial_domains=frozenset({"shop.example.test"}))
    assert findings == [
        ("link.blocked_domain", "block", "https://www.blocked.test/x"),
        ("link.blocked_domain", "block", "https://lucky.casino/"),
        ("link.commercial", "warn", "https://item.taobao.com/item.htm?id=1"),
        ("link.commercial", "warn", "https://shop.example.test/"),
    ]


def test_internal_links_must_exist_and_be_live():
    statuses = {
        "/news/ok/": LinkStatus.OK,
        "/news/draft/": LinkStatus.NOT_LIVE,
        "page:7": LinkStatus.MISSING,
    }
    html = (
        '<a href="/news/ok/">a</a><a href="https://portal.test/news/draft/">b</a>'
        '<a linktype="page" id="7">c</a><a href="mailto:x@y.test">d</a><a href="#top">e</a>'
    )
    findings = link_findings(
        html,
        internal_hosts=frozenset({"portal.test"}),
        resolve_internal=lambda target: statuses.get(target, LinkStatus.MISSING),
    )
    assert findings == [
        ("link.internal_not_live", "block", "https://portal.test/news/draft/"),
        ("link.internal_missing", "block", "7"),
    ]


def test_web_addresses_in_plain_text_are_checked_too():
    ctx = context(checkers=frozenset({"links"}))
    (finding,) = check("详见 https://www.blocked.test/a 。", html=False, context=ctx)
    assert finding.rule == "link.blocked_domain"
    assert finding.match == "https://www.blocked.test/a"
