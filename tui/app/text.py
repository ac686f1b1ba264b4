"""Renderables for untrusted text: literal, never parsed as markup, control characters visible.

Use these for every string that came from a deployment or a user file:
- ``plain(s)`` → a rich ``Text`` (for DataTable cells, Static, Label, Tree labels, Option prompts);
- ``content(s)`` → a Textual ``Content``;
- ``notify_text(s)`` → a string to pass to ``notify(..., markup=False)``.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual.content import Content

from tui.safe import one_line, sanitize, to_text


def plain(value: Any, style: str | Style = "", *, limit: int | None = None) -> Text:
    """A literal one-or-more-line ``Text`` for ``value``; never interprets markup."""
    text = to_text(value) if not isinstance(value, str) else sanitize(value)
    if limit is not None:
        text = one_line(text, limit)
    return Text(text, style=style, no_wrap=False, end="")


def line(value: Any, limit: int | None = None, style: str | Style = "") -> Text:
    """A literal single-line ``Text`` (newlines shown as ⏎)."""
    raw = value if isinstance(value, str) else to_text(value)
    return Text(one_line(raw, limit), style=style, no_wrap=True, end="")


def content(value: Any) -> Content:
    raw = value if isinstance(value, str) else to_text(value)
    return Content(sanitize(raw))


def notify_text(value: Any, limit: int = 500) -> str:
    """For ``App.notify(..., markup=False)``: sanitized and bounded."""
    raw = value if isinstance(value, str) else to_text(value)
    return one_line(raw, limit)
