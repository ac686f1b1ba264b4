"""The run panel: continue the open thread's conversation (``RunPanel(id="runs")``) and the
app-wide keys that drive it (``RUN_BINDINGS``: R run, X cancel, J join)."""

from textual.binding import BindingType

from tui.app.keys import key
from tui.app.widgets.runs.panel import RunPanel

RUN_BINDINGS: list[BindingType] = [
    key("R", "runs('compose')", "Run",
        "Type a message (or input JSON, or a resume value) and run the graph on the open thread",
        id="runs.compose"),
    key("X", "runs('cancel')", "Cancel run",
        "Cancel the run in progress on the open thread (it stops where it is)",
        id="runs.cancel", show=False),
    key("J", "runs('join')", "Join run",
        "Follow a run already in progress on the open thread, live", id="runs.join",
        show=False),
]

__all__ = ["RUN_BINDINGS", "RunPanel"]
