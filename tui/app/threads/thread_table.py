"""The thread list's table: tells its owner when the user nears the end, and gives the preview
column the width the others leave. Its rows are painted by
:class:`~tui.app.textual_table.OneLineRowTable` (the Textual internals live there)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.message import Message

from tui.app.keys import ROW_TABLE_BINDINGS
from tui.app.textual_table import OneLineRowTable
from tui.app.threads.thread_rows import FIXED_WIDTH, MIN_PREVIEW

PREFETCH_ROWS = 25  # load the next page when the cursor is this close to the end


class ThreadTable(OneLineRowTable):
    """The list's table; tells its owner when the user scrolls near the end. The preview
    column takes the width the others leave."""

    BINDINGS: ClassVar[list[BindingType]] = ROW_TABLE_BINDINGS

    DEFAULT_CSS = """
    ThreadTable { height: 1fr; overflow-x: hidden; }
    """

    def on_resize(self) -> None:
        self.fit_preview()

    def fit_preview(self) -> None:
        """Give the preview column what the fixed columns leave of the width."""
        width = max(self.scrollable_content_region.width - FIXED_WIDTH, MIN_PREVIEW)
        self.set_column_width("preview", width)

    class NearEnd(Message):
        """Scrolled (or moved) close to the last loaded row."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.row_count and self.max_scroll_y - new_value <= PREFETCH_ROWS:
            self.post_message(self.NearEnd())
