"""Fetching for the state viewer, as a mixin of :class:`StateViewer` (its workers).

``show_thread`` fetches the thread record and state, shows them, then — after the first
paint — the first history page (sized to the state: every checkpoint carries its values);
older pages come when the history cursor nears the end. Requests go through the context's
client (:mod:`tui.services.threads`, :mod:`tui.services.history`); a ``DeploymentError`` is
reported where the user looks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.widget import Widget

from tui.app.text import line
from tui.app.viewer.history import HistoryTable
from tui.app.viewer.model import HISTORY_PAGE, ViewerData, messages_in
from tui.deployment import DeploymentClient, DeploymentError, Thread, ThreadState
from tui.services.history import history_page
from tui.services.threads import thread_and_state


def history_page_size(state: ThreadState | None) -> int:
    """Fewer checkpoints per page when each one is big (every checkpoint carries its values)."""
    messages = messages_in(state.values if state else None) or []
    return max(5, min(HISTORY_PAGE, 20_000 // max(len(messages), 1)))


class LoadingMixin(Widget):
    """What the viewer fetches, in its workers; the viewer draws it (its host's part, below)."""

    history_page_size = staticmethod(history_page_size)

    thread_id: str | None
    data: ViewerData | None
    viewing: ThreadState | None
    _page_size: int
    _loading_more: bool
    if TYPE_CHECKING:  # the host's (StateViewer's, and FindMixin's close_find)
        def close_find(self) -> None: ...
        def show_data(self, thread: Thread | None, state: ThreadState | None,
                      history: Sequence[ThreadState] | None, *,
                      has_more: bool = False) -> None: ...
        def show_checkpoint(self, checkpoint_id: str | None) -> None: ...
        def report(self, exc: BaseException, context: str) -> None: ...
        def _client(self) -> DeploymentClient | None: ...
        def _title(self, text: Text) -> None: ...
        def _render_all(self) -> None: ...
        def _render_history(self) -> None: ...
        def _render_summary(self) -> None: ...
        def _viewing_id(self) -> str | None: ...

    def show_thread(self, thread_id: str | None) -> None:
        """Open ``thread_id`` (None clears the viewer). A find bar open on the previous thread
        closes: its query was about that thread."""
        if thread_id != self.thread_id:
            self.close_find()
        self.thread_id = thread_id
        if thread_id is None:
            self.workers.cancel_group(self, "viewer-load")
            self.data = None
            self.viewing = None
            self._render_all()
            self._title(Text("Select a thread to see its state.", style="dim"))
            return
        self._title(Text.assemble(("Loading thread ", "dim"), line(thread_id, 60), ("…", "dim")))
        self._load(thread_id)

    def action_reload(self) -> None:
        if self.thread_id is not None:
            self._load(self.thread_id, keep=self.viewing.checkpoint_id if self.viewing else None)

    @work(exclusive=True, group="viewer-load", exit_on_error=False)
    async def _load(self, thread_id: str, keep: str | None = None) -> None:
        client = self._client()
        if client is None:
            self._title(Text("Not connected to a deployment.", style="dim"))
            return
        try:
            thread, state = await thread_and_state(client, thread_id)
        except DeploymentError as exc:
            if self.thread_id == thread_id:
                self.report(exc, f"Opening thread {thread_id}")
            return
        if self.thread_id != thread_id:
            return
        self.show_data(thread, state, None)
        self._page_size = history_page_size(state)
        # The history carries every checkpoint's values: ask for it once the state is on screen.
        self.call_after_refresh(self._load_history, thread_id, keep)

    @work(exclusive=True, group="viewer-load", exit_on_error=False)
    async def _load_history(self, thread_id: str, keep: str | None = None) -> None:
        client = self._client()
        if client is None or self.thread_id != thread_id:
            return
        try:
            page = await history_page(client, thread_id, before=None, limit=self._page_size)
        except DeploymentError as exc:
            if self.thread_id == thread_id:
                self.report(exc, f"Reading the history of thread {thread_id}")
            return
        if self.thread_id != thread_id or self.data is None:
            return
        self.data.add_page(page, self._page_size)
        self._render_history()
        self._render_summary()  # "written by" needs the parent checkpoint
        if keep is not None and keep != self._viewing_id():
            self.show_checkpoint(keep)

    @on(HistoryTable.NeedMore)
    def _need_more(self, event: HistoryTable.NeedMore) -> None:
        event.stop()
        if self.data is None or not self.data.has_more or self._loading_more:
            return
        if self.thread_id is not None and self.data.history:
            self._loading_more = True
            self._load_more(self.thread_id, self.data.history[-1].checkpoint_id)

    @work(group="viewer-history", exit_on_error=False)
    async def _load_more(self, thread_id: str, before: str | None) -> None:
        client = self._client()
        try:
            if client is None:
                return
            page = await history_page(client, thread_id, before=before,
                                           limit=self._page_size)
        except DeploymentError as exc:
            self.report(exc, f"Reading older checkpoints of thread {thread_id}")
            return
        finally:
            self._loading_more = False
        if self.thread_id == thread_id and self.data is not None:
            self.data.add_page(page, self._page_size)
            self._render_history()
            self._render_summary()
