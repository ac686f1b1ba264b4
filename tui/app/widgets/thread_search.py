"""The thread list's search bar, sort and status keys, auto-refresh and "copy id".

A mixin of :class:`~tui.app.widgets.thread_list.ThreadList` (kept apart for size): a changed
``search_query`` makes the list start over from the first page.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from textual import on
from textual.widget import Widget

from tui.app.widgets.filters import SORT_FIELDS, STATUSES, FilterBar, QueryError, ThreadQuery

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from tui.deployment import Thread


class ThreadSearch(Widget):
    """Search, sort, status filter and refresh keys of the thread list."""

    if TYPE_CHECKING:
        search_query: ThreadQuery
        refresh_every: float

        @property
        def filter_bar(self) -> FilterBar: ...
        @property
        def table(self) -> DataTable[Any]: ...
        @property
        def selected(self) -> Thread | None: ...
        def refresh_list(self, *, quiet: bool = False) -> None: ...

    @on(FilterBar.Applied)
    def _apply_search(self, event: FilterBar.Applied) -> None:
        event.stop()
        bar = self.filter_bar
        try:
            query = self.search_query.with_text(event.text)
        except QueryError as exc:
            bar.error = str(exc)
            return
        bar.error = ""
        if query != self.search_query:
            self.search_query = query

    @on(FilterBar.Leave)
    def _leave_search(self, event: FilterBar.Leave) -> None:
        event.stop()
        self.table.focus()

    def action_search(self) -> None:
        self.filter_bar.input.focus()

    def action_refresh(self) -> None:
        self.refresh_list()

    def action_cycle_sort(self) -> None:
        index = SORT_FIELDS.index(self.search_query.sort_by)
        next_field = SORT_FIELDS[(index + 1) % len(SORT_FIELDS)]
        self.search_query = replace(self.search_query, sort_by=next_field)

    def action_flip_order(self) -> None:
        order: Literal["asc", "desc"] = "asc" if self.search_query.sort_order == "desc" else "desc"
        self.search_query = replace(self.search_query, sort_order=order)

    def action_cycle_status(self) -> None:
        cycle: list[Any] = [None, *STATUSES]
        status = cycle[(cycle.index(self.search_query.status) + 1) % len(cycle)]
        self.search_query = replace(self.search_query, status=status)
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
            settings = getattr(self.app, "settings", None)
            seconds = getattr(settings, "auto_refresh_seconds", 0.0) or 10.0
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
