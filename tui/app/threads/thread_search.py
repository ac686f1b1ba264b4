"""The thread list's search bar, sort and status keys, auto-refresh and "copy id".

A mixin of :class:`~tui.app.threads.thread_list.ThreadList` (kept apart for size): a changed
``search_query`` makes the list start over from the first page. The first or last characters
of an id in the search text are looked up first (:mod:`tui.services.ids`, in a worker): every
thread they name is listed (the search bar says how many), none is an error in the bar.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on, work
from textual.widget import Widget
from textual.worker import get_current_worker

from tui.app.context import app_context
from tui.app.threads.filters import (
    FilterBar,
    QueryError,
    ThreadQuery,
    id_parts,
)
from tui.words import plural

if TYPE_CHECKING:
    from tui.app.threads.thread_table import ThreadTable
    from tui.deployment import DeploymentClient, Thread


class ThreadSearch(Widget):
    """Search, sort, status filter and refresh keys of the thread list."""

    if TYPE_CHECKING:
        search_query: ThreadQuery
        refresh_every: float

        @property
        def filter_bar(self) -> FilterBar: ...
        @property
        def table(self) -> ThreadTable: ...
        @property
        def selected(self) -> Thread | None: ...
        def refresh_list(self, *, quiet: bool = False) -> None: ...
        @property
        def client(self) -> DeploymentClient | None: ...

    @on(FilterBar.Applied)
    def _apply_search(self, event: FilterBar.Applied) -> None:
        event.stop()
        bar = self.filter_bar
        self.workers.cancel_group(self, "threads-ids")
        try:
            query = self.search_query.with_text(event.text)
            parts = id_parts(event.text)
        except QueryError as exc:
            bar.error = str(exc)
            return
        bar.error = ""
        bar.summary = ""
        if parts:
            bar.summary = "looking up the id…"
            self._find_ids(query, parts)
        elif query != self.search_query:
            self.search_query = query

    @work(exclusive=True, group="threads-ids", exit_on_error=False)
    async def _find_ids(self, query: ThreadQuery, parts: tuple[str, ...]) -> None:
        """Search for the threads whose ids start or end with ``parts`` (and ``query``'s
        other filters); the bar says when a part names several, or none."""
        from tui.deployment import DeploymentError
        from tui.services.ids import MOST_MATCHES, look_up

        bar = self.filter_bar
        client = self.client
        if client is None:
            bar.summary, bar.error = "", "Not connected: the id cannot be looked up"
            return
        found: list[str] = list(query.ids)
        notes: list[str] = []
        for part in parts:
            try:
                lookup = await look_up(client, part)
            except DeploymentError as exc:
                bar.summary, bar.error = "", f"Looking up {part!r}: {exc}"
                return
            if get_current_worker().is_cancelled:
                return
            problem = lookup.problem(part)
            if problem is not None and (not lookup.found or len(lookup.found) > MOST_MATCHES):
                bar.summary, bar.error = "", problem.message
                return
            found.extend(i for i in lookup.found if i not in found)
            if len(lookup.found) > 1:
                notes.append(f"{part!r} matches {plural(len(lookup.found), 'thread')}")
        bar.summary = "; ".join(notes)
        wanted = replace(query, ids=tuple(found))
        if wanted != self.search_query:
            self.search_query = wanted

    @on(FilterBar.Leave)
    def _leave_search(self, event: FilterBar.Leave) -> None:
        event.stop()
        self.table.focus()

    def action_search(self) -> None:
        self.filter_bar.input.focus()

    def action_refresh(self) -> None:
        self.refresh_list()

    def action_cycle_sort(self) -> None:
        self.search_query = self.search_query.next_sort()

    def action_flip_order(self) -> None:
        self.search_query = self.search_query.flipped()

    def action_cycle_status(self) -> None:
        self.search_query = self.search_query.next_status()
        self._sync_search_text()

    def _sync_search_text(self) -> None:
        """Keep the search text saying what is applied after a key changed the status."""
        bar = self.filter_bar
        tokens = [t for t in bar.input.value.split() if not t.lower().startswith("status:")]
        if self.search_query.status:
            tokens.append(f"status:{self.search_query.status}")
        with bar.input.prevent(bar.input.Changed):
            bar.input.value = " ".join(tokens)

    def action_toggle_auto_refresh(self) -> None:
        if self.refresh_every:
            self.refresh_every = 0.0
        else:
            settings = app_context(self).settings()
            seconds = (settings.auto_refresh_seconds if settings else 0.0) or 10.0
            self.refresh_every = float(seconds)
        self.app.notify(
            f"Auto-refresh every {self.refresh_every:g} s" if self.refresh_every
            else "Auto-refresh off", timeout=3,
        )

    def action_copy_id(self) -> None:
        thread = self.selected
        if thread is None:
            self.app.bell()
            return
        self.app.copy_to_clipboard(thread.thread_id)
        self.app.notify(f"Copied {thread.thread_id}", markup=False, timeout=3)
