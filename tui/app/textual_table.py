"""A DataTable for many one-line rows: the Textual internals the thread list's table needs.

The thread list holds tens of thousands of rows and gets a page of 100 at a time; DataTable's
public API adds rows one by one (~70 µs each), measures every cell through rich and renders
each cell through rich too. :class:`OneLineRowTable` does the same work directly for rows of
one-line cells (anything with ``plain``, ``style``, ``ellipsis`` and ``width``, like
:class:`tui.app.threads.thread_rows.Cell`) and falls back to DataTable's own path for anything
else. It overrides private DataTable methods: checked against Textual 8.2.8 (pinned in
constraints.txt); tests/app/test_thread_table.py compares what it draws with DataTable's own
rendering, cell by cell, so an upgrade that changes them fails there first.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import zip_longest
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._types import SegmentLines
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import DataTable
from textual.widgets._data_table import CellCacheKey
from textual.widgets.data_table import DuplicateKey, Row, RowKey


class OneLineCell:
    """The base of a cell drawn as one line: ``plain`` (its text, already safe), ``style`` (a
    style name), ``ellipsis`` (a cut shows as "…") and ``width`` (in cells). A class, not a
    Protocol: the check runs for every cell painted, and a Protocol's isinstance is slow."""

    __slots__ = ()
    plain: str
    style: str
    ellipsis: bool

    @property
    def width(self) -> int:
        return cell_len(self.plain)


def text_width(cell: Text) -> int:
    """What rich's measure gives a Text as its maximum width: its longest line, in cells."""
    return max(map(cell_len, cell.plain.splitlines()), default=0)


class OneLineRowTable(DataTable[Any]):
    """A DataTable whose rows of one-line cells are added in batches, measured by length and
    painted without rich's rendering (see the module)."""

    # Each page makes the table taller. Textual re-lays out the whole screen when a virtual
    # size changes (~50-150 ms with every pane mounted); the table only needs its scrollbar
    # updated and a repaint — a layout still happens when the scrollbar appears or goes.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def watch_virtual_size(self, new_size: Size) -> None:
        self._scroll_update(new_size)
        self.refresh()

    def set_column_width(self, key: str, width: int) -> None:
        """Give column ``key`` a fixed ``width`` (DataTable has no public way to change a
        column's width once added); nothing when it has that width already."""
        column = self.columns.get(key)  # type: ignore[call-overload]
        if column is None or (not column.auto_width and column.width == width):
            return
        column.auto_width = False
        column.width = width
        self._require_update_dimensions = True
        self.refresh()

    def add_rows_batch(self, rows: Iterable[tuple[str, list[Any]]]) -> None:
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

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> SegmentLines:
        """What DataTable draws for a cell, made directly for the list's one-line cells.

        DataTable renders each cell through rich (``Styled(Padding(cell))`` and
        ``console.render_lines``): ~0.2 ms a cell, most of a repaint after a new page. A
        one-line :class:`OneLineCell` comes out as its padding, its
        text cropped to the width, and the fill — the same characters and styles (a test
        compares the two); headers, tabs and anything else take DataTable's own path.
        """
        inner = width - 2 * self.cell_padding
        if row_index < 0 or column_index < 0 or self.fixed_rows or self.fixed_columns \
                or inner < 1:
            return super()._render_cell(row_index, column_index, base_style, width,
                                        cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width,
                                        cursor, hover)
        cell = self._data[row_key].get(column_key)
        row = self.rows[row_key]
        if not isinstance(cell, OneLineCell) or "\t" in cell.plain or row.height != 1:
            return super()._render_cell(row_index, column_index, base_style, width,
                                        cursor, hover)
        cache_key: CellCacheKey = (row_key, column_key, base_style, cursor, hover,
                                   self._show_hover_cursor, self._update_count,
                                   self._pseudo_class_state)
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        console = self.app.console
        component_style, post = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css",
        )
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index}) \
            + component_style
        post_style = console.get_style(post)
        pad_style = pre + post_style
        text = cell.plain
        if cell_len(text) > inner:
            # as rich's Text cuts with overflow="ellipsis"
            text = (set_cell_size(text, inner - 1) + "…" if cell.ellipsis
                    else set_cell_size(text, inner))
        fill = inner - cell_len(text)
        pad = " " * self.cell_padding
        line = [Segment(pad, pad_style)]
        if text:
            line.append(Segment(text, pre + console.get_style(cell.style) + post_style))
        if fill:
            line.append(Segment(" " * fill, pad_style))
        line.append(Segment(pad, pad_style))
        lines: SegmentLines = [line]
        self._cell_render_cache[cache_key] = lines
        return lines

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """DataTable's own pass measures every cell of every new row through rich (a console
        render per cell: ~18 ms a page of 100 rows, most of a new page's cost after the
        search). The list's rows are one line high, unlabelled, and made of single-line
        cells (OneLineCell): only the auto-width column (the preview) needs a width,
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
                if isinstance(cell, OneLineCell):
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
