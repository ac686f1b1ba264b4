"""A JSON editing widget with live validation, reused by the state viewer and the editor.

Type freely: the text is never rewritten while it is invalid (nothing typed is lost); the
status line under it says "valid" or shows the parse error with its line and column, and
``ctrl+g`` puts the cursor there. ``f9`` re-formats valid JSON.

API:
- ``JsonEditor(value=..., text=..., id=...)``;
- ``editor.value`` — the last valid value (setting it replaces the text with pretty JSON);
- ``editor.text`` — the raw text; ``editor.error`` — a ``JsonError`` or None; ``is_valid``;
- messages ``JsonEditor.Changed(editor, value, text)`` (the text parses) and
  ``JsonEditor.Invalid(editor, error, text)`` (it does not), posted on every edit
  (after a short pause for large texts).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static, TextArea

from tui.app.keys import key
from tui.app.text import line
from tui.supersteps.jsontext import JsonError, parse_json_text
from tui.words import plural

LARGE_TEXT = 200_000
"""Above this many characters, validation waits for a pause in typing."""


def pretty(value: Any) -> str:
    """Value as the editor shows it: 2-space indent, non-ASCII kept."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def describe(value: Any) -> str:
    if isinstance(value, dict):
        return f"object, {plural(len(value), 'key')}"
    if isinstance(value, list):
        return f"list, {plural(len(value), 'item')}"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string"


class JsonEditor(Vertical):
    """A ``TextArea`` for JSON plus a status line that validates as you type."""

    DEFAULT_CSS = """
    JsonEditor {
        height: 1fr;
    }
    JsonEditor > TextArea {
        height: 1fr;
        border: none;
    }
    JsonEditor > .json-editor--status {
        height: 1;
        padding: 0 1;
        background: $surface;
    }
    JsonEditor.-invalid > .json-editor--status {
        background: $error 25%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("ctrl+g", "goto_error", "Go to error",
            "Put the cursor where the JSON stops being valid",
            id="json_editor.goto_error"),
        key("f9", "format", "Format", "Re-indent valid JSON (2 spaces)", id="json_editor.format"),
    ]

    class Changed(Message):
        """The text is valid JSON; ``value`` is what it holds."""

        def __init__(self, editor: JsonEditor, value: Any, text: str) -> None:
            super().__init__()
            self.editor = editor
            self.value = value
            self.text = text

        @property
        def control(self) -> JsonEditor:
            return self.editor

    class Invalid(Message):
        """The text is not valid JSON; ``error`` says where and why."""

        def __init__(self, editor: JsonEditor, error: JsonError, text: str) -> None:
            super().__init__()
            self.editor = editor
            self.error = error
            self.text = text

        @property
        def control(self) -> JsonEditor:
            return self.editor

    def __init__(
        self,
        value: Any = None,
        *,
        text: str | None = None,
        read_only: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        initial = text if text is not None else pretty(value)
        self._text_area = TextArea(
            initial, soft_wrap=False, show_line_numbers=True, tab_behavior="indent",
            read_only=read_only, id="json-editor-text",
        )
        self._status = Static("", classes="json-editor--status", markup=False)
        self._value: Any = None
        self._error: JsonError | None = None
        self._timer: Timer | None = None
        self._check(initial, post=False)

    def compose(self) -> ComposeResult:
        yield self._text_area
        yield self._status

    def on_mount(self) -> None:
        self._show_status()

    # ---------------------------------------------------------------- API

    @property
    def text_area(self) -> TextArea:
        return self._text_area

    @property
    def text(self) -> str:
        return self._text_area.text

    @text.setter
    def text(self, text: str) -> None:
        self._text_area.load_text(text)
        self._check(text)

    @property
    def value(self) -> Any:
        """The last valid value (check :attr:`error` to know whether the text is valid now)."""
        return self._value

    @value.setter
    def value(self, value: Any) -> None:
        self.text = pretty(value)

    @property
    def error(self) -> JsonError | None:
        return self._error

    @property
    def is_valid(self) -> bool:
        return self._error is None

    def focus(self, scroll_visible: bool = True) -> JsonEditor:
        self._text_area.focus(scroll_visible)
        return self

    def validate_now(self) -> JsonError | None:
        """Parse the current text at once (e.g. before saving) and return the error, if any."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._check(self.text)
        return self._error

    # ---------------------------------------------------------------- internals

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        text = event.text_area.text
        if len(text) > LARGE_TEXT:
            if self._timer is not None:
                self._timer.stop()
            self._status.update(Text("checking…", style="dim"))
            self._timer = self.set_timer(0.3, self.validate_now)
            return
        self._check(text)

    def _check(self, text: str, *, post: bool = True) -> None:
        value, error = parse_json_text(text)
        self._error = error
        if error is None:
            self._value = value
        if self.is_mounted:
            self._show_status()
        if post:
            if error is None:
                self.post_message(self.Changed(self, value, text))
            else:
                self.post_message(self.Invalid(self, error, text))

    def _show_status(self) -> None:
        error = self._error
        self.set_class(error is not None, "-invalid")
        if error is None:
            status = Text("✓ valid JSON · ", style="#87d787")
            status.append(describe(self._value), style="#a8a8a8")
        else:
            status = Text("✗ ", style="bold red")
            status.append(line(f"line {error.line}, column {error.column}: {error.message}", 200))
            status.append("  ctrl+g: go there", style="dim")
        self._status.update(status)

    def action_goto_error(self) -> None:
        error = self._error
        if error is None:
            self.notify("The JSON is valid.", markup=False, timeout=2)
            return
        row = max(error.line - 1, 0)
        lines = self.text.split("\n")
        row = min(row, len(lines) - 1)
        column = min(max(error.column - 1, 0), len(lines[row]))
        self._text_area.move_cursor((row, column))
        self._text_area.focus()

    def action_format(self) -> None:
        if self.validate_now() is not None:
            self.notify("Cannot format: the JSON is not valid yet.", markup=False, timeout=3)
            return
        formatted = pretty(self._value)
        if formatted != self.text:
            self._text_area.replace(formatted, (0, 0), self._text_area.document.end)
