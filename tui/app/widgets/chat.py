"""A chat transcript: LangChain message dicts as a conversation, line-virtualised.

Human / ai / tool / system messages are styled apart; an AI message's tool calls are shown
together with the tool messages that answer them; ids and metadata appear on demand (enter on
a message, or ``i`` for all). Only the visible lines are rendered (a ``ScrollView`` with
``render_line``), and wrapping is plain string work, so 10,000 messages stay fast.

Incremental API (the state viewer sets a whole list; a live run streams into it):
``set_messages(list)``, ``upsert_message(msg)``, ``append_token(message_id, text)``, ``clear()``.
Find: ``find(query) -> hits``, ``find_step(forward) -> where | None``, ``clear_find()``.

Every string shown comes from a deployment: it is sanitized (control characters made visible)
and placed in segments directly, never parsed as markup.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.safe import one_line, sanitize

FOLD_LINES = 24
"""Wrapped lines shown of a long message before it is folded (enter expands it)."""
RESULT_FOLD_LINES = 8

# Line kinds (what style a layout line gets).
HEADER, BODY, CALL, CALL_BODY, RESULT, RESULT_BODY, DETAIL, FOLD, BLANK, NOTE = range(10)

ROLE_COLOURS = {
    "human": "#5fafff",
    "ai": "#87d787",
    "tool": "#d7af5f",
    "system": "#d787d7",
}
_ALIASES = {"user": "human", "assistant": "ai", "developer": "system", "AIMessageChunk": "ai",
            "HumanMessageChunk": "human", "function": "tool"}


def role_of(message: Any) -> str:
    """human / ai / tool / system, or the message's own type; ``?`` when it has none."""
    if isinstance(message, str):
        return "human"
    if isinstance(message, Mapping):
        kind = message.get("type", message.get("role"))
        if isinstance(kind, str) and kind:
            return _ALIASES.get(kind, kind)
    if isinstance(message, list | tuple) and len(message) == 2 and isinstance(message[0], str):
        return _ALIASES.get(message[0], message[0])
    return "?"


def message_id(message: Any) -> str | None:
    if isinstance(message, Mapping):
        value = message.get("id")
        return value if isinstance(value, str) and value else None
    return None


def _compact_json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


