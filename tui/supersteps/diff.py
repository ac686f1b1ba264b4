"""Diff two thread states (``values`` of two checkpoints): what a step added, removed, changed.

Pure data, no Textual, no httpx. Two results:

- :func:`diff_states` — top-level keys added / removed / changed, the nested paths that changed
  inside them, and the messages added / removed / changed. Messages are matched by ``id`` when
  both sides have one (how ``add_messages`` matches them), otherwise by position.
- :func:`delta_update` — the reverse use: a user edited a state; which ``values`` must be sent
  to ``update_state`` so the thread ends up like the edit (only the changed keys; for the
  messages list only the new or edited messages, and a ``remove`` for each deleted one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeGuard

__all__ = [
    "ChangeKind",
    "DeltaUpdate",
    "MessageChange",
    "StateDiff",
    "ValueChange",
    "delta_update",
    "diff_states",
    "format_path",
]

ChangeKind = Literal["added", "removed", "changed"]
PathPart = str | int
Path = tuple[PathPart, ...]

MESSAGES_KEY = "messages"
_MAX_DEPTH = 8
_MAX_CHANGES = 1000


def format_path(path: Sequence[PathPart]) -> str:
    """``("messages", 0, "content")`` → ``messages[0].content``; odd keys are quoted."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.isidentifier():
            out.append(f".{part}" if out else part)
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
    return "".join(out) or "(root)"


@dataclass(frozen=True, slots=True)
class ValueChange:
    """One path whose value differs. ``before``/``after`` are None for added/removed."""

    path: Path
    kind: ChangeKind
    before: Any = None
    after: Any = None

    @property
    def key(self) -> str:
        return format_path(self.path)


@dataclass(frozen=True, slots=True)
class MessageChange:
    """A message added, removed or edited (same id, different fields)."""

    kind: ChangeKind
    before_index: int | None
    after_index: int | None
    before: Any = None
    after: Any = None

    @property
    def message(self) -> Any:
        """The message as it is after the change (or as it was, for a removal)."""
        return self.before if self.kind == "removed" else self.after

    @property
    def id(self) -> str | None:
        return _message_id(self.message)

    @property
    def changed_fields(self) -> list[str]:
        """For an edited message: the fields that differ."""
        if self.kind != "changed":
            return []
        before = self.before if isinstance(self.before, Mapping) else {}
        after = self.after if isinstance(self.after, Mapping) else {}
        keys = list(after) + [key for key in before if key not in after]
        return [str(key) for key in keys if before.get(key) != after.get(key)]


@dataclass(frozen=True, slots=True)
class StateDiff:
    keys_added: tuple[str, ...] = ()
    keys_removed: tuple[str, ...] = ()
    keys_changed: tuple[str, ...] = ()
    changes: tuple[ValueChange, ...] = ()
    """Detailed changes (nested paths), outside the messages list."""
    messages: tuple[MessageChange, ...] = ()
    messages_key: str | None = None
    """The key whose list was compared message by message (None when there is none)."""
    truncated: bool = False
    """More than the detail limit changed; ``changes`` holds the first ones."""

    @property
    def is_empty(self) -> bool:
        return not (self.keys_added or self.keys_removed or self.keys_changed)

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.messages if change.kind == kind)

    def summary(self) -> str:
        """One line, e.g. ``keys +1 −0 ~1 · messages +2 −0 ~0`` (or ``no changes``)."""
        if self.is_empty:
            return "no changes"
        keys = f"keys +{len(self.keys_added)} −{len(self.keys_removed)} ~{len(self.keys_changed)}"
        if self.messages_key is None:
            return keys
        added, removed, changed = (self.count(k) for k in ("added", "removed", "changed"))
        return f"{keys} · messages +{added} −{removed} ~{changed}"


def _message_id(message: Any) -> str | None:
    if isinstance(message, Mapping):
        value = message.get("id")
        return value if isinstance(value, str) and value else None
    return None


def _is_message_list(value: Any) -> TypeGuard[list[Any]]:
    return isinstance(value, list) and all(isinstance(item, Mapping) for item in value)


def diff_messages(before: Sequence[Any], after: Sequence[Any]) -> list[MessageChange]:
    """Messages added / removed / changed: by id where both have one, else by position.

    Changes come in the order of ``after`` (removals where the message used to be).
    """
    before_by_id = {mid: i for i, m in enumerate(before) if (mid := _message_id(m)) is not None}
    after_ids = {mid for m in after if (mid := _message_id(m)) is not None}
    anonymous_before = [i for i, m in enumerate(before) if _message_id(m) is None]
    anonymous_after = [i for i, m in enumerate(after) if _message_id(m) is None]
    paired_anonymous = dict(zip(anonymous_after, anonymous_before, strict=False))

    changes: list[tuple[float, MessageChange]] = []
    for index, message in enumerate(after):
        mid = _message_id(message)
        old_index = before_by_id.get(mid) if mid is not None else paired_anonymous.get(index)
        if old_index is None:
            changes.append((index, MessageChange("added", None, index, None, message)))
        elif before[old_index] != message:
            changes.append(
                (index, MessageChange("changed", old_index, index, before[old_index], message))
            )
    unpaired_before = set(anonymous_before[len(anonymous_after):])
    for index, message in enumerate(before):
        mid = _message_id(message)
        gone = mid not in after_ids if mid is not None else index in unpaired_before
        if gone:
            # Sort a removal just before what now sits at its old position.
            changes.append((index - 0.5, MessageChange("removed", index, None, message, None)))
    changes.sort(key=lambda pair: pair[0])
    return [change for _, change in changes]


