"""The find bar (``/``): searches keys and text in the current view; ``n`` / ``N`` step.

Each view implements the same three methods (see :class:`Findable`); the viewer passes the
query down and shows where the current hit is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from tui.app.keys import key, nothing_to_leave

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
        key("escape", "close", "Close find", "Close the find bar and clear the highlights",
            id="viewer.find.close"),
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


class FindMixin(Widget):
    """The viewer's side of find (a mixin of :class:`StateViewer`): passes the query to the
    view on screen and shows where the current hit is."""

    view: str
    VIEWS: ClassVar[tuple[str, ...]] = ()
    if TYPE_CHECKING:  # the host's (StateViewer's)
        def current_view(self) -> Widget: ...

    @property
    def find_bar(self) -> FindBar:
        return self.query_one(FindBar)

    def _findable(self) -> Findable:
        view: Any = self.current_view()
        return view  # type: ignore[no-any-return]

    def action_find(self) -> None:
        self.find_bar.open()

    def action_close_find(self) -> None:
        """Esc in the viewer after enter moved the focus to the hits: the bar is still the
        innermost thing open, so it closes (with nothing open the key goes on: un-zoom)."""
        if not self.find_bar.is_open:
            nothing_to_leave()
        self.find_bar.action_close()

    def close_find(self) -> None:
        """Close the find bar without moving the focus (another thread is being opened)."""
        bar = self.find_bar
        if bar.is_open:
            bar.remove_class("-open")
            bar.query_one(Input).value = ""
            bar.set_count("")
            self._findable().clear_find()

    def _refind(self) -> None:
        bar = self.find_bar
        if bar.is_open and bar.query_text:
            self._search(bar.query_text)

    def _search(self, query: str) -> None:
        for view in self.VIEWS:
            if view != self.view:
                findable: Any = self.query_one(f"#viewer-{view}")
                findable.clear_find()
        hits = self._findable().find(query) if query else 0
        if not query:
            self._findable().clear_find()
        self.find_bar.set_count(f"{hits:,} hit{'s' if hits != 1 else ''}" if query else "")

    @on(FindBar.Search)
    def _find_search(self, event: FindBar.Search) -> None:
        event.stop()
        self._search(event.query)

    @on(FindBar.Go)
    def _find_go(self, event: FindBar.Go) -> None:
        event.stop()
        self.current_view().focus()
        self._step(True)

    @on(FindBar.Closed)
    def _find_closed(self, event: FindBar.Closed) -> None:
        event.stop()
        self._findable().clear_find()
        self.current_view().focus()

    def _step(self, forward: bool) -> None:
        where = self._findable().find_step(forward)
        if where is None:
            if self.find_bar.query_text:
                self.find_bar.set_count("no hits")
            return
        current, total = self._findable().find_position()
        self.find_bar.set_count(f"{current} of {total:,} · {where} · n/N")

    def action_find_next(self) -> None:
        self._step(True)

    def action_find_previous(self) -> None:
        self._step(False)
