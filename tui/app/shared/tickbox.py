"""A checkbox whose on and off look different in shape, not only in colour.

Textual's ``Checkbox`` draws the same ``X`` in both states (only its colour changes), which reads
as "on" either way on many terminals and to colour-blind users. ``TickBox`` shows ``✓`` when on
and an empty box when off.
"""

from __future__ import annotations

from textual.widgets import Checkbox

ON = "✓"
OFF = " "


class TickBox(Checkbox):
    def on_mount(self) -> None:
        self._show_state()

    def watch_value(self) -> None:
        super().watch_value()
        self._show_state()

    def _show_state(self) -> None:
        self.BUTTON_INNER = ON if self.value else OFF
        self.refresh()
