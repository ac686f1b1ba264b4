"""The thread list's table: its columns, the preview taking the width the others leave, and a
word to its owner when the user nears the last loaded row. Rows are painted by
:class:`~tui.app.shared.row_table.RowTable`."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.message import Message

from tui.app.keys import ROW_TABLE_BINDINGS
from tui.app.shared.row_table import Column, RowTable
from tui.app.threads.thread_rows import COLUMNS, MIN_PREVIEW

PREFETCH_ROWS = 25  # load the next page when the cursor is this close to the end


class ThreadTable(RowTable):
    """The list's table (see the module)."""

    BINDINGS: ClassVar[list[BindingType]] = ROW_TABLE_BINDINGS

    DEFAULT_CSS = """
    ThreadTable { height: 1fr; overflow-x: hidden; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        columns = [Column(key, label, width or MIN_PREVIEW) for key, label, width in COLUMNS]
        super().__init__(columns, fill="preview", id=id)

    def on_resize(self) -> None:
        self.fit_fill_column(MIN_PREVIEW)

    class NearEnd(Message):
        """Scrolled (or moved) close to the last loaded row."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.row_count and self.max_scroll_y - new_value <= PREFETCH_ROWS:
            self.post_message(self.NearEnd())
