"""Test helpers shared by the app tests: what the screen shows, waiting for a condition, the
port rewrite, stable ids and the frozen clock. (Fixtures shared by the whole suite, the isolated
home among them, are in tests/conftest.py.)"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx
from textual import events
from textual.keys import _character_to_key

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

DISPLAY_URL = "http://127.0.0.1:2024"


class PortRewrite(httpx.AsyncBaseTransport):
    """Sends every request to the real test server while the app believes it talks to
    ``DISPLAY_URL`` — so screenshots do not change with the test server's random port.
    Nothing is faked: the requests and answers are the real server's."""

    def __init__(self, real_url: str) -> None:
        self._real = httpx.URL(real_url)
        self._transport = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self._real.scheme, host=self._real.host, port=self._real.port
        )
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self._transport.aclose()


def fixed_id(name: str) -> str:
    """A stable thread id for deterministic screens."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"threadloom-test/{name}"))


FROZEN_NOW = datetime(2026, 1, 2, 12, 0, 0, tzinfo=UTC)


def screen_text(app: App[Any]) -> str:
    """What the terminal shows right now (the screen on top, toasts included), as lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def until(pilot: Pilot[Any], check: Callable[[], Any], what: str = "the condition",
                timeout: float = 45.0) -> None:
    """Let the app run until ``check()`` holds, looking every 50 ms (a user waiting for the
    screen); fail with the screen after ``timeout`` seconds. The one wait of the app tests:
    wait for what the test needs, never for a fixed time."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}; the screen:\n"
                                 f"{screen_text(pilot.app)}")
        await pilot.pause(0.05)


async def quiet(pilot: Pilot[Any], timeout: float = 15.0) -> None:
    """Wait until no worker of any pane runs (the other panes load data of their own), once
    the editor has taken the connection when the app has one (its graph requests have
    started): the moment a snapshot is taken."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not _editor_settled(pilot.app) and loop.time() < deadline:
        await pilot.pause(0.05)
    while any(w.is_running for w in pilot.app.workers) and loop.time() < deadline:
        await pilot.pause(0.05)
    await pilot.pause(0.1)


def _editor_settled(app: Any) -> bool:
    """The full app's editor has taken the app's connection (other apps: nothing to wait for)."""
    from tui.app.app import ThreadloomApp

    if not isinstance(app, ThreadloomApp) or app.client is None:
        return True
    from tests.app.editor_support import editor_connected

    return editor_connected(app)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` as a fast typist does: one key event per character, each the event
    ``pilot.press`` would send and handled by the app as any key is, but sent in one burst and
    the screen waited for once, after the last (``pilot.press(*text)`` waits for the whole
    screen after every character: seconds per field on the full app)."""
    app = pilot.app
    for character in text:
        key = character if character.isalnum() else _character_to_key(character)
        app.post_message(events.Key(key, character))
    await pilot.pause()
