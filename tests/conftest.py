"""Shared fixtures: one real Agent Server process for the whole test session.

The server is ``langgraph dev`` on the bundled demo graph (in-memory runtime), started by the
same launcher ``threadloom demo`` uses, on a free 127.0.0.1 port. Its log is attached to the
report of any failing test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tui.demo.server import LocalServer
from tui.deployment import DeploymentClient

_SERVER: LocalServer | None = None


@pytest.fixture(scope="session")
def server() -> Iterator[LocalServer]:
    global _SERVER
    local = LocalServer().start()
    _SERVER = local
    try:
        yield local
    finally:
        _SERVER = None
        local.stop()


@pytest.fixture(scope="session")
def server_url(server: LocalServer) -> str:
    return server.url


@pytest.fixture
async def client(server_url: str) -> AsyncIterator[DeploymentClient]:
    async with DeploymentClient(server_url, api_key=None) as connected:
        yield connected


@pytest.fixture
async def sdk(server_url: str):  # type: ignore[no-untyped-def]
    """The official SDK client: the oracle for what the server should contain."""
    from langgraph_sdk import get_client

    sdk_client = get_client(url=server_url, api_key=None)
    try:
        yield sdk_client
    finally:
        await sdk_client.aclose()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.failed and _SERVER is not None:
        tail = "\n".join(_SERVER.log().splitlines()[-60:])
        report.sections.append(("Agent Server log (last 60 lines)", tail))
