"""The thread list's rows as a plain object: the threads in order, by id, and the table that
shows them, kept in step — every change here is made to both.

The list (:class:`~tui.app.threads.thread_list.ThreadList`) owns one: a page replaces or extends
the rows, an action puts a new thread first, updates or drops one; the list keeps the total and
its own height. :func:`list_height` is how tall the list is for the rows it has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from tui.app.threads.thread_rows import Cell, cells

if TYPE_CHECKING:
    from tui.app.threads.thread_table import ThreadTable
    from tui.deployment import Thread

LIST_SHARE = 0.42  # the most of the screen's height the list takes (unzoomed)
LIST_CHROME = 5  # its border (2), the search bar, the column labels, the status line
LIST_MIN_ROWS = 3


def list_height(rows: int, screen_height: int) -> int:
    """The list's height, unzoomed: as tall as its rows (and its frame), up to a share of
    the screen, and never less than a few rows."""
    share = int(screen_height * LIST_SHARE)
    return max(min(max(rows, LIST_MIN_ROWS) + LIST_CHROME, share), LIST_MIN_ROWS + LIST_CHROME)


class ThreadRows:
    """The list's threads and the table showing them (see the module)."""

    def __init__(self, table: ThreadTable, now: Callable[[], datetime]) -> None:
        self.table = table
        self.now = now
        self.threads: list[Thread] = []
        self.by_id: dict[str, Thread] = {}

    @property
    def selected(self) -> Thread | None:
        """The thread under the table's cursor."""
        row = self.table.cursor_row
        return self.threads[row] if self.table.row_count and 0 <= row < len(self.threads) \
            else None

    @property
    def selected_id(self) -> str | None:
        selected = self.selected
        return selected.thread_id if selected else None

    def _cells(self, threads: Iterable[Thread]) -> Iterable[tuple[str, list[Cell]]]:
        now = self.now()
        return ((t.thread_id, cells(t, now)) for t in threads)

    def replace(self, threads: list[Thread], keep: str | None = None) -> list[Thread]:
        """Show ``threads`` instead (a new first page), the cursor on ``keep`` when it is among
        them; returns the threads shown (a page can repeat a row)."""
        self.threads.clear()  # in place: a reader may hold by_id.get (thread_previews)
        self.by_id.clear()
        fresh = self._take(threads)
        self.table.replace_rows(self._cells(fresh), cursor=keep)
        return fresh

    def append(self, threads: list[Thread]) -> list[Thread]:
        """Show ``threads`` after the rows shown (the next page); returns those not shown yet."""
        fresh = self._take(threads)
        self.table.add_rows(self._cells(fresh))
        return fresh

    def _take(self, threads: list[Thread]) -> list[Thread]:
        """The threads not shown yet, now kept: a page can repeat a row an earlier page had
        (threads made meanwhile shift the offsets), a server's page could repeat one."""
        fresh: list[Thread] = []
        for thread in threads:
            if thread.thread_id not in self.by_id:
                self.by_id[thread.thread_id] = thread
                fresh.append(thread)
        self.threads.extend(fresh)
        return fresh

    def put_first(self, thread: Thread) -> bool:
        """Show ``thread`` at the top, selected (a thread made in the app); True when it was
        not shown before."""
        new = thread.thread_id not in self.by_id
        rest = [t for t in self.threads if t.thread_id != thread.thread_id]
        self.replace([thread, *rest], thread.thread_id)
        return new

    def update(self, thread: Thread) -> bool:
        """Show a thread's new record in its row (its preview is kept when the record has
        none: a PATCH answers without one); False when it is not shown."""
        old = self.by_id.get(thread.thread_id)
        if old is None:
            return False
        if thread.extracted is None:
            thread = thread.model_copy(update={"extracted": old.extracted})
        self.threads[self.threads.index(old)] = thread
        self.by_id[thread.thread_id] = thread
        self.table.update_row(thread.thread_id, cells(thread, self.now()))
        return True

    def drop(self, thread_id: str) -> bool:
        """Take ``thread_id``'s row away; False when it was not shown."""
        thread = self.by_id.pop(thread_id, None)
        if thread is None:
            return False
        self.threads.remove(thread)
        self.table.remove_row(thread_id)
        return True

    def select(self, thread_id: str) -> bool:
        """Put the cursor on ``thread_id``'s row; False when it is not shown."""
        if thread_id not in self.by_id:
            return False
        self.table.move_cursor(row=self.table.get_row_index(thread_id))
        return True
