"""The editor's bookkeeping that is not a widget: outline addresses, JSON text the user typed that
does not parse yet (kept, never lost), and what is offered as ``as_node``.

No Textual here, so it is easy to test.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tui.supersteps.jsontext import JsonError, parse_json_text
from tui.supersteps.messages import update_messages
from tui.supersteps.model import Script, Send, Update
from tui.supersteps.problems import Problem
from tui.supersteps.validate import SPECIAL_NODES
from tui.words import plural

Address = tuple[int | None, int | None]
"""``(None, None)`` the script row; ``(s, None)`` a superstep; ``(s, u)`` an update."""
SCRIPT_ROW: Address = (None, None)


def outline_addresses(script: Script) -> list[Address]:
    """The outline's rows, top to bottom."""
    rows: list[Address] = [SCRIPT_ROW]
    for s, step in enumerate(script.supersteps):
        rows.append((s, None))
        rows.extend((s, u) for u in range(len(step.updates)))
    return rows


def clamp_address(script: Script, address: Address) -> Address:
    """The nearest row that exists (after a delete or an undo)."""
    s, u = address
    if s is None or not script.supersteps:
        return SCRIPT_ROW
    s = min(s, len(script.supersteps) - 1)
    updates = script.supersteps[s].updates
    if u is None or not updates:
        return (s, None)
    return (s, min(u, len(updates) - 1))


def node_choices(node_names: Sequence[str] | None) -> list[str]:
    """What the ``as_node`` picker offers: the graph's nodes, then the special ones."""
    names = [name for name in (node_names or []) if name not in SPECIAL_NODES]
    return [*names, *SPECIAL_NODES]


def goto_choices(node_names: Sequence[str] | None) -> list[str]:
    names = [name for name in (node_names or []) if name not in SPECIAL_NODES]
    return [*names, "__end__"]


def node_warning(as_node: str | None, node_names: Sequence[str] | None) -> str | None:
    """A one-line warning for a name the graph does not have (free text is allowed)."""
    if as_node is None or not as_node.strip():
        return "No as_node yet: the server needs one."
    if node_names is None:
        return None
    if as_node not in node_names and as_node not in SPECIAL_NODES:
        return f"{as_node!r} is not a node of this graph: the server will refuse it."
    return None


def messages_before(script: Script, superstep: int) -> list[Any]:
    """Messages written by the supersteps before ``superstep`` (their tool calls can be
    answered)."""
    found: list[Any] = []
    for step in script.supersteps[:superstep]:
        for update in step.updates:
            found.extend(update_messages(update))
    return found


# -- JSON the user is typing --------------------------------------------------------------------


@dataclass
class PendingText:
    """Text typed into a JSON field that does not parse yet. ``owner`` is the update it belongs
    to (found again by identity after moves), None for a script-level field."""

    owner: Update | None
    field: str
    text: str
    error: JsonError


