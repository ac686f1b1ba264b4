"""``ThreadloomApp``: the shell — header line, three panes, connection, keys, errors.

The contract other panes rely on:

- ``ThreadloomApp(spec, *, script=None, settings=None, clock=None, transport=None)``
- ``app.client``: the :class:`DeploymentClient` (``None`` until connected);
  ``app.connection_signal`` (a Textual ``Signal``) publishes it when a connection is confirmed
  and ``None`` when the app lets go of it
- ``app.clock()``: "now" (frozen in tests)
- ``app.select_thread(thread_id)``: select it in the list and open it in the state viewer
- ``app.report_error(exc, context)``: show a failure where the user looks (literal text)
- ``app.script``: the ``--script`` path given at start (the editor opens it), or ``None``
- panes: ``#threads`` ThreadList, ``#editor`` SuperstepEditor, ``#viewer`` StateViewer

Widgets run their requests in workers with ``exit_on_error=False``; a worker that fails with
something other than a handled ``DeploymentError`` reaches :meth:`on_worker_state_changed`
(widgets forward theirs with :class:`tui.app.failures.ForwardWorkerFailures`), which turns it
into a message — never a traceback on screen.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import httpx
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.signal import Signal
from textual.widget import Widget
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from tui.app import keys
from tui.app.commands import ThreadloomCommands
from tui.app.connection import ConnectionMixin
from tui.app.screens.connect import ConnectScreen
from tui.app.screens.help import HelpScreen, sections_for
from tui.app.text import notify_text
from tui.app.widgets.editor import SuperstepEditor
from tui.app.widgets.header import ConnectionState, HeaderLine
from tui.app.widgets.runs import RUN_BINDINGS, RunPanel
from tui.app.widgets.state_viewer import StateViewer
from tui.app.widgets.thread_list import ThreadList
from tui.app.widgets.thread_rows import EXTRACT, SELECT
from tui.config import ConfigError, ConnectionSpec, Settings, load_settings
from tui.deployment import DeploymentClient, DeploymentError, ServerInfo, Timeout, Unreachable

log = logging.getLogger("threadloom.app")
logging.getLogger("threadloom").addHandler(logging.NullHandler())  # run.py adds the log file

class Pane(Vertical):
    """A bordered pane around another engineer's widget; the unit of focus and zoom."""

    ALLOW_MAXIMIZE = True


def _local_now() -> datetime:
    return datetime.now().astimezone()


