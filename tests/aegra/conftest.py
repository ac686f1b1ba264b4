"""Fixtures for the tests against Aegra: one real ``aegra serve`` (tests/servers/aegra.py, on
its own Postgres, from its own Python >= 3.12 venv) for the session, the client and the CLI
wired to it, and its log attached to the report of any failing test here."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Result, Run
from tests.servers.aegra import AegraServer
from tui.cli import main
from tui.deployment import DeploymentClient

_AEGRA: AegraServer | None = None
HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here is marked ``aegra``: the README's test command leaves them out (they
    need a Python >= 3.12 venv of their own, ~30 s to make), ``-m aegra`` runs them."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.aegra)


@pytest.fixture(scope="session")
def aegra() -> Iterator[AegraServer]:
    global _AEGRA
    server = AegraServer().start()
    _AEGRA = server
    try:
        yield server
    finally:
        _AEGRA = None
        server.stop()


@pytest.fixture(scope="session")
def aegra_url(aegra: AegraServer) -> str:
    return aegra.url


@pytest.fixture
async def aegra_client(aegra_url: str) -> AsyncIterator[DeploymentClient]:
    async with DeploymentClient(aegra_url, api_key=None) as connected:
        yield connected


@pytest.fixture
def aegra_sdk(aegra_url: str) -> Iterator[Any]:
    """The official SDK (sync client): the oracle for what Aegra holds, and the CLI tests'
    set-up (the CLI runs its own event loop, so those tests are plain functions)."""
    from langgraph_sdk import get_sync_client

    client = get_sync_client(url=aegra_url, api_key=None)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture(autouse=True)
def isolated_home(isolated_home: Path) -> Path:
    """Every test here runs in the suite's isolated home (tests/conftest.py)."""
    return isolated_home


@pytest.fixture
def tag() -> str:
    """A metadata value unique to this test, to find its own threads on the shared server."""
    return uuid.uuid4().hex




@pytest.fixture
def aegra_cli(capsys: pytest.CaptureFixture[str], aegra_url: str) -> Run:
    """``aegra_cli("threads", "list")`` runs ``threadloom threads list --url <aegra>``."""

    def run(*argv: str) -> Result:
        capsys.readouterr()
        code = main([*argv, "--url", aegra_url])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.failed and _AEGRA is not None:
        tail = "\n".join(_AEGRA.log().splitlines()[-60:])
        report.sections.append(("Aegra log (last 60 lines)", tail))
