"""The run panel: continue the open thread's conversation (``RunPanel(id="runs")``) and the
app-wide keys that drive it (``RUN_BINDINGS``: R run, X cancel, J join — defined with the app's
keys in :mod:`tui.app.keys`, so the app has them before this panel is loaded)."""

from tui.app.keys import RUN_BINDINGS
from tui.app.runs.panel import RunPanel

__all__ = ["RUN_BINDINGS", "RunPanel"]
