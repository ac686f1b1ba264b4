"""A throwaway Redis for tests: ``redis-server`` on a free 127.0.0.1 port, its working
directory a fresh temporary one, nothing persisted, its own process group, and the directory
removed on stop::

    with Redis() as redis:
        redis.url  # redis://127.0.0.1:PORT
"""

from __future__ import annotations

import shutil
import socket
import tempfile
from functools import partial
from pathlib import Path
from types import TracebackType

from tests.servers.proc import Child, StartError
from tui.demo.server import free_port

INSTALL_HINT = "install Redis (Debian: apt-get install -y redis-server)"
_READY = "Ready to accept connections"  # our own log says so: the port is ours


def redis_binary() -> str | None:
    return shutil.which("redis-server") or next(
        (p for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if Path(p).exists()), None
    )


class Redis:
    """One ``redis-server``. ``start()`` / ``stop()`` or a context manager."""

    def __init__(self, *, ready_timeout: float = 30.0) -> None:
        self.ready_timeout = ready_timeout
        self.workdir: Path | None = None
        self.port: int | None = None
        self._child: Child | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise StartError("redis is not running")
        return f"redis://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child else None

    def log(self) -> str:
        return self._child.log() if self._child else ""

    def start(self) -> Redis:
        binary = redis_binary()
        if binary is None:
            raise StartError(f"Redis is not installed: {INSTALL_HINT}")
        self.workdir = Path(tempfile.mkdtemp(prefix="threadloom-redis-"))
        try:
            self._launch(binary)
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self, binary: str) -> None:
        assert self.workdir is not None
        last_error: StartError | None = None
        for _ in range(3):  # a free port can be taken between the probe and the bind
            port = free_port()
            cmd = [
                binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(self.workdir),
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
            ]
            child = Child("redis-server", cmd, self.workdir / f"redis-{port}.log")
            self._child, self.port = child, port
            try:
                child.wait_ready(partial(_ready, child, port), self.ready_timeout)
                return
            except StartError as error:
                last_error = error
                child.stop()
                if "in use" not in str(error):
                    raise
        assert last_error is not None
        raise last_error

    def stop(self) -> None:
        """Stop the server and remove its directory. Safe to call twice."""
        if self._child is not None:
            self._child.stop()
            self._child = None
        self.port = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self) -> Redis:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _ready(child: Child, port: int) -> bool:
    return _READY in child.log() and _pong(port)


def _pong(port: int) -> bool:
    """A raw RESP ``PING`` (no client library needed)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False
