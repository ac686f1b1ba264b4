"""The find bar (``/``): searches keys and text in the current view; ``n`` / ``N`` step.

Each view implements the same three methods (see :class:`Findable`); the viewer passes the
query down and shows where the current hit is.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

SEARCH_DELAY = 0.15
"""Seconds of no typing before a search runs (large states take a while to scan)."""


class Findable(Protocol):
    def find(self, query: str) -> int: ...

    def find_step(self, forward: bool = True) -> str | None: ...

    def find_position(self) -> tuple[int, int]: ...

    def clear_find(self) -> None: ...


class FindBar(Horizontal):
    DEFAULT_CSS = """
    FindBar {
        height: 1;
        display: none;
        background: $boost;
    }
    FindBar.-open { display: block; }
    FindBar > .find-bar--slash { width: 2; padding: 0 0 0 1; }
    FindBar > Input {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0;
        background: $boost;
    }
    FindBar > .find-bar--count { width: auto; max-width: 60; padding: 0 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close find", id="viewer.find.close",
                tooltip="Close the find bar and clear the highlights"),
    ]

    class Search(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Go(Message):
        """Enter in the find bar: go to the first hit after the cursor."""

    class Closed(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("/", classes="find-bar--slash", markup=False)
        yield Input(placeholder="find keys and text", id="find-input", compact=True)
        yield Static("", classes="find-bar--count", markup=False)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    @property
    def query_text(self) -> str:
        return self.query_one(Input).value

    def open(self) -> None:
        self.add_class("-open")
        self.query_one(Input).focus()

    def action_close(self) -> None:
        self.remove_class("-open")
        self.query_one(Input).value = ""
        self.set_count("")
        self.post_message(self.Closed())

    def set_count(self, text: str) -> None:
        self.query_one(".find-bar--count", Static).update(Text(text))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        query = event.value
        self._timer = self.set_timer(SEARCH_DELAY, lambda: self.post_message(self.Search(query)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.post_message(self.Search(event.value))
        self.post_message(self.Go())
