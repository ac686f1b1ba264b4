"""Start-up and exit order: the first frame, then the connection and the first page, then the
other panes; quitting (q, SIGINT, the end of a test session) never meets a pane half-mounted.

:class:`StartupSequence` holds that order's state; the shell owns one and hands it the moments
(``first_page``, ``exit``, ``before_shutdown``). Why the order: the first frame needs only
Textual and the shell; httpx and pydantic load after it (``Ready``), and the editor, the state
viewer and the run panel are mounted once the first page of threads is on screen
(:meth:`StartupSequence.mount_panes`), or after ``PANES_AT_THE_LATEST`` seconds for a slow
deployment.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.widget import Widget

    from tui.app.runs import RunPanel
    from tui.app.viewer import StateViewer

# The latest the user waits for the other panes when the first page is slow to come.
PANES_AT_THE_LATEST = 1.0


class StartupHost(Protocol):
    """What the sequence asks of the shell."""

    def pane_frame(self, name: str) -> Widget:
        """The empty frame the pane ``name`` ("editor", "viewer") is mounted into."""

    def adopt_panes(self, viewer: StateViewer, runs: RunPanel) -> None:
        """The panes are mounted: keep them (done even when the wait for the mount is
        cancelled)."""

    def panes_mounted(self) -> None:
        """Then: the keys, the open thread and ``--script`` can reach them."""

    def release_footer(self) -> None:
        """The footer may show every pane's keys now."""


class StartupSequence:
    """When the panes are mounted, and when the app may really exit."""

    def __init__(self, host: StartupHost) -> None:
        self._host = host
        self._mounting = False
        self._done: asyncio.Event | None = None  # set once the panes' mount has finished
        self.quitting = False  # exit asked: no mount starts after this
        self._loop: asyncio.AbstractEventLoop | None = None
        self._signalled = False
        self._exit_task: asyncio.Task[None] | None = None

    def started(self, exit_now: Callable[[], None]) -> None:
        """The app is mounted (its loop runs): a signal that came before quits now."""
        self._loop = asyncio.get_running_loop()
        if self._signalled:
            exit_now()

    def exit_from_signal(self, exit_app: Callable[[], None]) -> bool:
        """Quit as ``q`` does, from a signal handler (see ``tui.app.run.sigint_quits``);
        False when already asked once (a second signal should interrupt)."""
        if self._signalled:
            return False
        self._signalled = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(exit_app)
        return True  # before the mount: ``started`` sees it and exits

    async def mount_panes(self) -> None:
        """Mount the editor, the state viewer and the run panel (once)."""
        if self._mounting or self.quitting:
            return
        self._mounting = True
        self._done = asyncio.Event()
        self._host.release_footer()
        # Its own task, shielded: if what awaits here is cancelled, the mount still completes,
        # and an exit (or the end of a test's run_test) waits for it (settled).
        await asyncio.shield(asyncio.create_task(self._mount(self._done)))
        self._host.panes_mounted()

    async def _mount(self, done: asyncio.Event) -> None:
        try:
            from tui.app.editor import SuperstepEditor
            from tui.app.runs import RunPanel
            from tui.app.viewer import StateViewer

            frame = self._host.pane_frame("viewer")
            # Narrow or not from the start (the frame has its width): found at its first resize,
            # the class restyled all inside the viewer and laid the screen out once more.
            narrow = 0 < frame.content_size.width < StateViewer.NARROW
            viewer = StateViewer(id="viewer", classes="-narrow" if narrow else None)
            runs = RunPanel(id="runs")
            await self._host.pane_frame("editor").mount(SuperstepEditor(id="editor"))
            await frame.mount_all([viewer, runs])
            self._host.adopt_panes(viewer, runs)
        finally:
            done.set()

    def exit(self, exit_app: Callable[[], None]) -> None:
        """Quit with ``exit_app``; while the panes are being mounted, once they are.

        Textual stops its message loop on exit, and from then on a widget being mounted no
        longer waits for its children: the editor's (or Textual's own Select's) on_mount ran
        without them and the exit printed a traceback. The mount takes a fraction of a second.
        """
        self.quitting = True
        done = self._done
        if done is None or done.is_set():
            exit_app()
            return

        async def when_mounted() -> None:
            await self.settled()
            exit_app()

        self._exit_task = asyncio.get_running_loop().create_task(when_mounted())

    async def before_shutdown(self) -> None:
        """Textual removes every widget when it shuts down; a widget still being mounted then
        runs its on_mount without its children (NoMatches, a traceback on the way out). The
        panes mount just after the first page, so a quick q can meet them half-way: let that
        mount finish first, and start none after this. Every way out of the app goes through
        :meth:`exit`, which waits the same way; the end of a test's ``run_test`` does not (the
        app's ``run_test`` calls this; without it Textual's own Select fails in on_mount)."""
        self.quitting = True
        await self.settled()

    async def settled(self) -> None:
        """Until a pane mount in progress has finished (at most a few seconds)."""
        if self._done is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._done.wait(), 5)
