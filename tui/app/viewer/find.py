"""The find bar (``/``): searches keys and text in the current view; ``n`` / ``N`` step.

Each view implements the same methods (see :class:`Findable`). :class:`Finder` (plain) passes
the query to the view on screen, clears the others and says where the current hit is; the
:class:`FindBar` drives it as the user types, and gives the focus back to the view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from typing import ClassVar, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Input, Static

from tui.app.keys import key

SEARCH_DELAY = 0.15
"""Seconds of no typing before a search runs (large states take a while to scan)."""


class Findable(Protocol):
    def find(self, query: str) -> int: ...

    def find_step(self, forward: bool = True) -> str | None: ...

    def find_position(self) -> tuple[int, int]: ...

    def clear_find(self) -> None: ...


class Finder:
    """Find over one viewer's views (see the module): ``current()`` is the view on screen,
    ``views()`` all of them."""

    def __init__(self, current: Callable[[], Findable],
                 views: Callable[[], Iterable[Findable]]) -> None:
        self.current = current
        self.views = views

    def search(self, query: str) -> str:
        """Find ``query`` in the view on screen (the others let go of theirs); the count."""
        current = self.current()
        for view in self.views():
            if view is not current:
                view.clear_find()
        if not query:
            current.clear_find()
            return ""
        hits = current.find(query)
        return f"{hits:,} hit{'s' if hits != 1 else ''}"

    def step(self, forward: bool, query: str) -> str:
        """Go to the next (or previous) hit; where it is, or "no hits"."""
        current = self.current()
        where = current.find_step(forward)
        if where is None:
            return "no hits" if query else ""
        position, total = current.find_position()
        return f"{position} of {total:,} · {where} · n/N"

    def clear(self) -> None:
        self.current().clear_find()


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
        key("escape", "close", "Close find", "Close the find bar and clear the highlights",
            id="viewer.find.close"),
    ]

    def __init__(self, finder: Finder, *, focus_view: Callable[[], object],
                 id: str | None = None) -> None:
        """``focus_view()``: give the focus back to the view (after enter, after esc)."""
        super().__init__(id=id)
        self.finder = finder
        self.focus_view = focus_view
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
        self.close()
        self.focus_view()

    def close(self) -> None:
        """Close, clear the query and the highlights; the focus stays where it is. Nothing is
        searched after this: a search still queued (typed less than ``SEARCH_DELAY`` ago) is
        dropped, and clearing the field queues none (it would look for the views when the
        viewer may be going: at exit it crashed the app)."""
        self.remove_class("-open")
        self._stop_timer()
        field = self.query_one(Input)
        with field.prevent(Input.Changed):
            field.value = ""
        self.set_count("")
        self.finder.clear()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def search(self, query: str) -> None:
        self.set_count(self.finder.search(query))

    def refind(self) -> None:
        """The view changed (another checkpoint, another view): find the query again."""
        if self.is_open and self.query_text:
            self.search(self.query_text)

    def step(self, forward: bool = True) -> None:
        self.set_count(self.finder.step(forward, self.query_text))

    def set_count(self, text: str) -> None:
        self.query_one(".find-bar--count", Static).update(Text(text))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._stop_timer()
        query = event.value
        self._timer = self.set_timer(SEARCH_DELAY, lambda: self._search_typed(query))

    def _search_typed(self, query: str) -> None:
        """The search typed ``SEARCH_DELAY`` ago; none if the views have gone meanwhile (the
        app quit while the user was typing)."""
        with suppress(NoMatches):
            self.search(query)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._stop_timer()
        self.search(event.value)
        self.focus_view()
        self.step(True)
