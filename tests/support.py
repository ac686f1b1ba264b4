"""Test helpers shared by the app tests: what the screen shows, waiting for a condition, the
port rewrite, stable ids and the frozen clock. (Fixtures shared by the whole suite, the isolated
home among them, are in tests/conftest.py.)"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import random
import tempfile
import unicodedata
import uuid
import weakref
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from textual import events
from textual.app import App
from textual.keys import KEY_NAME_REPLACEMENTS, key_to_character
from textual.notifications import Notification, SeverityLevel

from tui.demo.server import port_is_free
from tui.deployment.http import LIMITS
from tui.deployment.tls import tls_context

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from tui.app.context import AppContext
    from tui.deployment import DeploymentClient

DISPLAY_URL = "http://127.0.0.1:2024"


class PortRewrite(httpx.AsyncBaseTransport):
    """Sends every request to the real test server while the app believes it talks to
    ``DISPLAY_URL`` — so screenshots do not change with the test server's random port.
    Nothing is faked: the requests and answers are the real server's."""

    def __init__(self, real_url: str) -> None:
        self._real = httpx.URL(real_url)
        self._transport = httpx.AsyncHTTPTransport(verify=tls_context(), limits=LIMITS)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self._real.scheme, host=self._real.host, port=self._real.port
        )
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self._transport.aclose()


_SAID: weakref.WeakKeyDictionary[App[Any], list[Notification]] = weakref.WeakKeyDictionary()


def said(app: App[Any]) -> list[Notification]:
    """Every notification ``app`` has raised since it started, in order — the toasts the user
    was shown, kept after they time out or are cleared (Textual keeps only the live ones, and
    privately). Recorded by :func:`record_notifications`, which the suite's conftest installs
    for every test."""
    return _SAID.get(app, [])


def record_notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record each ``App.notify`` (``Widget.notify`` goes through it) for :func:`said`, then
    notify as before."""
    notify = App.notify

    def recording(self: App[Any], message: str, *, title: str = "",
                  severity: SeverityLevel = "information", timeout: float | None = None,
                  markup: bool = True) -> None:
        _SAID.setdefault(self, []).append(
            Notification(message, title, severity, 5 if timeout is None else timeout, markup))
        notify(self, message, title=title, severity=severity, timeout=timeout, markup=markup)

    monkeypatch.setattr(App, "notify", recording)


@contextlib.contextmanager
def reserve_port() -> Iterator[int]:
    """A loopback port no other process takes while the ``with`` lasts — for a test that stops
    a server and starts it again on its port, free in between. It lies below the range the
    kernel hands out for port 0 and for outgoing connections (``ip_local_port_range``), where
    every other server of the suite gets its port, and is locked (``flock``) against the other
    workers' reservations; so such tests run on the parallel workers like any other."""
    low = _ephemeral_low()
    locks = Path(tempfile.gettempdir()) / "threadloom-test-ports"
    locks.mkdir(exist_ok=True)
    for port in random.sample(range(low // 2, low), 200):
        with open(locks / str(port), "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # another worker's
            if not port_is_free(port):
                continue
            yield port
            return
    raise RuntimeError(f"no free port below {low} to reserve")


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


class ContextHost(App[None]):
    """The base of the tests' stand-in shells (one pane, the app context it uses): ``context``
    is set by the subclass; ``client`` is its client, as the shell has it (setting it publishes
    it to the panes)."""

    context: AppContext

    @property
    def client(self) -> DeploymentClient | None:
        return self.context.client

    @client.setter
    def client(self, client: DeploymentClient | None) -> None:
        self.context.client = client


def fixed_id(name: str) -> str:
    """A stable thread id for deterministic screens."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"threadloom-test/{name}"))


FROZEN_NOW = datetime(2026, 1, 2, 12, 0, 0, tzinfo=UTC)


def screen_text(app: App[Any]) -> str:
    """What the terminal shows right now (the screen on top, toasts included), as lines.

    Why private: Textual's one public way to the composed screen is ``export_screenshot``,
    an SVG; this is the same composition (``_compositor``), as text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def tick(pilot: Pilot[Any], seconds: float = 0.05) -> None:
    """Let the app run for ``seconds`` while a test waits: a plain sleep (the app's own tasks
    handle its events and paint meanwhile). Not ``pilot.pause(seconds)``, which also makes
    every widget on the screen run a callback and repaints the screen: 12.6 ms of CPU per
    call on the full app (178 widgets, measured), so a test polling every 50 ms kept a fifth
    of a core busy doing nothing. Fails at once if the app stopped (it crashed, or quit):
    nothing would ever change."""
    if not pilot.app.is_running:
        raise AssertionError(f"the app stopped; the screen:\n{screen_text(pilot.app)}")
    await asyncio.sleep(seconds)


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
        await tick(pilot)


async def quiet(pilot: Pilot[Any], timeout: float = 15.0) -> None:
    """Wait until no worker of any pane runs (the other panes load data of their own), once
    the editor has taken the connection when the app has one (its graph requests have
    started): the moment a snapshot is taken."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not _editor_settled(pilot.app) and loop.time() < deadline:
        await tick(pilot)
    while any(w.is_running for w in pilot.app.workers) and loop.time() < deadline:
        await tick(pilot)
    await pilot.pause(0.1)  # then every widget has handled what is queued, and is painted


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
        app.post_message(events.Key(key_name(character), character))
    await pilot.pause()


def key_name(character: str) -> str:
    """The name Textual gives the key that types ``character``, as a binding names it: letters
    and digits are their own name, any other character its Unicode name in lower case with
    underscores, a few shortened (``"/"`` is ``"slash"``). Checked against Textual's public
    ``key_to_character``, so a change of Textual's naming fails here, not as a binding that
    silently stops matching."""
    if character.isalnum():
        return character
    name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    if key_to_character(name) != character:
        raise AssertionError(f"Textual names the key for {character!r} differently than {name!r}")
    return KEY_NAME_REPLACEMENTS.get(name, name)
