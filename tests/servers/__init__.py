"""Which real Agent Server the test suite talks to, chosen with ``pytest --server=KIND`` or
``THREADLOOM_TEST_SERVER=KIND`` (the option wins):

- ``inmem`` (default): ``langgraph dev``, the in-memory runtime (:class:`LocalServer`);
- ``pg``: the stock Agent Server on Postgres + Redis (tests/servers/agent_pg.py);
- ``http://…`` or ``https://…``: an existing deployment, used as it is (:class:`RemoteServer`).
  It must serve the bundled demo graph (tui/demo/graph/agent.py) as ``agent``; tests that write
  create and delete threads there.
"""

from __future__ import annotations

import os
from typing import Protocol

from tui.demo.server import LocalServer

ENV_VAR = "THREADLOOM_TEST_SERVER"
KINDS = ("inmem", "pg")


class SuiteServer(Protocol):
    @property
    def url(self) -> str: ...

    def log(self) -> str: ...

    def stop(self) -> None: ...


class RemoteServer:
    """A deployment someone else runs: nothing to start or stop, no log to read."""

    def __init__(self, url: str) -> None:
        self._url = url.rstrip("/")

    @property
    def url(self) -> str:
        return self._url

    def log(self) -> str:
        return f"(a remote deployment, {self._url}: its log is not available to the tests)"

    def start(self) -> RemoteServer:
        return self

    def stop(self) -> None:
        pass


def chosen_kind(option: str | None) -> str:
    """The selection: the ``--server`` option, else the variable, else ``inmem``; checked."""
    kind = (option or os.environ.get(ENV_VAR) or "inmem").strip()
    if kind in KINDS or kind.startswith(("http://", "https://")):
        return kind
    raise ValueError(
        f"unknown test server {kind!r} (from --server or {ENV_VAR}): "
        "use inmem, pg, or a deployment URL (http://… or https://…)"
    )


def start_local(kind: str) -> SuiteServer:
    """Start a server of this test run's own: ``pg`` for ``pg``, else the in-memory one (a
    remote deployment cannot be made empty, so tests needing a fresh one start it locally)."""
    if kind == "pg":
        from tests.servers.agent_pg import PgAgentServer

        return PgAgentServer().start()
    return LocalServer().start()


def start_server(kind: str) -> SuiteServer:
    """The session's server for ``kind`` (see :func:`chosen_kind`), started."""
    if kind.startswith(("http://", "https://")):
        return RemoteServer(kind).start()
    return start_local(kind)
