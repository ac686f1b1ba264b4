"""Fixtures for the superstep domain tests (pure: no server needed), and for the live code
generation tests: the real JS SDK and a recording proxy in front of the real server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.supersteps import Script

from .data import SEED_BODY
from .jssdk import Recorder


@pytest.fixture
def seed() -> Script:
    """The three-superstep script of the "Prepopulated State" docs page."""
    return Script.from_body(SEED_BODY)


@pytest.fixture(scope="session")
def js_sdk_dir(request: pytest.FixtureRequest) -> Path:
    """A directory whose ``node_modules`` holds the real JS SDK (see ``jssdk.py``)."""
    from .jssdk import install_js_sdk

    return install_js_sdk(Path(request.config.cache.mkdir("langgraph-sdk-js")))


@pytest.fixture
def recorder(server_url: str) -> Iterator[Recorder]:
    """A recording proxy in front of the real session server."""
    from .jssdk import start_recorder

    found, proxy = start_recorder(server_url)
    try:
        yield found
    finally:
        proxy.shutdown()
        proxy.server_close()