class _Collector:
    def __init__(self, limit: int) -> None:
        self.items: list[ValueChange] = []
        self.limit = limit
        self.truncated = False

    def add(self, change: ValueChange) -> None:
        if len(self.items) >= self.limit:
            self.truncated = True
            return
        self.items.append(change)


def _walk(before: Any, after: Any, path: Path, out: _Collector, depth: int) -> None:
    if before == after:
        return
    if depth < _MAX_DEPTH and isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in after:
            if key not in before:
                out.add(ValueChange((*path, str(key)), "added", None, after[key]))
            else:
                _walk(before[key], after[key], (*path, str(key)), out, depth + 1)
        for key in before:
            if key not in after:
                out.add(ValueChange((*path, str(key)), "removed", before[key], None))
        return
    if depth < _MAX_DEPTH and isinstance(before, list) and isinstance(after, list):
        common = min(len(before), len(after))
        for index in range(common):
            _walk(before[index], after[index], (*path, index), out, depth + 1)
        for index in range(common, len(after)):
            out.add(ValueChange((*path, index), "added", None, after[index]))
        for index in range(common, len(before)):
            out.add(ValueChange((*path, index), "removed", before[index], None))
        return
    out.add(ValueChange(path, "changed", before, after))


def diff_states(
    before: Any,
    after: Any,
    *,
    messages_key: str = MESSAGES_KEY,
    max_changes: int = _MAX_CHANGES,
) -> StateDiff:
    """What changed from ``before`` to ``after`` (two ``values``; None counts as ``{}``)."""
    old = before if before is not None else {}
    new = after if after is not None else {}
    out = _Collector(max_changes)
    if not (isinstance(old, Mapping) and isinstance(new, Mapping)):
        if old != new:
            out.add(ValueChange((), "changed", old, new))
        return StateDiff(changes=tuple(out.items), truncated=out.truncated)

    added = tuple(str(key) for key in new if key not in old)
    removed = tuple(str(key) for key in old if key not in new)
    changed = tuple(str(key) for key in new if key in old and old[key] != new[key])
    for key in added:
        out.add(ValueChange((key,), "added", None, new[key]))
    for key in removed:
        out.add(ValueChange((key,), "removed", old[key], None))

    messages: list[MessageChange] = []
    compared_key: str | None = None
    old_messages, new_messages = old.get(messages_key), new.get(messages_key)
    if _is_message_list(old_messages) or _is_message_list(new_messages):
        compared_key = messages_key
        old_list: list[Any] = old_messages if _is_message_list(old_messages) else []
        new_list: list[Any] = new_messages if _is_message_list(new_messages) else []
        messages = diff_messages(old_list, new_list)
    for key in changed:
        if key == compared_key:
            continue
        _walk(old[key], new[key], (key,), out, 1)
    return StateDiff(
        keys_added=added,
        keys_removed=removed,
        keys_changed=changed,
        changes=tuple(out.items),
        messages=tuple(messages),
        messages_key=compared_key,
        truncated=out.truncated,
    )


@dataclass(frozen=True, slots=True)
class DeltaUpdate:
    """``values`` for ``update_state`` that turn ``before`` into the edited state."""

    values: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    """What an update cannot express (a removed key) or what the user should know."""

    @property
    def is_empty(self) -> bool:
        return not self.values


def delta_update(before: Any, after: Any, *, messages_key: str = MESSAGES_KEY) -> DeltaUpdate:
    """The smallest ``values`` that make a thread at ``before`` look like ``after``.

    Keys that changed are sent whole, except the messages list: only new or edited messages
    (``add_messages`` replaces a message with the same id) and ``{"type": "remove", "id": …}``
    for each deleted one. A removed key cannot be expressed by an update: it is left out and
    named in ``notes``. Reducers other than ``add_messages`` apply to what is sent (a counter
    with ``operator.add`` adds the new value).
    """
    old = before if isinstance(before, Mapping) else {}
    if not isinstance(after, Mapping):
        return DeltaUpdate(notes=("The edited state must be a JSON object.",))
    values: dict[str, Any] = {}
    notes: list[str] = []
    for key, value in after.items():
        if key in old and old[key] == value:
            continue
        if key == messages_key and _is_message_list(value) and _is_message_list(old.get(key)):
            sent = _message_delta(old[key], value, notes)
            if sent:
                values[key] = sent
            continue
        values[key] = value
    for key in old:
        if key not in after:
            notes.append(f"Key {format_path((str(key),))} was deleted: an update cannot remove "
                         "a key, so it is left as it was.")
    return DeltaUpdate(values=values, notes=tuple(notes))


def _message_delta(before: list[Any], after: list[Any], notes: list[str]) -> list[Any]:
    sent: list[Any] = []
    for change in diff_messages(before, after):
        if change.kind in ("added", "changed"):
            if change.kind == "changed" and change.id is None:
                notes.append(f"Message {change.after_index} has no id: the edited version is "
                             "appended, the original stays.")
            sent.append(change.after)
        else:
            mid = change.id
            if mid is None:
                notes.append(f"Message {change.before_index} has no id: it cannot be removed.")
            else:
                sent.append({"type": "remove", "id": mid, "content": ""})
    reordered = [_message_id(m) for m in after if _message_id(m) is not None]
    kept = [_message_id(m) for m in before if _message_id(m) in set(reordered)]
    if [m for m in reordered if m in set(kept)] != kept:
        notes.append("Messages were reordered: an update keeps the existing order.")
    return sent
