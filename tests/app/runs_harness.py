"""Helpers for the run panel tests.

- ``RunsApp``: the state viewer with the run panel under it (the app's viewer pane), fed with
  recorded data (``tests/app/data/runs_*.json`` from ``record_runs_fixtures.py``) — for
  deterministic snapshots of a run while it streams.
- ``real_app`` / ``open_thread`` / ``panel_text``: the whole ``ThreadloomApp`` against the real
  test server (PortRewrite: it shows http://127.0.0.1:2024), driven with the pilot.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Vertical

from tests.app.viewer_harness import wait_until
from tests.support import DISPLAY_URL, FROZEN_NOW, ContextHost, PortRewrite, screen_text
from tui.app.app import ThreadloomApp
from tui.app.context import AppContext
from tui.app.runs import RunPanel
from tui.app.shared.footer import KeyFooter
from tui.app.viewer import StateViewer
from tui.config import ConnectionSpec, Settings
from tui.deployment import Assistant, Thread, ThreadState
from tui.supersteps.stream import RunProgress

DATA = Path(__file__).parent / "data"
SIZE = (110, 40)
APP_SIZE = (160, 48)
AGENT = Assistant.model_validate({
    "assistant_id": "fe096781-5601-53d2-b2f6-0d3403f7e9ca", "graph_id": "agent",
    "name": "agent", "metadata": {"created_by": "system"},
})


def recording(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"runs_{name}.json").read_text("utf-8"))
    return data


def events(name: str) -> list[tuple[str, Any]]:
    return [(e["event"], e["data"]) for e in recording(name)["events"]]


def upto_token(name: str, count: int) -> list[tuple[str, Any]]:
    """The events up to and including the ``count``-th streamed token (AIMessageChunk)."""
    out: list[tuple[str, Any]] = []
    seen = 0
    for event, data in events(name):
        out.append((event, data))
        if event == "messages" and data[0].get("type") == "AIMessageChunk":
            seen += 1
            if seen == count:
                return out
    raise AssertionError(f"{name} has fewer than {count} tokens")


class RunsApp(ContextHost):
    """The viewer pane: ``StateViewer`` over ``RunPanel``, with the app context they use."""

    CSS = "StateViewer { height: 1fr; } #pane { height: 1fr; }"

    def __init__(self, setup: Callable[[RunsApp], None] | None = None) -> None:
        super().__init__()
        self.context = AppContext(self, clock=lambda: FROZEN_NOW, report=self.report_error)
        self._setup = setup

    def compose(self) -> ComposeResult:
        with Vertical(id="pane"):
            yield StateViewer(id="viewer")
            yield RunPanel(id="runs")
        yield KeyFooter()  # the app's footer: it shortens the keys to fit

    @property
    def viewer(self) -> StateViewer:
        return self.query_one("#viewer", StateViewer)

    @property
    def runs(self) -> RunPanel:
        return self.query_one("#runs", RunPanel)

    def on_mount(self) -> None:
        self.context.run_view = self.viewer
        if self._setup is not None:
            self._setup(self)

    def report_error(self, exc: BaseException, context: str) -> None:
        self.notify(str(exc), title=context, severity="error", markup=False)


def show_before(app: RunsApp, name: str) -> str:
    """Show the recorded thread as it was before the run; returns its id."""
    before = recording(name)["before"]
    thread = Thread.model_validate(before["thread"])
    state = ThreadState.model_validate(before["state"])
    history = [ThreadState.model_validate(h) for h in before["history"]]
    app.viewer.show_data(thread, state, history)
    app.runs.thread = thread
    app.runs.show_assistants([AGENT], "agent")
    return thread.thread_id


def replayed(name: str, parts: list[tuple[str, Any]], *,
             finish: str | None = None) -> RunsApp:
    """A ``RunsApp`` showing thread ``name`` with ``parts`` of its run streamed so far."""

    def setup(app: RunsApp) -> None:
        thread_id = show_before(app, name)
        progress: RunProgress = app.runs.replay(thread_id, parts)
        if finish is not None:
            progress.finish(finish)
            app.runs.take_interrupts(list(progress.interrupts))
        app.viewer.chat.focus()

    return RunsApp(setup)


# ---------------------------------------------------------------- the real app


def real_app(server_url: str) -> ThreadloomApp:
    return ThreadloomApp(ConnectionSpec(url=DISPLAY_URL), settings=Settings(),
                         clock=lambda: FROZEN_NOW, transport=PortRewrite(server_url))


async def open_thread(pilot: Any, thread_id: str) -> ThreadloomApp:
    """Wait for the connection, open ``thread_id`` and wait until viewer and panel have it."""
    app: ThreadloomApp = pilot.app
    await wait_until(pilot, lambda: app.client is not None, what="the connection")
    app.select_thread(thread_id)
    await wait_until(pilot, lambda: app.panes_ready  # mounted after the first page
                     and app.viewer.data is not None
                     and app.viewer.data.thread_id == thread_id
                     and app.viewer.data.history_loaded
                     and app.runs.thread is not None
                     and app.runs.thread.thread_id == thread_id,
                     what="the thread to open")
    return app


def panel_text(app: App[Any]) -> str:
    """What the run panel shows (its lines on screen)."""
    panel = app.query_one(RunPanel)
    region = panel.region
    lines = screen_text(app).split("\n")[region.y: region.y + region.height]
    return "\n".join(row[region.x: region.x + region.width] for row in lines)


def chat_text(app: App[Any]) -> str:
    viewer = app.query_one(StateViewer)
    region = viewer.chat.region
    lines = screen_text(app).split("\n")[region.y: region.y + region.height]
    return "\n".join(row[region.x: region.x + region.width] for row in lines)


async def type_and_send(pilot: Any, text: str) -> None:
    """R (focus the composer), type ``text``, enter."""
    await pilot.press("R")
    await pilot.pause()
    app = pilot.app
    assert app.focused is app.query_one(RunPanel).input, "R did not focus the composer"
    app.query_one(RunPanel).input.value = text
    await pilot.press("enter")


__all__ = ["screen_text", "wait_until"]
