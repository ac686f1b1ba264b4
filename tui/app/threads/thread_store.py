"""The thread list's rows: ``threads`` (in order), ``by_id``, and the table, kept in step.

A mixin of :class:`~tui.app.threads.thread_list.ThreadList` (kept apart for size): loading
replaces or appends pages here; actions put a new thread first, update or drop one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.css.scalar import Unit
from textual.widget import Widget

from tui.app.threads.thread_rows import COLUMNS, cells

LIST_SHARE = 0.42  # the most of the screen's height the list takes (unzoomed)
LIST_CHROME = 5  # its border (2), the search bar, the column labels, the status line
LIST_MIN_ROWS = 3

if TYPE_CHECKING:
    from tui.app.threads.filters import ThreadQuery
    from tui.app.threads.thread_pager import ThreadPager
    from tui.app.threads.thread_table import ThreadTable
    from tui.deployment import Thread


class ThreadStore(Widget):
    if TYPE_CHECKING:
        threads: list[Thread]
        by_id: dict[str, Thread]
        total: int | None
        pager: ThreadPager
        search_query: ThreadQuery

        @property
        def table(self) -> ThreadTable: ...
        def now(self) -> datetime: ...
        def _show_status(self) -> None: ...
        def _count(self, generation: int, client: Any = None) -> Any: ...
        def _fill_previews(self, threads: list[Thread]) -> None: ...

    def on_mount(self) -> None:
        self.watch(self.screen, "maximized", lambda _: self.fit_height(), init=False)
        self.fit_height()

    def fit_height(self) -> None:
        """As tall as the rows it shows, up to a share of the screen; zoomed, all of it."""
        if not self.is_mounted:
            return
        if self.screen.maximized is self:
            self.styles.height = None  # the stylesheet's zoomed height
            return
        rows = max(len(self.threads), LIST_MIN_ROWS)
        share = int(self.app.size.height * LIST_SHARE)
        height = max(min(rows + LIST_CHROME, share), LIST_MIN_ROWS + LIST_CHROME)
        # Setting a height lays the whole screen out again (~20 ms with every pane): only
        # when it changes.
        current = self.styles.inline.height
        if current is None or current.unit is not Unit.CELLS or current.value != height:
            self.styles.height = height

    def _row(self, thread: Thread) -> list[Any]:
        return list(cells(thread, self.now()))

    def _replace_rows(self, threads: list[Thread], keep: str | None) -> None:
        self.threads = []
        self.by_id = {}
        fresh = self._take(threads)
        self.table.replace_rows(((t.thread_id, self._row(t)) for t in fresh), cursor=keep)
        self._fill_previews(fresh)
        self.fit_height()

    def _append_rows(self, threads: list[Thread]) -> None:
        fresh = self._take(threads)
        self.table.add_rows((t.thread_id, self._row(t)) for t in fresh)
        self._fill_previews(fresh)
        self.fit_height()

    def _take(self, threads: list[Thread]) -> list[Thread]:
        """The threads not shown yet (a page can repeat a row an earlier one had), kept."""
        fresh = [t for t in threads if t.thread_id not in self.by_id]
        for thread in fresh:
            self.by_id[thread.thread_id] = thread
        self.threads.extend(fresh)
        return fresh

    def put_first(self, thread: Thread) -> None:
        """Show a thread made in the app at the top (a refresh puts it where the sort says)."""
        keep = list(self.threads)
        if thread.thread_id in self.by_id:
            keep = [t for t in keep if t.thread_id != thread.thread_id]
        elif self.total is not None:
            self.total += 1
        self._replace_rows([thread, *keep], thread.thread_id)
        self._recount_if_counting()
        self._show_status()

    def update_thread(self, thread: Thread) -> None:
        """Show a thread's new record in place (its preview is kept: PATCH sends none)."""
        old = self.by_id.get(thread.thread_id)
        if old is None:
            return
        if thread.extracted is None:
            thread = thread.model_copy(update={"extracted": old.extracted})
        index = self.threads.index(old)
        self.threads[index] = thread
        self.by_id[thread.thread_id] = thread
        for (column_key, _, _), cell in zip(COLUMNS, self._row(thread), strict=True):
            self.table.update_cell(thread.thread_id, column_key, cell)

    def drop_thread(self, thread_id: str) -> None:
        thread = self.by_id.pop(thread_id, None)
        if thread is None:
            return
        self.threads.remove(thread)
        self.table.remove_row(thread_id)
        self.fit_height()
        if self.total:
            self.total -= 1
        self._recount_if_counting()
        self._show_status()

    def _recount_if_counting(self) -> None:
        """A count sent before this change would come back wrong by one: ask again."""
        if self.total is None and not self.pager.fetching and not self.search_query.ids:
            self._count(self.pager.generation)

    def select_thread(self, thread_id: str) -> bool:
        """Move the cursor to ``thread_id`` when it is loaded; False when it is not."""
        if thread_id not in self.by_id:
            return False
        self.table.move_cursor(row=self.table.get_row_index(thread_id), animate=False)
        return True
