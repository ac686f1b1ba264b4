"""How one thread looks as a row of the thread list (pure formatting, no I/O).

Relative times use coarse buckets ("just now", "3m ago", "2h ago", "5d ago", then the date) so
a screen taken with a frozen clock does not change from one run to the next.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text

from tui.app.shared.row_table import OneLineCell
from tui.message_text import PREVIEW, content_text
from tui.safe import one_line
from tui.services.ids import short_id

if TYPE_CHECKING:


    from tui.deployment.models import Thread


STATUS_STYLE = {
    "idle": "green",
    "busy": "bold yellow",
    "interrupted": "bold magenta",
    "error": "bold red",
}

COLUMNS: list[tuple[str, str, int | None]] = [
    # (key, label, width: None = auto)
    ("id", "id", 8),
    ("status", "status", 11),
    ("graph", "graph", 12),
    ("created", "created", 10),
    ("updated", "updated", 10),
    ("preview", "preview", None),
]
FIXED_WIDTH = sum(w for _, _, w in COLUMNS if w) + 2 * len(COLUMNS)
"""Columns taken by every column but the preview's text (the padding of all of them)."""
MIN_PREVIEW = 8


class Cell(OneLineCell):
    """One table cell: literal text (sanitized, one line) and a style name.

    The list can hold tens of thousands of rows; six rich ``Text`` objects a row cost ~1 KB
    more than this (three slots). The table draws it (``draw_cells``) as the one-line
    ``Text`` of :meth:`text` would be drawn. ``plain`` is what the cell shows.
    """

    __slots__ = ("ellipsis", "plain", "style")

    def __init__(self, value: str, limit: int | None = None, style: str = "",
                 ellipsis: bool = False) -> None:
        self.plain = one_line(value, limit)
        self.style = style
        self.ellipsis = ellipsis
        """Cut to the column's width with a "…", so the cut is seen."""

    def __repr__(self) -> str:
        return f"Cell({self.plain!r}, style={self.style!r})"

    def text(self) -> Text:
        return Text(self.plain, style=self.style, no_wrap=True, end="",
                    overflow="ellipsis" if self.ellipsis else None)


def relative(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "—"
    if when.tzinfo is None or now.tzinfo is None:
        when, now = when.replace(tzinfo=None), now.replace(tzinfo=None)
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h ago"
    if seconds < 7 * 86400:
        return f"{int(seconds // 86400)}d ago"
    local = when.astimezone(now.tzinfo) if now.tzinfo else when
    return local.strftime("%Y-%m-%d")


def preview_text(value: Any) -> str:
    """The last message's content as one plain string.

    Measured on the server: ``extract`` returns the content as stored — a string, a list of
    content parts (``[{"type": "text", "text": …}, {"type": "image_url", …}]``), or ``None``
    for a thread without messages (and for a copy, whose record holds no values).
    """
    return content_text(value, PREVIEW)


def thread_preview(thread: Thread) -> str:
    extracted = thread.extracted or {}
    return preview_text(extracted.get("preview"))


_SHARED: dict[tuple[str, int, str], Cell] = {}
_SHARED_MAX = 4096


def shared_cell(value: str, limit: int, style: str = "") -> Cell:
    """One Cell object for each (text, width, style): a status, a graph name or "3d ago" is
    the same on thousands of rows, and a Cell never changes once made (~0.4 KB a row saved
    with tens of thousands loaded)."""
    key = (value, limit, style)
    cell = _SHARED.get(key)
    if cell is None:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        cell = _SHARED[key] = Cell(value, limit, style=style)
    return cell


def cells(thread: Thread, now: datetime, preview_width: int = 200) -> list[Cell]:
    status = thread.status or "?"
    graph = thread.graph_id or ""
    return [
        Cell(short_id(thread.thread_id), style="bold"),
        shared_cell(status, 11, STATUS_STYLE.get(status, "")),
        shared_cell(graph, 12, "cyan"),
        shared_cell(relative(thread.created_at, now), 10),
        shared_cell(relative(thread.updated_at, now), 10),
        Cell(thread_preview(thread), max(preview_width, MIN_PREVIEW),
             style="dim" if not graph else "", ellipsis=True),
    ]