class PendingTexts:
    """Every field whose typed text is invalid: kept until it parses or the user discards it."""

    def __init__(self) -> None:
        self._items: list[PendingText] = []

    def __len__(self) -> int:
        return len(self._items)

    def get(self, owner: Update | None, field: str) -> PendingText | None:
        for item in self._items:
            if item.owner is owner and item.field == field:
                return item
        return None

    def set(self, owner: Update | None, field: str, text: str, error: JsonError) -> None:
        item = self.get(owner, field)
        if item is None:
            self._items.append(PendingText(owner, field, text, error))
        else:
            item.text, item.error = text, error

    def clear(self, owner: Update | None, field: str) -> bool:
        before = len(self._items)
        self._items = [i for i in self._items if not (i.owner is owner and i.field == field)]
        return len(self._items) != before

    def clear_all(self) -> None:
        self._items.clear()

    def transfer(self, old: Update, new: Update) -> None:
        """``old`` was replaced by ``new`` (another field of it was edited)."""
        for item in self._items:
            if item.owner is old:
                item.owner = new

    def located(self, script: Script) -> list[tuple[Address, PendingText]]:
        where = {id(update): (s, u) for s, u, update in script.iter_updates()}
        found: list[tuple[Address, PendingText]] = []
        for item in self._items:
            if item.owner is None:
                found.append((SCRIPT_ROW, item))
            elif id(item.owner) in where:
                found.append((where[id(item.owner)], item))
        return found

    def problems(self, script: Script) -> list[Problem]:
        return [
            Problem(s, u, item.field, f"Invalid JSON at line {item.error.line}, column "
                    f"{item.error.column}: {item.error.message} (your text is kept; the last "
                    "valid value is what would be sent).")
            for (s, u), item in self.located(script)
        ]

    def to_ui(self, script: Script) -> list[dict[str, Any]]:
        """For the draft: address and text of each pending field of ``script``."""
        return [
            {"superstep": s, "update": u, "field": item.field, "text": item.text}
            for (s, u), item in self.located(script)
        ]

    def restore(self, script: Script, saved: Iterable[Any]) -> None:
        """Reattach texts saved with :meth:`to_ui` to the updates of ``script``."""
        self._items.clear()
        for entry in saved:
            if not isinstance(entry, Mapping):
                continue
            s, u, field, text = (entry.get(k) for k in ("superstep", "update", "field", "text"))
            if not isinstance(field, str) or not isinstance(text, str):
                continue
            owner: Update | None = None
            if s is not None or u is not None:
                try:
                    owner = script.update_at(int(s), int(u))  # type: ignore[arg-type]
                except (IndexError, TypeError, ValueError):
                    continue
            _, error = parse_json_text(text)
            if error is not None:
                self._items.append(PendingText(owner, field, text, error))


# -- command fields as text ---------------------------------------------------------------------


def goto_text(goto: Any) -> str:
    """``command.goto`` as the goto field shows it: names comma-separated, Sends as JSON."""
    if goto is None:
        return ""
    if isinstance(goto, str):
        return goto
    if isinstance(goto, tuple) and all(isinstance(t, str) for t in goto):
        return ", ".join(goto)
    items = goto if isinstance(goto, tuple) else (goto,)
    body = [t.to_body() if isinstance(t, Send) else t for t in items]
    return json.dumps(body if isinstance(goto, tuple) else body[0], ensure_ascii=False)


def parse_goto(text: str) -> tuple[Any, JsonError | None]:
    """The goto field's text as the wire value: ``tools``, ``a, b`` or JSON (Send objects)."""
    stripped = text.strip()
    if not stripped:
        return None, None
    if stripped[0] in '[{"':
        return parse_json_text(stripped)
    names = [name.strip() for name in stripped.split(",") if name.strip()]
    return (names[0] if len(names) == 1 else names), None


def resume_text(resume: Any) -> str:
    return "" if resume is None else json.dumps(resume, ensure_ascii=False)


def parse_resume(text: str) -> Any:
    """JSON when it parses, else the text itself as a string (``yes`` → ``"yes"``)."""
    if not text.strip():
        return None
    value, error = parse_json_text(text)
    return text if error is not None else value


def status_text(script: Script, node_names: Sequence[str] | None, path: str | None,
                undo_depth: int) -> str:
    """The editor's status line while nothing is being sent."""
    nodes = f" ({plural(len(node_names), 'node')})" if node_names is not None else ""
    graph = f"graph {script.graph_id}{nodes}" if script.graph_id else "no graph"
    return (f"{path or 'unsaved script'} · {graph} · "
            f"{plural(len(script.supersteps), 'superstep')} · undo {undo_depth}")


def step_info(script: Script, superstep: int) -> str:
    """What the detail pane says on a superstep's row."""
    count = len(script.supersteps[superstep].updates)
    return (f"Superstep {superstep + 1}: {plural(count, 'update')}, applied together.\n\n"
            "a adds an update · A adds a superstep · c duplicates · d deletes · "
            "K/J move · u undoes")
