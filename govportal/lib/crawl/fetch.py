"""One HTTP fetch as the crawler needs it: never an exception, always a result with a short
error kind, the redirect chain and, when asked, the body up to a size limit.

- Redirects are followed by hand so that every hop is recorded; a hop back to an address
  already in the chain is a loop, more than ``max_redirects`` hops is a chain too long.
- Each host gets at most ``per_host`` requests at once and, with ``rate``, at most that many
  request starts per second.
- The whole exchange (connect, headers, body) has a deadline, so a server that drips one byte
  a second cannot hold a worker.
- Bodies are read as raw bytes and decompressed here with a cap on the output, so a small gzip
  bomb cannot inflate to gigabytes; an endless body stops at the limit.
- Transient failures (connection dropped, 429, 502, 503, 504) are retried with back-off.
- Given an httpx ``transport``, each exchange goes through it instead of the network (the
  monitoring app's in-process crawl hands requests to Django in the same process); everything
  above applies the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import select
import socket
import ssl
import time
import zlib
from collections.abc import AsyncIterable, AsyncIterator, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpcore
import httpx

from govportal.lib.crawl.urls import host_of, normalize_url

__all__ = ["ERROR_LABELS", "USER_AGENT", "FetchResult", "Fetcher", "classify_error"]

USER_AGENT = "Mozilla/5.0 (compatible; govportal-crawler/1.0)"
ROBOTS_AGENT = "govportal-crawler"
_DEFAULT_PORTS = {"http": 80, "https": 443}
# What every request sends besides Host, over the network and through a transport alike.
_REQUEST_HEADERS = (
    ("Accept", "*/*"),
    ("Accept-Encoding", "gzip, deflate"),
    ("User-Agent", USER_AGENT),
)
_REQUEST_HEADERS_RAW = tuple((name.encode(), value.encode()) for name, value in _REQUEST_HEADERS)
_HOST = re.compile(r"^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")

# Error kinds and how the admin and the command name them.
ERROR_LABELS = {
    "timeout": "访问超时",
    "dns": "域名无法解析",
    "tls": "安全证书或加密连接错误",
    "refused": "服务器拒绝连接",
    "connect": "无法连接",
    "protocol": "服务器响应不完整或不合规范",
    "redirect_loop": "重定向循环",
    "too_many_redirects": "重定向次数过多",
    "bad_redirect": "重定向地址无效",
    "soft_404": "页面显示“不存在”（软404）",
    "blocked_domain": "链接到禁止链接的网站",
    "invalid_url": "链接地址无效",
    "robots": "robots.txt 禁止抓取",
    "too_large": "内容超过大小限制，已截断",
    "bad_encoding": "内容压缩格式错误",
    "other": "其他错误",
}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
_TRANSIENT_ERRORS = frozenset({"protocol"})
# Servers that refuse HEAD or answer it wrongly: ask again with GET.
_HEAD_FALLBACK = frozenset({400, 403, 405, 501})


@dataclass(slots=True)
class FetchResult:
    url: str
    status: int | None = None  # the last response's status
    error: str | None = None  # one of ERROR_LABELS
    final_url: str = ""
    redirects: list[str] = field(default_factory=list)  # every address after the first
    content_type: str = ""
    body: bytes | None = None  # only when asked for, and only for HTML
    truncated: bool = False
    elapsed: float = 0.0  # seconds, the whole chain
    etag: str = ""
    last_modified: str = ""
    location: str = ""

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.body).hexdigest() if self.body is not None else ""

    @property
    def is_html(self) -> bool:
        kind = self.content_type.split(";")[0].strip().lower()
        return kind in ("text/html", "application/xhtml+xml") or (not kind and bool(self.body))


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def classify_error(exc: BaseException) -> str:
    """The error kind of an exception raised while fetching (httpx wraps the OS error)."""
    if isinstance(exc, httpx.TimeoutException | httpcore.TimeoutException | TimeoutError):
        return "timeout"
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol | httpcore.UnsupportedProtocol):
        return "invalid_url"
    for cause in _chain(exc):
        if isinstance(cause, socket.gaierror):
            return "dns"
        if isinstance(cause, ssl.SSLError | ssl.CertificateError):
            return "tls"
        if isinstance(cause, ConnectionRefusedError):
            return "refused"
    text = str(exc).lower()
    if "name or service not known" in text or "nodename nor servname" in text:
        return "dns"
    if "certificate" in text or "ssl" in text or "tls" in text:
        return "tls"
    if "refused" in text:
        return "refused"
    if isinstance(exc, httpx.ConnectError | httpcore.ConnectError):
        return "connect"
    if isinstance(
        exc,
        httpx.RemoteProtocolError
        | httpx.ReadError
        | httpx.WriteError
        | httpcore.RemoteProtocolError
        | httpcore.ReadError
        | httpcore.WriteError,
    ):
        return "protocol"
    if isinstance(exc, zlib.error):
        return "bad_encoding"
    return "other"


class _BodyTooLarge(Exception):
    pass


class _Stream(httpcore.AsyncNetworkStream):
    """A connection as httpcore's HTTP/1.1 state machine reads and writes it, on asyncio
    streams: anyio's wrapper (the default backend) cost more per request than h11 itself."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            self._writer.write(buffer)
            async with asyncio.timeout(timeout):
                await self._writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from exc

    async def aclose(self) -> None:
        self._writer.close()

    def get_extra_info(self, info: str) -> object:
        if info == "is_readable":
            # An idle keep-alive connection with something to read has been closed by the server.
            transport = self._writer.transport
            return (
                self._reader.at_eof()
                or transport.is_closing()
                or _readable(transport.get_extra_info("socket"))
            )
        return self._writer.get_extra_info(info)


