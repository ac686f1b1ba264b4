"""Laying out a chat transcript: message dicts to styled lines, as plain string work.

Pure layout for :mod:`tui.app.shared.chat` (no widget state): what a message's role and text
are, word wrapping by cells, the lines of one bubble (an AI message with its tool calls and
the tool messages answering them), and the segments of one line. Every string is sanitized
before it becomes a segment; nothing is parsed as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style

from tui.message_text import TRANSCRIPT, canonical_type, class_role
from tui.message_text import compact_json as _compact_json
from tui.message_text import content_text as message_content_text
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


def _shown_role(kind: str) -> str:
    role = class_role(canonical_type(kind))
    return "tool" if role == "function" else role  # a function result reads as a tool's


def role_of(message: Any) -> str:
    """human / ai / tool / system, or the message's own type; ``?`` when it has none."""
    if isinstance(message, str):
        return "human"
    if isinstance(message, Mapping):
        kind = message.get("type", message.get("role"))
        if isinstance(kind, str) and kind:
            return _shown_role(kind)
    if isinstance(message, list | tuple) and len(message) == 2 and isinstance(message[0], str):
        return _shown_role(message[0])
    return "?"


def message_id(message: Any) -> str | None:
    if isinstance(message, Mapping):
        value = message.get("id")
        return value if isinstance(value, str) and value else None
    return None


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
    return message_content_text(content, TRANSCRIPT)


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
class Block:
    """One bubble: a message, plus the tool messages answering its tool calls."""

    index: int
    results: dict[str, int] = field(default_factory=dict)
    """tool_call_id -> index of the tool message answering it."""


Line = tuple[int, str, str]
"""(kind, text, extra): extra is a dim suffix (headers) or the role whose colour a line uses."""


def tool_calls(message: Any) -> list[Mapping[str, Any]]:
    if isinstance(message, Mapping):
        calls = message.get("tool_calls")
        if isinstance(calls, list):
            return [call for call in calls if isinstance(call, Mapping)]
    return []


_DETAIL_SKIP = {"content", "type", "role", "tool_calls"}


def layout_block(messages: Sequence[Any], block: Block, width: int, *, expanded: bool,
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
    if body == [""] and tool_calls(message):
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
    for call in tool_calls(message):
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
        lines.extend(detail_lines(message, inner))
        for index in sorted(block.results.values()):
            lines.append((DETAIL, f"tool message #{index + 1}:", ""))
            lines.extend(detail_lines(messages[index], inner))
    lines.append((BLANK, "", ""))
    return lines, folded


def detail_lines(message: Any, width: int) -> Iterable[Line]:
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


def line_segments(line: Line, role: str, selected: bool, base: Style, query: str,
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


__all__ = [
    "Block", "Line", "content_text", "layout_block", "line_segments", "message_id", "role_of",
    "tool_calls", "wrap",
]
