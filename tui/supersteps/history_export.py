"""Turn a thread's checkpoint history into a script that replays it on another deployment.

Input is what ``POST /threads/{id}/history`` returns (newest first). A checkpoint's
``tasks[*].result`` are the writes that produced the *next* checkpoint, so walking the lineage
oldest → newest, each transition becomes one superstep with an update per finished task
(``as_node`` = task name). A checkpoint made by a new run input (``source: "input"``) becomes
``{"as_node": "__input__", "values": {}}``; its ``__start__`` task then carries the input.
Tasks without a result (interrupted, pending) are skipped.

Messages the input carried without an ``id`` get the id the server gave them (read from the
next checkpoint), and keys the create endpoint would misplace into ``additional_kwargs``
(``usage_metadata``, ``invalid_tool_calls``) are dropped, so the replayed thread has the same
``values`` (measured against langgraph-api 0.16.7) — except a non-empty ``usage_metadata`` or
``invalid_tool_calls``, which a message dict cannot carry.

After a fork (``update_state`` on an older checkpoint) the parent's task results still show
the original branch, so a transition whose results do not match the next state is rebuilt as
one update holding the difference (``tui.supersteps.diff.delta_update``): messages exactly,
other changed keys sent whole (wrong for a reducer such as ``operator.add``).

Known limits: a transition whose writes are not recorded in any task (``update_state`` as a
node that was not due to run) and a node's ``Command(goto=...)`` cannot be recovered. A replay
starting mid-thread writes the first selected checkpoint's values in one update, as the node that
produced them (``__start__`` when unknown, which may change ``next``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from tui.supersteps.diff import delta_update
from tui.supersteps.messages import compact_message, creatable_message, message_type
from tui.supersteps.model import Script, Superstep, Update

__all__ = ["HistoryExportError", "checkpoint_lineage", "script_from_history"]

Checkpoint = Mapping[str, Any]


class HistoryExportError(ValueError):
    """The history cannot be exported (empty, or a selection outside it)."""


def _own_id(checkpoint: Checkpoint) -> str | None:
    value = checkpoint.get("checkpoint_id")
    if value is None and isinstance(checkpoint.get("checkpoint"), Mapping):
        value = checkpoint["checkpoint"].get("checkpoint_id")
    return value if isinstance(value, str) else None


def _parent_id(checkpoint: Checkpoint) -> str | None:
    value = checkpoint.get("parent_checkpoint_id")
    if value is None and isinstance(checkpoint.get("parent_checkpoint"), Mapping):
        value = checkpoint["parent_checkpoint"].get("checkpoint_id")
    return value if isinstance(value, str) else None


def checkpoint_lineage(checkpoints: Sequence[Checkpoint]) -> list[Checkpoint]:
    """The newest checkpoint and its ancestors, oldest first.

    Follows parent ids, so checkpoints of other branches (after a fork) are left out; without
    ids the list is taken as newest first and simply reversed.
    """
    if not checkpoints:
        return []
    ids = [_own_id(c) for c in checkpoints]
    if any(i is None for i in ids):
        return list(reversed(checkpoints))
    by_id = {i: c for i, c in zip(ids, checkpoints, strict=True) if i is not None}
    parents = {_parent_id(c) for c in checkpoints}
    head = next((c for i, c in zip(ids, checkpoints, strict=True) if i not in parents), None)
    if head is None:  # a cycle: not a real history; keep the given order
        return list(reversed(checkpoints))
    lineage: list[Checkpoint] = []
    seen: set[str] = set()
    current: Checkpoint | None = head
    while current is not None:
        own = _own_id(current)
        if own is None or own in seen:
            break
        seen.add(own)
        lineage.append(current)
        parent = _parent_id(current)
        current = by_id.get(parent) if parent is not None else None
    lineage.reverse()
    return lineage


def _source(checkpoint: Checkpoint) -> str | None:
    metadata = checkpoint.get("metadata")
    if isinstance(metadata, Mapping):
        source = metadata.get("source")
        return source if isinstance(source, str) else None
    return None


def _values(checkpoint: Checkpoint) -> Mapping[str, Any]:
    values = checkpoint.get("values")
    return values if isinstance(values, Mapping) else {}


def _state_messages(checkpoint: Checkpoint) -> list[Any]:
    messages = _values(checkpoint).get("messages")
    return messages if isinstance(messages, list) else []


def _is_fresh_start(checkpoint: Checkpoint) -> bool:
    return _source(checkpoint) == "input" and _parent_id(checkpoint) is None


def _fill_ids(updates: list[dict[str, Any]], before: Checkpoint, after: Checkpoint) -> None:
    """Give id-less messages in ``updates`` the ids the server assigned (found in ``after``)."""
    known = {m.get("id") for m in _state_messages(before) if isinstance(m, Mapping)}
    candidates = [
        m
        for m in _state_messages(after)
        if isinstance(m, Mapping) and isinstance(m.get("id"), str) and m.get("id") not in known
    ]
    used: set[int] = set()
    for values in updates:
        messages = values.get("messages")
        if isinstance(messages, Mapping):
            messages = [messages]
        if not isinstance(messages, list):
            continue
        for message in messages:
            if not isinstance(message, dict) or message.get("id") is not None:
                continue
            for index, candidate in enumerate(candidates):
                if (
                    index not in used
                    and message_type(candidate) == message_type(message)
                    and candidate.get("content") == message.get("content", "")
                ):
                    message["id"] = candidate["id"]
                    used.add(index)
                    break


def _prepare(values: dict[str, Any], compact: bool) -> dict[str, Any]:
    """Messages as the create endpoint takes them back (and without defaults if ``compact``)."""
    messages = values.get("messages")
    if not isinstance(messages, list):
        return values
    prepared = [creatable_message(m) for m in messages]
    if compact:
        prepared = [compact_message(m) for m in prepared]
    return {**values, "messages": prepared}


def _results_describe(
    results: list[dict[str, Any]], current: Checkpoint, following: Checkpoint
) -> bool:
    """Whether the task results are what produced ``following``: every message they write must
    be in its state (by id, or as a new message of the same type and content). After a fork
    (``update_state`` on an old checkpoint) the parent's task results still show the original
    branch's writes, and this fails."""
    known = {m.get("id") for m in _state_messages(current) if isinstance(m, Mapping)}
    after = [m for m in _state_messages(following) if isinstance(m, Mapping)]
    by_id = {m["id"]: m for m in after if isinstance(m.get("id"), str)}
    new = [(message_type(m), m.get("content")) for m in after if m.get("id") not in known]
    for values in results:
        messages = values.get("messages")
        for message in messages if isinstance(messages, list) else [messages]:
            if not isinstance(message, Mapping):
                continue
            content = message.get("content") or ""
            if isinstance(message.get("id"), str):
                found = by_id.get(message["id"])
                if found is None or (found.get("content") or "") != content:
                    return False
            elif (message_type(message), content) not in new:
                return False
    return True


