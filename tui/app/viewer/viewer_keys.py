"""The state viewer's own keys (the footer, the help screen and the command palette show
them); the find bar's and the history's keys live with those widgets."""

from __future__ import annotations

from textual.binding import BindingType

from tui.app.keys import key

VIEWER_BINDINGS: list[BindingType] = [
    key("m", "view('chat')", "Chat", "Show the messages as a chat transcript",
        id="viewer.view_chat", show=False),
    key("t", "view('tree')", "Values", "Show the values as a collapsible tree",
        id="viewer.view_tree", show=False),
    key("j", "view('json')", "JSON", "Show the raw JSON of the state",
        id="viewer.view_json", show=False),
    key("v", "next_view", "View", "Cycle chat → values → JSON → diff", id="viewer.next_view"),
    key("d", "diff", "Diff",
        "Diff checkpoint A against B (marked with a / b in the history); "
        "with no marks, what the shown checkpoint changed",
        id="viewer.diff"),
    key("slash", "find", "Find", "Search keys and text in the current view", id="viewer.find"),
    key("escape", "close_find", "Close find",
        "Close the find bar (still open after enter) and clear the highlights",
        id="viewer.close_find", show=False),
    key("n", "find_next", "Next hit", "Go to the next find hit",
        id="viewer.find_next", show=False),
    key("N", "find_previous", "Previous hit", "Go to the previous find hit",
        id="viewer.find_previous", show=False),
    key("h", "focus_history", "History",
        "Move to the checkpoint list (enter there opens a checkpoint)",
        id="viewer.focus_history"),
    key("l", "latest", "Latest", "Show the thread's current state again", id="viewer.latest"),
    key("f", "fork", "Fork", "Edit the state at the shown checkpoint and write it as a fork",
        id="viewer.fork"),
    key("x", "export", "Export", "Save a range of checkpoints as a superstep script",
        id="viewer.export"),
    key("r", "reload", "Reload", "Fetch the thread, its state and history again",
        id="viewer.reload"),
]
