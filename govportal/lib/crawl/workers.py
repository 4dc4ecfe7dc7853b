"""Helper processes for ``crawl``: each visits the addresses the crawl hands it and sends back
what it found, so that fetching and parsing use more than one core.

The crawl's own process keeps the only list of known addresses: it decides what is visited,
once, and by whom, exactly as with one process, so the report does not depend on the number
of processes. A helper is only a remote ``Visitor``; the messages are pickled tuples on a
socket pair, one per address each way.

A helper starts in a fresh interpreter (``python -m govportal.lib.crawl.workers``: forking a
process that runs an event loop, and perhaps other threads, is unsafe, and multiprocessing's
``spawn`` would import the caller's main module again). The crawl does not wait for it: its own workers start
at once and the helper's share of the work begins when it has started. If a helper dies, the
addresses it held are visited by the crawl's own process.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import pickle
import socket
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

from govportal.lib.crawl.extract import FoundLink

__all__ = ["HelperGone", "RemoteVisitor"]

_LENGTH = struct.Struct("!I")


class HelperGone(Exception):
    """The helper process ended before answering."""


async def _read_message(reader: asyncio.StreamReader) -> Any:
    size = _LENGTH.unpack(await reader.readexactly(_LENGTH.size))[0]
    return pickle.loads(await reader.readexactly(size))  # noqa: S301 - our own child process


def _write_message(writer: asyncio.StreamWriter, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    writer.write(_LENGTH.pack(len(data)) + data)


async def _open(sock: socket.socket) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection(sock=sock, limit=1 << 22)


class RemoteVisitor:
    """``visit`` as in ``Visitor``, done in a helper process."""

    def __init__(self, config: object, start_url: str) -> None:
        ours, theirs = socket.socketpair()
        root = str(Path(__file__).resolve().parents[3])  # the directory of the govportal package
        path = os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        self._process = subprocess.Popen(  # noqa: S603 - this interpreter, our own module
            [sys.executable, "-m", "govportal.lib.crawl.workers", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            env={**os.environ, "PYTHONPATH": path},
        )
        theirs.close()
        self._socket = ours
        self._setup = (config, start_url)
        self._pending: dict[str, asyncio.Future[tuple[Any, list[FoundLink]]]] = {}
        self._writer: asyncio.StreamWriter | None = None
        self._reading: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._gone = False

    async def start(self) -> None:
        reader, self._writer = await _open(self._socket)
        _write_message(self._writer, self._setup)
        self._reading = asyncio.create_task(self._read_answers(reader))

    async def _read_answers(self, reader: asyncio.StreamReader) -> None:
        from govportal.lib.crawl.crawler import UrlResult

        fields = [f.name for f in dataclasses.fields(UrlResult)]
        try:
            while True:
                message = await _read_message(reader)
                if message == "ready":
                    self._ready.set()
                    continue
                url, values, links = message
                future = self._pending.pop(url, None)
                if future is not None and not future.done():
                    result = UrlResult(**dict(zip(fields, values, strict=True)))
                    future.set_result((result, [FoundLink(*link) for link in links]))
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        finally:
            self._gone = True
            self._ready.set()
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(HelperGone())
            self._pending.clear()

    async def wait_ready(self) -> bool:
        await self._ready.wait()
        return not self._gone

    async def visit(self, url: str, kind: str) -> tuple[Any, list[FoundLink]]:
        if self._gone or self._writer is None:
            raise HelperGone()
        future: asyncio.Future[tuple[Any, list[FoundLink]]] = (
            asyncio.get_running_loop().create_future()
        )
        self._pending[url] = future
        _write_message(self._writer, (url, kind))
        return await future

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._reading is not None:
            self._reading.cancel()
            await asyncio.gather(self._reading, return_exceptions=True)
        try:
            await asyncio.wait_for(asyncio.to_thread(self._process.wait), 10)
        except TimeoutError:
            self._process.kill()
            await asyncio.to_thread(self._process.wait)


async def _helper(fd: int) -> None:
    from govportal.lib.crawl.crawler import SiteScope, UrlResult, Visitor

    fields = [f.name for f in dataclasses.fields(UrlResult)]
    reader, writer = await _open(socket.socket(fileno=fd))
    config, start_url = await _read_message(reader)
    tasks: set[asyncio.Task[None]] = set()

    async with config.fetcher() as fetcher:
        visitor = Visitor(fetcher, config, SiteScope(start_url, config.extra_hosts))

        async def one(url: str, kind: str) -> None:
            result, links = await visitor.visit(url, kind)
            values = tuple(getattr(result, name) for name in fields)
            _write_message(
                writer, (url, values, [(link.url, link.anchor, link.tag) for link in links])
            )

        _write_message(writer, "ready")
        try:
            while True:
                url, kind = await _read_message(reader)
                task = asyncio.create_task(one(url, kind))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass  # the crawl is over (or gone): stop
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    writer.close()


if __name__ == "__main__":
    asyncio.run(_helper(int(sys.argv[1])))