class ThreadloomApp(ConnectionMixin):
    TITLE = "Threadloom"
    CSS_PATH = str(Path(__file__).with_name("threadloom.tcss"))  # absolute: subclasses work
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {ThreadloomCommands}
    BINDINGS: ClassVar[list[BindingType]] = [*keys.APP_BINDINGS, *RUN_BINDINGS]

    def __init__(
        self,
        spec: ConnectionSpec,
        *,
        script: str | None = None,
        settings: Settings | None = None,
        clock: Callable[[], datetime] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__()
        self.spec = spec
        self.script = script
        self._settings_problem: str | None = None
        if settings is None:
            try:
                settings = load_settings()
            except ConfigError as exc:
                settings, self._settings_problem = Settings(), str(exc)
        self.settings = settings
        self.clock: Callable[[], datetime] = clock or _local_now
        self.transport = transport
        self.client: DeploymentClient | None = None
        # Published with the client when a connection is confirmed, and with None when the app
        # lets go of it (profile switch): panes subscribe instead of polling ``app.client``.
        self.connection_signal: Signal[DeploymentClient | None] = Signal(self, "connection")
        self.server_info: ServerInfo | None = None
        self.connection_state: ConnectionState = "connecting"
        self._connect_screen: ConnectScreen | None = None
        self.open_thread_id: str | None = None
        self._last_focus: dict[str, Widget] = {}
        self._main_screen: Screen[Any] | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        # References are kept: App.query_one searches the screen on top (a modal, the
        # connect screen), not the main screen where the panes live.
        self._header = HeaderLine(id="header")
        self._threads = ThreadList(id="threads")
        self._viewer = StateViewer(id="viewer")
        self._runs = RunPanel(id="runs")
        self._panes: dict[str, Widget] = {
            "threads": self._threads,
            "editor": Pane(id="editor-pane", classes="pane"),
            "viewer": Pane(id="viewer-pane", classes="pane"),
        }
        yield self._header
        with Vertical(id="main"):
            yield self._threads
            with Horizontal(id="bottom"):
                with self._panes["editor"]:
                    yield SuperstepEditor(id="editor")
                with self._panes["viewer"]:
                    yield self._viewer
                    yield self._runs
        yield Footer()

    @property
    def threads(self) -> ThreadList:
        return self._threads

    @property
    def viewer(self) -> StateViewer:
        return self._viewer

    @property
    def runs(self) -> RunPanel:
        """The run panel under the viewer (continue the open thread's conversation)."""
        return self._runs

    @property
    def main_screen(self) -> Screen[Any]:
        """The screen the panes live on (``self.screen`` may be a modal on top of it)."""
        return self._main_screen or self.screen

    def on_mount(self) -> None:
        self._main_screen = self.screen
        self._panes["editor"].border_title = "2 Editor"
        self._panes["viewer"].border_title = "3 State"
        self._apply_keymap()
        if self._settings_problem:
            self.notify(notify_text(self._settings_problem), title="Config file ignored",
                        severity="warning", markup=False, timeout=10)
        self.threads.refresh_every = float(self.settings.auto_refresh_seconds)
        self._show_header()
        self.threads.focus()
        self.connect()

    def _apply_keymap(self) -> None:
        if not self.settings.keys:
            return
        keymap, problems = keys.user_keymap(self.settings.keys, keys.all_binding_ids())
        self.set_keymap(keymap)
        for problem in problems:
            self.notify(notify_text(problem), title="Key override ignored", severity="warning",
                        markup=False, timeout=8)

    # ------------------------------------------------------------------ errors

    def report_error(self, exc: BaseException, context: str) -> None:
        """Show a failure as a notification (literal text); a lost connection also goes to
        the header line."""
        if isinstance(exc, DeploymentError):
            message = self.scrub(str(exc))
            log.info("%s: %s", context, message)
        else:
            # An unexpected failure may carry anything, the API key included: the message and
            # the logged traceback are masked like the client masks its own errors.
            message = self.scrub(f"{type(exc).__name__}: {exc}")
            trace = "".join(traceback.format_exception(exc))
            log.error("%s\n%s", context, self.scrub(trace.rstrip()))
        if isinstance(exc, Unreachable | Timeout) and self.client is not None:
            self.connection_state = "offline"
            self._show_header("press F5 to reconnect")
        self.notify(notify_text(message), title=notify_text(context, 100),
                    severity="error", markup=False, timeout=10)

    def scrub(self, text: str) -> str:
        """``text`` with the API key and every header value masked (for messages, the log)."""
        spec = self.spec
        secrets = [spec.api_key() or "", *spec.resolved_headers().values()]
        if self.client is not None:
            secrets += self.client.connection.secrets()
        for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
            text = text.replace(secret, "•••")
        return text

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker becomes a message (never a traceback)."""
        worker = event.worker
        if event.state is not WorkerState.ERROR or worker.error is None:
            return
        context = worker.description or worker.name or "A background task"
        name = (worker.name or "").strip("_").replace("_", " ")
        self.report_error(worker.error, f"{name.capitalize() or context} failed")

    # ------------------------------------------------------------------ threads

    def select_thread(self, thread_id: str) -> None:
        """Select ``thread_id`` in the list (fetching its row when it is not loaded) and
        open it in the state viewer."""
        if not self.threads.select_thread(thread_id):
            self._fetch_row(thread_id)
        self.open_thread(thread_id)

    def open_thread(self, thread_id: str | None) -> None:
        """Show ``thread_id`` in the state viewer (``None``: nothing)."""
        self.open_thread_id = thread_id
        self.viewer.show_thread(thread_id)
        self.runs.show_thread(thread_id)

    @work(group="select-thread", exit_on_error=False)
    async def _fetch_row(self, thread_id: str) -> None:
        if self.client is None:
            return
        try:
            page = await self.client.threads.search(ids=[thread_id], limit=1, select=SELECT,
                                                    extract=EXTRACT)
        except DeploymentError as exc:
            self.report_error(exc, "Showing the thread in the list")
            return
        threads = self.threads
        for thread in page.items:
            if thread.thread_id == thread_id and threads.search_query.matches(thread):
                threads.put_first(thread)

    @on(ThreadList.Opened)
    def _opened(self, event: ThreadList.Opened) -> None:
        self.open_thread(event.thread_id)

    @on(ThreadList.Removed)
    def _removed(self, event: ThreadList.Removed) -> None:
        if self.open_thread_id == event.thread_id:
            self.open_thread(None)

    # ------------------------------------------------------------------ actions

    def action_help(self) -> None:
        self.push_screen(HelpScreen(sections_for(self.screen)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pane keys work on the main screen only (not on the connect screen)."""
        pane_action = action in ("zoom", "focus_pane")
        return not (pane_action and isinstance(self.screen, ConnectScreen))

    def action_focus_pane(self, name: str) -> None:
        pane = self._panes.get(name)
        if pane is None:
            return
        if self.screen.maximized is not None and self.screen.maximized is not pane:
            self.screen.maximized = pane
        last = self._last_focus.get(name)
        if last is not None and last.is_attached and last.focusable:
            last.focus()
            return
        if isinstance(pane, ThreadList):
            pane.table.focus()
            return
        target = next((w for w in pane.query("*") if isinstance(w, Widget) and w.focusable),
                      None)
        if target is not None:
            target.focus()
        else:
            self.notify(f"The {name} pane has nothing to focus yet.", timeout=3)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Remember where the focus was in each pane, to return there with 1 / 2 / 3."""
        name = self._pane_of(event.widget)
        if name is not None:
            self._last_focus[name] = event.widget

    def _pane_of(self, widget: Widget | None) -> str | None:
        panes = {pane: name for name, pane in self._panes.items()}
        while widget is not None:
            if widget in panes:
                return panes[widget]
            parent = widget.parent
            widget = parent if isinstance(parent, Widget) else None
        return None

    def action_zoom(self) -> None:
        screen = self.screen
        if screen.maximized is not None:
            screen.minimize()
            return
        name = self._pane_of(self.focused) or "threads"
        screen.maximized = self._panes[name]

    def action_runs(self, what: str) -> None:
        """R / X / J: compose, cancel, join — on the open thread (see ``RunPanel.command``)."""
        self.runs.command(what)

    async def action_quit(self) -> None:
        self.exit(0)

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()
