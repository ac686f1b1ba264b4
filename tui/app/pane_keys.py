"""The panes as units of focus and zoom: 1 / 2 / 3 move the focus (back to where it was in
that pane), f11 / z fills the screen with the focused pane.

:class:`PaneFocus` remembers where the focus was in each pane and finds what to focus; the
shell's actions (``focus_pane``, ``zoom``, ``unzoom``) ask it.
"""

from __future__ import annotations

from typing import Any

from textual.containers import Vertical
from textual.screen import Screen
from textual.widget import Widget

from tui.app.threads.thread_list import ThreadList


class Pane(Vertical):
    """A bordered frame, empty until the first page is on screen (:mod:`tui.app.startup`), then
    holding the editor, or the state viewer and the run panel; the unit of focus and zoom."""

    ALLOW_MAXIMIZE = True

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id, classes="pane")
        self.border_title = title


FOCUS_INSIDE = "-focus-inside"
"""The class of the pane that holds the focus: its border is lit (``threadloom.tcss``)."""


class PaneFocus:
    """Where the focus was last in each of ``panes`` (by name), which pane holds a widget,
    and which pane is lit as holding the focus."""

    def __init__(self, panes: dict[str, Widget]) -> None:
        self._panes = panes
        self._last: dict[str, Widget] = {}

    def pane(self, name: str) -> Widget | None:
        return self._panes.get(name)

    def remember(self, widget: Widget) -> None:
        """``widget`` got the focus: 1 / 2 / 3 return to it in its pane."""
        name = self.pane_of(widget)
        if name is not None:
            self._last[name] = widget

    def show_focus(self, focused: Widget | None) -> None:
        """Light the pane that holds ``focused`` (the screen's focused widget), and only it.

        The pane alone is restyled. Textual's ``:focus-within`` (what this replaces) restyles
        every widget inside the pane that gains the focus and the one that loses it, at every
        move of the focus, even between two fields of one pane (~150 widgets for editor ↔
        state): a move between panes took 248 ms of CPU with it, 160 ms without (median of
        12, the pilot's key press included). No rule inside a pane depends on its class, so
        nothing inside needs restyling."""
        inside = self.pane_of(focused)
        for name, pane in self._panes.items():
            lit = name == inside
            if pane.has_class(FOCUS_INSIDE) != lit and pane.is_attached:
                pane.set_class(lit, FOCUS_INSIDE, update=False)
                pane.app.stylesheet.apply(pane)

    def pane_of(self, widget: Widget | None) -> str | None:
        panes = {pane: name for name, pane in self._panes.items()}
        while widget is not None:
            if widget in panes:
                return panes[widget]
            parent = widget.parent
            widget = parent if isinstance(parent, Widget) else None
        return None

    def target(self, name: str) -> Widget | None:
        """What to focus in the pane ``name``: where the focus last was in it, else the thread
        table, else its first focusable widget; None when it has none (yet)."""
        pane = self._panes.get(name)
        if pane is None:
            return None
        last = self._last.get(name)
        if last is not None and last.is_attached and last.focusable:
            return last
        if isinstance(pane, ThreadList):
            return pane.table
        return next((w for w in pane.query("*") if isinstance(w, Widget) and w.focusable), None)

    def focus(self, name: str, screen: Screen[Any]) -> bool:
        """1 / 2 / 3: focus the pane ``name`` (zoomed in its place when another pane is
        zoomed); False when it has nothing to focus yet."""
        pane = self._panes.get(name)
        if pane is None:
            return True
        if screen.maximized is not None and screen.maximized is not pane:
            screen.maximized = pane
        target = self.target(name)
        if target is not None:
            target.focus()
        return target is not None

    def toggle_zoom(self, screen: Screen[Any]) -> None:
        """f11 / z: the focused pane fills the screen, or no longer does."""
        if screen.maximized is not None:
            screen.minimize()
            return
        screen.maximized = self._panes[self.pane_of(screen.focused) or "threads"]
