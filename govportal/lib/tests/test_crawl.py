"""The crawler against real misbehaving servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import socket
import ssl

import httpx
import pytest

from govportal.lib.crawl import CrawlConfig, CrawlReport, classify_error, crawl, normalize_url
from govportal.lib.crawl.decode import decode_html
from govportal.lib.crawl.testserver import Route, ServerThread

FAST = CrawlConfig(
    timeout=0.5, deadline=2.0, retries=1, backoff=0.01, max_bytes=256 * 1024, concurrency=8
)


def html(body: str, title: str = "页面", charset: str = "utf-8") -> bytes:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode(charset)


def page(body: str, title: str = "页面") -> Route:
    return Route(body=html(body, title))


def run(url: str, config: CrawlConfig = FAST) -> CrawlReport:
    return asyncio.run(crawl(url, config))


def broken_by_target(report: CrawlReport) -> dict[str, tuple[int | None, str | None, str]]:
    return {b.target: (b.status, b.error, b.kind) for b in report.broken_links()}


HOME_LINKS = """
<a href="/ok.html">正常页面</a>
<a href="/missing.html">不存在的页面</a>
<a href="/gone.html">已删除</a>
<a href="/error.html">服务器错误</a>
<a href="/hang.html">不回答</a>
<a href="/endless.html">无尽内容</a>
<a href="/gbk.html">GBK 页面</a>
<a href="/invalid.html">无效HTML</a>
<a href="/bomb.html">压缩炸弹</a>
<a href="/r/0">重定向链</a>
<a href="/loop-a">重定向循环</a>
<a href="/soft.html">软404</a>
<a href="/flaky.html">偶发错误</a>
<a href="/files/notice.pdf">附件</a>
<a href="/files/missing.docx">丢失的附件</a>
<img src="/img/missing.png" alt="丢失的图片">
<img src="/img/ok.png" alt="图片">
<a href="mailto:office@example.test">信箱</a>
<a href="javascript:void(0)">脚本</a>
<a href="http://casino.blocked.test/">违规网站</a>
<a href="http://127.0.0.1:1/">拒绝连接</a>
"""


@pytest.fixture(scope="module")
def bad_site() -> object:
    bomb = gzip.compress(b" " * (40 * 1024 * 1024), compresslevel=9)
    routes = {
        "/": page(HOME_LINKS, "首页"),
        "/ok.html": page('<a href="/">首页</a>'),
        "/gone.html": Route(410, html("已删除")),
        "/error.html": Route(500, html("错误")),
        "/hang.html": Route(behaviour="hang"),
        "/endless.html": Route(behaviour="endless"),
        "/gbk.html": Route(
            body=(
                '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
                "<title>区政府办公室通知公告</title></head><body>"
                '<a href="新闻 列表.html">新闻 列表</a><a href="/缺失 页面.html">缺失</a>'
                "</body></html>"
            ).encode("gbk"),
        ),
        "/新闻 列表.html": page("新闻"),
        "/invalid.html": Route(
            body=b'<html><body><div><table><td><a href="/deep.html">deep<p><<<>>>'
            b'<a href="/deep2.html"<b>x</i></table><!-- never closed'
        ),
        "/deep.html": page("ok"),
        "/bomb.html": Route(
            body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
        ),
        "/loop-a": Route(302, b"", {"Location": "/loop-b"}),
        "/loop-b": Route(302, b"", {"Location": "/loop-a"}),
        "/soft.html": Route(body=html("对不起，您访问的页面不存在！", "提示")),
        "/flaky.html": Route(body=html("ok"), behaviour="flaky"),
        "/files/notice.pdf": Route(
            body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}, behaviour="no_head"
        ),
        "/img/ok.png": Route(body=b"\x89PNG", headers={"Content-Type": "image/png"}),
    }
    for n in range(50):
        routes[f"/r/{n}"] = Route(301, b"", {"Location": f"/r/{n + 1}"})
    routes["/r/50"] = page("链的终点")
    with ServerThread(routes) as base:
        report = run(base + "/", FAST)
        yield base, routes, report


def test_missing_gone_and_failing_pages_are_broken_links_with_their_status(bad_site):
    base, _, report = bad_site
    broken = broken_by_target(report)
    assert broken[f"{base}/missing.html"] == (404, None, "page")
    assert broken[f"{base}/gone.html"] == (410, None, "page")
    assert broken[f"{base}/error.html"] == (500, None, "page")


def test_a_server_that_never_answers_is_a_timeout_and_the_crawl_carries_on(bad_site):
    base, _, report = bad_site
    assert broken_by_target(report)[f"{base}/hang.html"][1] == "timeout"
    assert report.results[f"{base}/deep.html"].status == 200


def test_an_endless_body_is_cut_at_the_size_limit_and_not_called_broken(bad_site):
    base, _, report = bad_site
    result = report.results[f"{base}/endless.html"]
    assert (result.status, result.error) == (200, "too_large")
    assert f"{base}/endless.html" not in broken_by_target(report)


def test_a_gzip_bomb_is_decompressed_only_up_to_the_limit(bad_site):
    base, _, report = bad_site
    result = report.results[f"{base}/bomb.html"]
    assert (result.status, result.error) == (200, "too_large")


def test_a_gbk_page_is_decoded_and_its_chinese_links_with_spaces_are_followed(bad_site):
    base, _, report = bad_site
    gbk = report.results[f"{base}/gbk.html"]
    assert gbk.title == "区政府办公室通知公告"
    assert gbk.encoding == "gb18030"
    followed = f"{base}/%E6%96%B0%E9%97%BB%20%E5%88%97%E8%A1%A8.html"
    assert report.results[followed].status == 200
    missing = f"{base}/%E7%BC%BA%E5%A4%B1%20%E9%A1%B5%E9%9D%A2.html"
    assert broken_by_target(report)[missing] == (404, None, "page")
    anchors = {link.anchor for link in report.links if link.source == f"{base}/gbk.html"}
    assert anchors == {"新闻 列表", "缺失"}


def test_links_in_invalid_html_are_still_found(bad_site):
    base, _, report = bad_site
    targets = {link.target for link in report.links if link.source == f"{base}/invalid.html"}
    assert f"{base}/deep.html" in targets


def test_a_chain_of_fifty_redirects_is_stopped_and_reported(bad_site):
    base, routes, report = bad_site
    result = report.results[f"{base}/r/0"]
    assert result.error == "too_many_redirects"
    assert len(result.redirects) == FAST.max_redirects + 1
    assert routes["/r/50"].hits == 0


def test_a_redirect_loop_is_reported_as_a_loop(bad_site):
    base, _, report = bad_site
    result = report.results[f"{base}/loop-a"]
    assert result.error == "redirect_loop"
    assert result.redirects == (f"{base}/loop-b", f"{base}/loop-a")


def test_a_page_that_says_it_does_not_exist_is_a_soft_404(bad_site):
    base, _, report = bad_site
    assert broken_by_target(report)[f"{base}/soft.html"] == (200, "soft_404", "page")


def test_a_transient_503_is_retried(bad_site):
    base, routes, report = bad_site
    assert report.results[f"{base}/flaky.html"].status == 200
    assert routes["/flaky.html"].hits == 2


def test_broken_images_and_attachments_are_told_apart(bad_site):
    base, _, report = bad_site
    broken = broken_by_target(report)
    assert broken[f"{base}/img/missing.png"] == (404, None, "image")
    assert broken[f"{base}/files/missing.docx"] == (404, None, "attachment")
    assert f"{base}/img/ok.png" not in broken


def test_an_attachment_whose_server_refuses_head_is_fetched_with_get(bad_site):
    base, routes, report = bad_site
    assert report.results[f"{base}/files/notice.pdf"].status == 200
    assert routes["/files/notice.pdf"].hits == 2


def crawl_counting_hits(
    base: str, routes: dict[str, Route], config: CrawlConfig
) -> tuple[CrawlReport, dict[str, int]]:
    before = {path: route.hits for path, route in routes.items()}
    report = run(base + "/", config)
    return report, {path: route.hits - before[path] for path, route in routes.items()}


def test_a_crawl_over_two_processes_fetches_each_address_once_and_reports_the_same(bad_site):
    base, routes, _ = bad_site
    one, hits_one = crawl_counting_hits(base, routes, FAST)
    two, hits_two = crawl_counting_hits(base, routes, dataclasses.replace(FAST, processes=2))
    assert {url: dataclasses.replace(r, elapsed=0) for url, r in two.results.items()} == {
        url: dataclasses.replace(r, elapsed=0) for url, r in one.results.items()
    }
    assert sorted(map(dataclasses.astuple, two.links)) == sorted(
        map(dataclasses.astuple, one.links)
    )
    del hits_one["/flaky.html"], hits_two["/flaky.html"]  # 503 on its first hit only
    assert hits_two == hits_one
    assert hits_two["/ok.html"] == 1


def test_blocked_domains_are_reported_without_being_fetched(bad_site):
    base, _, _ = bad_site
    config = CrawlConfig(**{**FAST.__dict__, "blocked_domains": frozenset({"blocked.test"})})
    report = run(base + "/", config)
    assert broken_by_target(report)["http://casino.blocked.test/"][1] == "blocked_domain"


def test_connection_refused_on_an_external_link_is_reported(bad_site):
    _, _, report = bad_site
    assert broken_by_target(report)["http://127.0.0.1:1/"][1] == "refused"


def test_mail_and_script_links_are_not_checked(bad_site):
    _, _, report = bad_site
    assert not [t for t in report.results if not t.startswith("http")]
    assert not any("mailto" in link.target for link in report.links)


def test_every_broken_link_names_its_source_page_and_anchor(bad_site):
    base, _, report = bad_site
    (link,) = [b for b in report.broken_links() if b.target == f"{base}/img/missing.png"]
    assert (link.source, link.anchor) == (f"{base}/", "丢失的图片")


def test_robots_txt_that_forbids_everything_stops_the_crawl_at_the_start_page():
    routes = {
        "/robots.txt": Route(
            body=b"User-agent: *\nDisallow: /\n", headers={"Content-Type": "text/plain"}
        ),
        "/": page('<a href="/a.html">a</a>'),
        "/a.html": page("a"),
    }
    with ServerThread(routes) as base:
        report = run(base + "/")
    assert report.results[base + "/"].error == "robots"
    assert routes["/"].hits == 0
    assert routes["/a.html"].hits == 0
    assert report.broken_links() == []


def test_pages_listed_only_in_the_sitemap_are_crawled():
    sitemap = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/hidden.html</loc></url></urlset>'
    routes = {
        "/sitemap.xml": Route(body=sitemap, headers={"Content-Type": "application/xml"}),
        "/": page("首页"),
        "/hidden.html": page('<a href="/gone.html">x</a>'),
    }
    with ServerThread(routes) as base:
        report = run(base + "/")
    assert routes["/hidden.html"].hits == 1
    assert f"{base}/gone.html" in broken_by_target(report)


def test_max_pages_stops_following_but_still_checks_links():
    routes = {f"/{n}.html": page(f'<a href="/{n + 1}.html">下一页</a>') for n in range(20)}
    routes["/"] = page('<a href="/0.html">0</a>')
    with ServerThread(routes) as base:
        report = run(base + "/", CrawlConfig(**{**FAST.__dict__, "max_pages": 5}))
    assert report.pages == 5
    assert sum(route.hits for route in routes.values()) == 6


def test_an_https_link_to_a_plain_http_server_is_a_tls_error():
    with ServerThread({"/": page("x")}) as base:
        report = run(base.replace("http://", "https://") + "/")
    assert report.results[base.replace("http://", "https://") + "/"].error == "tls"


def test_dns_failures_are_classified_from_the_cause_httpx_wraps():
    try:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except socket.gaierror as exc:
            raise httpx.ConnectError("[Errno -2] Name or service not known") from exc
    except httpx.ConnectError as wrapped:
        assert classify_error(wrapped) == "dns"
    try:
        try:
            raise ssl.SSLCertVerificationError(1, "certificate verify failed")
        except ssl.SSLError as exc:
            raise httpx.ConnectError("handshake failed") from exc
    except httpx.ConnectError as wrapped:
        assert classify_error(wrapped) == "tls"
    refused = httpx.ConnectError("All connection attempts failed")
    refused.__cause__ = ConnectionRefusedError(111, "Connection refused")
    assert classify_error(refused) == "refused"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        (" /新闻 列表.html\n", "http://h.test/%E6%96%B0%E9%97%BB%20%E5%88%97%E8%A1%A8.html"),
        ("a%20b.html#top", "http://h.test/dir/a%20b.html"),
        ("HTTP://H.TEST:80/x?q=区 县", "http://h.test/x?q=%E5%8C%BA%20%E5%8E%BF"),
        ("mailto:a@b.test", None),
        ("#top", None),
        ("http://[::1", None),
    ],
)
def test_addresses_are_normalised_like_a_browser_sends_them(href, expected):
    assert normalize_url(href, "http://h.test/dir/page.html") == expected


def test_a_gbk_page_without_any_label_is_detected():
    body = html(
        "各镇街道办事处要认真落实政府网站管理办法，确保信息发布及时准确。" * 5, charset="gbk"
    )
    text, _ = decode_html(body.replace(b"<title>", b"<title>").replace(b"utf-8", b""), "")
    assert "政府网站管理办法" in text


def exchange_site() -> dict[str, Route]:
    big = gzip.compress(b"<p>" + b" " * (1024 * 1024) + b"</p>")
    routes = {
        "/": page('<a href="/a.html">甲</a>'),
        "/gz.html": Route(
            body=gzip.compress(html("压缩的页面")),
            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        ),
        "/big.html": Route(
            body=big, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
        ),
        "/flaky.html": Route(body=html("ok"), behaviour="flaky"),
        "/file.pdf": Route(
            body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}, behaviour="no_head"
        ),
        "/loop-a": Route(302, b"", {"Location": "/loop-b"}),
        "/loop-b": Route(302, b"", {"Location": "/loop-a"}),
    }
    for n in range(3):
        routes[f"/r/{n}"] = Route(301, b"", {"Location": f"/r/{n + 1}"})
    routes["/r/3"] = page("终点")
    return routes


def test_a_fetcher_given_an_httpx_transport_records_what_it_records_over_its_own_connections():
    async def exchanges(base: str, transport: httpx.AsyncBaseTransport | None) -> list[tuple]:
        async with FAST.fetcher(transport) as fetcher:
            results = [
                await fetcher.fetch(base + path)
                for path in ("/", "/missing.html", "/gz.html", "/big.html", "/flaky.html")
            ]
            results += [await fetcher.fetch(base + "/r/0"), await fetcher.fetch(base + "/loop-a")]
            results.append(await fetcher.check(base + "/file.pdf"))
            results.append(await fetcher.fetch(base + "/", headers={"If-None-Match": '"v1"'}))
        if transport is not None:
            await transport.aclose()  # the Fetcher leaves it to whoever made it
        # Each fetcher has its own server: addresses without the port.
        return [
            (
                r.status,
                r.error,
                r.final_url.removeprefix(base),
                [url.removeprefix(base) for url in r.redirects],
                r.content_type,
                r.truncated,
                r.body,
            )
            for r in results
        ]

    seen = {}
    hits = {}
    for name, transport in (("own", None), ("httpx", httpx.AsyncHTTPTransport(retries=0))):
        routes = exchange_site()
        routes["/"].headers["ETag"] = '"v1"'
        with ServerThread(routes) as base:
            seen[name] = asyncio.run(exchanges(base, transport))
            hits[name] = {path: route.hits for path, route in routes.items()}
    assert seen["httpx"] == seen["own"]
    assert hits["httpx"] == hits["own"]
    home, missing, gz, big, flaky, chain, loop, pdf, unchanged = seen["httpx"]
    assert home[0] == 200 and b"<title>" in home[6]
    assert missing[0] == 404
    assert gz[6] == html("压缩的页面")  # decompressed by the Fetcher, not by httpx
    assert (big[0], big[5], len(big[6])) == (200, True, FAST.max_bytes)
    assert (flaky[0], hits["httpx"]["/flaky.html"]) == (200, 2)  # retried through the transport
    assert (chain[0], chain[3]) == (200, ["/r/1", "/r/2", "/r/3"])
    assert loop[1] == "redirect_loop"
    assert (pdf[0], hits["httpx"]["/file.pdf"]) == (200, 2)  # HEAD refused, then GET
    assert unchanged[0] == 304
