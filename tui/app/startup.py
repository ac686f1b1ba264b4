"""Start-up and exit order: the first frame, then the connection and the first page, then the
other panes; quitting (q, SIGINT, the end of a test session) never meets a pane half-mounted.

A mixin of :class:`~tui.app.app.ThreadloomApp` (kept apart for size). Why the order: the first
frame needs only Textual and the shell; httpx and pydantic load after it (``on_ready``), and the
editor, the state viewer and the run panel are mounted once the first page of threads is on
screen (``mount_panes``), or after ``PANES_AT_THE_LATEST`` seconds for a slow deployment.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from textual import on

from tui.app.textual_compat import ShutdownHook
from tui.app.threads.thread_list import ThreadList

if TYPE_CHECKING:
    from textual.widget import Widget

    from tui.app.context import AppContext
    from tui.app.runs import RunPanel
    from tui.app.shared.footer import KeyFooter
    from tui.app.viewer import StateViewer

# The latest the user waits for the other panes when the first page is slow to come.
PANES_AT_THE_LATEST = 1.0


class StartupMixin(ShutdownHook[int]):
    if TYPE_CHECKING:
        _panes: dict[str, Widget]
        _footer: KeyFooter
        _viewer: StateViewer | None
        _runs: RunPanel | None
        _panes_mounting: bool
        _panes_done: asyncio.Event | None
        _quitting: bool
        _signal_loop: asyncio.AbstractEventLoop | None
        _signalled: bool
        _exit_task: asyncio.Task[None] | None
        @property
        def open_thread_id(self) -> str | None: ...
        context: AppContext

        def connect(self, hint: str = "") -> None: ...
        def open_thread(self, thread_id: str | None) -> None: ...
        def _open_script(self) -> None: ...
        def _apply_keymap(self, *, report: bool) -> None: ...

    def exit_from_signal(self) -> bool:
        """Quit as ``q`` does, from a signal handler (see ``tui.app.run.sigint_quits``);
        False when already asked once (a second signal should interrupt)."""
        if self._signalled:
            return False
        self._signalled = True
        loop = self._signal_loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.exit, None, 0)
        return True  # before on_mount: on_mount sees _signalled and exits

    def on_ready(self) -> None:
        # Textual sends Ready once the first frame is on the terminal. Connecting loads httpx
        # and pydantic (~0.1 s), so it starts here: the first frame does not wait for them.
        self.connect()

    @on(ThreadList.FirstPage)
    def _first_page(self) -> None:
        # After the refresh: the rows reach the screen before the other panes are built.
        self.call_after_refresh(self.mount_panes)

    async def mount_panes(self) -> None:
        """Mount the editor, the state viewer and the run panel (once)."""
        if self._panes_mounting or self._quitting:
            return
        self._panes_mounting = True
        self._panes_done = asyncio.Event()
        self._footer.release()
        # Its own task, shielded: if what awaits here is cancelled (Ctrl+C cancels the app's
        # main task), the mount still completes, and shutdown waits for it (before_shutdown).
        await asyncio.shield(asyncio.create_task(self._mount_panes(self._panes_done)))
        self._apply_keymap(report=True)  # every pane's keys exist now
        if self.open_thread_id is not None:  # opened before the viewer was there
            self.open_thread(self.open_thread_id)
        if self.context.client is not None:
            self._open_script()

    async def _mount_panes(self, done: asyncio.Event) -> None:
        try:
            from tui.app.editor import SuperstepEditor
            from tui.app.runs import RunPanel
            from tui.app.viewer import StateViewer

            viewer, runs = StateViewer(id="viewer"), RunPanel(id="runs")
            await self._panes["editor"].mount(SuperstepEditor(id="editor"))
            await self._panes["viewer"].mount_all([viewer, runs])
            self._viewer, self._runs = viewer, runs
            self.context.run_view = viewer
        finally:
            done.set()

    def exit(
        self, result: int | None = None, return_code: int = 0, message: Any = None
    ) -> None:
        """Quit; while the panes are being mounted, once they are.

        Textual stops its message loop on exit, and from then on a widget being mounted no
        longer waits for its children: the editor's (or Textual's own Select's) on_mount ran
        without them and the exit printed a traceback. The mount takes a fraction of a second.
        """
        self._quitting = True  # and no mount starts after this
        done = self._panes_done
        if done is None or done.is_set():
            super().exit(result, return_code, message)
            return

        async def when_mounted() -> None:
            await self._panes_settled()
            super(StartupMixin, self).exit(result, return_code, message)

        self._exit_task = asyncio.get_running_loop().create_task(when_mounted())

    async def before_shutdown(self) -> None:
        # Textual removes every widget when it shuts down; a widget still being mounted then
        # runs its on_mount without its children (NoMatches, a traceback on the way out). The
        # panes mount just after the first page, so a quick q can meet them half-way: let that
        # mount finish first (it takes a fraction of a second), and start none after this.
        self._quitting = True
        await self._panes_settled()

    async def _panes_settled(self) -> None:
        """Until a pane mount in progress has finished (at most a few seconds)."""
        if self._panes_done is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._panes_done.wait(), 5)
