"""The thread list's table: a DataTable that tells its owner when the user nears the end."""

from __future__ import annotations

from typing import Any

from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import DataTable

PREFETCH_ROWS = 25  # load the next page when the cursor is this close to the end


class ThreadTable(DataTable[Any]):
    """The list's table; tells its owner when the user scrolls near the end."""

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

    class NearEnd(Message):
        """Scrolled (or moved) close to the last loaded row."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.row_count and self.max_scroll_y - new_value <= PREFETCH_ROWS:
            self.post_message(self.NearEnd())
