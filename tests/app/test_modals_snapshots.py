"""Snapshots of the thread modals and the profile switcher (on an empty real server).

The thread list is zoomed behind each modal so the screens do not depend on the other panes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.support import DISPLAY_URL, FROZEN_NOW, PortRewrite, quiet, type_text, until
from tui.app.app import ThreadloomApp
from tui.config import Profile, Settings, resolve_connection
from tui.demo.server import LocalServer


@pytest.fixture(scope="module")
def empty_server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    try:
        yield local
    finally:
        local.stop()


SETTINGS = Settings(profiles={
    "local": Profile(url=DISPLAY_URL),
    "prod": Profile(url="https://prod.example.com", api_key_env="LANGSMITH_API_KEY"),
    "[bold]odd[/]": Profile(url="https://odd.example.com"),
})


def make_app(real_url: str) -> ThreadloomApp:
    spec = resolve_connection(SETTINGS, profile="local")
    return ThreadloomApp(spec, settings=SETTINGS, clock=lambda: FROZEN_NOW,
                         transport=PortRewrite(real_url))


async def open_modal(pilot: Pilot[Any], *keys: str) -> None:
    app = pilot.app
    assert isinstance(app, ThreadloomApp)
    await until(pilot, lambda: app.connection.state == "connected"
                and app.threads.total is not None, "the app to settle", 20)
    await quiet(pilot)
    await pilot.press("z", *keys)
    await pilot.pause(0.2)
    for widget in app.screen.query("Input, TextArea"):
        assert isinstance(widget, Input | TextArea)
        widget.cursor_blink = False


def test_create_thread_modal(snap_compare: Any, empty_server: LocalServer) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_modal(pilot, "n")

    assert snap_compare(make_app(empty_server.url), terminal_size=(160, 48),
                        run_before=run_before)


def test_create_thread_modal_validates_as_you_type(snap_compare: Any,
                                                   empty_server: LocalServer) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_modal(pilot, "n")
        await type_text(pilot, "thread-1")
        screen = pilot.app.screen
        screen.query_one(TextArea).text = '{\n  "graph_id": "agent",\n  "n": \n}'
        screen.query_one("#ttl", Input).value = "-5"
        await pilot.pause(0.2)

    assert snap_compare(make_app(empty_server.url), terminal_size=(160, 48),
                        run_before=run_before)


def test_profile_switcher(snap_compare: Any, empty_server: LocalServer) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_modal(pilot, "f2")

    assert snap_compare(make_app(empty_server.url), terminal_size=(160, 48),
                        run_before=run_before)