def _task_updates(
    current: Checkpoint, following: Checkpoint, fill_message_ids: bool, compact: bool
) -> list[Update]:
    results: list[tuple[str, dict[str, Any]]] = []
    tasks = current.get("tasks")
    for task in tasks if isinstance(tasks, list) else []:
        if not isinstance(task, Mapping):
            continue
        name, result = task.get("name"), task.get("result")
        if isinstance(name, str) and isinstance(result, Mapping):
            results.append((name, copy.deepcopy(dict(result))))
    if not _results_describe([values for _, values in results], current, following):
        return _delta_update(results, current, following, compact)
    if fill_message_ids:
        _fill_ids([values for _, values in results], current, following)
    return [Update(as_node=name, values=_prepare(values, compact)) for name, values in results]


def _delta_update(
    results: list[tuple[str, dict[str, Any]]],
    current: Checkpoint,
    following: Checkpoint,
    compact: bool,
) -> list[Update]:
    """One update turning ``current``'s state into ``following``'s, as the node that was due
    (the fork was most likely applied as it). Non-message keys are sent whole."""
    delta = delta_update(dict(_values(current)), dict(_values(following)))
    if not delta.values:
        return []
    names = list(dict.fromkeys(name for name, _ in results))
    node = names[0] if len(names) == 1 else "__start__"
    return [Update(as_node=node, values=_prepare(copy.deepcopy(delta.values), compact))]


def _seed(checkpoint: Checkpoint, parent: Checkpoint | None, compact: bool) -> list[Superstep]:
    """Supersteps recreating ``checkpoint``'s state when the replay starts mid-thread: all its
    values written at once, as the node that produced it (so the graph routes on from there),
    or as ``__start__`` when that is unknown."""
    steps = [Superstep(updates=(Update(as_node="__input__", values={}),))]
    values = copy.deepcopy(dict(_values(checkpoint)))
    values = {key: value for key, value in values.items() if value is not None}
    if not values:
        return steps
    node = "__start__"
    if parent is not None and _source(checkpoint) != "input":
        names = [
            task.get("name")
            for task in parent.get("tasks") or []
            if isinstance(task, Mapping) and isinstance(task.get("result"), Mapping)
        ]
        if len(names) == 1 and isinstance(names[0], str):
            node = names[0]
    steps.append(Superstep(updates=(Update(as_node=node, values=_prepare(values, compact)),)))
    return steps


def script_from_history(
    checkpoints: Sequence[Checkpoint],
    graph_id: str,
    start: int | None = None,
    end: int | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    fill_message_ids: bool = True,
    compact: bool = False,
) -> Script:
    """A script replaying the thread whose history is ``checkpoints`` (newest first).

    ``start``/``end`` select checkpoints of the lineage (oldest first, Python slice semantics,
    negative indices allowed); the script reproduces the state of the last selected one.
    ``compact`` drops the default fields the server adds back to every message.
    """
    lineage = checkpoint_lineage(checkpoints)
    if not lineage:
        raise HistoryExportError("The thread has no checkpoints to export.")
    selected = range(len(lineage))[slice(start, end)]
    if len(selected) == 0 or selected.step != 1:
        raise HistoryExportError(
            f"No checkpoints selected (start={start}, end={end}, history of {len(lineage)})."
        )
    first, last = selected[0], selected[-1]
    head = lineage[first]
    if first == 0 and _is_fresh_start(head) and not _values(head).get("messages"):
        steps = [Superstep(updates=(Update(as_node="__input__", values={}),))]
    else:
        steps = _seed(head, lineage[first - 1] if first > 0 else None, compact)
    for index in range(first, last):
        current, following = lineage[index], lineage[index + 1]
        if _source(following) == "input":
            steps.append(Superstep(updates=(Update(as_node="__input__", values={}),)))
            continue
        updates = _task_updates(current, following, fill_message_ids, compact)
        if updates:
            steps.append(Superstep(updates=tuple(updates)))
    script_metadata = {**(metadata or {}), "graph_id": graph_id}
    return Script(metadata=script_metadata, supersteps=tuple(steps))
