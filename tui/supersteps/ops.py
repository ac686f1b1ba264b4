"""Editing operations on a script, addressed by indices, and an undo/redo :class:`History`.

Every operation is a pure function ``(script, ...) -> new script``: the input is never changed,
so undo is just going back to the previous script. Unchanged supersteps are shared between the
old and the new script. Invalid addresses or moves raise :class:`EditError` (one line, for the
status bar).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from typing import Any, Concatenate, ParamSpec

from tui.supersteps.model import Command, Script, Superstep, Update

__all__ = [
    "EditError",
    "History",
    "add_superstep",
    "add_update",
    "delete_superstep",
    "delete_update",
    "duplicate_superstep",
    "duplicate_update",
    "insert_superstep",
    "move_superstep",
    "move_superstep_down",
    "move_superstep_up",
    "move_update",
    "move_update_down",
    "move_update_up",
    "replace_update",
    "set_as_node",
    "set_command",
    "set_graph_id",
    "set_messages",
    "set_metadata",
    "set_values",
]

P = ParamSpec("P")


class EditError(ValueError):
    """An operation that cannot apply (index out of range, moving past an end, non-JSON data)."""


def _ensure_json(value: object, what: str) -> None:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise EditError(f"{what} must be JSON data: {exc}") from None


def _check_step(script: Script, index: int) -> None:
    if not 0 <= index < len(script.supersteps):
        raise EditError(f"no superstep {index + 1} (the script has {len(script.supersteps)})")


def _check_update(script: Script, step: int, index: int) -> None:
    _check_step(script, step)
    count = len(script.supersteps[step].updates)
    if not 0 <= index < count:
        raise EditError(f"no update {index + 1} in superstep {step + 1} (it has {count})")


def _with_steps(script: Script, steps: list[Superstep]) -> Script:
    return script.model_copy(update={"supersteps": tuple(steps)})


def _with_updates(script: Script, step: int, updates: list[Update]) -> Script:
    steps = list(script.supersteps)
    steps[step] = steps[step].model_copy(update={"updates": tuple(updates)})
    return _with_steps(script, steps)


def _clone_update(update: Update) -> Update:
    return Update.from_body(update.to_body())


def _clone_step(step: Superstep) -> Superstep:
    return Superstep.from_body(step.to_body())


def _blank_superstep() -> Superstep:
    return Superstep(updates=(Update(values={}),))


# -- supersteps ---------------------------------------------------------------------------------


def insert_superstep(script: Script, index: int, superstep: Superstep | None = None) -> Script:
    """Insert ``superstep`` (default: one update with empty values) before ``index``."""
    if not 0 <= index <= len(script.supersteps):
        raise EditError(f"cannot insert a superstep at position {index + 1}")
    steps = list(script.supersteps)
    steps.insert(index, superstep if superstep is not None else _blank_superstep())
    return _with_steps(script, steps)


def add_superstep(script: Script, superstep: Superstep | None = None) -> Script:
    """Append ``superstep`` (default: one update with empty values)."""
    return insert_superstep(script, len(script.supersteps), superstep)


def duplicate_superstep(script: Script, index: int) -> Script:
    """Insert a deep copy of superstep ``index`` right after it."""
    _check_step(script, index)
    steps = list(script.supersteps)
    steps.insert(index + 1, _clone_step(steps[index]))
    return _with_steps(script, steps)


def delete_superstep(script: Script, index: int) -> Script:
    _check_step(script, index)
    steps = list(script.supersteps)
    del steps[index]
    return _with_steps(script, steps)


def move_superstep(script: Script, index: int, to_index: int) -> Script:
    """Move superstep ``index`` so that it ends up at position ``to_index``."""
    _check_step(script, index)
    if not 0 <= to_index < len(script.supersteps):
        raise EditError(f"cannot move superstep {index + 1} to position {to_index + 1}")
    steps = list(script.supersteps)
    steps.insert(to_index, steps.pop(index))
    return _with_steps(script, steps)


def move_superstep_up(script: Script, index: int) -> Script:
    if index == 0:
        raise EditError("the first superstep cannot move up")
    return move_superstep(script, index, index - 1)


def move_superstep_down(script: Script, index: int) -> Script:
    if index == len(script.supersteps) - 1:
        raise EditError("the last superstep cannot move down")
    return move_superstep(script, index, index + 1)


# -- updates ------------------------------------------------------------------------------------


def add_update(
    script: Script, step: int, update: Update | None = None, index: int | None = None
) -> Script:
    """Insert ``update`` (default: empty values, no node) into superstep ``step`` at ``index``
    (default: at the end)."""
    _check_step(script, step)
    updates = list(script.supersteps[step].updates)
    position = len(updates) if index is None else index
    if not 0 <= position <= len(updates):
        raise EditError(f"cannot insert an update at position {position + 1}")
    updates.insert(position, update if update is not None else Update(values={}))
    return _with_updates(script, step, updates)


def duplicate_update(script: Script, step: int, index: int) -> Script:
    """Insert a deep copy of the update right after it."""
    _check_update(script, step, index)
    updates = list(script.supersteps[step].updates)
    updates.insert(index + 1, _clone_update(updates[index]))
    return _with_updates(script, step, updates)


def delete_update(script: Script, step: int, index: int) -> Script:
    """Delete the update; the superstep stays even when it becomes empty (validate reports it)."""
    _check_update(script, step, index)
    updates = list(script.supersteps[step].updates)
    del updates[index]
    return _with_updates(script, step, updates)


def move_update(script: Script, step: int, index: int, to_step: int, to_index: int) -> Script:
    """Move an update to position ``to_index`` of superstep ``to_step`` (possibly the same)."""
    _check_update(script, step, index)
    _check_step(script, to_step)
    update = script.supersteps[step].updates[index]
    if to_step == step:
        updates = list(script.supersteps[step].updates)
        if not 0 <= to_index < len(updates):
            raise EditError(f"cannot move the update to position {to_index + 1}")
        updates.insert(to_index, updates.pop(index))
        return _with_updates(script, step, updates)
    target = list(script.supersteps[to_step].updates)
    if not 0 <= to_index <= len(target):
        raise EditError(f"cannot move the update to position {to_index + 1}")
    source = list(script.supersteps[step].updates)
    del source[index]
    target.insert(to_index, update)
    moved = _with_updates(script, step, source)
    return _with_updates(moved, to_step, target)


def move_update_up(script: Script, step: int, index: int) -> Script:
    """Up within the superstep; the first update moves to the end of the previous superstep."""
    _check_update(script, step, index)
    if index > 0:
        return move_update(script, step, index, step, index - 1)
    if step == 0:
        raise EditError("the first update cannot move up")
    return move_update(script, step, index, step - 1, len(script.supersteps[step - 1].updates))


def move_update_down(script: Script, step: int, index: int) -> Script:
    """Down within the superstep; the last update moves to the start of the next superstep."""
    _check_update(script, step, index)
    if index < len(script.supersteps[step].updates) - 1:
        return move_update(script, step, index, step, index + 1)
    if step == len(script.supersteps) - 1:
        raise EditError("the last update cannot move down")
    return move_update(script, step, index, step + 1, 0)


def replace_update(script: Script, step: int, index: int, update: Update) -> Script:
    _check_update(script, step, index)
    updates = list(script.supersteps[step].updates)
    updates[index] = update
    return _with_updates(script, step, updates)


def set_as_node(script: Script, step: int, index: int, as_node: str | None) -> Script:
    """Set (or clear, with None or a blank string) the node the update is applied as."""
    _check_update(script, step, index)
    node = as_node.strip() if as_node is not None else None
    current = script.supersteps[step].updates[index]
    return replace_update(script, step, index, current.model_copy(update={"as_node": node or None}))


def set_values(script: Script, step: int, index: int, values: Any) -> Script:
    """Make the update a ``values`` update (any ``command`` is dropped)."""
    _check_update(script, step, index)
    _ensure_json(values, "values")
    current = script.supersteps[step].updates[index]
    changed = current.model_copy(update={"values": copy.deepcopy(values), "command": None})
    return replace_update(script, step, index, changed)


def set_command(
    script: Script, step: int, index: int, command: Command | Mapping[str, Any]
) -> Script:
    """Make the update a ``command`` update (any ``values`` are dropped)."""
    _check_update(script, step, index)
    parsed = command if isinstance(command, Command) else Command.from_body(command)
    _ensure_json(parsed.to_body(), "command")
    current = script.supersteps[step].updates[index]
    changed = current.model_copy(update={"values": None, "command": parsed})
    return replace_update(script, step, index, changed)


def set_messages(script: Script, step: int, index: int, messages: list[Any]) -> Script:
    """Replace ``values["messages"]`` of a values update (other keys are kept)."""
    _check_update(script, step, index)
    current = script.supersteps[step].updates[index]
    if current.command is not None:
        raise EditError("this update is a command; edit command.update instead")
    base = current.values if isinstance(current.values, Mapping) else {}
    return set_values(script, step, index, {**base, "messages": list(messages)})


# -- metadata -----------------------------------------------------------------------------------


def set_metadata(script: Script, metadata: Mapping[str, Any]) -> Script:
    _ensure_json(dict(metadata), "metadata")
    return script.model_copy(update={"metadata": copy.deepcopy(dict(metadata))})


def set_graph_id(script: Script, graph_id: str | None) -> Script:
    """Set ``metadata.graph_id`` (None or blank removes it)."""
    metadata = dict(script.metadata)
    name = graph_id.strip() if graph_id is not None else ""
    if name:
        metadata["graph_id"] = name
    else:
        metadata.pop("graph_id", None)
    return script.model_copy(update={"metadata": metadata})


# -- undo / redo --------------------------------------------------------------------------------


class History:
    """Undo/redo over whole scripts, at most ``max_depth`` steps back.

    ``push`` records a new current script (and forgets the redo side); pushing a script equal to
    the current one records nothing, so a no-op edit does not cost an undo step.
    """

    def __init__(self, initial: Script, max_depth: int = 200) -> None:
        if max_depth < 1:
            raise ValueError("max_depth must be at least 1")
        self.max_depth = max_depth
        self._current = initial
        self._undo: list[Script] = []
        self._redo: list[Script] = []

    @property
    def current(self) -> Script:
        return self._current

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_depth(self) -> int:
        return len(self._undo)

    def push(self, script: Script) -> Script:
        if script is self._current or script == self._current:
            return self._current
        self._undo.append(self._current)
        if len(self._undo) > self.max_depth:
            del self._undo[0]
        self._redo.clear()
        self._current = script
        return script

    def apply(
        self,
        operation: Callable[Concatenate[Script, P], Script],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Script:
        """Run ``operation(current, ...)`` and push the result (nothing recorded if it raises)."""
        return self.push(operation(self._current, *args, **kwargs))

    def amend(self, script: Script) -> Script:
        """Replace the current script without recording a new undo step (the next keystroke of
        the same field: one undo takes the whole typing burst back). Forgets the redo side."""
        if script is self._current or script == self._current:
            return self._current
        self._redo.clear()
        self._current = script
        return script

    def undo(self) -> Script:
        """Go back one step; without anything to undo the current script stays."""
        if self._undo:
            self._redo.append(self._current)
            self._current = self._undo.pop()
        return self._current

    def redo(self) -> Script:
        if self._redo:
            self._undo.append(self._current)
            self._current = self._redo.pop()
        return self._current

    def reset(self, script: Script) -> None:
        """Start over from ``script`` (a loaded file): both stacks are emptied."""
        self._current = script
        self._undo.clear()
        self._redo.clear()
