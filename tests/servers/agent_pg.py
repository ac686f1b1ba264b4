"""The stock Agent Server (``langgraph-api``) on the Postgres + Redis runtime
(``langgraph-runtime-pg``, loaded by ``LANGGRAPH_RUNTIME_EDITION=pg``), serving the bundled demo
graph as ``agent``: what production deployments run, as opposed to ``langgraph dev``.

Each server owns a Postgres cluster and a Redis (tests/servers/postgres.py, redis.py), a fresh
temporary directory holding the graph, and a ``uvicorn langgraph_api.server:app`` process on a
free 127.0.0.1 port in its own process group. The runtime migrates its schema on start. The
interface is :class:`tui.demo.server.LocalServer`'s (``url``, ``log()``, ``start()`` /
``stop()``, ``kill()`` then ``start(port=...)`` to restart on the same data), so fixtures can use
either. Nothing is left behind: stop removes every directory.

The server runs in an interpreter of its own, ``.venv-pg`` at the repository root (or the one
``THREADLOOM_PG_PYTHON`` names): the runtime pins ``langgraph-api==0.11.1``, older than the test
venv's, and the two must not share a venv (see requirements-pg.txt). Install it with::

    python3 -m venv .venv-pg && .venv-pg/bin/pip install -r tests/servers/requirements-pg.txt
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from tests.servers.postgres import Postgres
from tests.servers.proc import Child, StartError, TempServer, answers
from tests.servers.redis import Redis
from tui.demo.server import GRAPH_DIR, server_env

REQUIREMENTS = Path(__file__).parent / "requirements-pg.txt"
DEFAULT_VENV = Path(__file__).resolve().parents[2] / ".venv-pg"
PYTHON_VAR = "THREADLOOM_PG_PYTHON"
INSTALL_HINT = (
    f"python3 -m venv {DEFAULT_VENV} && {DEFAULT_VENV}/bin/pip install -r {REQUIREMENTS}"
    f" (or name an interpreter that has it in {PYTHON_VAR})"
)


def server_python() -> str:
    """The interpreter with langgraph-api and langgraph-runtime-pg: ``$THREADLOOM_PG_PYTHON``,
    else ``.venv-pg/bin/python``; a StartError saying how to install it when it is missing."""
    chosen = os.environ.get(PYTHON_VAR) or str(DEFAULT_VENV / "bin" / "python")
    check = "import langgraph_api, langgraph_runtime_pg, uvicorn"
    try:
        done = subprocess.run([chosen, "-c", check], capture_output=True, timeout=60, check=False)
    except OSError:
        raise StartError(
            f"no Postgres Agent Server interpreter at {chosen}: {INSTALL_HINT}"
        ) from None
    if done.returncode != 0:
        raise StartError(f"{chosen} lacks the Postgres Agent Server runtime: {INSTALL_HINT}")
    return chosen


class PgAgentServer(TempServer):
    """An Agent Server on Postgres + Redis. Use as a context manager, or start() / stop()."""

    name = "the Agent Server (pg)"
    workdir_prefix = "threadloom-agent-pg-"
    service_attributes = ("postgres", "redis")

    def __init__(self, graph_dir: Path = GRAPH_DIR, *, python: str | None = None,
                 ready_timeout: float = 90.0) -> None:
        super().__init__(ready_timeout=ready_timeout)
        self.graph_dir = graph_dir
        self.python = python  # None: server_python(), checked at start
        self.postgres: Postgres | None = None
        self.redis: Redis | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise StartError("the server is not running")
        return f"http://127.0.0.1:{self.port}"

    def start(self, port: int | None = None) -> PgAgentServer:
        """Start on ``port`` (a free one when None). After :meth:`kill`, starting again keeps
        the same Postgres and Redis, so the restarted server has the same data."""
        if self.python is None:
            self.python = server_python()
        try:
            if self.workdir is None:
                shutil.copy(self.graph_dir / "agent.py", self.make_workdir() / "agent.py")
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
        python = self.python
        assert python is not None
        self.launch(
            lambda chosen: [python, "-m", "uvicorn", "langgraph_api.server:app",
                            "--host", "127.0.0.1", "--port", str(chosen), "--no-access-log"],
            self._ready, port=port, log_name="agent", retry_on=("address already in use",),
            env=env, cwd=self.workdir,
        )

    def _ready(self, child: Child, port: int) -> bool:
        """Our own process says it listens on the port (not a stranger), and /ok answers."""
        return f"Uvicorn running on http://127.0.0.1:{port}" in child.log() and \
            answers(f"{self.url}/ok")
