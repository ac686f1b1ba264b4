"""The outline: the script as rows (script → supersteps → updates), each problem pinned to its
row with an icon, and the keys that change the script's structure."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.app.editor.state import SCRIPT_ROW, Address, outline_addresses
from tui.app.keys import key
from tui.app.text import line
from tui.supersteps.messages import summarize_message, update_messages
from tui.supersteps.model import Script, Update
from tui.supersteps.problems import Problem
from tui.words import plural

ICONS = {"error": ("✗ ", "bold red"), "warning": ("⚠ ", "bold yellow")}


def marks_for(problems: Sequence[Problem]) -> dict[Address, str]:
    """The worst severity pinned to each outline row."""
    marks: dict[Address, str] = {}
    for problem in problems:
        address: Address = (problem.superstep, problem.update)
        if problem.superstep is None:
            address = SCRIPT_ROW
        if marks.get(address) != "error":
            marks[address] = problem.severity
    return marks


def _values_preview(values: Any) -> str:
    if values is None:
        return "(no values)"
    if not isinstance(values, Mapping):
        return json.dumps(values, ensure_ascii=False, default=str)
    others = [k for k in values if k != "messages"]
    parts: list[str] = []
    messages = update_messages(Update(values=values))
    if messages:
        last = summarize_message(messages[-1], 60)
        count = f"{len(messages)} msgs, " if len(messages) > 1 else ""
        parts.append(f"{count}{last.role}: {last.preview}")
    for name in others[:3]:
        parts.append(f"{name}={json.dumps(values[name], ensure_ascii=False, default=str)}")
    if len(others) > 3:
        parts.append(f"+{len(others) - 3} keys")
    return " · ".join(parts) or "{}"


def update_preview(update: Update) -> str:
    """One line about what the update writes."""
    command = update.command
    if command is None:
        return _values_preview(update.values)
    targets = [t if isinstance(t, str) else f"Send({t.node})" for t in command.goto_targets()]
    text = f"command → {', '.join(targets) or '(no goto)'}"
    if command.resume is not None:
        text += f" · resume {json.dumps(command.resume, ensure_ascii=False, default=str)}"
    if command.update is not None:
        text += f" · {_values_preview(command.update)}"
    return text


def _mark(marks: Mapping[Address, str], address: Address) -> Text:
    severity = marks.get(address)
    if severity is None:
        return Text("  ", end="")
    icon, style = ICONS[severity]
    text = Text(end="")
    text.append(icon, style=style)
    return text


def row_text(script: Script, address: Address, marks: Mapping[Address, str]) -> Text:
    """One outline row, on one line (cut with … when the pane is narrow)."""
    text = _row_text(script, address, marks)
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


def _row_text(script: Script, address: Address, marks: Mapping[Address, str]) -> Text:
    s, u = address
    text = _mark(marks, address)
    if s is None:
        graph = script.graph_id
        text.append("Script ", style="bold")
        text.append_text(line(f"graph {graph}" if graph else "no graph chosen", 40,
                              style="" if graph else "italic red"))
        extra = len(script.metadata) - (1 if graph else 0)
        details = [plural(len(script.supersteps), "superstep")]
        if extra > 0:
            details.append(f"metadata +{extra}")
        if script.thread_id:
            details.append("thread id set")
        text.append(" · " + " · ".join(details), style="dim")
        return text
    step = script.supersteps[s]
    if u is None:
        count = len(step.updates)
        text.append(f"Superstep {s + 1}", style="bold")
        text.append(f" · {plural(count, 'update')}", style="dim")
        return text
    update = step.updates[u]
    text.append(f"  {s + 1}.{u + 1} ", style="dim")
    if update.as_node:
        text.append_text(line(update.as_node, 28, style="bold #87afd7"))
    else:
        text.append("(no as_node)", style="italic red")
    text.append("  ")
    text.append_text(line(update_preview(update), 200, style="dim" if update.command is None
                          else "#d7af87"))
    return text


class Outline(OptionList):
    """The script's rows. Structure keys live here; they ask the editor to do the edit."""

    PALETTE_GROUP = "Editor"
    DEFAULT_CSS = """
    Outline, Outline:focus { height: 1fr; border: none; border-left: blank; padding: 0; }
    Outline:focus { border-left: outer $accent; }
    Outline { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("A", "edit('add_superstep')", "+Superstep",
            "Add a superstep after the selected one (with one empty update)",
            id="editor.add_superstep"),
        key("a", "edit('add_update')", "+Update", "Add an update to the selected superstep",
            id="editor.add_update"),
        key("c", "edit('duplicate')", "Duplicate",
            "Duplicate the selected superstep or update", id="editor.duplicate", show=False),
        key("d,delete", "edit('delete')", "Delete", "Delete the selected superstep or update",
            id="editor.delete"),
        key("K,shift+up", "edit('move_up')", "Move up",
            "Move the selected superstep or update up", id="editor.move_up", show=False),
        key("J,shift+down", "edit('move_down')", "Move down",
            "Move the selected superstep or update down", id="editor.move_down", show=False),
        key("u", "edit('undo')", "Undo", "Undo the last change to the script (also ctrl+z)",
            id="editor.undo_letter", show=False),
        key("U", "edit('redo')", "Redo", "Redo what was undone (also ctrl+y)",
            id="editor.redo_letter", show=False),
        key("n", "edit('focus_node')", "as_node", "Type the node the update is applied as",
            id="editor.as_node", show=False),
        key("m", "edit('focus_messages')", "Messages",
            "Go to the selected update's messages (h/a/s/t add one)", id="editor.messages"),
        key("g", "edit('focus_goto')", "goto", "Type where a command update goes next",
            id="editor.goto", show=False),
        key("v", "edit('focus_json')", "JSON", "Edit the selected update's values as JSON",
            id="editor.json", show=False),
        key("t", "edit('toggle_kind')", "values/command",
            "Turn the selected update into a command update, or back into a values update",
            id="editor.toggle_kind", show=False),
        key("j", "cursor_down", "Down", "Next row", id="editor.cursor_down", show=False),
        key("k", "cursor_up", "Up", "Previous row", id="editor.cursor_up", show=False),
        key("x", "edit('show_code')", "Code", "Show the create call as curl, Python and JS",
            id="editor.show_code"),
        key("e", "edit('export_thread')", "Export thread",
            "Load a thread's history as a script (to replay it elsewhere)",
            id="editor.export_thread", show=False),
    ]

    class Edit(Message):
        """One of the outline's keys: the editor that holds the outline does ``operation``."""

        def __init__(self, operation: str) -> None:
            super().__init__()
            self.operation = operation

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.addresses: list[Address] = []
        self._shown: list[Text] = []
        self._cache: dict[tuple[Address, str | None], tuple[Update, Text]] = {}

    def show(self, script: Script, problems: Sequence[Problem], select: Address) -> None:
        """Rebuild the rows and put the cursor on ``select``."""
        marks = marks_for(problems)
        addresses = outline_addresses(script)
        rows = [self._row(script, a, marks) for a in addresses]
        if addresses == self.addresses and len(self._shown) == len(rows):
            # Same shape (typing into a field): replace only the rows that changed.
            for index, (old, new) in enumerate(zip(self._shown, rows, strict=True)):
                if old != new:
                    self.replace_option_prompt_at_index(index, new)
            self._shown = rows
            self.select_address(select)
            return
        self.addresses, self._shown = addresses, rows
        if len(self._cache) > 4 * len(addresses) + 100:
            self._cache.clear()
        self.clear_options()
        self.add_options([Option(row) for row in rows])
        if not script.supersteps:
            self.add_option(Option(Text("  A adds a superstep · ctrl+o opens a script · e "
                                        "exports a thread", style="dim italic", no_wrap=True,
                                        overflow="ellipsis"), disabled=True))
        self.select_address(select)

    def _row(self, script: Script, address: Address, marks: Mapping[Address, str]) -> Text:
        """``row_text``, reusing the row of an update that did not change (long scripts)."""
        s, u = address
        if s is None or u is None:
            return row_text(script, address, marks)
        update = script.supersteps[s].updates[u]
        key = (address, marks.get(address))
        cached = self._cache.get(key)
        if cached is not None and cached[0] is update:
            return cached[1]
        text = row_text(script, address, marks)
        self._cache[key] = (update, text)
        return text

    def select_address(self, address: Address) -> None:
        if address in self.addresses:
            self.highlighted = self.addresses.index(address)

    @property
    def address(self) -> Address:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.addresses):
            return SCRIPT_ROW
        return self.addresses[index]

    def action_edit(self, operation: str) -> None:
        self.post_message(self.Edit(operation))
