"""The thread list's search bar, sort and status keys, auto-refresh and "copy id".

A plain object of :class:`~tui.app.threads.thread_list.ThreadList`'s: a changed
``search_query`` makes the list start over from the first page. The first or last characters
of an id in the search text are looked up first (:mod:`tui.services.ids`, in a worker): every
thread they name is listed (the search bar says how many), none is an error in the bar.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from tui.app.context import app_context
from tui.app.shared.workers import run_job
from tui.app.threads.filters import QueryError, ThreadQuery, id_parts
from tui.words import plural

if TYPE_CHECKING:
    from tui.app.threads.filters import FilterBar
    from tui.app.threads.thread_list import ThreadList


class ThreadSearch:
    """Search, sort, status filter and refresh keys of the thread list."""

    def __init__(self, pane: ThreadList) -> None:
        self.pane = pane

    @property
    def _bar(self) -> FilterBar:
        return self.pane.filter_bar

    def apply(self, text: str) -> None:
        """The search bar's text was applied (Enter)."""
        pane, bar = self.pane, self._bar
        pane.workers.cancel_group(pane, "threads-ids")
        try:
            query = pane.search_query.with_text(text)
            parts = id_parts(text)
        except QueryError as exc:
            bar.error = str(exc)
            return
        bar.error = ""
        bar.summary = ""
        if parts:
            bar.summary = "looking up the id…"
            run_job(pane, partial(self._find_ids, query, parts), "threads-ids")
        elif query != pane.search_query:
            pane.search_query = query

    async def _find_ids(self, query: ThreadQuery, parts: tuple[str, ...]) -> None:
        """Search for the threads whose ids start or end with ``parts`` (and ``query``'s
        other filters); the bar says when a part names several, or none."""
        from tui.deployment import DeploymentError
        from tui.services.ids import MOST_MATCHES, look_up

        bar, pane = self._bar, self.pane
        client = pane.client
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
        if wanted != pane.search_query:
            pane.search_query = wanted

    def step(self, query: ThreadQuery) -> None:
        """A key changed the sort, the order or the status: a new status is also written into
        the search text, so that it says what is applied."""
        status_changed = query.status != self.pane.search_query.status
        self.pane.search_query = query
        if not status_changed:
            return
        bar = self._bar
        tokens = [t for t in bar.input.value.split() if not t.lower().startswith("status:")]
        if query.status:
            tokens.append(f"status:{query.status}")
        with bar.input.prevent(bar.input.Changed):
            bar.input.value = " ".join(tokens)

    def toggle_auto_refresh(self) -> None:
        pane = self.pane
        if pane.refresh_every:
            pane.refresh_every = 0.0
        else:
            settings = app_context(pane).settings()
            seconds = (settings.auto_refresh_seconds if settings else 0.0) or 10.0
            pane.refresh_every = float(seconds)
        pane.app.notify(
            f"Auto-refresh every {pane.refresh_every:g} s" if pane.refresh_every
            else "Auto-refresh off", timeout=3,
        )

    def copy_id(self) -> None:
        thread, app = self.pane.selected, self.pane.app
        if thread is None:
            app.bell()
            return
        app.copy_to_clipboard(thread.thread_id)
        app.notify(f"Copied {thread.thread_id}", markup=False, timeout=3)