def _readable(sock: socket.socket | None) -> bool:
    if sock is None:
        return True
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLIN)
    return bool(poller.poll(0))


_Origin = tuple[str, str, int]  # scheme, host, port


class _Connections:
    """Keep-alive HTTP/1.1 connections, one request at a time each, idle ones kept per origin.

    Not httpx's client: building its Request and Response objects, its cookie jar and
    httpcore's pool (which scans every connection, with a poll() each, for every request it
    starts and ends) cost ten times what the bytes on the wire do. httpx remains the client
    library; this uses its own transport layer, httpcore, with a plain dict of idle
    connections (the per-host semaphore of ``Fetcher`` already caps connections per host).
    """

    KEEPALIVE = 5.0  # seconds an idle connection is kept, as httpx does

    def __init__(self, tls: ssl.SSLContext, max_idle: int) -> None:
        self.tls = tls
        self.max_idle = max_idle
        self.idle: dict[_Origin, list[httpcore.AsyncHTTP11Connection]] = {}
        self.idle_count = 0

    async def connect(self, origin: _Origin, timeout: float) -> httpcore.AsyncHTTP11Connection:
        scheme, host, port = origin
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host.strip("[]"),
                    port,
                    ssl=self.tls if scheme == "https" else None,
                    server_hostname=host.strip("[]") if scheme == "https" else None,
                    limit=1 << 16,
                )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:  # refused, DNS (socket.gaierror), TLS (ssl.SSLError)
            raise httpcore.ConnectError(str(exc)) from exc
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return httpcore.AsyncHTTP11Connection(
            origin=httpcore.Origin(scheme.encode(), host.encode(), port),
            stream=_Stream(reader, writer),
            keepalive_expiry=self.KEEPALIVE,
        )

    async def take_idle(self, origin: _Origin) -> httpcore.AsyncHTTP11Connection | None:
        idle = self.idle.get(origin)
        while idle:
            connection = idle.pop()
            self.idle_count -= 1
            if not connection.has_expired():
                return connection
            await connection.aclose()
        return None

    async def give_back(self, origin: _Origin, connection: httpcore.AsyncHTTP11Connection) -> None:
        if connection.is_idle() and self.idle_count < self.max_idle:
            self.idle.setdefault(origin, []).append(connection)
            self.idle_count += 1
        elif not connection.is_closed():
            await connection.aclose()

    async def aclose(self) -> None:
        for connections in self.idle.values():
            for connection in connections:
                await connection.aclose()
        self.idle.clear()
        self.idle_count = 0


