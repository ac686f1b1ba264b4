"""A table of one-line rows on Textual's line API, for lists of tens of thousands of rows.

The thread list gets a page of 100 rows at a time and repaints them whole on a new search.
Textual's DataTable measures every cell through rich, keeps per-row bookkeeping for rows of
any height, and renders each cell through rich's console: most of a new page's time after the
server's answer went there. A row here is a key and a list of :class:`OneLineCell` — literal
text that is already safe, a style name — drawn as one segment per cell, one strip per row,
cached until the row, the cursor or the styles change.

It draws what DataTable draws for the same rows (a header, padded cells, a row cursor, a
hover row; ``tests/app/test_row_table.py`` compares the two line by line) and uses only
Textual's public API.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.shared.row_cells import Column, Label, OneLineCell, draw_cells

__all__ = ["Column", "OneLineCell", "RowTable", "draw_cells"]

HEADER = "row-table--header"
CURSOR = "row-table--cursor"
HOVER = "row-table--hover"
_CACHE_MAX = 4096  # strips kept: a few screens of rows in every cursor state


class RowMessage(Message):
    """About a row of a :class:`RowTable`: its index and its key."""

    def __init__(self, table: RowTable, cursor_row: int, row_key: str) -> None:
        super().__init__()
        self.table = table
        self.cursor_row = cursor_row
        self.row_key = row_key

    @property
    def control(self) -> RowTable:
        return self.table


class RowTable(ScrollView, can_focus=True):
    """Rows of one-line cells under a header, with a row cursor (see the module)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {HEADER, CURSOR, HOVER}

    # DataTable's look (textual 8), under this table's own component names.
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .row-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .row-table--header { background-tint: $foreground 5%; }
        }
        & > .row-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .row-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .row-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .row-table--hover { background: $block-hover-background; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "scroll_top", "Top", show=False),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False),
    ]

    # A new page makes the table taller. Textual lays the whole screen out again when a
    # virtual size changes (tens of ms with every pane mounted); the table needs only its
    # scrollbar told and a repaint, and a layout when the scrollbar comes or goes.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    class RowHighlighted(RowMessage):
        """The cursor moved to another row (or the row under it changed)."""

    class RowSelected(RowMessage):
        """The user chose the row under the cursor (Enter, or a click on it)."""

    def __init__(self, columns: Sequence[Column] = (), *, fill: str | None = None,
                 cell_padding: int = 1, id: str | None = None,
                 classes: str | None = None) -> None:
        """``fill``: the key of the column that takes the width the others leave."""
        super().__init__(id=id, classes=classes)
        self.columns: list[Column] = list(columns)
        self.fill = fill
        self.cell_padding = cell_padding
        self._keys: list[str] = []
        self._rows: list[list[OneLineCell]] = []
        self._index: dict[str, int] = {}
        self._cursor = 0
        self._hover = -1
        self._highlighted: str | None = None  # the key the last RowHighlighted named
        self._strips: dict[tuple[object, ...], Strip] = {}

    # ------------------------------------------------------------------ rows

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    def get_row_index(self, key: str) -> int:
        """The row of ``key`` (KeyError when it is not in the table)."""
        return self._index[key]

    def get_row_at(self, index: int) -> list[OneLineCell]:
        return list(self._rows[index])

    def row_key_at(self, index: int) -> str:
        return self._keys[index]

    def clear(self) -> None:
        """Drop every row (the columns stay); the cursor goes back to the top."""
        self._reset()
        self._resized()

    def replace_rows(self, rows: Iterable[tuple[str, Sequence[OneLineCell]]],
                     cursor: str | None = None) -> None:
        """Show ``rows`` instead of the rows shown (a new page), the cursor on the row of key
        ``cursor`` when there is one, else on the first: one size change and one repaint,
        where a clear and an add would take the scrollbar away and bring it back."""
        self._reset()
        self._append(rows)
        if cursor is not None and cursor in self._index:
            self._cursor = self._index[cursor]
        self._resized()
        self.scroll_to(y=0, animate=False, force=True)
        self.scroll_to_row(self._cursor)
        self._announce()

    def _reset(self) -> None:
        self._keys.clear()
        self._rows.clear()
        self._index.clear()
        self._strips.clear()
        self._cursor = 0
        self._hover = -1
        self._highlighted = None

    def add_rows(self, rows: Iterable[tuple[str, Sequence[OneLineCell]]]) -> None:
        """Append rows, each ``(key, cells)``: one cell per column, in the columns' order."""
        self._append(rows)
        self._resized()
        self._announce()

    def _append(self, rows: Iterable[tuple[str, Sequence[OneLineCell]]]) -> None:
        index, keys, data = self._index, self._keys, self._rows
        width = len(self.columns)
        for key, cells in rows:
            if key in index:
                raise ValueError(f"the row key {key!r} is in the table already")
            if len(cells) != width:
                raise ValueError(f"{len(cells)} cells for {width} columns")
            index[key] = len(keys)
            keys.append(key)
            data.append(list(cells))

    def update_row(self, key: str, cells: Sequence[OneLineCell]) -> None:
        """Show new ``cells`` in the row of ``key`` (a thread's new record): one repaint."""
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self._rows[self._index[key]] = list(cells)
        self._strips.clear()  # its strips, in every state (the rest are cheap to remake)
        self.refresh()

    def remove_row(self, key: str) -> None:
        row = self._index.pop(key)
        del self._keys[row]
        del self._rows[row]
        for later in self._keys[row:]:
            self._index[later] -= 1
        self._strips.clear()
        if row < self._cursor:
            self._cursor -= 1  # it stays on its row; on the removed row, it takes the next
        self._cursor = max(0, min(self._cursor, len(self._keys) - 1))
        self._resized()
        self._announce()

    def _column_index(self, key: str) -> int:
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise KeyError(key)

    # ------------------------------------------------------------------ columns

    def set_column_width(self, key: str, width: int) -> None:
        """Give column ``key`` a text width of ``width`` cells."""
        column = self.columns[self._column_index(key)]
        if column.width != width:
            column.width = width
            self._strips.clear()
            self._resized()

    def fit_fill_column(self, minimum: int = 1) -> None:
        """Give the ``fill`` column what the other columns leave of the width (at least
        ``minimum``)."""
        if self.fill is None:
            return
        others = sum(c.width + 2 * self.cell_padding for c in self.columns if c.key != self.fill)
        room = self.scrollable_content_region.width - others - 2 * self.cell_padding
        self.set_column_width(self.fill, max(room, minimum))

    @property
    def table_width(self) -> int:
        return sum(column.width + 2 * self.cell_padding for column in self.columns)

    def _resized(self) -> None:
        self.virtual_size = Size(self.table_width, len(self._keys) + 1)
        self.refresh()

    def watch_virtual_size(self, size: Size) -> None:
        """Tell the scrollbar (public ScrollBar attributes); lay out only when the scrollbar
        appears or goes."""
        if not self.is_mounted:
            return
        needs_bar = self.styles.overflow_y == "scroll" or (
            self.styles.overflow_y == "auto" and size.height > self.size.height)
        if needs_bar != self.show_vertical_scrollbar:
            self.refresh(layout=True)
            return
        if needs_bar:
            bar = self.vertical_scrollbar
            bar.window_virtual_size = size.height
            bar.window_size = self.size.height
            bar.refresh()
        self.scroll_y = self.validate_scroll_y(self.scroll_y)

    # ------------------------------------------------------------------ the cursor

    @property
    def visible_rows(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)  # under the header

    def move_cursor(self, *, row: int, animate: bool = False, scroll: bool = True) -> None:
        """Put the cursor on ``row`` (kept within the rows) and, with ``scroll``, in view."""
        row = max(0, min(row, len(self._keys) - 1))
        if row != self._cursor:
            self._cursor = row
            self.refresh()
        if scroll:
            self.scroll_to_row(row, animate=animate)
        self._announce()

    def scroll_to_row(self, row: int, *, animate: bool = False) -> None:
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=animate, force=True)
        elif row >= top + self.visible_rows:
            self.scroll_to(y=row - self.visible_rows + 1, animate=animate, force=True)

    def _announce(self) -> None:
        """Post RowHighlighted when the row under the cursor is not the one last named."""
        key = self._keys[self._cursor] if self._keys else None
        if key != self._highlighted:
            self._highlighted = key
            if key is not None:
                self.post_message(self.RowHighlighted(self, self._cursor, key))

    def _keyboard(self) -> None:
        if self._hover >= 0:
            self._hover = -1
            self.refresh()

    def action_cursor_up(self) -> None:
        self._keyboard()
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._keyboard()
        self.move_cursor(row=self._cursor + 1)

    def action_page_up(self) -> None:
        self._keyboard()
        page = self.visible_rows
        self.scroll_to(y=self.scroll_y - page, animate=False, force=True)
        self.move_cursor(row=self._cursor - page, scroll=False)
        self.scroll_to_row(self._cursor)

    def action_page_down(self) -> None:
        self._keyboard()
        page = self.visible_rows
        self.scroll_to(y=self.scroll_y + page, animate=False, force=True)
        self.move_cursor(row=self._cursor + page, scroll=False)
        self.scroll_to_row(self._cursor)

    def action_scroll_top(self) -> None:
        self._keyboard()
        self.move_cursor(row=0)

    def action_scroll_bottom(self) -> None:
        self._keyboard()
        self.move_cursor(row=len(self._keys) - 1)

    def action_select_cursor(self) -> None:
        if self._keys:
            self.post_message(self.RowSelected(self, self._cursor, self._keys[self._cursor]))

    # ------------------------------------------------------------------ the mouse

    def _row_under(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return None  # outside, or on the header
        row = round(self.scroll_y) + offset.y - 1
        return row if row < len(self._keys) else None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        row = self._row_under(event)
        hover = -1 if row is None else row
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        self._keyboard()

    def on_click(self, event: events.Click) -> None:
        row = self._row_under(event)
        if row is None:
            return
        event.stop()
        if row == self._cursor:
            self.action_select_cursor()
        else:
            self.move_cursor(row=row, animate=True)

    # ------------------------------------------------------------------ painting

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style(HEADER)
            return self._strip(("", "header", width, base, header), width, base, header=True)
        row = round(self.scroll_y) + y - 1
        if row >= len(self._keys):
            return Strip.blank(width, base)
        state = CURSOR if row == self._cursor else HOVER if row == self._hover else ""
        component = self.get_component_rich_style(state) if state else None
        key = (self._keys[row], state, width, base, component)
        return self._strip(key, width, base, row=row, state=state)

    def _strip(self, key: tuple[object, ...], width: int, base: Style, *, header: bool = False,
               row: int = 0, state: str = "") -> Strip:
        strip = self._strips.get(key)
        if strip is not None:
            return strip
        if len(self._strips) >= _CACHE_MAX:
            self._strips.clear()
        widths = [column.width for column in self.columns]
        get_style = self.app.console.get_style
        if header:
            pre = self.get_component_rich_style(HEADER)
            line = draw_cells([Label(c.label) for c in self.columns], widths, pre, Style(),
                              get_style, self.cell_padding)
        else:
            # as DataTable: the cursor's (or hover's) colour comes after the cell's own
            component = self.get_component_rich_style(state) if state else Style()
            pre = base + component
            line = draw_cells(self._rows[row], widths, pre,
                              Style.from_color(color=component.color), get_style,
                              self.cell_padding)
        if width > self.table_width:  # the row's style on to the widget's edge
            line.append(Segment(" " * (width - self.table_width), pre))
        strip = Strip(line).adjust_cell_length(width, base).simplify()
        self._strips[key] = strip
        return strip
