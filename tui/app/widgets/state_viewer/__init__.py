"""The state viewer pane (placeholder: the state-viewer work replaces this module's body)."""

from __future__ import annotations

from textual.widgets import Static


class StateViewer(Static):
    """Shows the selected thread. ``show_thread(thread_id)`` is the pane's entry point."""

    DEFAULT_CSS = "StateViewer { height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Select a thread to see its state.", id=id, markup=False)
        self.thread_id: str | None = None

    def show_thread(self, thread_id: str | None) -> None:
        self.thread_id = thread_id
        self.update(f"Thread {thread_id}" if thread_id else "Select a thread to see its state.")
