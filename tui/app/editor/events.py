"""Messages the editor's forms send up: one field of the script changed, or its typed text does
not parse (yet). ``owner`` is the update being edited when the user typed (None: the script
itself), so a message handled after the cursor moved still lands on the right update."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from tui.supersteps.jsontext import JsonError
from tui.supersteps.model import Update


class ThreadsChanged(Message):
    """The editor made or deleted a thread the thread list may show: the shell reloads it."""


class FieldEdited(Message):
    """``field`` (``as_node``, ``values``, ``command.goto``, ``metadata``, ...) is now ``value``."""

    def __init__(self, owner: Update | None, field: str, value: Any,
                 text: str | None = None) -> None:
        super().__init__()
        self.owner = owner
        self.field = field
        self.value = value
        self.text = text
        """What the user typed, when the value was parsed from it."""


class FieldInvalid(Message):
    """The text typed into ``field`` is not valid JSON; it is kept as a pending text."""

    def __init__(self, owner: Update | None, field: str, text: str, error: JsonError) -> None:
        super().__init__()
        self.owner = owner
        self.field = field
        self.text = text
        self.error = error
