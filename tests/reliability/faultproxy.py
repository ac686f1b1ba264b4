"""A small loopback TCP proxy that injects network faults between a client and a real server.

It forwards bytes both ways and, on demand, delays answers, drops a connection after the
request was forwarded (the answer is lost), resets a connection (RST), or closes a kept-alive
connection that sat idle too long when the next request arrives on it (as a server whose
keep-alive timer fires just then does: the request is never seen). It runs its own
event loop in a thread so sync and async tests can use it alike; every loop is bounded and it
listens on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Faults:
    delay: float = 0.0  # seconds to hold each chunk of an answer before passing it on
    lose_answers: int = 0  # next N requests: forward to the server, then reset instead of answering
    reset_next: int = 0  # next N requests: reset (RST) the connection as soon as they arrive
    stale_after: float = 0.0  # >0: a request on a connection idle this long is closed unseen
    injected: int = 0
    log: list[str] = field(default_factory=list)


class FaultProxy:
    def __init__(
        self,
        upstream_port: int,
        upstream_host: str = "127.0.0.1",
        *,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.tls = tls
        self.faults = Faults()
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._lock = threading.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._serve(), self._loop)
        self.port = future.result(timeout=5)
        return self

    def stop(self) -> None:
        async def close() -> None:
            for task in list(self._tasks):
                task.cancel()
            if self._server is not None:
                self._server.close()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._server.wait_closed(), 2)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def set(self, **changes: float | int) -> None:
        with self._lock:
            for key, value in changes.items():
                setattr(self.faults, key, value)

    def _take(self, name: str) -> bool:
        with self._lock:
            left = getattr(self.faults, name)
            if left > 0:
                setattr(self.faults, name, left - 1)
                self.faults.injected += 1
                self.faults.log.append(name)
                return True
            return False

    async def _serve(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, ssl=self.tls)
        return int(self._server.sockets[0].getsockname()[1])

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        state: dict[str, float] = {"lose": False, "last": time.monotonic()}
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        try:
            await asyncio.gather(
                self._requests(reader, up_writer, writer, state),
                self._answers(up_reader, writer, state),
            )
        except Exception:  # a broken pipe is the point of this proxy
            pass
        finally:
            for w in (writer, up_writer):
                with contextlib.suppress(Exception):
                    w.close()
            if task is not None:
                self._tasks.discard(task)

    async def _requests(
        self,
        reader: asyncio.StreamReader,
        upstream: asyncio.StreamWriter,
        client: asyncio.StreamWriter,
        state: dict[str, float],
    ) -> None:
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                break
            stale = self.faults.stale_after
            if stale and time.monotonic() - state["last"] >= stale:
                with self._lock:
                    self.faults.injected += 1
                    self.faults.log.append("stale")
                client.close()  # a plain close (FIN), as the server's keep-alive timeout does
                upstream.close()
                return
            state["last"] = time.monotonic()
            if self._take("reset_next"):
                _reset(client)
                _reset(upstream)
                return
            if self._take("lose_answers"):
                state["lose"] = True
            upstream.write(chunk)
            await upstream.drain()
        with contextlib.suppress(Exception):
            upstream.write_eof()

    async def _answers(
        self, reader: asyncio.StreamReader, client: asyncio.StreamWriter,
        state: dict[str, float],
    ) -> None:
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                break
            if state["lose"]:
                _reset(client)
                return
            if self.faults.delay:
                with self._lock:
                    self.faults.injected += 1
                    self.faults.log.append("delay")
                await asyncio.sleep(self.faults.delay)
            client.write(chunk)
            await client.drain()
            state["last"] = time.monotonic()
        with contextlib.suppress(Exception):
            client.write_eof()


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
