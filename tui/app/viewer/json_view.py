"""The raw JSON of the state: read-only, syntax-coloured, line-virtualised.

The pretty-printed text is made once per state, and only when the view is first shown; each
visible line is coloured on demand with a small regex lexer (pretty JSON never has a token
spanning lines), so a 5 MB state scrolls as fast as a small one.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import BindingType

from tui.app.keys import key
from tui.app.viewer.lines import LinesView
from tui.safe import sanitize

_TOKEN = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*")(?=\s*:)'
    r'|(?P<str>"(?:[^"\\]|\\.)*")'
    r"|(?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"|(?P<lit>\btrue\b|\bfalse\b|\bnull\b)"
    r"|(?P<punct>[{}\[\],:])"
)
STYLES = {
    "key": Style(color="#5fafff", bold=True),
    "str": Style(color="#87d787"),
    "num": Style(color="#5fd7d7"),
    "lit": Style(color="#d787d7", italic=True),
    "punct": Style(color="#8a8a8a"),
}


def colour_json_line(line: str) -> Text:
    """One line of pretty JSON, sanitized and coloured (never parsed as markup)."""
    text = Text(sanitize(line), no_wrap=True, end="")
    plain = text.plain
    for match in _TOKEN.finditer(plain):
        kind = match.lastgroup
        if kind is not None:
            text.stylize(STYLES[kind], match.start(), match.end())
    return text


def dump(value: Any) -> str:
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


def rough_size(value: Any, limit: int) -> int:
    """How many JSON nodes ``value`` has, counting no further than ``limit``."""
    count, stack = 0, [value]
    while stack and count < limit:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


BIG = 20_000
"""JSON nodes from which the text is made in a thread (the view says it is formatting)."""


class JsonView(LinesView):
    """``set_value(values)``; ``c`` copies the whole JSON. Big values are formatted in a
    thread, so switching to this view answers at once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        key("c", "copy_json", "Copy JSON", "Copy the whole JSON to the clipboard (OSC 52)",
            id="viewer.json.copy"),
    ]

    PALETTE_GROUP = "State · JSON"
    line_numbers = True
    empty_text = "No state."

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._value: Any = None
        self._has_value = False
        self._lines: list[str] | None = None
        self._width = 0
        self._generation = 0
        self._formatting = False

    def set_value(self, value: Any, *, present: bool = True) -> None:
        self._value = value
        self._has_value = present
        self._lines = None
        self._generation += 1
        self._formatting = False
        self.clear_find()
        if self.display and self.is_mounted:
            self._prepare()
        self.scroll_to(0, 0, animate=False, immediate=True, force=True)

    def on_show(self) -> None:
        self._prepare()

    def _prepare(self) -> None:
        """Make the text now, or start making it in a thread when the value is big."""
        if self._lines is not None or self._formatting:
            return
        if self._has_value and rough_size(self._value, BIG) >= BIG:
            self._formatting = True
            self.empty_text = "Formatting the JSON…"
            self.refresh()
            self._format(self._value, self._generation)
        else:
            self._ensure()

    @work(thread=True, group="json-format", exclusive=True, exit_on_error=False)
    def _format(self, value: Any, generation: int) -> None:
        lines = dump(value).split("\n")
        self.app.call_from_thread(self._formatted, lines, generation)

    def _formatted(self, lines: list[str], generation: int) -> None:
        if generation != self._generation or self._lines is not None:
            return
        self._set_lines(lines)

    def _set_lines(self, lines: list[str]) -> None:
        self._lines = lines
        self._formatting = False
        self.empty_text = "No state."
        self._width = max(map(len, lines), default=0)
        self.update_size()
        if self._query:  # a search typed while the text was being made
            self.find(self._query)

    def _ensure(self) -> list[str]:
        if self._lines is None:
            if self._formatting:  # find or copy cannot wait for the thread
                return []
            self._set_lines(dump(self._value).split("\n") if self._has_value else [])
        assert self._lines is not None
        return self._lines

    @property
    def ready(self) -> bool:
        return self._lines is not None

    @property
    def text(self) -> str:
        if self._lines is None:
            return dump(self._value) if self._has_value else ""
        return "\n".join(self._lines)

    def line_count(self) -> int:
        return len(self._ensure())

    def plain_line(self, index: int) -> str:
        return sanitize(self._ensure()[index])

    def styled_line(self, index: int) -> Text:
        return colour_json_line(self._ensure()[index])

    def content_width(self) -> int:
        self._ensure()
        return self._width

    def action_copy_json(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Copied the JSON.", markup=False, timeout=2)
