"""The state viewer pane: ``StateViewer(id="viewer")``, entry point ``show_thread(thread_id)``."""

from tui.app.viewer.viewer import StateViewer

__all__ = ["StateViewer"]
