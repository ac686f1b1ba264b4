"""The stock Agent Server (``langgraph-api``) on the Postgres + Redis runtime
(``langgraph-runtime-pg``, loaded by ``LANGGRAPH_RUNTIME_EDITION=pg``), serving the bundled demo
graph as ``agent``: what production deployments run, as opposed to ``langgraph dev``.

Each server owns a Postgres cluster and a Redis (tests/servers/postgres.py, redis.py), a fresh
temporary directory holding the graph, and a ``uvicorn langgraph_api.server:app`` process on a
free 127.0.0.1 port in its own process group. The runtime migrates its schema on start. The
interface is :class:`tui.demo.server.LocalServer`'s (``url``, ``log()``, ``start()`` /
``stop()``, ``kill()`` then ``start(port=...)`` to restart on the same data), so fixtures can use
either. Nothing is left behind: stop removes every directory.

Install: ``pip install -e ".[dev,pg]"`` then ``pip install --no-deps -r
tests/servers/requirements-pg.txt`` (the runtime pins an older ``langgraph-api``; installed with
its dependencies it would downgrade ours, so its real needs are the ``pg`` extra instead).
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import signal
import sys
import tempfile
from functools import partial
from pathlib import Path
from types import TracebackType

import httpx

from tests.servers.postgres import Postgres
from tests.servers.proc import Child, StartError
from tests.servers.redis import Redis
from tui.demo.server import GRAPH_DIR, free_port, server_env

REQUIREMENTS = Path(__file__).parent / "requirements-pg.txt"
INSTALL_HINT = f'pip install -e ".[dev,pg]" && pip install --no-deps -r {REQUIREMENTS}'
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def pg_runtime_installed() -> bool:
    names = ("langgraph_api", "langgraph_runtime_pg", "psycopg", "redis")
    return all(importlib.util.find_spec(name) is not None for name in names)


class PgAgentServer:
    """An Agent Server on Postgres + Redis. Use as a context manager, or start() / stop()."""

    def __init__(self, graph_dir: Path = GRAPH_DIR, *, ready_timeout: float = 90.0) -> None:
        self.graph_dir = graph_dir
        self.ready_timeout = ready_timeout
        self.workdir: Path | None = None
        self.port: int | None = None
        self.postgres: Postgres | None = None
        self.redis: Redis | None = None
        self._child: Child | None = None
        self._log_path: Path | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise StartError("the server is not running")
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child else None

    def log(self) -> str:
        """The Agent Server's log (ANSI colours removed)."""
        if self._log_path and self._log_path.exists():
            return _ANSI.sub("", self._log_path.read_text(errors="replace"))
        return ""

    def start(self, port: int | None = None) -> PgAgentServer:
        """Start on ``port`` (a free one when None). After :meth:`kill`, starting again keeps
        the same Postgres and Redis, so the restarted server has the same data."""
        if not pg_runtime_installed():
            raise StartError(f"the Postgres Agent Server runtime is not installed: {INSTALL_HINT}")
        try:
            if self.workdir is None:
                self.workdir = Path(tempfile.mkdtemp(prefix="threadloom-agent-pg-"))
                shutil.copy(self.graph_dir / "agent.py", self.workdir / "agent.py")
            if self.postgres is None:
                self.postgres = Postgres(database="threadloom").start()
            if self.redis is None:
                self.redis = Redis().start()
            self._launch_api(port)
        except BaseException:
            self.stop()
            raise
        return self

    def _launch_api(self, port: int | None) -> None:
        assert self.workdir is not None and self.postgres is not None and self.redis is not None
        env = server_env()
        env.update({
            "LANGGRAPH_RUNTIME_EDITION": "pg",
            "DATABASE_URI": self.postgres.url,
            "REDIS_URI": self.redis.url,
            "LANGSERVE_GRAPHS": json.dumps({"agent": f"{self.workdir / 'agent.py'}:graph"}),
            "LANGGRAPH_ALLOW_BLOCKING": "true",
        })
        attempts = 1 if port is not None else 3  # a free port can be taken before the bind
        for attempt in range(attempts):
            chosen = port if port is not None else free_port()
            self._log_path = self.workdir / f"agent-{chosen}.log"
            cmd = [sys.executable, "-m", "uvicorn", "langgraph_api.server:app",
                   "--host", "127.0.0.1", "--port", str(chosen), "--no-access-log"]
            child = Child("the Agent Server (pg)", cmd, self._log_path, env=env, cwd=self.workdir)
            self._child, self.port = child, chosen
            try:
                child.wait_ready(partial(self._ready, child, chosen), self.ready_timeout)
                return
            except StartError as error:
                child.stop()
                self._child = None
                if "address already in use" not in str(error) or attempt == attempts - 1:
                    raise

    def _ready(self, child: Child, port: int) -> bool:
        """Our own process says it listens on the port (not a stranger), and /ok answers."""
        return f"Uvicorn running on http://127.0.0.1:{port}" in child.log() and self._ok()

    def _ok(self) -> bool:
        try:
            response = httpx.get(f"{self.url}/ok", timeout=1.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Kill the Agent Server abruptly (for fault tests); Postgres and Redis keep running."""
        if self._child is not None:
            self._child.kill(sig)
            self._child = None

    def stop(self) -> None:
        """Stop the Agent Server, Redis and Postgres; remove every directory. Safe twice."""
        if self._child is not None:
            self._child.stop()
            self._child = None
        for service in (self.redis, self.postgres):
            if service is not None:
                service.stop()
        self.redis = self.postgres = None
        self.port = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self) -> PgAgentServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
