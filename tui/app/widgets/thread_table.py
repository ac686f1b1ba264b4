"""The thread list's table: a DataTable that tells its owner when the user nears the end."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import DataTable

from tui.app.keys import ROW_TABLE_BINDINGS
from tui.app.widgets.thread_rows import FIXED_WIDTH, MIN_PREVIEW

PREFETCH_ROWS = 25  # load the next page when the cursor is this close to the end


class ThreadTable(DataTable[Any]):
    """The list's table; tells its owner when the user scrolls near the end. The preview
    column takes the width the others leave."""

    BINDINGS: ClassVar[list[BindingType]] = ROW_TABLE_BINDINGS

    DEFAULT_CSS = """
    ThreadTable { height: 1fr; overflow-x: hidden; }
    """

    # Each page makes the table taller. Textual re-lays out the whole screen when a virtual
    # size changes (~50-150 ms with every pane mounted); the table only needs its scrollbar
    # updated and a repaint — a layout still happens when the scrollbar appears or goes.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def watch_virtual_size(self, new_size: Size) -> None:
        self._scroll_update(new_size)
        self.refresh()

    def on_resize(self) -> None:
        self.fit_preview()

    def fit_preview(self) -> None:
        """Give the preview column what the fixed columns leave of the width."""
        column = self.columns.get("preview")  # type: ignore[call-overload]
        if column is None:
            return
        width = max(self.scrollable_content_region.width - FIXED_WIDTH, MIN_PREVIEW)
        if column.auto_width or column.width != width:
            column.auto_width = False
            column.width = width
            self._require_update_dimensions = True
            self.refresh()

    class NearEnd(Message):
        """Scrolled (or moved) close to the last loaded row."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.row_count and self.max_scroll_y - new_value <= PREFETCH_ROWS:
            self.post_message(self.NearEnd())
