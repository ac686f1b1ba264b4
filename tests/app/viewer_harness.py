"""A small host app for the state viewer tests: just the ``StateViewer`` and the parts of the
app context it uses (``client``, ``clock``, ``report_error``, ``select_thread``).

Data comes either from the real test server (``client``) or from recorded JSON fixtures
(``tests/app/data/viewer_*.json``, captured from the real server by
``record_viewer_fixtures.py``) fed to ``StateViewer.show_data``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from textual.app import ComposeResult

from tests.support import DISPLAY_URL, FROZEN_NOW, ContextHost, PortRewrite, until
from tui.app.context import AppContext
from tui.app.shared.footer import KeyFooter
from tui.app.viewer import StateViewer
from tui.deployment import DeploymentClient, Thread, ThreadState

DATA = Path(__file__).parent / "data"
SIZE = (150, 42)


def load_fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"viewer_{name}.json").read_text("utf-8"))
    return data


def fixture_models(name: str) -> tuple[Thread, ThreadState, list[ThreadState], dict[str, Any]]:
    data = load_fixture(name)
    thread = Thread.model_validate(data["thread"])
    state = ThreadState.model_validate(data["state"])
    history = [ThreadState.model_validate(h) for h in data["history"]]
    return thread, state, history, data


class ViewerApp(ContextHost):
    """Hosts ``StateViewer(id="viewer")`` the way the shell does."""

    CSS = "StateViewer { height: 1fr; }"

    def __init__(self, *, server_url: str | None = None,
                 clock: Callable[[], datetime] | None = None,
                 on_ready: Callable[[StateViewer], None] | None = None) -> None:
        super().__init__()
        self.context = AppContext(self, clock=clock or (lambda: FROZEN_NOW),
                                  report=self.report_error, select=self.select_thread)
        if server_url is not None:
            transport: httpx.AsyncBaseTransport = PortRewrite(server_url)
            self.client = DeploymentClient(DISPLAY_URL, api_key=None, transport=transport)
        self.errors: list[tuple[str, str]] = []
        self.selected: list[str] = []
        self.copied: list[str] = []
        self._on_ready = on_ready

    def compose(self) -> ComposeResult:
        yield StateViewer(id="viewer")
        yield KeyFooter()  # the app's footer: it shortens the keys to fit

    def on_mount(self) -> None:
        if self._on_ready is not None:
            self._on_ready(self.viewer)

    @property
    def viewer(self) -> StateViewer:
        return self.query_one("#viewer", StateViewer)

    def report_error(self, exc: BaseException, context: str) -> None:
        self.errors.append((context, str(exc)))
        self.notify(str(exc), title=context, severity="error", markup=False)

    def select_thread(self, thread_id: str) -> None:
        self.selected.append(thread_id)
        self.viewer.show_thread(thread_id)

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)
        super().copy_to_clipboard(text)

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()


def recorded_app(name: str, *, view: str | None = None,
                 setup: Callable[[StateViewer], None] | None = None) -> ViewerApp:
    """An app showing the recorded thread ``name`` (no server needed)."""
    thread, state, history, _ = fixture_models(name)

    def ready(viewer: StateViewer) -> None:
        viewer.show_data(thread, state, history)
        if view is not None:
            viewer.action_view(view)
        viewer.current_view().focus()
        if setup is not None:
            setup(viewer)

    return ViewerApp(on_ready=ready)


async def wait_until(pilot: Any, predicate: Callable[[], bool], timeout: float = 15.0,
                     what: str = "the condition") -> None:
    """Let the app run until ``predicate()`` holds (real-server round trips take a while),
    then one more round of messages."""
    await until(pilot, predicate, what, timeout)
    await pilot.pause()