def _origin_and_target(url: str) -> tuple[_Origin, str]:
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme not in ("http", "https") or not _HOST.match(parts.netloc):
        raise httpcore.UnsupportedProtocol(f"not an address the crawler fetches: {url!r}")
    port = parts.port or (443 if scheme == "https" else 80)
    host = parts.netloc.rpartition(":")[0] if parts.port else parts.netloc
    target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    return (scheme, host, port), target


class Fetcher:
    """Shared by all requests of one crawl; use as ``async with Fetcher(...) as fetcher``.

    ``transport`` (an httpx transport, e.g. ``httpx.WSGITransport``) replaces the network; the
    Fetcher does not close it, whoever made it does."""

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        deadline: float = 30.0,
        max_bytes: int = 5 * 1024 * 1024,
        max_redirects: int = 10,
        per_host: int = 8,
        rate: float | None = None,
        retries: int = 2,
        backoff: float = 0.5,
        verify_tls: bool = True,
        pool: int = 100,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.pool = pool
        self.transport = transport
        self.timeout = timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.per_host = per_host
        self.rate = rate
        self.retries = retries
        self.backoff = backoff
        self.verify_tls = verify_tls
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._connections: _Connections | None = None
        self._timeouts = {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}

    async def __aenter__(self) -> Fetcher:
        if self.transport is not None:
            return self
        tls = httpx.create_ssl_context(verify=self.verify_tls)  # loading CA files is slow: once
        tls.set_alpn_protocols(["http/1.1"])
        self._connections = _Connections(tls, max_idle=self.pool)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._connections is not None:
            await self._connections.aclose()
        self._connections = None

    @contextlib.asynccontextmanager
    async def _slot(self, host: str) -> AsyncIterator[None]:
        slot = self._host_slots.get(host)
        if slot is None:
            slot = self._host_slots[host] = asyncio.Semaphore(self.per_host)
        async with slot:
            if self.rate:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + 1.0 / self.rate
                if start > now:
                    await asyncio.sleep(start - now)
            yield

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        read_body: bool = True,
        any_type: bool = False,
        headers: dict[str, str] | None = None,
    ) -> FetchResult:
        """Fetch ``url``; with ``read_body`` the body of an HTML answer is read (up to the limit)."""
        started = time.monotonic()
        result = FetchResult(url=url, final_url=url)
        current = url
        visited = {url}
        for _ in range(self.max_redirects + 1):
            await self._one(result, method, current, read_body, any_type, headers)
            result.final_url = current
            if result.error or result.status not in _REDIRECTS:
                break
            location = result.location
            target = normalize_url(location, current) if location else None
            if target is None:
                result.error = "bad_redirect"
                break
            result.redirects.append(target)
            if target in visited:
                result.error = "redirect_loop"
                break
            visited.add(target)
            current = target
            if result.status == 303:
                method = "GET"
        else:
            result.error = "too_many_redirects"
        result.elapsed = time.monotonic() - started
        return result

    async def check(self, url: str, *, read_body: bool = False) -> FetchResult:
        """HEAD, then GET when the server will not answer HEAD (a link check)."""
        result = await self.fetch(url, method="HEAD", read_body=False)
        if result.error is None and result.status in _HEAD_FALLBACK:
            result = await self.fetch(url, method="GET", read_body=read_body)
        return result

    async def _one(
        self,
        result: FetchResult,
        method: str,
        url: str,
        read_body: bool,
        any_type: bool,
        headers: dict[str, str] | None,
    ) -> None:
        for attempt in range(self.retries + 1):
            result.error = None
            result.status = None
            result.body = None
            result.truncated = False
            try:
                async with self._slot(host_of(url)), asyncio.timeout(self.deadline):
                    await self._exchange(result, method, url, read_body, any_type, headers)
            except _BodyTooLarge:
                result.truncated = True
            except Exception as exc:  # every failure becomes a recorded kind, never a crash
                result.error = classify_error(exc)
            transient = result.error in _TRANSIENT_ERRORS or result.status in _TRANSIENT_STATUSES
            if not transient or attempt == self.retries:
                return
            await asyncio.sleep(self.backoff * 2**attempt)

    async def _exchange(
        self,
        result: FetchResult,
        method: str,
        url: str,
        read_body: bool,
        any_type: bool,
        headers: dict[str, str] | None,
    ) -> None:
        if self.transport is not None:
            await self._exchange_via(
                self.transport, result, method, url, read_body, any_type, headers
            )
            return
        connections = self._connections
        if connections is None:
            raise RuntimeError("use Fetcher as an async context manager")
        origin, target = _origin_and_target(url)
        scheme, host, port = origin
        request_headers = [
            (b"Host", (host if port == _DEFAULT_PORTS[scheme] else f"{host}:{port}").encode()),
            *_REQUEST_HEADERS_RAW,
        ]
        for name, value in (headers or {}).items():
            request_headers.append((name.encode("latin-1"), value.encode("latin-1")))
        request = httpcore.Request(
            method.encode(),
            httpcore.URL(
                scheme=scheme.encode(), host=host.encode(), port=port, target=target.encode()
            ),
            headers=request_headers,
            extensions={"timeout": self._timeouts},
        )
        response = None
        connection = await connections.take_idle(origin)
        if connection is not None:
            try:
                response = await connection.handle_async_request(request)
            except (httpcore.ReadError, httpcore.WriteError, httpcore.RemoteProtocolError):
                # A kept-alive connection the server closed meanwhile: ask on a new one.
                await connection.aclose()
        if connection is None or response is None:
            connection = await connections.connect(origin, self.timeout)
            response = await connection.handle_async_request(request)
        try:
            await self._read(
                result, method, response.status, response.headers, response.aiter_stream(),
                read_body, any_type,
            )  # fmt: skip
        finally:
            await response.aclose()
            await connections.give_back(origin, connection)

    async def _exchange_via(
        self,
        transport: httpx.AsyncBaseTransport,
        result: FetchResult,
        method: str,
        url: str,
        read_body: bool,
        any_type: bool,
        headers: dict[str, str] | None,
    ) -> None:
        # The same request headers as on the network (httpx adds Host from the address).
        request = httpx.Request(
            method,
            url,
            headers=[*_REQUEST_HEADERS, *(headers or {}).items()],
            extensions={"timeout": self._timeouts},
        )
        response = await transport.handle_async_request(request)
        try:
            # The raw stream: _read caps and decompresses it as it does a network body.
            await self._read(
                result, method, response.status_code, response.headers.raw,
                response.aiter_raw(), read_body, any_type,
            )  # fmt: skip
        finally:
            await response.aclose()

    async def _read(
        self,
        result: FetchResult,
        method: str,
        status: int,
        response_headers: list[tuple[bytes, bytes]],
        chunks: AsyncIterable[bytes],
        read_body: bool,
        any_type: bool,
    ) -> None:
        result.status = status
        found = {"location": "", "content-type": "", "etag": "", "last-modified": ""}
        encoding = ""
        for raw_name, raw_value in response_headers:
            name = raw_name.decode("latin-1").lower()
            if name in found and not found[name]:
                found[name] = raw_value.decode("latin-1").strip()
            elif name == "content-encoding":
                encoding = raw_value.decode("latin-1").strip().lower()
        result.location = found["location"]
        result.content_type = found["content-type"]
        result.etag = found["etag"]
        result.last_modified = found["last-modified"]
        if not read_body or method == "HEAD" or not (200 <= status < 300):
            return
        kind = result.content_type.split(";")[0].strip().lower()
        if kind and kind not in ("text/html", "application/xhtml+xml") and not any_type:
            return  # an attachment or an image: its status is all a link check needs
        decompressor = (
            zlib.decompressobj(zlib.MAX_WBITS | 32)
            if encoding in ("gzip", "x-gzip", "deflate")
            else None
        )
        body = bytearray()
        result.body = b""
        async for chunk in chunks:
            if decompressor is not None:
                room = self.max_bytes - len(body) + 1
                data = decompressor.decompress(chunk, room)
                body += data
                if decompressor.unconsumed_tail:
                    result.body = bytes(body[: self.max_bytes])
                    raise _BodyTooLarge
            else:
                body += chunk
            if len(body) > self.max_bytes:
                result.body = bytes(body[: self.max_bytes])
                raise _BodyTooLarge
        result.body = bytes(body)
