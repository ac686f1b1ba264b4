"""Snapshots of the shell: an empty deployment, the connect-failure screen, the help screen.

The app shows ``http://127.0.0.1:2024`` whatever port the real test server has (PortRewrite),
and the clock is frozen, so the screens are the same on every run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.support import DISPLAY_URL, FROZEN_NOW, PortRewrite, quiet, until
from tui.app.app import ThreadloomApp
from tui.config import ConnectionSpec, Settings
from tui.demo.server import LocalServer, free_port


@pytest.fixture(scope="module")
def empty_server() -> Iterator[LocalServer]:
    """A server of this module's own that never gets a thread."""
    local = LocalServer().start()
    try:
        yield local
    finally:
        local.stop()


def make_app(real_url: str, settings: Settings | None = None) -> ThreadloomApp:
    return ThreadloomApp(ConnectionSpec(url=DISPLAY_URL), settings=settings or Settings(),
                         clock=lambda: FROZEN_NOW, transport=PortRewrite(real_url))


async def settle(pilot: Pilot[Any], timeout: float = 20) -> None:
    app = pilot.app
    assert isinstance(app, ThreadloomApp)
    await until(pilot, lambda: app.connection.state == "connected"
                and not app.threads.pager.fetching and app.threads.total is not None,
                "the app to settle", timeout)
    await quiet(pilot)


def test_empty_deployment(snap_compare: Any, empty_server: LocalServer) -> None:
    assert snap_compare(make_app(empty_server.url), terminal_size=(160, 48), run_before=settle)


def test_connect_failure_screen(snap_compare: Any) -> None:
    # Nothing listens on this port; the app believes it is talking to 127.0.0.1:2024.
    closed = f"http://127.0.0.1:{free_port()}"

    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "ConnectScreen"
                    and pilot.app.screen.query("#connect-state"), "the connect screen", 20)
        await pilot.pause(0.1)

    assert snap_compare(make_app(closed), terminal_size=(160, 48), run_before=run_before)


def test_help_screen(snap_compare: Any, empty_server: LocalServer) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause(0.2)

    assert snap_compare(make_app(empty_server.url), terminal_size=(160, 48),
                        run_before=run_before)
