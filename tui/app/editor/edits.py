"""What each outline key and each form field does to the script, as pure functions over
``tui.supersteps.ops`` (no Textual): ``(script, address, ...) -> (new script, new address)``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.app.editor.state import Address
from tui.safe import sanitize
from tui.supersteps import ops
from tui.supersteps.model import Command, Script

STRUCTURE_OPS = ("add_superstep", "add_update", "duplicate", "delete", "move_up", "move_down")


def structure_edit(script: Script, address: Address, operation: str) -> tuple[Script, Address]:
    """Apply an outline operation at ``address``; :class:`ops.EditError` when it cannot."""
    s, u = address
    steps = script.supersteps
    if operation == "add_superstep" or (operation == "add_update" and s is None):
        index = len(steps) if s is None else s + 1
        return ops.insert_superstep(script, index), (index, 0)
    if operation == "add_update":
        assert s is not None
        index = len(steps[s].updates) if u is None else u + 1
        return ops.add_update(script, s, index=index), (s, index)
    if s is None:
        raise ops.EditError("Select a superstep or an update first.")
    if operation == "duplicate":
        if u is None:
            return ops.duplicate_superstep(script, s), (s + 1, None)
        return ops.duplicate_update(script, s, u), (s, u + 1)
    if operation == "delete":
        if u is None:
            return ops.delete_superstep(script, s), (s, None)
        return ops.delete_update(script, s, u), (s, u)
    if operation in ("move_up", "move_down"):
        up = operation == "move_up"
        if u is None:
            moved = ops.move_superstep_up(script, s) if up else ops.move_superstep_down(script, s)
            return moved, (s - 1 if up else s + 1, None)
        if up:
            target: Address = (s, u - 1) if u > 0 else (s - 1, len(steps[s - 1].updates)
                                                        if s > 0 else 0)
            return ops.move_update_up(script, s, u), target
        last = len(steps[s].updates) - 1
        return ops.move_update_down(script, s, u), ((s, u + 1) if u < last else (s + 1, 0))
    raise ValueError(f"unknown outline operation {operation!r}")


def kept(original: Any, shown: str) -> Any:
    """A text field left as it was shown keeps the original value exactly (control characters
    are shown as symbols, so the shown text differs from the value)."""
    if isinstance(original, str) and sanitize(original) == shown:
        return original
    return shown


def update_edit(script: Script, s: int, u: int, field: str, value: Any) -> Script:
    """Set one field of the update at ``(s, u)``; ScriptError / EditError when the value does
    not fit."""
    update = script.update_at(s, u)
    if field == "as_node":
        return ops.set_as_node(script, s, u, kept(update.as_node, str(value)))
    if field == "values":
        return ops.set_values(script, s, u, value)
    if field == "messages":
        return ops.set_messages(script, s, u, list(value))
    if field == "kind":
        if value == "command" and update.command is None:
            body = {"update": update.values} if update.values not in (None, {}) else {}
            return ops.set_command(script, s, u, body)
        if value == "values" and update.command is not None:
            data = update.command.update
            return ops.set_values(script, s, u, dict(data) if isinstance(data, Mapping) else {})
        return script
    if field.startswith("command."):
        key = field.removeprefix("command.")
        body = update.command.to_body() if update.command is not None else {}
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
        return ops.set_command(script, s, u, Command.from_body(body))
    raise ValueError(f"unknown update field {field!r}")


def script_edit(script: Script, field: str, value: Any) -> Script:
    """Set one script-level field (``graph_id``, ``metadata``, ``thread_id``, ``if_exists``,
    ``ttl``)."""
    if field == "graph_id":
        return ops.set_graph_id(script, value)
    if field == "metadata":
        return ops.set_metadata(script, value)
    if field == "thread_id":
        return script.model_copy(update={"thread_id": kept(script.thread_id, value or "") or None})
    if field in ("if_exists", "ttl"):
        return script.model_copy(update={field: value})
    raise ValueError(f"unknown script field {field!r}")
