"""Helpers for the superstep editor's tests: the real app wired to the test server, a small host
app for snapshots, and waiting for what the user would wait for."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.support import DISPLAY_URL, FROZEN_NOW, ContextHost, PortRewrite, until
from tests.support import type_text as type_text  # the editor tests import it from here
from tui.app.app import ThreadloomApp
from tui.app.context import AppContext
from tui.app.editor import SuperstepEditor
from tui.app.shared.footer import KeyFooter
from tui.config import ConnectionSpec, Settings
from tui.deployment import DeploymentClient, DeploymentError


def counter_ids() -> Callable[[], str]:
    """Deterministic tool call ids: call_1, call_2, ..."""
    numbers = itertools.count(1)
    return lambda: f"call_{next(numbers)}"


def real_app(server_url: str, *, script: str | None = None) -> ThreadloomApp:
    """The whole app, talking to the test server while showing ``DISPLAY_URL``."""
    return ThreadloomApp(ConnectionSpec(url=DISPLAY_URL), script=script, settings=Settings(),
                         clock=lambda: FROZEN_NOW, transport=PortRewrite(server_url))


class EditorHost(ContextHost):
    """Only the editor (plus a footer), with the app context it uses: ``client``, ``spec``,
    ``clock``, ``select_thread``, ``report_error`` and ``script``."""

    CSS = "SuperstepEditor { border: round $accent; }"

    def __init__(self, server_url: str, *, api_key_env: str | None = None,
                 script: str | None = None) -> None:
        super().__init__()
        self.spec = ConnectionSpec(url=DISPLAY_URL, api_key_env=api_key_env)
        self.context = AppContext(self, self.spec, clock=self.clock, report=self.report_error,
                                  select=self.select_thread, script=script)
        self._server_url = server_url
        self.selected: list[str] = []
        self.errors: list[str] = []

    def clock(self) -> datetime:
        return FROZEN_NOW

    def compose(self) -> ComposeResult:
        yield SuperstepEditor(id="editor", id_factory=counter_ids())
        yield KeyFooter()  # the app's footer: it shortens the keys to fit

    def on_mount(self) -> None:
        self.client = self.spec.client(PortRewrite(self._server_url))

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()

    def select_thread(self, thread_id: str) -> None:
        self.selected.append(thread_id)

    def report_error(self, exc: BaseException, context: str) -> None:
        self.errors.append(f"{context}: {exc}")
        self.notify(str(exc), title=context, severity="error", markup=False)


def editor_of(app: App[Any]) -> SuperstepEditor:
    screen = getattr(app, "main_screen", app.screen)
    return screen.query_one("#editor", SuperstepEditor)


async def wait_for(pilot: Pilot[Any], condition: Callable[[], object], *,
                   timeout: float = 15.0, what: str = "the condition") -> None:
    """``tests.support.until`` with the editor tests' shorter timeout."""
    await until(pilot, condition, what, timeout)


def editor_connected(app: ThreadloomApp) -> bool:
    """The panes are mounted and the editor has taken the app's connection (its requests for
    the graphs have started): what a test waits for instead of a fixed pause."""
    if not app.panes_ready:
        return False
    return editor_of(app).client is app.client


async def graph_ready(pilot: Pilot[Any], *, nodes: bool = True) -> SuperstepEditor:
    """Connected, and the graph's nodes are known (the as_node picker is graph-aware);
    ``nodes=False``: only the deployment's graphs (a script without a graph)."""
    app = pilot.app  # ThreadloomApp mounts the editor just after the first page of threads
    await wait_for(pilot, lambda: getattr(app, "main_screen", app.screen).query("#editor"),
                   what="the editor")
    editor = editor_of(app)
    if nodes:
        await wait_for(pilot, lambda: editor.catalog.node_names is not None,
                       what="the graph's nodes")
    else:
        await wait_for(pilot, lambda: editor.catalog.graphs is not None, what="the graphs")
    await pilot.pause()
    return editor


def still(app: App[Any]) -> None:
    """No blinking cursors: the same screen every time."""
    for widget in app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    for screen in app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False


async def thread_values(sdk: Any, thread_id: str) -> Any:
    state = await sdk.threads.get_state(thread_id)
    return state["values"]


def without_ids(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages as comparable across threads: the server's random ``id`` left out."""
    return [{k: v for k, v in m.items() if k != "id"} for m in messages]


async def exists(client: DeploymentClient, thread_id: str) -> bool:
    try:
        await client.threads.get(thread_id)
    except DeploymentError:
        return False
    return True
