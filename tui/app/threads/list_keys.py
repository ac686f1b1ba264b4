"""The thread list's keys (shown in the footer, the help screen and the command palette)."""

from __future__ import annotations

from textual.binding import BindingType

from tui.app.keys import key

THREAD_LIST_BINDINGS: list[BindingType] = [
    key("slash", "search", "Search", "Filter by thread id, metadata key=value, status:…",
        id="threads.search"),
    key("n", "create", "New", "Create an empty thread (id, metadata, TTL)",
        id="threads.create"),
    key("c", "copy", "Copy", "Copy the selected thread; the copy is selected",
        id="threads.copy"),
    key("e", "edit_metadata", "Metadata", "Edit the selected thread's metadata",
        id="threads.edit_metadata"),
    key("d,delete", "delete", "Delete", "Delete the selected thread (asks first)",
        id="threads.delete"),
    key("r", "refresh", "Refresh", "Reload the list from the deployment",
        id="threads.refresh"),
    key("s", "cycle_sort", "Sort", "Sort by created → updated → state updated",
        id="threads.sort"),
    key("o", "flip_order", "Order", "Switch between newest first and oldest first",
        id="threads.order"),
    key("f", "cycle_status", "Status", "Show only idle / busy / interrupted / error threads",
        id="threads.status"),
    key("a", "toggle_auto_refresh", "Auto-refresh",
        "Reload the list every few seconds (settings.auto_refresh_seconds)",
        id="threads.auto_refresh"),
    key("y", "copy_id", "Copy id", "Copy the selected thread's id to the clipboard",
        id="threads.copy_id"),
    key("escape", "stop_loading", "Stop",
        "Stop a refresh or the next page in flight (the rows shown stay)",
        id="threads.stop", show=False),
]
