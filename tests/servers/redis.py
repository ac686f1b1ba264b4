"""A throwaway Redis for tests: ``redis-server`` on a free 127.0.0.1 port, its working
directory a fresh temporary one, nothing persisted, its own process group, and the directory
removed on stop::

    with Redis() as redis:
        redis.url  # redis://127.0.0.1:PORT
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

from tests.servers.proc import Child, StartError, TempServer

INSTALL_HINT = "install Redis (Debian: apt-get install -y redis-server)"
_READY = "Ready to accept connections"  # our own log says so: the port is ours


def redis_binary() -> str | None:
    return shutil.which("redis-server") or next(
        (p for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if Path(p).exists()), None
    )


class Redis(TempServer):
    """One ``redis-server``. ``start()`` / ``stop()`` or a context manager."""

    name = "redis-server"
    workdir_prefix = "threadloom-redis-"

    def __init__(self, *, ready_timeout: float = 30.0) -> None:
        super().__init__(ready_timeout=ready_timeout)

    @property
    def url(self) -> str:
        if self.port is None:
            raise StartError("redis is not running")
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> Redis:
        binary = redis_binary()
        if binary is None:
            raise StartError(f"Redis is not installed: {INSTALL_HINT}")
        try:
            workdir = self.make_workdir()
            self.launch(
                lambda port: [
                    binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir),
                    "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--protected-mode", "yes",
                ],
                _ready, log_name="redis",
            )
        except BaseException:
            self.stop()
            raise
        return self


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
