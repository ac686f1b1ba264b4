"""The panes as units of focus and zoom: 1 / 2 / 3 move the focus (back to where it was in
that pane), f11 / z fills the screen with the focused pane.

A mixin of :class:`~tui.app.app.ThreadloomApp` (kept apart for size).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.containers import Vertical
from textual.widget import Widget

from tui.app import keys
from tui.app.screens.connect import ConnectScreen
from tui.app.threads.thread_list import ThreadList


class Pane(Vertical):
    """A bordered frame, empty until the first page is on screen (:mod:`tui.app.startup`), then
    holding the editor, or the state viewer and the run panel; the unit of focus and zoom."""

    ALLOW_MAXIMIZE = True


class PaneKeysMixin(App[int]):
    # Esc un-zooms only when nothing inside has anything to leave (``action_unzoom``).
    ESCAPE_TO_MINIMIZE = False
    # The compact layout (threadloom.tcss): ``-short`` below 40 rows, ``-slim`` below 140 columns.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]  # noqa: RUF012 (App declares it so)
    HORIZONTAL_BREAKPOINTS = [(0, "-slim"), (140, "-wide")]  # noqa: RUF012

    if TYPE_CHECKING:
        _panes: dict[str, Widget]
        _last_focus: dict[str, Widget]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pane and run keys work on the main screen only (not on the connect screen, where
        there is no pane and no thread: the footer does not offer them there)."""
        pane_action = action in ("zoom", "unzoom", "focus_pane", "runs")
        return not (pane_action and isinstance(self.screen, ConnectScreen))

    def action_focus_pane(self, name: str) -> None:
        pane = self._panes.get(name)
        if pane is None:
            return
        if self.screen.maximized is not None and self.screen.maximized is not pane:
            self.screen.maximized = pane
        last = self._last_focus.get(name)
        if last is not None and last.is_attached and last.focusable:
            last.focus()
            return
        if isinstance(pane, ThreadList):
            pane.table.focus()
            return
        target = next((w for w in pane.query("*") if isinstance(w, Widget) and w.focusable),
                      None)
        if target is not None:
            target.focus()
        else:
            self.notify(f"The {name} pane has nothing to focus yet.", timeout=3)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Remember where the focus was in each pane, to return there with 1 / 2 / 3."""
        name = self._pane_of(event.widget)
        if name is not None:
            self._last_focus[name] = event.widget

    def _pane_of(self, widget: Widget | None) -> str | None:
        panes = {pane: name for name, pane in self._panes.items()}
        while widget is not None:
            if widget in panes:
                return panes[widget]
            parent = widget.parent
            widget = parent if isinstance(parent, Widget) else None
        return None

    def action_unzoom(self) -> None:
        """The outermost Esc (see :data:`tui.app.keys.ESCAPE_RULE`): un-zoom, once nothing
        inside had anything to leave."""
        if self.screen.maximized is None:
            keys.nothing_to_leave()
        self.screen.minimize()

    def action_zoom(self) -> None:
        screen = self.screen
        if screen.maximized is not None:
            screen.minimize()
            return
        name = self._pane_of(self.focused) or "threads"
        screen.maximized = self._panes[name]
