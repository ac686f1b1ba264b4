"""CLI tests: ``tui.cli.main([...])`` in-process (capsys) against the real session server, with
the official SDK (sync client) as the oracle for what the server holds afterwards."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tui.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def isolated_home(isolated_home: Path) -> Path:
    """Every test here runs in the suite's isolated home (tests/conftest.py)."""
    return isolated_home


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], server_url: str) -> Run:
    """``cli("threads", "list")`` runs ``threadloom threads list --url <server>``; ``url=None``
    leaves the connection flags out."""

    def run(*argv: str, url: str | None = server_url) -> Result:
        capsys.readouterr()
        args = list(argv) + (["--url", url] if url else [])
        code = main(args)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")  # one client (and TLS context) per worker: it keeps no state
def sync_sdk(server_url: str) -> Iterator[Any]:
    from langgraph_sdk import get_sync_client

    client = get_sync_client(url=server_url, api_key=None)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def tag() -> str:
    """A metadata value unique to this test, to find its own threads on the shared server."""
    return uuid.uuid4().hex


def write_script(path: Path, body: Any) -> str:
    path.write_text(json.dumps(body), encoding="utf-8")
    return str(path)


def one_line_error(result: Result) -> str:
    """The failure contract: nothing on stdout, exactly one line on stderr, no traceback."""
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    return lines[0]


def assert_not_found(line: str, thread_id: str) -> None:
    """A missing thread's one line names it and says so. The words are the server's (the
    in-memory server: "Thread with ID … not found", the Postgres one: "Thread … not found")."""
    assert line.startswith("threadloom: "), line
    assert line.count(thread_id) == 1, line
    assert "not found" in line.lower(), line
