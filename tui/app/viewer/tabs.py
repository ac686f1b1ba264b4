"""The row of view names above the views (chat, values, JSON, diff): shows which one is on,
and a click switches. Drawn in one line without animation (Textual's ``Tabs`` slides its
underline for a third of a second on every switch)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

GAP = 2


class ViewTabs(Widget):
    DEFAULT_CSS = """
    ViewTabs { height: 1; padding: 0 1; background: $boost; }
    """

    active: reactive[str] = reactive("")

    class Chosen(Message):
        def __init__(self, view: str) -> None:
            super().__init__()
            self.view = view

    def __init__(self, views: Sequence[tuple[str, str]], *, id: str | None = None) -> None:
        """``views``: (name, label) pairs, e.g. ("chat", "Chat m")."""
        super().__init__(id=id)
        self.views = list(views)
        self.active = self.views[0][0] if self.views else ""

    def spans(self) -> list[tuple[str, int, int]]:
        """(view, first column, end column) of each label, in widget coordinates."""
        out: list[tuple[str, int, int]] = []
        x = self.styles.padding.left
        for name, label in self.views:
            out.append((name, x, x + len(label) + 2))
            x += len(label) + 2 + GAP
        return out

    def render(self) -> Text:
        text = Text(no_wrap=True, end="")
        for number, (name, label) in enumerate(self.views):
            if number:
                text.append(" " * GAP)
            if name == self.active:
                text.append(f" {label} ", style=Style(bold=True, reverse=True))
            else:
                text.append(f" {label} ", style=Style(dim=True))
        return text

    def on_click(self, event: events.Click) -> None:
        for name, start, end in self.spans():
            if start <= event.x < end:
                event.stop()
                self.post_message(self.Chosen(name))
                return
