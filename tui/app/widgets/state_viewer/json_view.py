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
from textual.binding import Binding, BindingType

from tui.app.widgets.state_viewer.lines import LinesView
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


class JsonView(LinesView):
    """``set_value(values)``; ``c`` copies the whole JSON."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy_json", "Copy JSON", id="viewer.json.copy",
                tooltip="Copy the whole JSON to the clipboard (OSC 52)"),
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

    def set_value(self, value: Any, *, present: bool = True) -> None:
        self._value = value
        self._has_value = present
        self._lines = None
        self.clear_find()
        if self.display and self.is_mounted:
            self._ensure()
        self.scroll_to(0, 0, animate=False, immediate=True, force=True)

    def on_show(self) -> None:
        self._ensure()

    def _ensure(self) -> list[str]:
        if self._lines is None:
            self._lines = dump(self._value).split("\n") if self._has_value else []
            self._width = max(map(len, self._lines), default=0)
            self.update_size()
        return self._lines

    @property
    def text(self) -> str:
        return "\n".join(self._ensure())

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
