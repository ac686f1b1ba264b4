"""Previews the thread search cannot give: a copied thread's.

Measured (langgraph-api 0.16.7): a copy's record has no ``values`` until its first run or state
update — its ``/state`` has them — so the search's ``extract`` finds no last message and the
row's preview stays empty, refresh or not. Rows that come without a preview are therefore read
from ``/state`` in the background, one at a time: at most :data:`READS_PER_LOAD` per page, and a
thread found to have no preview there either (an empty thread, a graph without ``messages``) is
remembered with its ``updated_at``, so a refresh asks again only after it changed. Skipped on a
server that sends no values in its searches at all (Aegra: every preview is blank there).

A mixin of :class:`~tui.app.threads.thread_list.ThreadList` (kept apart for size).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import work
from textual.widget import Widget

from tui.services.listing import row_preview

if TYPE_CHECKING:
    from tui.app.threads.thread_pager import ThreadPager
    from tui.deployment import DeploymentClient, Thread

READS_PER_LOAD = 20


class ThreadPreviews(Widget):
    if TYPE_CHECKING:
        by_id: dict[str, Thread]
        pager: ThreadPager
        page_client: DeploymentClient | None

        @property
        def client(self) -> DeploymentClient | None: ...
        def update_thread(self, thread: Thread) -> None: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._without_preview: set[tuple[str, datetime | None]] = set()

    def _fill_previews(self, threads: list[Thread]) -> None:
        """Read the previews ``threads`` came without (see the module), with the client that
        loaded them (the first page can arrive before the connection is confirmed)."""
        client = self.client or self.page_client
        if client is None or not client.capabilities.search_projection:
            return
        missing = [t.thread_id for t in threads
                   if (t.extracted or {}).get("preview") is None
                   and (t.thread_id, t.updated_at) not in self._without_preview]
        if missing:
            self._read_previews(client, self.pager.generation, missing[:READS_PER_LOAD])

    @work(group="threads-previews", exit_on_error=False)
    async def _read_previews(self, client: DeploymentClient, generation: int,
                             ids: list[str]) -> None:
        from tui.deployment import DeploymentError

        for thread_id in ids:
            current = self.client  # None while the connection is being confirmed
            if generation != self.pager.generation or (current is not None
                                                       and client is not current):
                return
            try:
                preview = await row_preview(client, thread_id)
            except DeploymentError:
                continue
            thread = self.by_id.get(thread_id)
            if thread is None or generation != self.pager.generation:
                continue
            if preview is None:
                self._without_preview.add((thread_id, thread.updated_at))
                continue
            extracted = {**(thread.extracted or {}), "preview": preview}
            self.update_thread(thread.model_copy(update={"extracted": extracted}))
