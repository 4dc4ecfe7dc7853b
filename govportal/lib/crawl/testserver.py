"""A small HTTP/1.1 server on 127.0.0.1 for the crawler's tests and bench.

Each path maps to a ``Route``: a fixed answer, or one of the misbehaviours the crawler must
survive (never answering, an endless body). Keep-alive is supported, so a crawl of thousands
of pages is not slowed by the server. Runs in a thread with its own event loop
(``ServerThread``) or as the main loop of a process (``serve_forever``).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

__all__ = ["Route", "ServerThread", "serve_forever"]

_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    404: "Not Found",
    405: "Method Not Allowed",
    410: "Gone",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    behaviour: str = ""  # "", "hang", "endless", "no_head", "flaky" (503 on the first hit)
    hits: int = 0


Handler = Callable[[asyncio.StreamWriter, str, str], Awaitable[None]]


class _Server:
    def __init__(self, routes: dict[str, Route], fallback: Route | None = None) -> None:
        self.routes = routes
        self.fallback = fallback or Route(404, b"<title>404</title>")

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            first = await reader.readexactly(1)
            if first == b"\x16":  # a TLS handshake on this plain port: answer as nginx does
                writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
                return
            while True:
                head = first + await reader.readuntil(b"\r\n\r\n")
                first = b""
                lines = head.decode("latin-1").split("\r\n")
                method, target, _version = [*lines[0].split(" "), "", "", ""][:3]
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                path = unquote(target.split("?")[0], encoding="utf-8", errors="replace")
                query = target.partition("?")[2]
                key = path + ("?" + unquote(query) if query else "")
                route = self.routes.get(key) or self.routes.get(path) or self.fallback
                route.hits += 1
                if not await self.answer(writer, method, route, headers):
                    break
        except (
            asyncio.IncompleteReadError,
            asyncio.CancelledError,
            ConnectionError,
            asyncio.LimitOverrunError,
        ):
            pass
        finally:
            writer.close()

    async def answer(
        self, writer: asyncio.StreamWriter, method: str, route: Route, headers: dict[str, str]
    ) -> bool:
        if route.behaviour == "hang":
            await asyncio.sleep(3600)
            return False
        status, body = route.status, route.body
        if route.behaviour == "flaky" and route.hits == 1:
            status = 503
        if route.behaviour == "no_head" and method == "HEAD":
            status, body = 405, b""
        etag = route.headers.get("ETag")
        if etag and headers.get("if-none-match") == etag:
            status, body = 304, b""
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        lines += [f"{name}: {value}" for name, value in route.headers.items()]
        if route.behaviour == "endless":
            writer.write(("\r\n".join([*lines, "Connection: close", "", ""])).encode("latin-1"))
            chunk = b"<p>" + b"x" * 65_536 + b"</p>\n"
            while True:  # the client stops reading; the write then fails
                writer.write(chunk)
                await writer.drain()
        lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join([*lines, "", ""])).encode("latin-1"))
        if method != "HEAD":
            writer.write(body)
        await writer.drain()
        return True


async def _start(server: _Server, port: int = 0) -> asyncio.Server:
    return await asyncio.start_server(server.handle, "127.0.0.1", port, limit=1 << 16)


class ServerThread:
    """``with ServerThread(routes) as base_url:`` serves until the block ends."""

    def __init__(self, routes: dict[str, Route], fallback: Route | None = None) -> None:
        self.server = _Server(routes, fallback)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.port = 0

    def __enter__(self) -> str:
        self.thread.start()
        started = asyncio.run_coroutine_threadsafe(_start(self.server), self.loop).result(10)
        self._asyncio_server = started
        self.port = started.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc_info: object) -> None:
        async def stop() -> None:
            self._asyncio_server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        if not self.thread.is_alive():
            self.loop.close()


def serve_forever(
    routes: dict[str, Route],
    port: int,
    ready: Callable[[int], None] | None = None,
    fallback: Route | None = None,
) -> None:
    """Serve in this process until it is killed (the bench runs the site in a child process)."""

    async def main() -> None:
        server = await _start(_Server(routes, fallback), port)
        if ready is not None:
            ready(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())
