"""App-test fixtures: an isolated home (no real config), and a fresh server when a test needs
an empty deployment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.demo.server import LocalServer


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config, drafts and logs go to a temporary THREADLOOM_HOME, never the user's."""
    home = tmp_path / "threadloom-home"
    monkeypatch.setenv("THREADLOOM_HOME", str(home))
    for var in ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def fresh_server() -> Iterator[LocalServer]:
    """A server of its own (≈1.5 s to start), for screens that need an exact data set."""
    local = LocalServer().start()
    try:
        yield local
    finally:
        local.stop()
