"""A chat transcript: LangChain message dicts as a conversation, line-virtualised.

Human / ai / tool / system messages are styled apart; an AI message's tool calls are shown
together with the tool messages that answer them; ids and metadata appear on demand (enter on
a message, or ``i`` for all). Only the visible lines are rendered (a ``ScrollView`` with
``render_line``), and layout is incremental: the bubbles needed for the screen are laid out at
once, the rest in small slices between keystrokes, so 10,000 messages show immediately.

Incremental API (the state viewer sets a whole list; a live run streams into it):
``set_messages(list)``, ``upsert_message(msg)``, ``append_token(message_id, text)``, ``clear()``.
Find: ``find(query) -> hits``, ``find_step(forward) -> where | None``, ``find_position()``,
``clear_find()``. The bubbles' layout is :mod:`tui.app.shared.chat_layout`; the messages and
where each bubble starts are :mod:`tui.app.shared.chat_transcript`.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.keys import key
from tui.app.shared.chat_layout import (
    FOLD_LINES,
    ROLE_COLOURS,
    content_text,
    line_segments,
    message_id,
    role_of,
    wrap,
)
from tui.app.shared.chat_transcript import Transcript

LAYOUT_SLICE = 400
"""Bubbles laid out per slice of background work (a few milliseconds)."""


class ChatView(ScrollView, can_focus=True):
    """The conversation as a transcript. ``up``/``down`` move between messages."""

    DEFAULT_CSS = """
    ChatView {
        height: 1fr;
        scrollbar-gutter: stable;
        background: $surface;
    }
    ChatView:focus { background-tint: $foreground 3%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("down", "next_message", "Next message",
            "Select the next message (scrolls through a long one first)",
            id="chat.next", show=False),
        key("up", "previous_message", "Previous message", "Select the previous message",
            id="chat.previous", show=False),
        key("pagedown", "page(1)", "Page down", "Scroll one page down",
            id="chat.page_down", show=False),
        key("pageup", "page(-1)", "Page up", "Scroll one page up", id="chat.page_up", show=False),
        key("home", "first_message", "First", "Go to the first message",
            id="chat.first", show=False),
        key("end", "last_message", "Last", "Go to the last message", id="chat.last", show=False),
        key("enter", "toggle_details", "Details",
            "Show or hide the selected message's ids and metadata, and unfold it",
            id="chat.details"),
        key("i", "toggle_all_details", "Ids/metadata",
            "Show or hide ids and metadata of every message",
            id="chat.details_all"),
        key("c", "copy_message", "Copy message", "Copy the selected message as JSON (OSC 52)",
            id="chat.copy"),
    ]

    PALETTE_GROUP = "Chat"

    class CursorMoved(Message):
        """The selected message changed (``index`` into the messages list, or None)."""

        def __init__(self, chat: ChatView, index: int | None) -> None:
            super().__init__()
            self.chat = chat
            self.index = index

        @property
        def control(self) -> ChatView:
            return self.chat

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None, empty_text: str = "No messages.") -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.empty_text = empty_text
        self._t = Transcript()
        self._generation = 0
        self._cursor = 0
        self._query = ""
        self._hits: list[tuple[int, int, int]] = []
        self._hit = -1

    def allow_focus(self) -> bool:
        """Not while hidden (e.g. another view of a switcher is shown)."""
        return bool(self.display) and super().allow_focus()

    # ------------------------------------------------------------------ data API

    @property
    def messages(self) -> list[Any]:
        return list(self._t.messages)

    @property
    def cursor_index(self) -> int | None:
        """Index (into the messages) of the selected message."""
        blocks = self._t.blocks
        return blocks[min(self._cursor, len(blocks) - 1)].index if blocks else None

    def set_messages(self, messages: Sequence[Any]) -> None:
        """Show ``messages`` (replacing what was shown); the view goes to the top."""
        self._t.set_messages(messages)
        self._cursor = 0
        self._clear_hits()
        self._rebuild()
        self._scroll(0)

    def clear(self) -> None:
        self.set_messages([])

    def upsert_message(self, message: Any) -> int:
        """Replace the message with the same id, or append it; returns its index."""
        following = self._at_bottom()
        index, number = self._t.upsert(message)
        if number is None:
            self._rebuild()
        else:
            self._t.relayout(number)
            self._update_size()
        if following:
            self.scroll_end(animate=False, immediate=True, force=True)
        return index

    def append_token(self, message_id: str, text: str, *, role: str = "ai") -> int:
        """Append streamed ``text`` to the message ``message_id`` (created if new)."""
        index = self._t.by_id.get(message_id)
        if index is None:
            return self.upsert_message({"type": role, "content": text, "id": message_id})
        message = self._t.messages[index]
        if not isinstance(message, dict):
            return index
        updated = dict(message)
        content = updated.get("content")
        if isinstance(content, list):
            updated["content"] = [*content, {"type": "text", "text": text}]
        else:
            updated["content"] = (content if isinstance(content, str) else "") + text
        return self.upsert_message(updated)

    # ------------------------------------------------------------------ layout

    def _width(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 0 else (self._t.width or 80)

    def _rebuild(self) -> None:
        """Re-make the bubbles; lay out what the screen needs now, the rest in the background."""
        t = self._t
        t.build_blocks()
        t.reset_layout(self._width())
        self._generation += 1
        self._cursor = min(self._cursor, max(len(t.blocks) - 1, 0))
        t.extend(self._cursor + 2)
        t.extend_to_line(round(self.scroll_offset.y) + 2 * (self.scrollable_content_region.height
                                                            or 50))
        self._update_size()
        if not t.complete:
            self.call_after_refresh(self._layout_more, self._generation)

    def _layout_more(self, generation: int) -> None:
        """One slice of background layout; frames and keys get their turn in between."""
        if generation != self._generation:
            return
        self._t.extend(self._t.laid + LAYOUT_SLICE)
        self._update_size()
        if not self._t.complete:
            self.call_after_refresh(self._layout_more, generation)

    def _update_size(self) -> None:
        self.virtual_size = Size(self._t.width or self._width(), self._t.height())
        self.refresh()

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if self.display and width > 0 and width != self._t.width:
            self._rebuild()
            self._scroll_to_block(self._cursor)

    # ------------------------------------------------------------------ rendering

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        t = self._t
        if not t.blocks:
            if y == 0:
                text = Segment(f" {self.empty_text}", base + Style(dim=True, italic=True))
                return Strip([text]).extend_cell_length(width, base).crop(0, width)
            return Strip.blank(width, base)
        where = t.locate(y + self.scroll_offset.y)
        if where is None:
            return Strip.blank(width, base)
        number, offset = where
        lines, _ = t.lines(number)
        role = role_of(t.messages[t.blocks[number].index])
        hit = self._hits[self._hit] if 0 <= self._hit < len(self._hits) else None
        current = (hit[2], len(self._query)) if hit and hit[:2] == where else None
        segments = line_segments(lines[offset], role, number == self._cursor, base,
                                 self._query, current)
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    # ------------------------------------------------------------------ navigation

    def _height(self) -> int:
        return self.scrollable_content_region.height or 1

    def _scroll(self, y: int) -> None:
        """Scroll now, even before the next layout has shown the scrollbar."""
        self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def _scroll_to_block(self, number: int, *, bottom: bool = False) -> None:
        if not self._t.blocks:
            return
        top, end = self._t.span(number)
        height = self._height()
        view_top = round(self.scroll_offset.y)
        if bottom and end - top > height:
            target = end - height
        elif top < view_top or end - top > height:
            target = top
        elif end > view_top + height:
            target = end - height
        else:
            target = view_top
        self._update_size()
        self._scroll(target)

    def _move_cursor(self, number: int, *, bottom: bool = False) -> None:
        if not self._t.blocks:
            return
        number = max(0, min(number, len(self._t.blocks) - 1))
        changed = number != self._cursor
        self._cursor = number
        self._scroll_to_block(number, bottom=bottom)
        self.refresh()
        if changed:
            self.post_message(self.CursorMoved(self, self.cursor_index))

    def select_message(self, index: int) -> None:
        """Select (and scroll to) the bubble showing message ``index``."""
        number = self._t.block_of.get(index)
        if number is not None:
            self._move_cursor(number)

    def action_next_message(self) -> None:
        if not self._t.blocks:
            return
        height, view_top = self._height(), round(self.scroll_offset.y)
        _, end = self._t.span(self._cursor)
        if end > view_top + height:  # finish reading a long message first
            self._scroll(min(view_top + max(height - 2, 1), end - height))
            return
        self._move_cursor(self._cursor + 1)

    def action_previous_message(self) -> None:
        if not self._t.blocks:
            return
        height, view_top = self._height(), round(self.scroll_offset.y)
        top, _ = self._t.span(self._cursor)
        if top < view_top:
            self._scroll(max(view_top - max(height - 2, 1), top))
            return
        self._move_cursor(self._cursor - 1, bottom=True)

    def action_first_message(self) -> None:
        self._move_cursor(0)

    def action_last_message(self) -> None:
        self._t.extend(len(self._t.blocks))
        self._update_size()
        self._move_cursor(len(self._t.blocks) - 1)
        self.scroll_end(animate=False, immediate=True, force=True)

    def action_page(self, direction: int) -> None:
        t = self._t
        if not t.blocks:
            return
        height = self._height()
        target = max(0, round(self.scroll_offset.y) + direction * max(height - 1, 1))
        t.extend_to_line(target + height)
        target = min(target, max(t.offsets[-1] - height, 0))
        self._scroll(target)
        # Keep the selection on screen: the first bubble that starts in the view.
        number = bisect.bisect_right(t.offsets, target) - 1
        if t.offsets[number] < target and number + 1 < len(t.blocks):
            number += 1
        self._cursor = max(0, min(number, len(t.blocks) - 1))
        self.refresh()
        self.post_message(self.CursorMoved(self, self.cursor_index))

    def action_toggle_details(self) -> None:
        index = self.cursor_index
        if index is None:
            return
        self._t.expanded.symmetric_difference_update({index})
        self._rebuild()
        self._scroll_to_block(self._cursor)

    def action_toggle_all_details(self) -> None:
        self._t.all_details = not self._t.all_details
        self._rebuild()
        self._scroll_to_block(self._cursor)

    def action_copy_message(self) -> None:
        index = self.cursor_index
        if index is None:
            return
        self.app.copy_to_clipboard(json.dumps(self._t.messages[index], indent=2,
                                              ensure_ascii=False, default=str))
        self.notify(f"Copied message #{index + 1}.", markup=False, timeout=2)

    def _at_bottom(self) -> bool:
        if not self._t.complete:
            return False
        return round(self.scroll_offset.y) + self._height() >= self._t.offsets[-1]

    # ------------------------------------------------------------------ find

    def find(self, query: str) -> int:
        """Mark every occurrence of ``query`` (case-insensitive); returns the number of hits."""
        self._query = query.lower()
        self._hits = self._t.find(self._query) if self._query else []
        self._hit = -1
        self.refresh()
        return len(self._hits)

    def find_step(self, forward: bool = True) -> str | None:
        """Go to the next (or previous) hit after the selection; returns where it is."""
        if not self._hits:
            return None
        if self._hit < 0:
            if forward:
                self._hit = bisect.bisect_right(self._hits, (self._cursor, -1, -1))
            else:
                self._hit = bisect.bisect_left(self._hits, (self._cursor, 0, 0)) - 1
            self._hit %= len(self._hits)
        else:
            self._hit = (self._hit + (1 if forward else -1)) % len(self._hits)
        number, offset, _ = self._hits[self._hit]
        t = self._t
        lines, folded = t.lines(number)
        if folded and offset >= len(lines) - 1:
            t.expanded.add(t.blocks[number].index)
            self._rebuild()
        self._cursor = number
        absolute = t.span(number)[0] + offset
        view_top = round(self.scroll_offset.y)
        if not view_top <= absolute < view_top + self._height():
            self._scroll(max(absolute - self._height() // 3, 0))
        self.refresh()
        self.post_message(self.CursorMoved(self, self.cursor_index))
        return f"message {t.blocks[number].index + 1}"

    def find_position(self) -> tuple[int, int]:
        """(1-based number of the current hit or 0, number of hits)."""
        return (self._hit + 1 if self._hit >= 0 else 0), len(self._hits)

    def clear_find(self) -> None:
        self._clear_hits()
        self.refresh()

    def _clear_hits(self) -> None:
        self._query = ""
        self._hits = []
        self._hit = -1


__all__ = ["FOLD_LINES", "ROLE_COLOURS", "ChatView", "content_text", "message_id", "role_of",
           "wrap"]
