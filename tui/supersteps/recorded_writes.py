"""What a checkpoint history records of each step, and how much of the change it explains.

A node that ran leaves its writes as its task's ``result`` in the checkpoint before; these
functions read them (:func:`task_results`), give their id-less messages the ids the server
assigned (:func:`fill_ids`), check they belong to this branch (:func:`results_consistent`),
find the part of the change no recorded write accounts for (:func:`residual`), and what they
show about each key's reducer (:func:`reducer_evidence`). Pure data: no Textual, no httpx.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from tui.supersteps.diff import delta_update
from tui.supersteps.messages import message_type

__all__ = [
    "EMPTY_CHECKPOINT",
    "Checkpoint",
    "as_list",
    "fill_ids",
    "messages_of",
    "next_of",
    "reducer_evidence",
    "residual",
    "results_consistent",
    "task_results",
    "values_of",
]

Checkpoint = Mapping[str, Any]
EMPTY_CHECKPOINT: Checkpoint = {"values": {}, "next": [], "tasks": []}


# -- reading checkpoints ------------------------------------------------------------------------


def checkpoint_id_of(checkpoint: Checkpoint) -> str | None:
    """The checkpoint's own id (at the top, or under ``checkpoint``, as the history has it)."""
    value = checkpoint.get("checkpoint_id")
    if value is None and isinstance(checkpoint.get("checkpoint"), Mapping):
        value = checkpoint["checkpoint"].get("checkpoint_id")
    return value if isinstance(value, str) else None


def values_of(checkpoint: Checkpoint) -> Mapping[str, Any]:
    values = checkpoint.get("values")
    return values if isinstance(values, Mapping) else {}


def messages_of(values: Mapping[str, Any]) -> list[Any]:
    messages = values.get("messages")
    return messages if isinstance(messages, list) else []


def next_of(checkpoint: Checkpoint) -> set[str]:
    return {n for n in checkpoint.get("next") or [] if isinstance(n, str)}


def task_results(checkpoint: Checkpoint) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for task in checkpoint.get("tasks") or []:
        if not isinstance(task, Mapping):
            continue
        name, result = task.get("name"), task.get("result")
        if isinstance(name, str) and isinstance(result, Mapping):
            out.append((name, copy.deepcopy(dict(result))))
    return out


def as_list(messages: Any) -> list[Any]:
    if isinstance(messages, list):
        return messages
    return [messages] if messages is not None else []


