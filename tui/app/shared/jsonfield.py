"""A small JSON-object field for the thread modals: a TextArea and a live validation line."""

from __future__ import annotations

import json
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static, TextArea

from tui.safe import json_text, one_line


def dumps_safe(value: Any) -> str:
    """Readable JSON (indent 2, unicode kept) with nothing a terminal would interpret
    (:func:`tui.safe.json_text`)."""
    return json_text(value, indent=2, default=str)


def parse_object(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """``(value, None)`` for a JSON object, else ``(None, "line L, column C: why")``."""
    if not text.strip():
        return {}, None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
    if not isinstance(value, dict):
        return None, f"must be a JSON object {{…}}, not {type(value).__name__}"
    return value, None


class JsonObjectField(Vertical):
    """Edits a JSON object; the line under it says whether the text is valid (and where not).

    Nothing typed is lost while the text is invalid: the text area keeps it as typed.
    """

    DEFAULT_CSS = """
    JsonObjectField { height: auto; }
    JsonObjectField > TextArea { height: 8; }
    JsonObjectField > .json-status { height: 1; color: $success; }
    JsonObjectField > .json-status.-invalid { color: $error; }
    """

    class Changed(Message):
        def __init__(self, field: JsonObjectField) -> None:
            super().__init__()
            self.field = field

        @property
        def control(self) -> JsonObjectField:
            return self.field

    def __init__(self, value: dict[str, Any] | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = dumps_safe(value) if value else "{}"
        self.value: dict[str, Any] | None = value or {}
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield TextArea(self._initial, soft_wrap=True, tab_behavior="focus", classes="json-text")
        yield Static(classes="json-status", markup=False)

    def on_mount(self) -> None:
        self._validate()

    @property
    def text_area(self) -> TextArea:
        return self.query_one(TextArea)

    @property
    def text(self) -> str:
        return self.text_area.text

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._validate()
        self.post_message(self.Changed(self))

    def _validate(self) -> None:
        self.value, self.error = parse_object(self.text)
        status = self.query_one(".json-status", Static)
        status.set_class(self.error is not None, "-invalid")
        status.update(
            Content(f"✗ {one_line(self.error, 200)}") if self.error else Content("✓ valid JSON")
        )
