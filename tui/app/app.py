"""``ThreadloomApp``: the shell — header line, three panes, connection, keys, errors.

What panes use of it is the typed :class:`~tui.app.context.AppContext` (``app.context``, found
with :func:`~tui.app.context.app_context`): the client and its signal, the clock, the spec,
error reporting, the open thread, ``--script``. Panes: ``#threads`` ThreadList, ``#editor``
SuperstepEditor, ``#viewer`` StateViewer (and the run panel under it).

Start-up is ordered by what the user waits for (:mod:`tui.app.startup`): the other panes are
mounted once the first page is on screen (``app.panes_ready``); until then ``app.viewer`` and
``app.runs`` raise, and a thread opened meanwhile is shown once the viewer is there.

The shell's state is in plain objects it owns: ``app.startup`` (:class:`StartupSequence`: when
the panes mount, when an exit may go through), ``app.connection`` (:class:`ConnectionController`:
``/info``, the connect screen, F5, profiles), ``app.focus_memory`` (:class:`PaneFocus`) and the
settings (:class:`ShellSettings`). A failed worker becomes a message, never a traceback
(:meth:`on_worker_state_changed`, :mod:`tui.app.reporting`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker

from tui.app import keys, palette, reporting
from tui.app.connection import ConnectionController
from tui.app.context import AppContext
from tui.app.idle_gc import IdleCollector
from tui.app.pane_keys import Pane, PaneFocus
from tui.app.screens.connect import ConnectScreen
from tui.app.shared.footer import KeyFooter
from tui.app.shared.header import HeaderLine
from tui.app.shell_settings import ShellSettings
from tui.app.startup import PANES_AT_THE_LATEST, StartupSequence
from tui.app.text import notify_text
from tui.app.threads.thread_list import ThreadList
from tui.deployment import Timeout, Unreachable
from tui.services.ids import short_id
from tui.spec import ConnectionSpec

if TYPE_CHECKING:
    from collections.abc import Iterable

    import httpx
    from textual.pilot import Pilot
    from textual.signal import Signal

    from tui.app.commands import PaletteCommand
    from tui.app.editor.events import ThreadsChanged
    from tui.app.runs import RunPanel
    from tui.app.viewer import StateViewer
    from tui.config import Settings
    from tui.deployment import DeploymentClient, ServerInfo

log = logging.getLogger("threadloom.app")
logging.getLogger("threadloom").addHandler(logging.NullHandler())  # run.py adds the log file


def _local_now() -> datetime:
    return datetime.now().astimezone()


class ThreadloomApp(App[int]):
    TITLE = "Threadloom"
    CSS_PATH = str(Path(__file__).with_name("threadloom.tcss"))  # absolute: subclasses work
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | palette.PROVIDERS
    BINDINGS: ClassVar[list[BindingType]] = [*keys.APP_BINDINGS, *keys.RUN_BINDINGS]
    # Esc un-zooms only when nothing inside has anything to leave (``action_unzoom``).
    ESCAPE_TO_MINIMIZE = False
    # The compact layout (threadloom.tcss): ``-short`` below 40 rows, ``-slim`` below 140 columns.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]  # noqa: RUF012 (App declares it so)
    HORIZONTAL_BREAKPOINTS = [(0, "-slim"), (140, "-wide")]  # noqa: RUF012

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
                                  reached=lambda: self.connection.reached(),
                                  settings=lambda: self.settings,
                                  script=script)
        self._settings = ShellSettings(settings)
        self.startup = StartupSequence(self)
        self.connection = ConnectionController(self, transport)
        self._main_screen: Screen[Any] | None = None
        self._viewer: StateViewer | None = None
        self._runs: RunPanel | None = None
        self.idle_gc = IdleCollector()

    # The connection's part of the app context, as the app's own attributes.

    @property
    def spec(self) -> ConnectionSpec:
        return self.connection.spec

    @property
    def client(self) -> DeploymentClient | None:
        return self.context.client

    @property
    def connection_signal(self) -> Signal[DeploymentClient | None]:
        """Publishes the client when a connection is confirmed, and None when the app lets go
        of it (profile switch)."""
        return self.context.connection

    @property
    def server_info(self) -> ServerInfo | None:
        return self.connection.server_info

    @property
    def settings(self) -> Settings:
        """The config file's settings (its defaults when there is none, or it is broken)."""
        return self._settings.settings

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        # References are kept: App.query_one searches the screen on top (a modal, the
        # connect screen), not the main screen where the panes live.
        self._header = HeaderLine(id="header")
        self._threads = ThreadList(id="threads")
        self._panes: dict[str, Widget] = {
            "threads": self._threads,
            "editor": Pane("2 Editor", id="editor-pane"),
            "viewer": Pane("3 State", id="viewer-pane"),
        }
        yield self._header
        with Vertical(id="main"):
            yield self._threads
            with Horizontal(id="bottom"):
                yield self._panes["editor"]
                yield self._panes["viewer"]
        self._footer = KeyFooter(hold=True)  # released with the first page (mount_panes)
        yield self._footer
        self.focus_memory = PaneFocus(self._panes)

    @property
    def threads(self) -> ThreadList:
        return self._threads

    @property
    def header(self) -> HeaderLine:
        return self._header

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
        self.startup.started(lambda: self.exit(None, 0))
        self._main_screen = self.screen
        self._apply_keymap(report=False)
        if self._settings.problem:
            self.notify(notify_text(self._settings.problem), title="Config file ignored",
                        severity="warning", markup=False, timeout=10)
        if self._settings.read is not None:
            self.threads.refresh_every = float(self._settings.read.auto_refresh_seconds)
        self.connection.show_header()
        self.watch(self.screen, "focused", self.focus_memory.show_focus)  # the lit border
        self.threads.focus()
        self.set_timer(PANES_AT_THE_LATEST, self.startup.mount_panes)
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
        overrides = self._settings.keymap()
        if overrides is not None:
            self.context.keymap = overrides[0]
            self.set_keymap(overrides[0])
            for problem in overrides[1] if report else ():
                self.notify(notify_text(problem), title="Key override ignored",
                            severity="warning", markup=False, timeout=8)

    # ------------------------------------------------------------------ start-up and exit

    def on_ready(self) -> None:
        # Textual sends Ready once the first frame is on the terminal. Connecting loads httpx
        # and pydantic (~0.1 s), so it starts here: the first frame does not wait for them.
        self.connection.connect()

    @on(ThreadList.FirstPage)
    def _first_page(self) -> None:
        # After the refresh: the rows reach the screen before the other panes are built.
        self.call_after_refresh(self.startup.mount_panes)

    def pane_frame(self, name: str) -> Widget:
        return self._panes[name]

    def release_footer(self) -> None:
        self._footer.release()

    def adopt_panes(self, viewer: StateViewer, runs: RunPanel) -> None:
        self._viewer, self._runs = viewer, runs
        self.context.run_view = viewer

    def panes_mounted(self) -> None:
        self._apply_keymap(report=True)  # every pane's keys exist now
        if self.context.thread_id is not None:  # opened before the viewer was there
            self.open_thread(self.context.thread_id)
        if self.client is not None:
            self.open_script()

    def open_script(self) -> None:
        """Open ``--script`` in the editor once connected and the editor is mounted."""
        if not self.context.script or not self.panes_ready:
            return
        from tui.app.editor import SuperstepEditor  # mounted: already imported

        script = self.context.take_script()
        if script:
            self.main_screen.query_one("#editor", SuperstepEditor).sender.open_script(script)

    def exit_from_signal(self) -> bool:
        """Quit as ``q`` does, from a signal handler; False when already asked once."""
        return self.startup.exit_from_signal(lambda: self.exit(None, 0))

    def exit(self, result: int | None = None, return_code: int = 0,
             message: Any = None) -> None:
        """Quit; while the panes are being mounted, once they are (``StartupSequence.exit``)."""
        self.startup.exit(lambda: super(ThreadloomApp, self).exit(result, return_code, message))

    @contextlib.asynccontextmanager
    async def run_test(self, *args: Any, **kwargs: Any) -> AsyncIterator[Pilot[int]]:
        """Textual's; a pane mount in progress finishes first (``before_shutdown``)."""
        async with super().run_test(*args, **kwargs) as pilot:
            try:
                yield pilot
            finally:
                await self.startup.before_shutdown()

    # ------------------------------------------------------------------ connection

    def on_connect_screen_retry(self, event: ConnectScreen.Retry) -> None:
        event.stop()
        self.connection.connect()

    def on_connect_screen_switch_profile(self, event: ConnectScreen.SwitchProfile) -> None:
        event.stop()
        self.connection.choose_profile()

    def action_reconnect(self) -> None:
        self.connection.reconnect()

    def action_switch_profile(self) -> None:
        self.connection.choose_profile()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return self.connection.palette_commands()

    # ------------------------------------------------------------------ errors

    def report_error(self, exc: BaseException, context: str) -> None:
        """A failure as a notification (literal, secrets masked: :mod:`tui.app.reporting`);
        a lost connection also goes to the header line."""
        message = reporting.failure_line(exc, context, reporting.secrets_of(self.spec,
                                                                            self.client))
        if isinstance(exc, Unreachable | Timeout):
            self.connection.lost()
        self.notify(notify_text(message), title=notify_text(context, 100),
                    severity="error", markup=False, timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker becomes a message (never a traceback)."""
        failure = reporting.worker_failure(event)
        if failure is not None:
            self.report_error(*failure)

    # ------------------------------------------------------------------ threads

    def select_thread(self, thread_id: str) -> None:
        """Select ``thread_id`` in the list (fetching its row when it is not loaded) and
        open it in the state viewer."""
        if not self.threads.select_thread(thread_id):
            self.threads.show_server_row(thread_id)
        self.open_thread(thread_id)

    def open_thread(self, thread_id: str | None) -> None:
        """Show ``thread_id`` in the state viewer (``None``: nothing); before the viewer is
        mounted it shows it as soon as it is."""
        self.context.thread_id = thread_id
        if self._viewer is not None and self._runs is not None:
            self._viewer.show_thread(thread_id)
            self._runs.show_thread(thread_id)

    def on_run_panel_activity(self, event: RunPanel.Activity) -> None:
        """A run started or ended (the run panel says so): the header and the thread's row
        show it without a refresh."""
        event.stop()
        self._header.show_run(short_id(event.thread_id), event.status, live=event.live)
        self.threads.follow_run(event.thread_id, event.live)

    def on_threads_changed(self, event: ThreadsChanged) -> None:
        """The editor made or deleted a thread: the list shows the server's threads again."""
        event.stop()
        self.threads.reload()

    @on(ThreadList.Opened)
    def _opened(self, event: ThreadList.Opened) -> None:
        self.open_thread(event.thread_id)

    @on(ThreadList.Removed)
    def _removed(self, event: ThreadList.Removed) -> None:
        if self.context.thread_id == event.thread_id:
            self.open_thread(None)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pane and run keys work on the main screen only (not on the connect screen, where
        there is no pane and no thread: the footer does not offer them there)."""
        pane_action = action in ("zoom", "unzoom", "focus_pane", "runs")
        return not (pane_action and isinstance(self.screen, ConnectScreen))

    def action_focus_pane(self, name: str) -> None:
        if not self.focus_memory.focus(name, self.screen):
            self.notify(f"The {name} pane has nothing to focus yet.", timeout=3)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.focus_memory.remember(event.widget)

    def action_unzoom(self) -> None:
        """The outermost Esc (see :data:`tui.app.keys.ESCAPE_RULE`): un-zoom, once nothing
        inside had anything to leave."""
        if self.screen.maximized is None:
            keys.nothing_to_leave()
        self.screen.minimize()

    def action_zoom(self) -> None:
        self.focus_memory.toggle_zoom(self.screen)

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
