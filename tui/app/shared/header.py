"""The header line: which deployment, its server version, and whether it is reachable."""

from __future__ import annotations

from typing import Literal

from textual.content import Content
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

from tui.safe import one_line

ConnectionState = Literal["connecting", "connected", "offline"]

ACTIVITY_SECONDS = 15.0
"""How long the header says how the last run ended."""

_STATE_STYLE = {
    "connecting": "$warning",
    "connected": "$success",
    "offline": "bold $error",
}


class HeaderLine(Widget):
    """One line: ``Threadloom │ <url (profile)> │ server <version> │ ● <state>``, then the run
    in progress (or the one just ended) when there is one.

    Every part but the app name comes from outside (the config file, the server) and is
    shown literally.
    """

    DEFAULT_CSS = """
    HeaderLine {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    where: reactive[str] = reactive("")
    version: reactive[str | None] = reactive(None)
    state: reactive[ConnectionState] = reactive("connecting")
    hint: reactive[str] = reactive("")
    activity: reactive[str] = reactive("")
    """A run in progress or just ended (``▶ run on ce718dd2: running``): :meth:`show_run`."""
    activity_live: reactive[bool] = reactive(False)

    _activity_timer: Timer | None = None

    def show_run(self, short_id: str, status: str, *, live: bool) -> None:
        """A run on the thread ``short_id`` is ``status`` (``live``: still going); an ended
        run is shown for ``ACTIVITY_SECONDS``."""
        self.activity = (f"▶ run on {short_id}: {status}" if live
                         else f"run on {short_id} ended: {status}")
        self.activity_live = live
        if self._activity_timer is not None:
            self._activity_timer.stop()
            self._activity_timer = None
        if not live:
            self._activity_timer = self.set_timer(ACTIVITY_SECONDS, self._clear_activity)

    def _clear_activity(self) -> None:
        self._activity_timer = None
        self.activity = ""

    def render(self) -> Content:
        sep = Content.styled(" │ ", "$foreground-muted")
        state_style = _STATE_STYLE[self.state]
        parts: list[Content | tuple[str, str] | str] = [
            Content.styled("Threadloom", "bold $accent"),
            sep,
            Content(one_line(self.where, 120)),
            sep,
            Content.styled(
                f"server {one_line(self.version, 40)}" if self.version else "server ?",
                "$foreground-muted",
            ),
            sep,
            Content.styled(f"● {self.state}", state_style),
        ]
        if self.hint:
            parts.extend([Content(" — "), Content.styled(one_line(self.hint, 200), state_style)])
        if self.activity:
            style = "bold $warning" if self.activity_live else "$foreground-muted"
            parts.extend([sep, Content.styled(one_line(self.activity, 80), style)])
        return Content.assemble(*parts)


class LineText(Widget):
    """One line of literal text that repaints without a layout pass when it changes
    (``Static.update`` re-lays out the whole screen — costly when done for every page)."""

    DEFAULT_CSS = "LineText { height: 1; width: 1fr; }"

    text: reactive[str] = reactive("")

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(LineText.text, text)

    def render(self) -> Content:
        return Content(one_line(self.text, 400))
