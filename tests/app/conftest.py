"""App-test fixtures: an isolated home (no real config). (``fresh_server``, a server of a test's
own, is in tests/conftest.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config, drafts and logs go to a temporary THREADLOOM_HOME, never the user's."""
    home = tmp_path / "threadloom-home"
    monkeypatch.setenv("THREADLOOM_HOME", str(home))
    for var in ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    return home

