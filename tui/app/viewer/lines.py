"""A read-only, line-virtualised text view with find (base of the JSON and diff views).

Subclasses say how many lines there are, a line's plain text (for find) and its styled
``Text``; only the lines on screen are ever styled, so megabytes stay fast.
"""

from __future__ import annotations

import bisect
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.keys import key
from tui.app.shared.chat import wrap

HIT = Style(bgcolor="#5f5f00")
CURRENT_HIT = Style(bgcolor="#d7af00", color="#000000", bold=True)
GUTTER = Style(color="#6c6c6c")
MAX_HITS = 100_000


class LinesView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    LinesView {
        height: 1fr;
        background: $surface;
    }
    LinesView:focus { background-tint: $foreground 3%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("up", "move(0, -1)", "Up", "Scroll one line up", id="lines.up", show=False),
        key("down", "move(0, 1)", "Down", "Scroll one line down", id="lines.down", show=False),
        key("left", "move(-4, 0)", "Left", "Scroll left", id="lines.left", show=False),
        key("right", "move(4, 0)", "Right", "Scroll right", id="lines.right", show=False),
        key("pageup", "page(-1)", "Page up", "Scroll one page up", id="lines.page_up", show=False),
        key("pagedown", "page(1)", "Page down", "Scroll one page down",
            id="lines.page_down", show=False),
        key("home", "edge(-1)", "Top", "Go to the first line", id="lines.top", show=False),
        key("end", "edge(1)", "Bottom", "Go to the last line", id="lines.bottom", show=False),
    ]

    line_numbers = False
    empty_text = "Nothing to show."

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._query = ""
        self._hits: list[tuple[int, int]] = []
        self._hit = -1

    def allow_focus(self) -> bool:
        return bool(self.display) and super().allow_focus()

    # Scrolling is immediate (no animation): with megabytes of lines, every animation frame
    # would render a full screen.

    def action_move(self, dx: int, dy: int) -> None:
        self.scroll_to(x=self.scroll_offset.x + dx, y=self.scroll_offset.y + dy, animate=False,
                       immediate=True)

    def action_page(self, direction: int) -> None:
        height = max(self.scrollable_content_region.height - 1, 1)
        self.action_move(0, direction * height)

    def action_edge(self, direction: int) -> None:
        y = 0 if direction < 0 else self.max_scroll_y
        self.scroll_to(x=0, y=y, animate=False, immediate=True, force=True)

    # ---------------------------------------------------------------- for subclasses

    def line_count(self) -> int:
        raise NotImplementedError

    def plain_line(self, index: int) -> str:
        raise NotImplementedError

    def styled_line(self, index: int) -> Text:
        return Text(self.plain_line(index))

    def content_width(self) -> int:
        return max((len(self.plain_line(i)) for i in range(self.line_count())), default=0)

    # ---------------------------------------------------------------- layout

    def _gutter_width(self) -> int:
        return len(str(self.line_count())) + 1 if self.line_numbers else 0

    def update_size(self) -> None:
        count = self.line_count()
        self.virtual_size = Size(self.content_width() + self._gutter_width() + 1, max(count, 1))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        count = self.line_count()
        if count == 0:
            notes = wrap(self.empty_text, max(width - 2, 10))
            if y < len(notes):
                note = Segment(f" {notes[y]}", base + Style(dim=True, italic=True))
                return Strip([note]).extend_cell_length(width, base).crop(0, width)
            return Strip.blank(width, base)
        if index >= count:
            return Strip.blank(width, base)
        text = self.styled_line(index)
        if self._query:
            self._highlight(text, index)
        segments = list(text.render(self.app.console))
        gutter_width = self._gutter_width()
        strip = Strip(segments).apply_style(base)
        strip = strip.crop_extend(scroll_x, scroll_x + width - gutter_width, base)
        if gutter_width:
            number = Segment(f"{index + 1:>{gutter_width - 1}} ", base + GUTTER)
            strip = Strip([number, *strip])
        return strip

    def _highlight(self, text: Text, index: int) -> None:
        lowered = text.plain.lower()
        size = len(self._query)
        current = self._hits[self._hit] if 0 <= self._hit < len(self._hits) else None
        column = lowered.find(self._query)
        while column >= 0:
            style = CURRENT_HIT if current == (index, column) else HIT
            text.stylize(style, column, column + size)
            column = lowered.find(self._query, column + size)

    # ---------------------------------------------------------------- find

    def find(self, query: str) -> int:
        self._query = query.lower()
        self._hits = []
        self._hit = -1
        if self._query:
            for index in range(self.line_count()):
                lowered = self.plain_line(index).lower()
                column = lowered.find(self._query)
                while column >= 0 and len(self._hits) < MAX_HITS:
                    self._hits.append((index, column))
                    column = lowered.find(self._query, column + len(self._query))
        self.refresh()
        return len(self._hits)

    def find_step(self, forward: bool = True) -> str | None:
        if not self._hits:
            return None
        if self._hit < 0:
            top = round(self.scroll_offset.y)
            start = bisect.bisect_left(self._hits, (top, 0))
            self._hit = (start if forward else start - 1) % len(self._hits)
        else:
            self._hit = (self._hit + (1 if forward else -1)) % len(self._hits)
        index, column = self._hits[self._hit]
        height = self.scrollable_content_region.height or 1
        width = self.scrollable_content_region.width - self._gutter_width()
        top = round(self.scroll_offset.y)
        y = top if top <= index < top + height else max(index - height // 3, 0)
        left = round(self.scroll_offset.x)
        x = left if left <= column < left + width - len(self._query) else max(column - 8, 0)
        self.scroll_to(x=x, y=y, animate=False, immediate=True, force=True)
        self.refresh()
        return f"line {index + 1}"

    def find_position(self) -> tuple[int, int]:
        """(1-based number of the current hit or 0, number of hits)."""
        return (self._hit + 1 if self._hit >= 0 else 0), len(self._hits)

    def clear_find(self) -> None:
        self._query = ""
        self._hits = []
        self._hit = -1
        self.refresh()
