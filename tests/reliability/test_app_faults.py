"""Faults at the app level, driven with the pilot against real server processes.

The server is really not running, really killed (SIGKILL of its process group) and really
restarted on the same port. Slow answers, lost answers and connection resets are made by the
loopback FaultProxy in front of the real server, because a real server cannot produce them on
demand. For each fault: a clear message where the user looks, the app stays usable, and nothing
half-done is reported as success.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from tests.reliability.conftest import Stats
from tests.reliability.faultproxy import FaultProxy
from tests.reliability.test_app_support import (
    SIZE,
    assert_terminal_safe,
    isolated_home,
    loaded,
    make_app,
    notes,
    port_of,
    screen_text,
    until,
)
from tui.app.app import ThreadloomApp
from tui.app.editor import SuperstepEditor
from tui.app.screens.connect import ConnectScreen
from tui.demo.server import LocalServer
from tui.deployment import DeploymentClient, DeploymentError
from tui.supersteps.model import Script

__all__ = ["isolated_home"]


def header(app: ThreadloomApp) -> str:
    return str(app.query_one("#header").render())


def editor_of(app: ThreadloomApp) -> SuperstepEditor:
    return app.main_screen.query_one("#editor", SuperstepEditor)


def long_script(tag: str, replies: int) -> Script:
    """A valid script whose create takes the server a while (cost grows with supersteps:
    400 took 1–4 s on the inmem server)."""
    steps: list[dict[str, Any]] = [
        {"updates": [{"values": {}, "as_node": "__input__"}]},
        {"updates": [{"values": {"messages": [{"type": "human", "content": "hi"}]},
                      "as_node": "__start__"}]},
    ]
    steps += [{"updates": [{"values": {"messages": [{"type": "ai", "content": f"reply {i}"}]},
                            "as_node": "call_model"}]} for i in range(replies)]
    return Script.from_body({"metadata": {"graph_id": "agent", "batch": tag}, "supersteps": steps})


async def editor_ready(pilot: Any, app: ThreadloomApp, script: Script) -> SuperstepEditor:
    """Connected, the editor knows the graphs, and holds ``script`` (no problems)."""
    await until(pilot, lambda: loaded(app), "the first page")
    editor = editor_of(app)
    await until(pilot, lambda: editor.catalog.graphs is not None and editor.client is not None,
                "the editor's graphs")
    # Let the form settle first: a load in the same tick as the graphs' arrival races with
    # the hidden script form's queued metadata echo (see the report of issue 9).
    await pilot.pause(0.3)
    editor.load(script)
    await pilot.pause(0.3)
    assert editor.script == script
    assert [p for p in editor.problems if p.severity == "error"] == [], editor.problems
    return editor


async def test_not_running_at_start_then_started_and_retried(stats: Stats,
                                                             reserved_port: int) -> None:
    stats.faults += 1
    port = reserved_port  # free until the server starts on it, and no one else's
    url = f"http://127.0.0.1:{port}"
    local = LocalServer()
    app = make_app(url)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await until(pilot, lambda: "Press r to retry" in screen_text(app), "connect screen")
            assert isinstance(app.screen, ConnectScreen)
            shown = assert_terminal_safe(app)
            assert "Cannot connect to the deployment" in shown
            assert f"cannot reach {url}" in shown  # the reason, on the screen the user sees
            assert "Press r to retry" in shown
            assert "Traceback" not in shown
            local.start(port)
            async with DeploymentClient(url) as client:
                thread = await client.threads.create(metadata={"graph_id": "agent"})
            await pilot.press("r")
            await until(pilot, lambda: loaded(app), "connected after retry")
            assert not isinstance(app.screen, ConnectScreen)
            assert "● connected" in header(app)
            await until(pilot, lambda: thread.thread_id.replace("-", "")[-8:]
                        in screen_text(app), "the thread's row")
    finally:
        local.stop()


async def test_killed_during_a_create_from_the_editor(own_server: LocalServer,
                                                      stats: Stats) -> None:
    """The server dies while it applies a long script: the user is told where they look,
    nothing is reported as created, the editor keeps the script and can send it again."""
    stats.faults += 1
    tag = uuid.uuid4().hex
    script = long_script(tag, 800)
    port = own_server.port
    assert port is not None
    app = make_app(own_server.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = await editor_ready(pilot, app, script)
        await pilot.press("2")  # the editor pane
        await pilot.press("ctrl+r")
        await until(pilot, lambda: editor.busy, "sending")
        # the busy state is visible (once painted)
        await until(pilot, lambda: "Creating the thread…" in screen_text(app), "the busy state")
        await asyncio.sleep(0.5)  # the server is applying the supersteps (800 take seconds)
        assert editor.busy, "the create finished before the kill: make the script longer"
        own_server.kill()
        await until(pilot, lambda: not editor.busy, "the failure", timeout=15)
        messages = notes(app)
        assert any("Creating the thread" in m and "cannot reach" in m for m in messages), messages
        assert not any("Created thread" in m for m in messages)
        assert editor.last_created is None
        assert editor.script == script  # nothing of the user's work is lost
        assert app.is_running
        await until(pilot, lambda: app.connection.state == "offline", "offline in the header")
        assert "● offline" in header(app)
        assert_terminal_safe(app)

        own_server.start(port=port)
        await pilot.press("f5")
        await until(pilot, lambda: app.connection.state == "connected", "reconnected")
        assert editor.script == script


async def test_killed_and_restarted_during_a_session_keeps_the_editor_work(
    own_server: LocalServer, stats: Stats
) -> None:
    stats.faults += 1
    tag = uuid.uuid4().hex
    script = long_script(tag, 3)
    port = own_server.port
    assert port is not None
    app = make_app(own_server.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = await editor_ready(pilot, app, script)
        own_server.kill()
        app.threads.focus()
        await pilot.press("r")  # the next request notices
        await until(pilot, lambda: app.connection.state == "offline", "offline")
        assert "● offline — press F5 to reconnect" in header(app)
        assert any("Loading threads" in m and "cannot reach" in m for m in notes(app))
        assert app.is_running and editor.script == script

        own_server.start(port=port)
        await pilot.press("f5")
        await until(pilot, lambda: loaded(app), "reconnected")
        assert "● connected" in header(app)
        assert editor.script == script  # the script in the editor is unchanged
        await pilot.press("2")  # and it can be sent now
        await pilot.press("ctrl+r")
        await until(pilot, lambda: editor.last_created is not None, "the create")
        async with DeploymentClient(own_server.url) as client:
            assert await client.threads.count(metadata={"batch": tag}) == 1


async def test_slow_create_shows_busy_and_escape_stops_waiting(
    server_url: str, client: DeploymentClient, stats: Stats
) -> None:
    tag = uuid.uuid4().hex
    script = long_script(tag, 2)
    with FaultProxy(port_of(server_url)) as proxy:
        app = make_app(proxy.url)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            editor = await editor_ready(pilot, app, script)
            await pilot.press("2")
            proxy.set(delay=2.0)
            await pilot.press("ctrl+r")
            await until(pilot, lambda: editor.busy, "sending")
            await pilot.pause(0.3)
            shown = screen_text(app)
            assert "⏳ Creating the thread… waiting for the server (Esc: stop waiting)" in shown
            await pilot.press("escape")
            await until(pilot, lambda: not editor.busy, "stopped waiting", timeout=2)
            assert any("Stopped waiting for the server" in m for m in notes(app))
            await pilot.pause(2.2)  # the late answer arrives at nobody
            assert editor.last_created is None
            assert not any("Created thread" in m for m in notes(app))
            assert editor.script == script
            proxy.set(delay=0.0)
            await pilot.press("ctrl+r")  # usable again; the late create did not block it
            await until(pilot, lambda: editor.last_created is not None, "the second create")
        stats.faults += proxy.faults.injected
    # The first request did reach the server (the answer was only slow): it and the
    # second are two threads — which is why the app said "may still have been created".
    assert await client.threads.count(metadata={"batch": tag}) == 2


async def test_slow_thread_list_shows_loading(
    server_url: str, client: DeploymentClient, stats: Stats
) -> None:
    """A slow first page: the list says it is loading, the header says connecting, and the
    page arrives once the answer does. A slow refresh of a list that has rows says so, and Esc
    stops it with the rows as they were; Esc does nothing to an idle list."""
    await client.threads.create(metadata={"graph_id": "agent"})
    with FaultProxy(port_of(server_url)) as proxy:
        proxy.set(delay=1.5)
        app = make_app(proxy.url)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await until(pilot, lambda: "loading…" in screen_text(app), "the busy state")
            assert "● connecting" in header(app)
            assert app.threads.pager.fetching
            await until(pilot, lambda: loaded(app), "the slow page", timeout=20)
            await until(pilot, lambda: "loading…" not in screen_text(app), "the page painted")
            app.threads.table.focus()
            await pilot.press("escape")  # idle: nothing to stop, nothing said
            assert not any("Stopped loading" in n for n in notes(app))
            rows = list(app.threads.by_id)
            generation = app.threads.pager.generation
            await pilot.press("r")
            await until(pilot, lambda: "refreshing… (esc stops)" in screen_text(app),
                        "the refresh's busy sign")
            await pilot.press("escape")
            await until(pilot, lambda: not app.threads.pager.fetching, "the refresh stopped",
                        timeout=1)
            assert any("Stopped loading: the list shows what it had" in n for n in notes(app))
            await until(pilot, lambda: "refreshing…" not in screen_text(app), "the sign gone",
                        timeout=1)
            await pilot.pause(1.8)  # the late answer arrives at nobody
            assert list(app.threads.by_id) == rows and app.threads.pager.generation > generation
        stats.faults += proxy.faults.injected
    assert proxy.faults.injected >= 1


async def test_keep_alive_reset_after_a_500_is_invisible_to_the_user(
    server_url: str, stats: Stats
) -> None:
    with FaultProxy(port_of(server_url)) as proxy:
        app = make_app(proxy.url)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await until(pilot, lambda: loaded(app), "the first page")
            assert app.client is not None
            # A real 500 on the app's own connection: a command without goto.
            with pytest.raises(DeploymentError) as refused:
                await app.client.threads.create(
                    metadata={"graph_id": "agent"},
                    supersteps=[{"updates": [{"command": {"update": {}}, "as_node": "tools"}]}])
            assert refused.value.status == 500
            proxy.set(reset_next=1)  # …and the kept-alive connection dies after it
            generation = app.threads.pager.generation
            await pilot.press("r")
            await until(pilot, lambda: app.threads.pager.generation > generation and loaded(app),
                        "the list after the reset")
            assert proxy.faults.log.count("reset_next") == 1
            assert app.threads.pager.error is None
            assert not any("failed" in m.lower() or "cannot" in m for m in notes(app))
            assert app.connection.state == "connected"
        stats.faults += proxy.faults.injected


async def test_lost_create_answer_in_the_editor_makes_exactly_one_thread(
    server_url: str, sdk: Any, stats: Stats
) -> None:
    tag = uuid.uuid4().hex
    script = long_script(tag, 1)
    with FaultProxy(port_of(server_url)) as proxy:
        app = make_app(proxy.url)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            editor = await editor_ready(pilot, app, script)
            await pilot.press("2")
            proxy.set(lose_answers=1)
            await pilot.press("ctrl+r")
            await until(pilot, lambda: editor.last_created is not None, "the create")
            assert "lose_answers" in proxy.faults.log
            created = editor.last_created
            assert any(f"Created thread {created}" in m for m in notes(app))
            await until(pilot, lambda: app.viewer.thread_id == created, "opened in the viewer")
        stats.faults += proxy.faults.injected
    found = await sdk.threads.search(metadata={"batch": tag}, limit=10)
    assert [t["thread_id"] for t in found] == [created]  # exactly one, the one reported
    state = await sdk.threads.get_state(created)
    assert [m["content"] for m in state["values"]["messages"]] == ["hi", "reply 0"]
