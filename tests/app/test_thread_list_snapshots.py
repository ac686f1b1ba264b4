"""Snapshots of the thread list on 30 threads of mixed status, made on a real server.

Deterministic: thread ids from ``fixed_id``, creation order fixed, the app shows the URL
``http://127.0.0.1:2024`` (PortRewrite), and the clock is frozen a few seconds after the newest
change the server recorded, so every relative time reads "just now".
Statuses: idle (greeting / tool-call / empty threads), interrupted (the demo graph's e-mail
approval), error (a run whose input the graph's ``turns`` reducer rejects), busy ("/slow 60").
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.scripts import GREETING, TOOL_CALL
from tests.support import DISPLAY_URL, PortRewrite, fixed_id, quiet, until
from tui.app.app import ThreadloomApp
from tui.config import ConnectionSpec, Settings
from tui.demo.server import LocalServer

HOSTILE = "[bold red]x[/] [/] [@click=app.quit]boom[/] \x1b[31mred\x1b]0;title\x07"
ERROR_AT = {3, 11}
INTERRUPTED_AT = {5, 17, 23}
BUSY_AT = 27
HOSTILE_AT = 29


def _wait_status(http: httpx.Client, thread_id: str, wanted: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if http.get(f"/threads/{thread_id}").json()["status"] == wanted:
            return
        time.sleep(0.1)
    raise AssertionError(f"thread {thread_id} never became {wanted}")


def _wait_for_message(http: httpx.Client, thread_id: str, content: str,
                      timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        values = http.get(f"/threads/{thread_id}/state").json().get("values") or {}
        if any(m.get("content") == content for m in values.get("messages", [])):
            return
        time.sleep(0.1)
    raise AssertionError(f"thread {thread_id}'s state never showed {content!r}")


def seed(url: str) -> datetime:
    """30 threads; returns a clock reading a few seconds after the newest change."""
    with httpx.Client(base_url=url, timeout=30) as http:
        for i in range(30):
            body: dict[str, Any] = {"thread_id": fixed_id(f"mixed-{i}"),
                                    "metadata": {"graph_id": "agent", "n": i}}
            if i == HOSTILE_AT:  # the hostile graph id is set after: supersteps need a graph
                body["metadata"] = {"graph_id": "agent", "note": HOSTILE}
                body["supersteps"] = [
                    {"updates": [{"values": {}, "as_node": "__input__"}]},
                    {"updates": [{"values": {"messages": [{"type": "human",
                                                            "content": HOSTILE}]},
                                  "as_node": "__start__"}]},
                ]
            elif i % 4 == 0:
                body["metadata"]["kind"] = "greeting"
                body["supersteps"] = GREETING
            elif i % 4 == 1 and i not in ERROR_AT | INTERRUPTED_AT:
                body["metadata"]["kind"] = "calc"
                body["supersteps"] = TOOL_CALL
            elif i % 4 == 2:
                body["metadata"] = {"n": i}  # no graph yet
            created = http.post("/threads", json=body)
            created.raise_for_status()
            assert "thread_id" in created.json(), created.text
        http.patch(f"/threads/{fixed_id(f'mixed-{HOSTILE_AT}')}",
                   json={"metadata": {"graph_id": HOSTILE}}).raise_for_status()
        runs: list[tuple[str, str, Any]] = []
        for i in sorted(ERROR_AT):
            runs.append((fixed_id(f"mixed-{i}"), "error", {"turns": "x"}))
        for i in sorted(INTERRUPTED_AT):
            runs.append((fixed_id(f"mixed-{i}"), "interrupted", {"messages": [
                {"type": "human", "content": f"send an email to ann{i}@example.com"}]}))
        for thread_id, _, run_input in runs:
            http.post(f"/threads/{thread_id}/runs",
                      json={"assistant_id": "agent", "input": run_input}).raise_for_status()
        for thread_id, wanted, _ in runs:
            _wait_status(http, thread_id, wanted)
        # the inmem server has one worker: the long run goes last, or the others would queue
        busy = fixed_id(f"mixed-{BUSY_AT}")
        http.post(f"/threads/{busy}/runs", json={"assistant_id": "agent", "input": {
            "messages": [{"type": "human", "content": "/slow 60 take your time"}]}},
        ).raise_for_status()
        _wait_status(http, busy, "busy")
        # Busy comes a moment before the run's first checkpoint: until then the thread's state
        # is empty, and the list's preview (read from /state) would depend on when it looked.
        _wait_for_message(http, busy, "/slow 60 take your time")
        threads = http.post("/threads/search", json={"limit": 100}).json()
    newest = max(datetime.fromisoformat(t["updated_at"]) for t in threads)
    return newest + timedelta(seconds=5)


BUSY_SECONDS = 60  # the demo graph's longest "/slow": how long the busy thread stays busy
TEST_AT_MOST = 25  # seconds one snapshot here takes at the most, on a loaded machine


@dataclass
class Seeded:
    local: LocalServer
    clock: datetime
    busy_since: float  # time.monotonic() once the busy run was seen running (a little after
    # it started: TEST_AT_MOST leaves the margin)


@pytest.fixture(scope="module")
def _seeded() -> Iterator[list[Seeded]]:
    held: list[Seeded] = []
    try:
        yield held
    finally:
        for one in held:
            one.local.stop()


@pytest.fixture
def mixed(_seeded: list[Seeded]) -> tuple[LocalServer, datetime]:
    """The module's seeded server and its clock; seeded again (the same threads, ids and
    relative times) on a fresh server when the busy run could end before this test does, as it
    can on a loaded machine or when parallel workers slow every test down."""
    if not _seeded or time.monotonic() - _seeded[-1].busy_since > BUSY_SECONDS - TEST_AT_MOST:
        while _seeded:
            _seeded.pop().local.stop()
        local = LocalServer().start()
        _seeded.append(Seeded(local, clock=seed(local.url), busy_since=time.monotonic()))
    return _seeded[-1].local, _seeded[-1].clock


def make_app(mixed: tuple[LocalServer, datetime]) -> ThreadloomApp:
    local, now = mixed
    return ThreadloomApp(ConnectionSpec(url=DISPLAY_URL), settings=Settings(),
                         clock=lambda: now, transport=PortRewrite(local.url))


async def settle(pilot: Pilot[Any], check: Any = None, timeout: float = 20) -> None:
    app = pilot.app
    assert isinstance(app, ThreadloomApp)
    await until(pilot, lambda: app.connection.state == "connected"
                and not app.threads.pager.fetching and app.threads.total is not None
                and (check is None or check()), "the app to settle", timeout)
    await quiet(pilot)


def no_blink(app: ThreadloomApp) -> None:
    for widget in app.screen.query("Input, TextArea"):
        assert isinstance(widget, Input | TextArea)
        widget.cursor_blink = False


def test_thirty_threads_of_mixed_status(snap_compare: Any, mixed: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("z")  # the list alone: the other panes have their own snapshots

    assert snap_compare(make_app(mixed), terminal_size=(160, 48), run_before=run_before)


def test_an_active_search(snap_compare: Any, mixed: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, ThreadloomApp)
        await settle(pilot)
        await pilot.press("z", "slash")
        app.threads.filter_bar.input.value = "graph_id=agent status:idle kind=greeting"
        await pilot.press("enter")
        await settle(pilot, lambda: app.threads.search_query.status == "idle")
        no_blink(app)

    assert snap_compare(make_app(mixed), terminal_size=(160, 48), run_before=run_before)


def test_a_search_the_bar_cannot_read(snap_compare: Any, mixed: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, ThreadloomApp)
        await settle(pilot)
        await pilot.press("z", "slash")
        app.threads.filter_bar.input.value = "status:sleepy"
        await pilot.press("enter")
        await pilot.pause(0.2)
        no_blink(app)

    assert snap_compare(make_app(mixed), terminal_size=(160, 48), run_before=run_before)


def test_100x30_terminal(snap_compare: Any, mixed: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)

    assert snap_compare(make_app(mixed), terminal_size=(100, 30), run_before=run_before)


def test_edit_metadata_modal_with_hostile_metadata(snap_compare: Any, mixed: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, ThreadloomApp)
        await settle(pilot)
        await pilot.press("z", "e")  # the top row is the hostile thread
        await pilot.pause(0.2)
        no_blink(app)

    assert snap_compare(make_app(mixed), terminal_size=(160, 48), run_before=run_before)


def test_confirm_delete_modal(snap_compare: Any, mixed: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("z", "down", "d")  # the busy thread
        await pilot.pause(0.2)

    assert snap_compare(make_app(mixed), terminal_size=(160, 48), run_before=run_before)
