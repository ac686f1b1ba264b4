"""App-test fixtures: an isolated home (no real config). (``fresh_server``, a server of a test's
own, is in tests/conftest.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(isolated_home: Path) -> Path:
    """Every test here runs in the suite's isolated home (tests/conftest.py)."""
    return isolated_home

