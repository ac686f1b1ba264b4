"""The superstep editor pane (placeholder: the editor work replaces this module's body)."""

from __future__ import annotations

from textual.widgets import Static


class SuperstepEditor(Static):
    DEFAULT_CSS = "SuperstepEditor { height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Superstep editor", id=id, markup=False)
