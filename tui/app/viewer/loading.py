"""What the state viewer fetches, as a plain object (:class:`ViewerLoader`).

Opening a thread fetches its record and state, shows them, then — after the first paint — the
first history page (sized to the state: every checkpoint carries its values); older pages come
when the history cursor nears the end. Requests go through the context's client
(:mod:`tui.services.threads`, :mod:`tui.services.history`) on the viewer's workers; every
answer is for the thread the viewer still shows, or dropped; a ``DeploymentError`` is reported
where the user looks.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text

from tui.app.shared.workers import run_job
from tui.app.viewer.model import HISTORY_PAGE, messages_in
from tui.deployment import DeploymentClient, DeploymentError, ThreadState
from tui.services.history import history_page
from tui.services.threads import thread_and_state

if TYPE_CHECKING:
    from tui.app.viewer.viewer import StateViewer

LOAD = "viewer-load"


def history_page_size(state: ThreadState | None) -> int:
    """Fewer checkpoints per page when each one is big (every checkpoint carries its values)."""
    messages = messages_in(state.values if state else None) or []
    return max(5, min(HISTORY_PAGE, 20_000 // max(len(messages), 1)))


class ViewerLoader:
    """Fetches for one :class:`StateViewer` (see the module): the history's page size for the
    open thread, and whether older checkpoints are on their way."""

    def __init__(self, viewer: StateViewer) -> None:
        self.viewer = viewer
        self.page_size = HISTORY_PAGE
        self.loading_more = False

    def load(self, thread_id: str, keep: str | None = None) -> None:
        """Fetch ``thread_id`` (again); ``keep``: the checkpoint to show once it is loaded."""
        run_job(self.viewer, partial(self._load, thread_id, keep), LOAD)

    def stop(self) -> None:
        self.viewer.workers.cancel_group(self.viewer, LOAD)

    def more(self) -> None:
        """The history cursor nears the end: the next older page, unless one is coming."""
        viewer = self.viewer
        data = viewer.data
        if data is None or not data.has_more or self.loading_more or not data.history \
                or viewer.thread_id is None:
            return
        self.loading_more = True
        run_job(viewer, partial(self._load_more, viewer.thread_id,
                                data.history[-1].checkpoint_id), "viewer-history", exclusive=False)

    def _client(self) -> DeploymentClient | None:
        return self.viewer.client

    async def _load(self, thread_id: str, keep: str | None) -> None:
        viewer = self.viewer
        client = self._client()
        if client is None:
            viewer.set_title(Text("Not connected to a deployment.", style="dim"))
            return
        try:
            thread, state = await thread_and_state(client, thread_id)
        except DeploymentError as exc:
            if viewer.thread_id == thread_id:
                viewer.report(exc, f"Opening thread {thread_id}")
            return
        if viewer.thread_id != thread_id:
            return
        viewer.show_data(thread, state, None)
        self.page_size = history_page_size(state)
        # The history carries every checkpoint's values: ask for it once the state is on screen.
        viewer.call_after_refresh(
            lambda: run_job(viewer, partial(self._load_history, thread_id, keep), LOAD))

    async def _load_history(self, thread_id: str, keep: str | None) -> None:
        viewer = self.viewer
        client = self._client()
        if client is None or viewer.thread_id != thread_id:
            return
        try:
            page = await history_page(client, thread_id, before=None, limit=self.page_size)
        except DeploymentError as exc:
            if viewer.thread_id == thread_id:
                viewer.report(exc, f"Reading the history of thread {thread_id}")
            return
        if viewer.thread_id == thread_id:
            viewer.add_history(page, self.page_size, keep=keep)

    async def _load_more(self, thread_id: str, before: str | None) -> None:
        viewer = self.viewer
        client = self._client()
        try:
            if client is None:
                return
            page = await history_page(client, thread_id, before=before, limit=self.page_size)
        except DeploymentError as exc:
            viewer.report(exc, f"Reading older checkpoints of thread {thread_id}")
            return
        finally:
            self.loading_more = False
        if viewer.thread_id == thread_id:
            viewer.add_history(page, self.page_size)
