"""The thread list's table: a DataTable that tells its owner when the user nears the end, and
sizes itself without measuring every cell."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import zip_longest
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import DataTable
from textual.widgets.data_table import DuplicateKey, Row, RowKey

from tui.app.widgets.thread_rows import Cell

PREFETCH_ROWS = 25  # load the next page when the cursor is this close to the end


def text_width(cell: Text) -> int:
    """What rich's measure gives a Text as its maximum width: its longest line, in cells."""
    return max(map(cell_len, cell.plain.splitlines()), default=0)


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

    def add_thread_rows(self, rows: Iterable[tuple[str, list[Any]]]) -> None:
        """Append one-line rows, each ``(key, cells)``, as ``add_row`` does one by one.

        ``add_row`` re-sorts the columns, re-assigns the cursor (a reactive with watchers)
        and prompts the idle pass for every row: ~70 µs a row, a tenth of a new page. This is
        its bookkeeping (textual 8.2.8, pinned) done once for the batch.
        """
        columns = [column.key for column in self.ordered_columns]
        was_empty = self.row_count == 0
        added = False
        for key, cells in rows:
            row_key = RowKey(key)
            if row_key in self._row_locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            if len(cells) > len(columns):
                raise ValueError("More values provided than there are columns.")
            self._row_locations[row_key] = self.row_count
            self._data[row_key] = dict(zip_longest(columns, cells))
            self.rows[row_key] = Row(row_key, 1, None, False)
            self._new_rows.add(row_key)
            added = True
        if not added:
            return
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if was_empty and columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self._update_count += 1
        self.check_idle()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """DataTable's own pass measures every cell of every new row through rich (a console
        render per cell: ~18 ms a page of 100 rows, most of a new page's cost after the
        search). The list's rows are one line high, unlabelled, and made of single-line
        cells (thread_rows.Cell): only the auto-width column (the preview) needs a width,
        and a one-line cell's width is its length in cells. Other rows take the full pass.
        """
        keys = list(new_rows)
        rows = [(key, self.rows.get(key)) for key in keys if key in self._row_locations]
        auto = [column for column in self.ordered_columns if column.auto_width]
        if any(row is None or row.label is not None or row.auto_height or row.height != 1
               for _, row in rows):
            super()._update_dimensions(keys)
            return
        widths: list[list[int]] = [[] for _ in auto]
        for key, _ in rows:
            data = self._data[key]
            for index, column in enumerate(auto):
                cell = data.get(column.key)
                if isinstance(cell, Cell):
                    widths[index].append(cell.width)
                elif isinstance(cell, Text):
                    widths[index].append(text_width(cell))
                else:
                    super()._update_dimensions(keys)
                    return
        for column, measured in zip(auto, widths, strict=True):
            column.content_width = max([column.content_width, *measured])
        data_cells_width = sum(column.get_render_width(self) for column in self.columns.values())
        header_height = self.header_height if self.show_header else 0
        self.virtual_size = Size(data_cells_width + self._row_label_column_width,
                                 self._total_row_height + header_height)

    class NearEnd(Message):
        """Scrolled (or moved) close to the last loaded row."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.row_count and self.max_scroll_y - new_value <= PREFETCH_ROWS:
            self.post_message(self.NearEnd())
