"""``ThreadloomApp``: the shell — header line, three panes, connection, keys, errors.

The contract other panes rely on:

- ``ThreadloomApp(spec, *, script=None, settings=None, clock=None, transport=None)``
- ``app.context``: the :class:`~tui.app.context.AppContext` panes use (through
  :func:`~tui.app.context.app_context`); the attributes below are its parts
- ``app.client``: the :class:`DeploymentClient` (``None`` until connected);
  ``app.connection_signal`` (a Textual ``Signal``) publishes it when a connection is confirmed
  and ``None`` when the app lets go of it
- ``app.clock()``: "now" (frozen in tests)
- ``app.select_thread(thread_id)``: select it in the list and open it in the state viewer
- ``app.report_error(exc, context)``: show a failure where the user looks (literal text)
- ``app.context.script``: the ``--script`` path given at start, until the editor opens it
- panes: ``#threads`` ThreadList, ``#editor`` SuperstepEditor, ``#viewer`` StateViewer

Start-up is ordered by what the user waits for: the first frame (header, the thread list,
empty pane frames) is drawn before httpx and pydantic are loaded; the connection and the first
page of threads come next; the editor, the state viewer and the run panel are mounted right after
that page is on screen (``app.panes_ready``; :mod:`tui.app.startup`). Until then ``app.viewer`` and
``app.runs`` raise, and a thread opened meanwhile is shown once the viewer is there.

Widgets run their requests in workers with ``exit_on_error=False``; a worker that fails with
something other than a handled ``DeploymentError`` reaches :meth:`on_worker_state_changed`
(widgets forward theirs with :class:`tui.app.failures.ForwardWorkerFailures`), which turns it
into a message — never a traceback on screen.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from tui import paths
from tui.app import keys
from tui.app.connection import ConnectionMixin
from tui.app.context import AppContext
from tui.app.idle_gc import IdleCollector
from tui.app.pane_keys import Pane, PaneKeysMixin
from tui.app.screens.connect import ConnectScreen
from tui.app.shared.footer import KeyFooter
from tui.app.shared.header import ConnectionState, HeaderLine
from tui.app.startup import PANES_AT_THE_LATEST, StartupMixin
from tui.app.text import notify_text
from tui.app.threads.thread_list import ThreadList
from tui.deployment import DeploymentError, Timeout, Unreachable
from tui.services.ids import short_id
from tui.services.listing import ROW_COLUMNS, ROW_EXTRACT
from tui.services.threads import thread_row
from tui.spec import ConfigError, ConnectionSpec

if TYPE_CHECKING:
    import httpx
    from textual.command import Provider

    from tui.app.editor.events import ThreadsChanged
    from tui.app.runs import RunPanel
    from tui.app.runs.follow import RunFollower
    from tui.app.viewer import StateViewer
    from tui.config import Settings
    from tui.deployment import ServerInfo

ACTIVITY_SECONDS = 15.0
"""How long the header says how the last run ended."""

log = logging.getLogger("threadloom.app")
logging.getLogger("threadloom").addHandler(logging.NullHandler())  # run.py adds the log file


def _local_now() -> datetime:
    return datetime.now().astimezone()


def _commands() -> type[Provider]:
    """The palette's provider, loaded when the palette first opens."""
    from tui.app.commands import ThreadloomCommands

    return ThreadloomCommands


def _thread_ids() -> type[Provider]:
    """The palette's "open a thread by (part of) its id" provider."""
    from tui.app.commands import ThreadIdCommands

    return ThreadIdCommands


