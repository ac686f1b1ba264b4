"""The superstep editor's own keys (the footer, the help screen and the command palette show
them); the outline's and the forms' keys live with those widgets."""

from __future__ import annotations

from textual.binding import BindingType

from tui.app.keys import key

EDITOR_BINDINGS: list[BindingType] = [
    key("ctrl+r", "create", "Create thread",
        "Validate the script and send it: POST /threads creates the thread",
        id="editor.create"),
    key("ctrl+o", "open", "Open", "Open a script file (the JSON body of POST /threads)",
        id="editor.open"),
    key("ctrl+s", "save", "Save", "Save the script as a JSON file (curl --data @file works)",
        id="editor.save"),
    key("ctrl+n", "new_script", "New script",
        "Start an empty script for the same graph (undo brings the old one back)",
        id="editor.new_script"),
    key("ctrl+z", "undo", "Undo", "Undo the last change to the script",
        id="editor.undo"),
    key("ctrl+y", "redo", "Redo", "Redo what was undone", id="editor.redo"),
    key("escape", "focus_outline", "Outline",
        "Back to the outline (from any field); while creating: stop waiting",
        id="editor.focus_outline", show=False, priority=True),
]
