"""The checkpoints of a thread, newest first, loaded page by page as the cursor goes down.

Columns: marks (▶ shown, A / B for the diff), step, source, which node wrote it, time and the
checkpoint id. Checkpoints of other branches (after a fork) are dimmed.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from tui.app.keys import ROW_TABLE_BINDINGS, key
from tui.app.text import line
from tui.app.viewer.model import ViewerData, format_time, tail_id

MORE_KEY = "__more__"


class HistoryTable(DataTable[Text]):
    PALETTE_GROUP = "State · history"
    DEFAULT_CSS = """
    HistoryTable { height: 1fr; overflow-x: hidden; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *ROW_TABLE_BINDINGS,
        key("a", "mark('a')", "Mark A", "Mark this checkpoint as A (the older side of a diff)",
            id="viewer.history.mark_a"),
        key("b", "mark('b')", "Mark B", "Mark this checkpoint as B (the newer side of a diff)",
            id="viewer.history.mark_b"),
    ]

    class NeedMore(Message):
        """The cursor reached the last loaded checkpoint and older ones exist."""

    class Marked(Message):
        def __init__(self, which: str, checkpoint_id: str) -> None:
            super().__init__()
            self.which = which
            self.checkpoint_id = checkpoint_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.marks: dict[str, str] = {}
        self.viewing: str | None = None
        self._viewer_data: ViewerData | None = None
        self._now: datetime | None = None

    def on_mount(self) -> None:
        # Most useful first: on a narrow pane the last columns are the ones cut off.
        for label, column, width in (("", "mark", 3), ("step", "step", 4),
                                     ("written by", "writer", 14), ("time (UTC)", "time", None),
                                     ("source", "source", None), ("checkpoint", "checkpoint", 9)):
            self.add_column(Text(label, style="bold"), key=column, width=width)

    def _mark_cell(self, checkpoint_id: str | None) -> Text:
        text = Text(no_wrap=True, end="")
        text.append("▶" if checkpoint_id == self.viewing else " ", style="bold #87d787")
        for which in ("a", "b"):
            if self.marks.get(which) == checkpoint_id:
                text.append(which.upper(), style="bold #ffd75f")
        return text

    def show(self, data: ViewerData, now: datetime | None) -> None:
        """Rebuild the rows from ``data`` (keeps the cursor on the same checkpoint)."""
        self._viewer_data, self._now = data, now
        keep = self.cursor_checkpoint
        self.clear()
        lineage = data.lineage_ids()
        for entry in data.history:
            dim = Style(dim=True) if entry.checkpoint_id not in lineage else Style()
            step = entry.step
            self.add_row(
                self._mark_cell(entry.checkpoint_id),
                line("" if step is None else str(step), 4, dim),
                line(data.writer(entry), 14, dim),
                line(format_time(entry.created_at, now), 16, dim),
                line(entry.source or "—", 8, dim),
                line(tail_id(entry.checkpoint_id), 9, dim + Style(color="#8a8a8a")),
                key=entry.checkpoint_id,
            )
        if data.has_more:
            note = Text("… more below", style="dim italic")
            self.add_row(Text(""), Text(""), note, Text(""), Text(""), Text(""), key=MORE_KEY)
        elif not data.history:
            note = Text("loading…" if not data.history_loaded else "no checkpoints",
                        style="dim italic")
            self.add_row(Text(""), Text(""), note, Text(""), Text(""), Text(""), key=MORE_KEY)
        if keep is not None:
            self.move_to(keep)

    @property
    def cursor_checkpoint(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except CellDoesNotExist:  # an empty or rebuilding table has no cell under the cursor
            return None
        return None if key == MORE_KEY else key

    def move_to(self, checkpoint_id: str | None) -> bool:
        if checkpoint_id is None:
            return False
        try:
            row = self.get_row_index(checkpoint_id)
        except RowDoesNotExist:
            return False
        self.move_cursor(row=row, animate=False)
        return True

    def refresh_marks(self) -> None:
        if self._viewer_data is None:
            return
        for entry in self._viewer_data.history:
            if entry.checkpoint_id is None:
                continue
            try:
                self.update_cell(entry.checkpoint_id, "mark", self._mark_cell(entry.checkpoint_id))
            except (CellDoesNotExist, RowDoesNotExist):  # the row went away in a rebuild
                continue

    def action_mark(self, which: str) -> None:
        checkpoint = self.cursor_checkpoint
        if checkpoint is None:
            return
        self.marks[which] = checkpoint
        self.refresh_marks()
        self.post_message(self.Marked(which, checkpoint))

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        data = self._viewer_data
        if (data is not None and data.has_more and self.has_focus and self.row_count
                and new.row >= self.row_count - 2):
            self.post_message(self.NeedMore())