class ThreadloomApp(StartupMixin, PaneKeysMixin, ConnectionMixin):
    TITLE = "Threadloom"
    CSS_PATH = str(Path(__file__).with_name("threadloom.tcss"))  # absolute: subclasses work
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {_commands, _thread_ids}
    BINDINGS: ClassVar[list[BindingType]] = [*keys.APP_BINDINGS, *keys.RUN_BINDINGS]

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
        self.clock: Callable[[], datetime] = clock or _local_now
        # What the panes use of the app, typed (tui.app.context): the client, the clock, the
        # spec, error reporting and the open thread.
        self.context = AppContext(self, spec, clock=self.clock, report=self.report_error,
                                  select=self.select_thread,
                                  worker_failed=self.on_worker_state_changed,
                                  reached=self.mark_connected, settings=lambda: self.settings,
                                  script=script)
        self._settings_problem: str | None = None
        if settings is None and paths.config_file().exists():
            # Only a config file costs pydantic before the first frame; without one the
            # defaults are made when first asked for (``settings``).
            from tui.config import load_settings

            try:
                settings = load_settings()
            except ConfigError as exc:
                self._settings_problem = str(exc)
        self._settings = settings
        self.transport = transport
        self.server_info: ServerInfo | None = None
        self.connection_state: ConnectionState = "connecting"
        self._connect_screen: ConnectScreen | None = None
        self._last_focus: dict[str, Widget] = {}
        self._main_screen: Screen[Any] | None = None
        self._viewer: StateViewer | None = None
        self._runs: RunPanel | None = None
        self._panes_mounting = False
        self._panes_done: asyncio.Event | None = None  # set once mount_panes has finished
        self._quitting = False
        self.idle_gc = IdleCollector()
        self._signal_loop: asyncio.AbstractEventLoop | None = None
        self._signalled = False
        self._exit_task: asyncio.Task[None] | None = None
        self._activity_timer: Timer | None = None

    @property
    def open_thread_id(self) -> str | None:
        """The thread open in the state viewer (or to open once it is mounted)."""
        return self.context.thread_id

    @property
    def settings(self) -> Settings:
        """The config file's settings (its defaults when there is none, or it is broken)."""
        if self._settings is None:
            from tui.config import Settings

            self._settings = Settings()
        return self._settings

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        # References are kept: App.query_one searches the screen on top (a modal, the
        # connect screen), not the main screen where the panes live.
        self._header = HeaderLine(id="header")
        self._threads = ThreadList(id="threads")
        self._panes: dict[str, Widget] = {
            "threads": self._threads,
            "editor": Pane(id="editor-pane", classes="pane"),
            "viewer": Pane(id="viewer-pane", classes="pane"),
        }
        yield self._header
        with Vertical(id="main"):
            yield self._threads
            with Horizontal(id="bottom"):
                yield self._panes["editor"]
                yield self._panes["viewer"]
        self._footer = KeyFooter(hold=True)  # released with the first page (mount_panes)
        yield self._footer

    @property
    def threads(self) -> ThreadList:
        return self._threads

    @property
    def panes_ready(self) -> bool:
        """The editor, the state viewer and the run panel are mounted."""
        return self._viewer is not None and self._runs is not None

    @property
    def viewer(self) -> StateViewer:
        """The state viewer (mounted just after the thread list's first page)."""
        if self._viewer is None:
            raise RuntimeError("the state viewer is not mounted yet (see panes_ready)")
        return self._viewer

    @property
    def runs(self) -> RunPanel:
        """The run panel under the viewer (continue the open thread's conversation)."""
        if self._runs is None:
            raise RuntimeError("the run panel is not mounted yet (see panes_ready)")
        return self._runs

    @property
    def main_screen(self) -> Screen[Any]:
        """The screen the panes live on (``self.screen`` may be a modal on top of it)."""
        return self._main_screen or self.screen

    def on_mount(self) -> None:
        self._signal_loop = asyncio.get_running_loop()
        if self._signalled:
            self.exit(None, 0)
        self._main_screen = self.screen
        self._panes["editor"].border_title = "2 Editor"
        self._panes["viewer"].border_title = "3 State"
        self._apply_keymap(report=False)
        if self._settings_problem:
            self.notify(notify_text(self._settings_problem), title="Config file ignored",
                        severity="warning", markup=False, timeout=10)
        if self._settings is not None:
            self.threads.refresh_every = float(self._settings.auto_refresh_seconds)
        self._show_header()
        self.threads.focus()
        self.set_timer(PANES_AT_THE_LATEST, self.mount_panes)
        self.idle_gc.start()
        self.set_interval(0.5, self.idle_gc.tick, name="idle-gc")

    def on_resize(self) -> None:
        self.threads.fit_height()  # its share of a taller or shorter screen

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.idle_gc.input_seen()
        await super().on_event(event)

    def _apply_keymap(self, *, report: bool) -> None:
        """The user's key overrides. Applied before the first frame for the keys known then,
        and again (reporting what cannot be used) once every pane is mounted."""
        if self._settings is None or not self._settings.keys:
            return
        keymap, problems = keys.user_keymap(self._settings.keys, keys.all_binding_ids())
        self.set_keymap(keymap)
        for problem in problems if report else ():
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
        """Show ``thread_id`` in the state viewer (``None``: nothing); before the viewer is
        mounted it shows it as soon as it is."""
        self.context.thread_id = thread_id
        if self._viewer is not None and self._runs is not None:
            self._viewer.show_thread(thread_id)
            self._runs.show_thread(thread_id)

    @work(group="select-thread", exit_on_error=False)
    async def _fetch_row(self, thread_id: str) -> None:
        await self._show_row(thread_id)

    @work(exclusive=True, group="run-row", exit_on_error=False)
    async def _fetch_run_row(self, thread_id: str, running: bool) -> None:
        await self._show_row(thread_id, running=running)

    async def _show_row(self, thread_id: str, *, running: bool = False) -> None:
        """Show ``thread_id``'s row as the server has it now: in place when it is listed, else
        first (when the search would list it). ``running``: a run the app follows is live on
        it, so the row says ``busy`` even while the server still says ``idle`` (measured on the
        in-memory server: until its queue starts the run, which is the whole of a short one)."""
        if self.client is None:
            return
        try:
            thread = await thread_row(self.client, thread_id, select=ROW_COLUMNS,
                                      extract=ROW_EXTRACT)
        except DeploymentError as exc:
            self.report_error(exc, "Showing the thread in the list")
            return
        if thread is None:
            return
        threads = self.threads
        if running and thread.status == "idle":
            thread = thread.model_copy(update={"status": "busy"})
        if thread_id in threads.by_id:
            threads.update_thread(thread)
        elif threads.search_query.matches(thread):
            threads.put_first(thread)

    def on_run_follower_activity(self, event: RunFollower.Activity) -> None:
        """A run started or ended (the run panel says so): the header and the thread's row
        show it without a refresh — the row fetched once at the start and once at the end."""
        event.stop()
        short = short_id(event.thread_id)
        header = self._header
        header.activity = (f"▶ run on {short}: {event.status}" if event.live
                           else f"run on {short} ended: {event.status}")
        header.activity_live = event.live
        if self._activity_timer is not None:
            self._activity_timer.stop()
            self._activity_timer = None
        if not event.live:
            self._activity_timer = self.set_timer(ACTIVITY_SECONDS, self._clear_activity)
        listed = self.threads.by_id.get(event.thread_id)
        if event.live and listed is not None:
            self.threads.update_thread(listed.model_copy(update={"status": "busy"}))
        self._fetch_run_row(event.thread_id, event.live)

    def _clear_activity(self) -> None:
        self._activity_timer = None
        self._header.activity = ""

    def on_threads_changed(self, event: ThreadsChanged) -> None:
        """The editor made or deleted a thread: the list shows the server's threads again."""
        event.stop()
        self.threads.reload()

    @on(ThreadList.Opened)
    def _opened(self, event: ThreadList.Opened) -> None:
        self.open_thread(event.thread_id)

    @on(ThreadList.Removed)
    def _removed(self, event: ThreadList.Removed) -> None:
        if self.open_thread_id == event.thread_id:
            self.open_thread(None)

    # ------------------------------------------------------------------ actions

    def action_help(self) -> None:
        from tui.app.screens.help import HelpScreen, sections_for

        self.push_screen(HelpScreen(sections_for(self.screen)))

    def action_runs(self, what: str) -> None:
        """R / X / J: compose, cancel, join — on the open thread (see ``RunPanel.command``)."""
        if self._runs is not None:
            self._runs.command(what)

    async def action_quit(self) -> None:
        self.exit(0)

    async def on_unmount(self) -> None:
        self.idle_gc.stop()
        if self.client is not None:
            await self.client.aclose()