def content_text(message: Any) -> str:
    """The readable text of a message's content (text parts joined; other parts summarised)."""
    if isinstance(message, str):
        return message
    if isinstance(message, list | tuple) and len(message) == 2:
        content: Any = message[1]
    elif isinstance(message, Mapping):
        content = message.get("content", "")
    else:
        return _compact_json(message)
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts: list[str] = []
        for part in content:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, Mapping) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif isinstance(part, Mapping):
                parts.append(f"[{part.get('type', 'part')}] {_compact_json(part)}")
            else:
                parts.append(_compact_json(part))
        return "\n".join(parts)
    return _compact_json(content)


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap of sanitized text to ``width`` cells; plain string work (fast)."""
    width = max(width, 4)
    lines: list[str] = []
    for paragraph in text.replace("\t", "    ").split("\n"):
        if not paragraph:
            lines.append("")
        elif paragraph.isascii():
            _wrap_ascii(paragraph, width, lines)
        else:
            _wrap_cells(paragraph, width, lines)
    return lines


def _wrap_ascii(text: str, width: int, out: list[str]) -> None:
    start, length = 0, len(text)
    while length - start > width:
        cut = text.rfind(" ", start, start + width + 1)
        if cut <= start:
            out.append(text[start : start + width])
            start += width
        else:
            out.append(text[start:cut])
            start = cut + 1
    out.append(text[start:])


def _wrap_cells(text: str, width: int, out: list[str]) -> None:
    line: list[str] = []
    used = 0
    last_space = -1
    for char in text:
        size = get_character_cell_size(char)
        if used + size > width:
            if last_space > 0:
                out.append("".join(line[:last_space]))
                line = line[last_space + 1 :]
            else:
                out.append("".join(line))
                line = []
            used = sum(get_character_cell_size(c) for c in line)
            last_space = -1
        line.append(char)
        used += size
        if char == " ":
            last_space = len(line) - 1
    out.append("".join(line))


@dataclass(slots=True)
class _Block:
    """One bubble: a message, plus the tool messages answering its tool calls."""

    index: int
    results: dict[str, int] = field(default_factory=dict)
    """tool_call_id -> index of the tool message answering it."""


Line = tuple[int, str, str]
"""(kind, text, extra): extra is a dim suffix (headers) or the role whose colour a line uses."""


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
        Binding("down", "next_message", "Next message", show=False, id="chat.next",
                tooltip="Select the next message (scrolls through a long one first)"),
        Binding("up", "previous_message", "Previous message", show=False, id="chat.previous",
                tooltip="Select the previous message"),
        Binding("pagedown", "page_down", "Page down", show=False, id="chat.page_down",
                tooltip="Scroll one page down"),
        Binding("pageup", "page_up", "Page up", show=False, id="chat.page_up",
                tooltip="Scroll one page up"),
        Binding("home", "first_message", "First", show=False, id="chat.first",
                tooltip="Go to the first message"),
        Binding("end", "last_message", "Last", show=False, id="chat.last",
                tooltip="Go to the last message"),
        Binding("enter", "toggle_details", "Details", id="chat.details",
                tooltip="Show or hide the selected message's ids and metadata, and unfold it"),
        Binding("i", "toggle_all_details", "Ids/metadata", id="chat.details_all",
                tooltip="Show or hide ids and metadata of every message"),
        Binding("c", "copy_message", "Copy message", id="chat.copy",
                tooltip="Copy the selected message as JSON (OSC 52)"),
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
        self._messages: list[Any] = []
        self._revs: list[int] = []
        self._by_id: dict[str, int] = {}
        self._blocks: list[_Block] = []
        self._block_of: dict[int, int] = {}
        self._offsets: list[int] = [0]
        self._cache: dict[tuple[Any, ...], tuple[list[Line], bool]] = {}
        self._layout_width = 0
        self._cursor = 0
        self._expanded: set[int] = set()
        self._all_details = False
        self._query = ""
        self._hits: list[tuple[int, int, int]] = []
        self._hit = -1

    def allow_focus(self) -> bool:
        """Not while hidden (e.g. another view of a switcher is shown)."""
        return bool(self.display) and super().allow_focus()

    # ------------------------------------------------------------------ data API

    @property
    def messages(self) -> list[Any]:
        return list(self._messages)

    @property
    def cursor_index(self) -> int | None:
        """Index (into the messages) of the selected message."""
        if not self._blocks:
            return None
        return self._blocks[min(self._cursor, len(self._blocks) - 1)].index

    def set_messages(self, messages: Sequence[Any]) -> None:
        """Show ``messages`` (replacing what was shown); the view goes to the top."""
        self._messages = list(messages)
        self._revs = [0] * len(self._messages)
        self._cache.clear()
        self._expanded.clear()
        self._cursor = 0
        self._reindex()
        self._rebuild()
        self._scroll(0)
        self._clear_hits()

    def clear(self) -> None:
        self.set_messages([])

    def upsert_message(self, message: Any) -> int:
        """Replace the message with the same id, or append it; returns its index."""
        mid = message_id(message)
        index = self._by_id.get(mid) if mid is not None else None
        following = self._at_bottom()
        if index is None:
            index = len(self._messages)
            self._messages.append(message)
            self._revs.append(0)
            if mid is not None:
                self._by_id[mid] = index
        else:
            self._messages[index] = message
            self._revs[index] += 1
        self._rebuild()
        if following:
            self.scroll_end(animate=False, immediate=True, force=True)
        return index

    def append_token(self, message_id: str, text: str, *, role: str = "ai") -> int:
        """Append streamed ``text`` to the message ``message_id`` (created if new)."""
        index = self._by_id.get(message_id)
        if index is None:
            return self.upsert_message({"type": role, "content": text, "id": message_id})
        message = self._messages[index]
        if isinstance(message, Mapping):
            updated = dict(message)
            content = updated.get("content")
            if isinstance(content, list):
                updated["content"] = [*content, {"type": "text", "text": text}]
            else:
                updated["content"] = (content if isinstance(content, str) else "") + text
            return self.upsert_message(updated)
        return index

    # ------------------------------------------------------------------ layout

    def _reindex(self) -> None:
        self._by_id = {}
        for index, message in enumerate(self._messages):
            mid = message_id(message)
            if mid is not None:
                self._by_id[mid] = index

    def _build_blocks(self) -> None:
        blocks: list[_Block] = []
        block_of: dict[int, int] = {}
        open_calls: dict[str, int] = {}
        for index, message in enumerate(self._messages):
            call_id = message.get("tool_call_id") if isinstance(message, Mapping) else None
            if (role_of(message) == "tool" and isinstance(call_id, str)
                    and call_id in open_calls):
                owner = open_calls.pop(call_id)
                blocks[owner].results[call_id] = index
                block_of[index] = owner
                continue
            block_of[index] = len(blocks)
            blocks.append(_Block(index))
            for call in _tool_calls(message):
                if isinstance(call.get("id"), str):
                    open_calls[call["id"]] = len(blocks) - 1
        self._blocks = blocks
        self._block_of = block_of

    def _width(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 0 else 80

    def _rebuild(self) -> None:
        self._build_blocks()
        width = self._width()
        if width != self._layout_width:
            self._cache.clear()
            self._layout_width = width
        offsets = [0]
        total = 0
        for number in range(len(self._blocks)):
            total += len(self._block_lines(number)[0])
            offsets.append(total)
        self._offsets = offsets
        self._cursor = min(self._cursor, max(len(self._blocks) - 1, 0))
        self.virtual_size = Size(width, max(total, 1))
        self.refresh()

    def _block_key(self, number: int, expanded: bool) -> tuple[Any, ...]:
        block = self._blocks[number]
        indexes = (block.index, *sorted(block.results.values()))
        return (*((i, self._revs[i]) for i in indexes), expanded, self._all_details)

    def _block_lines(self, number: int, *, full: bool = False) -> tuple[list[Line], bool]:
        """(lines, folded) for block ``number``; ``full`` ignores folding (for find)."""
        block = self._blocks[number]
        expanded = full or block.index in self._expanded
        key = self._block_key(number, expanded)
        cached = self._cache.get(key)
        if cached is None:
            cached = _layout_block(self._messages, block, self._layout_width or 80,
                                   expanded=expanded,
                                   details=self._all_details or block.index in self._expanded)
            self._cache[key] = cached
        return cached

    def on_resize(self) -> None:
        if self._width() != self._layout_width:
            anchor = self._cursor
            self._rebuild()
            self._scroll_to_block(anchor)

    # ------------------------------------------------------------------ rendering

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        absolute = y + self.scroll_offset.y
        if not self._blocks:
            if y == 0:
                text = Segment(f" {self.empty_text}", base + Style(dim=True, italic=True))
                return Strip([text]).extend_cell_length(width, base).crop(0, width)
            return Strip.blank(width, base)
        if absolute >= self._offsets[-1]:
            return Strip.blank(width, base)
        number = bisect.bisect_right(self._offsets, absolute) - 1
        lines, _ = self._block_lines(number)
        offset = absolute - self._offsets[number]
        line = lines[offset]
        role = role_of(self._messages[self._blocks[number].index])
        selected = number == self._cursor
        hit = self._hits[self._hit] if 0 <= self._hit < len(self._hits) else None
        current = (hit[2], len(self._query)) if hit and hit[:2] == (number, offset) else None
        segments = _line_segments(line, role, selected, base, self._query, current)
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    # ------------------------------------------------------------------ navigation

    def _scroll(self, y: int) -> None:
        """Scroll now, even before the next layout has shown the scrollbar."""
        self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def _scroll_to_block(self, number: int, *, bottom: bool = False) -> None:
        if not self._blocks:
            return
        top = self._offsets[number]
        end = self._offsets[number + 1]
        height = self.scrollable_content_region.height or 1
        view_top = round(self.scroll_offset.y)
        if bottom and end - top > height:
            target = end - height
        elif top < view_top or end - top > height:
            target = top
        elif end > view_top + height:
            target = end - height
        else:
            target = view_top
        self._scroll(target)

    def _move_cursor(self, number: int, *, bottom: bool = False) -> None:
        if not self._blocks:
            return
        number = max(0, min(number, len(self._blocks) - 1))
        changed = number != self._cursor
        self._cursor = number
        self._scroll_to_block(number, bottom=bottom)
        self.refresh()
        if changed:
            self.post_message(self.CursorMoved(self, self.cursor_index))

    def select_message(self, index: int) -> None:
        """Select (and scroll to) the bubble showing message ``index``."""
        number = self._block_of.get(index)
        if number is not None:
            self._move_cursor(number)

    def action_next_message(self) -> None:
        if not self._blocks:
            return
        height = self.scrollable_content_region.height or 1
        view_top = round(self.scroll_offset.y)
        end = self._offsets[self._cursor + 1]
        if end > view_top + height:  # finish reading a long message first
            self._scroll(min(view_top + max(height - 2, 1), end - height))
            return
        self._move_cursor(self._cursor + 1)

    def action_previous_message(self) -> None:
        if not self._blocks:
            return
        height = self.scrollable_content_region.height or 1
        view_top = round(self.scroll_offset.y)
        top = self._offsets[self._cursor]
        if top < view_top:
            self._scroll(max(view_top - max(height - 2, 1), top))
            return
        self._move_cursor(self._cursor - 1, bottom=True)

    def action_first_message(self) -> None:
        self._move_cursor(0)

    def action_last_message(self) -> None:
        self._move_cursor(len(self._blocks) - 1)
        self.scroll_end(animate=False, immediate=True, force=True)

    def action_page_down(self) -> None:
        self._page(+1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        if not self._blocks:
            return
        height = self.scrollable_content_region.height or 1
        target = round(self.scroll_offset.y) + direction * max(height - 1, 1)
        target = max(0, min(target, max(self._offsets[-1] - height, 0)))
        self._scroll(target)
        # Keep the selection on screen: the first bubble that starts in the view.
        number = bisect.bisect_right(self._offsets, target) - 1
        if self._offsets[number] < target and number + 1 < len(self._blocks):
            number += 1
        self._cursor = max(0, min(number, len(self._blocks) - 1))
        self.refresh()
        self.post_message(self.CursorMoved(self, self.cursor_index))

    def action_toggle_details(self) -> None:
        index = self.cursor_index
        if index is None:
            return
        if index in self._expanded:
            self._expanded.discard(index)
        else:
            self._expanded.add(index)
        self._rebuild()
        self._scroll_to_block(self._cursor)

    def action_copy_message(self) -> None:
        index = self.cursor_index
        if index is None:
            return
        self.app.copy_to_clipboard(json.dumps(self._messages[index], indent=2,
                                              ensure_ascii=False, default=str))
        self.notify(f"Copied message #{index + 1}.", markup=False, timeout=2)

    def action_toggle_all_details(self) -> None:
        self._all_details = not self._all_details
        self._rebuild()
        self._scroll_to_block(self._cursor)

    def _at_bottom(self) -> bool:
        height = self.scrollable_content_region.height or 1
        return round(self.scroll_offset.y) + height >= self._offsets[-1]

    # ------------------------------------------------------------------ find

    def find(self, query: str) -> int:
        """Mark every occurrence of ``query`` (case-insensitive); returns the number of hits."""
        self._query = query.lower()
        self._hits = []
        self._hit = -1
        if self._query:
            for number in range(len(self._blocks)):
                lines, folded = self._block_lines(number)
                if folded:
                    lines = self._block_lines(number, full=True)[0]
                for offset, (_, text, _) in enumerate(lines):
                    lowered = text.lower()
                    column = lowered.find(self._query)
                    while column >= 0:
                        self._hits.append((number, offset, column))
                        column = lowered.find(self._query, column + len(self._query))
        self.refresh()
        return len(self._hits)

    def find_step(self, forward: bool = True) -> str | None:
        """Go to the next (or previous) hit after the selection; returns where it is."""
        if not self._hits:
            return None
        if self._hit < 0:
            start = (self._cursor, -1, -1)
            position = bisect.bisect_right(self._hits, start) if forward else bisect.bisect_left(
                self._hits, (self._cursor, 0, 0)) - 1
            self._hit = position % len(self._hits)
        else:
            self._hit = (self._hit + (1 if forward else -1)) % len(self._hits)
        number, offset, _ = self._hits[self._hit]
        lines, folded = self._block_lines(number)
        if folded and offset >= len(lines) - 1:
            self._expanded.add(self._blocks[number].index)
            self._rebuild()
        self._cursor = number
        height = self.scrollable_content_region.height or 1
        absolute = self._offsets[number] + offset
        view_top = round(self.scroll_offset.y)
        if not view_top <= absolute < view_top + height:
            self._scroll(max(absolute - height // 3, 0))
        self.refresh()
        self.post_message(self.CursorMoved(self, self.cursor_index))
        return f"message {self._blocks[number].index + 1}"

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


def _tool_calls(message: Any) -> list[Mapping[str, Any]]:
    if isinstance(message, Mapping):
        calls = message.get("tool_calls")
        if isinstance(calls, list):
            return [call for call in calls if isinstance(call, Mapping)]
    return []


_DETAIL_SKIP = {"content", "type", "role", "tool_calls"}


def _layout_block(messages: Sequence[Any], block: _Block, width: int, *, expanded: bool,
                  details: bool) -> tuple[list[Line], bool]:
    """The lines of one bubble at ``width`` and whether anything was folded away."""
    message = messages[block.index]
    role = role_of(message)
    inner = max(width - 3, 8)  # "▌ " bar and a margin
    lines: list[Line] = []
    folded = False
    name = message.get("name") if isinstance(message, Mapping) else None
    suffix = f" {one_line(name, 40)}" if isinstance(name, str) and name else ""
    lines.append((HEADER, one_line(role, 20), f"{suffix}  #{block.index + 1}"))
    if role == "tool" and isinstance(message, Mapping):
        call_id = message.get("tool_call_id")
        if isinstance(call_id, str):
            lines.append((NOTE, f"result of {one_line(call_id, 60)} (its call was not found)", ""))
    body = wrap(sanitize(content_text(message)), inner)
    if body == [""] and _tool_calls(message):
        body = []
    if not expanded and len(body) > FOLD_LINES:
        hidden = len(body) - FOLD_LINES
        body = body[:FOLD_LINES]
        folded = True
        lines.extend((BODY, text, "") for text in body)
        lines.append((FOLD, f"… {hidden} more line{'s' if hidden != 1 else ''} "
                            "(enter to unfold)", ""))
    else:
        lines.extend((BODY, text, "") for text in body)
    for call in _tool_calls(message):
        call_name = one_line(str(call.get("name", "?")), 60)
        call_id = call.get("id")
        lines.append((CALL, f"tool call {call_name}", f"  {one_line(str(call_id), 60)}"
                      if call_id else ""))
        args = sanitize(_compact_json(call.get("args", {})))
        lines.extend((CALL_BODY, text, "") for text in wrap(args, inner - 2))
        result_index = block.results.get(call_id) if isinstance(call_id, str) else None
        if result_index is None:
            lines.append((RESULT, "no result yet", ""))
            continue
        result = messages[result_index]
        status = result.get("status") if isinstance(result, Mapping) else None
        label = "result" + (f" ({one_line(status, 20)})" if isinstance(status, str)
                            and status != "success" else "")
        lines.append((RESULT, label, f"  #{result_index + 1}"))
        text = wrap(sanitize(content_text(result)), inner - 2)
        if not expanded and len(text) > RESULT_FOLD_LINES:
            hidden = len(text) - RESULT_FOLD_LINES
            text = text[:RESULT_FOLD_LINES]
            folded = True
            lines.extend((RESULT_BODY, t, "") for t in text)
            lines.append((FOLD, f"… {hidden} more line{'s' if hidden != 1 else ''} "
                                "(enter to unfold)", ""))
        else:
            lines.extend((RESULT_BODY, t, "") for t in text)
    if details:
        lines.extend(_detail_lines(message, inner))
        for index in sorted(block.results.values()):
            lines.append((DETAIL, f"tool message #{index + 1}:", ""))
            lines.extend(_detail_lines(messages[index], inner))
    lines.append((BLANK, "", ""))
    return lines, folded


def _detail_lines(message: Any, width: int) -> Iterable[Line]:
    if not isinstance(message, Mapping):
        return []
    out: list[Line] = []
    for key, value in message.items():
        if key in _DETAIL_SKIP or value in (None, {}, [], False, ""):
            continue
        text = sanitize(f"{key}: {value if isinstance(value, str) else _compact_json(value)}")
        out.extend((DETAIL, part, "") for part in wrap(text, width))
    if not out:
        out.append((DETAIL, "no id or metadata", ""))
    return out


_STYLE_CACHE: dict[tuple[str, int, bool], Style] = {}


def _style(role: str, kind: int, selected: bool) -> Style:
    key = (role, kind, selected)
    style = _STYLE_CACHE.get(key)
    if style is None:
        colour = ROLE_COLOURS.get(role, "#bcbcbc")
        if kind == HEADER:
            style = Style(color=colour, bold=True, reverse=selected)
        elif kind in (CALL, RESULT):
            style = Style(color=ROLE_COLOURS["tool"], bold=True)
        elif kind in (DETAIL, NOTE, FOLD):
            style = Style(dim=True, italic=kind != DETAIL)
        elif kind == CALL_BODY:
            style = Style(color="#d7d7af")
        else:
            style = Style()
        _STYLE_CACHE[key] = style
    return style


_BAR = {True: "▌ ", False: "▎ "}
_HIT = Style(bgcolor="#5f5f00")
_CURRENT_HIT = Style(bgcolor="#d7af00", color="#000000", bold=True)


def _line_segments(line: Line, role: str, selected: bool, base: Style, query: str,
                   current: tuple[int, int] | None) -> list[Segment]:
    kind, text, extra = line
    if kind == BLANK:
        return []
    colour = ROLE_COLOURS.get(role, "#bcbcbc")
    segments = [Segment(_BAR[selected], base + Style(color=colour, bold=selected))]
    indent = "  " if kind in (CALL_BODY, RESULT_BODY) else ""
    if kind == CALL:
        indent = "┌ "
    elif kind == RESULT:
        indent = "└ "
    if indent:
        segments.append(Segment(indent, base + Style(color=ROLE_COLOURS["tool"])))
    style = base + _style(role, kind, selected and kind == HEADER)
    segments.extend(_highlighted(text, style, query, current))
    if extra:
        segments.append(Segment(extra, base + Style(dim=True)))
    return segments


def _highlighted(text: str, style: Style, query: str,
                 current: tuple[int, int] | None) -> list[Segment]:
    if not query or query not in text.lower():
        return [Segment(text, style)]
    lowered = text.lower()
    out: list[Segment] = []
    position = 0
    column = lowered.find(query)
    while column >= 0:
        if column > position:
            out.append(Segment(text[position:column], style))
        hit_style = _CURRENT_HIT if current == (column, len(query)) else _HIT
        out.append(Segment(text[column : column + len(query)], style + hit_style))
        position = column + len(query)
        column = lowered.find(query, position)
    if position < len(text):
        out.append(Segment(text[position:], style))
    return out


__all__ = ["ChatView", "content_text", "message_id", "role_of", "wrap"]