def fill_ids(lists: list[list[Any]], before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """Give the id-less messages of the recorded writes the ids the server assigned them.

    A superstep's updates append their messages in turn, so each recorded write's messages are
    a run of the new messages of ``after``, the runs in some order, unrecorded writes between
    them. The first placement whose types and contents match decides which new message is
    whose: any matching one gives the same messages in the same places, so the same replay."""
    known = {m.get("id") for m in messages_of(before) if isinstance(m, Mapping)}
    named = {m.get("id") for lst in lists for m in lst
             if isinstance(m, Mapping) and isinstance(m.get("id"), str)}
    fresh = [m for m in messages_of(after) if isinstance(m, Mapping)
             and isinstance(m.get("id"), str) and m.get("id") not in known | named]
    blocks = [lst for lst in lists
              if lst and all(isinstance(m, dict) and m.get("id") is None for m in lst)]
    if not blocks or sum(len(block) for block in blocks) > len(fresh):
        return
    key = [(message_type(m), m.get("content", "")) for m in fresh]
    wants = [[(message_type(m), m.get("content", "")) for m in block] for block in blocks]
    for order in itertools.islice(itertools.permutations(range(len(blocks))), 720):
        start, plan = 0, []
        for index in order:
            want = wants[index]
            found = next((at for at in range(start, len(key) - len(want) + 1)
                          if key[at:at + len(want)] == want), None)
            if found is None:
                break
            plan.append((blocks[index], found))
            start = found + len(want)
        else:
            for block, at in plan:
                for offset, message in enumerate(block):
                    message["id"] = fresh[at + offset]["id"]
            return


# -- what the recorded results explain ----------------------------------------------------------


def results_consistent(
    results: list[tuple[str, dict[str, Any]]],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> bool:
    """Every message the results write is in the next state (by id, or as a new message of the
    same type and content). After a fork (``update_state`` on an old checkpoint) the parent's
    results show the other branch."""
    known = {m.get("id") for m in messages_of(before) if isinstance(m, Mapping)}
    later = [m for m in messages_of(after) if isinstance(m, Mapping)]
    by_id = {m.get("id"): m for m in later if isinstance(m.get("id"), str)}
    new = [(message_type(m), m.get("content") or "") for m in later if m.get("id") not in known]
    for _, values in results:
        for message in as_list(values.get("messages")):
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


def residual(
    results: list[tuple[str, dict[str, Any]]],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    bases: dict[str, Any],
) -> dict[str, Any]:
    """The part of the change between ``before`` and ``after`` no result accounts for: keys no
    result writes, messages (by id) no result writes, and keys whose new value neither the
    written value nor the old value plus it explains (another writer in the same step; its
    value after the recorded writes goes into ``bases``)."""
    written_keys = {key for _, values in results for key in values}
    written = [m for _, values in results for m in as_list(values.get("messages"))
               if isinstance(m, Mapping)]
    written_ids = {m.get("id") for m in written if isinstance(m.get("id"), str)}
    unnamed = [(message_type(m), m.get("content") or "") for m in written
               if not isinstance(m.get("id"), str)]

    def explained(message: Any) -> bool:
        if not isinstance(message, Mapping) or message.get("type") == "remove":
            return False
        if message.get("id") in written_ids:
            return True
        key = (message_type(message), message.get("content") or "")
        if key in unnamed:
            unnamed.remove(key)
            return True
        return False

    delta = delta_update(dict(before), dict(after)).values
    rest: dict[str, Any] = {}
    for key, value in delta.items():
        if key == "messages" and isinstance(value, list):
            left = [m for m in value if not explained(m)]
            if left:
                rest[key] = left
        elif key not in written_keys:
            rest[key] = value
    for key in written_keys - {"messages"}:
        if key not in after:
            continue
        values = [v[key] for _, v in results if key in v]
        old = before.get(key)
        summed = old
        for value in values:
            summed = _added(summed, value) if summed is not None else value
        if after[key] == summed or (summed is None and after[key] == values[-1]):
            continue  # explained by adding (or, for a value that cannot add, by replacing)
        # Either the key replaces (the last write explains it) or another writer added more:
        # the replay decides; an empty choice (nothing more) stays first when it can explain.
        rest[key] = after[key]
        if summed is not None:
            bases[key] = summed
    return rest


def reducer_evidence(pairs: Iterable[tuple[Checkpoint, Checkpoint]]) -> dict[str, int]:
    """Per key, what recorded writes show about its reducer: 0 the write replaces the value,
    1 it is added (``operator.add``). Keys without evidence are left out."""
    found: dict[str, int] = {}
    for current, following in pairs:
        before, after = values_of(current), values_of(following)
        for _, values in task_results(current):
            for key, written in values.items():
                if key == "messages" or key in found or key not in after:
                    continue
                old = before.get(key)
                if after[key] == written and old not in (None, written):
                    found[key] = 0
                elif old is not None and _added(old, written) == after[key] != written:
                    found[key] = 1
    return found


def _added(old: Any, written: Any) -> Any:
    """``old + written`` for what ``operator.add`` reducers take (numbers, lists), else None."""
    if isinstance(old, list) and isinstance(written, list):
        return old + written
    numbers = (int, float)
    if (isinstance(old, numbers) and isinstance(written, numbers)
            and not isinstance(old, bool) and not isinstance(written, bool)):
        return old + written
    return None
