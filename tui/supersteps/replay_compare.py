"""Comparing a replay with the thread it recreates: what differs, checkpoint by checkpoint.

The values and ``next`` of each checkpoint; for the newest one also the tasks and their
interrupts. The differences are said in words, for the user and for the search that picks
another candidate (``tui.services.export``). Pure data: no Textual, no httpx.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.supersteps.recorded_writes import Checkpoint, next_of, values_of
from tui.words import plural

__all__ = ["checkpoint_differences"]


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return plural(len(value), 'item')
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _tasks(checkpoint: Checkpoint) -> list[tuple[str, list[Any]]]:
    out = []
    for task in checkpoint.get("tasks") or []:
        if isinstance(task, Mapping):
            interrupts = [i.get("value") if isinstance(i, Mapping) else i
                          for i in task.get("interrupts") or []]
            out.append((str(task.get("name")), interrupts))
    return sorted(out, key=lambda t: t[0])


def checkpoint_differences(
    original: Checkpoint, replayed: Checkpoint, *, final: bool = False
) -> list[str]:
    """What differs between a checkpoint and its replay, in words (empty: equal). The values
    and ``next`` always; for the ``final`` one also the tasks and their interrupts."""
    out: list[str] = []
    a, b = values_of(original), values_of(replayed)
    for key in sorted(set(a) | set(b), key=str):
        if key not in b:
            out.append(f"values.{key} is missing")
        elif key not in a:
            out.append(f"values.{key} appears ({_describe(b[key])})")
        elif a[key] != b[key]:
            if isinstance(a[key], list) and isinstance(b[key], list) and len(a[key]) != len(b[key]):
                out.append(f"values.{key}: {plural(len(a[key]), 'item')}, the replay has "
                           f"{len(b[key])}")
            else:
                out.append(f"values.{key}: {_describe(a[key])}, the replay has {_describe(b[key])}")
    if sorted(next_of(original)) != sorted(next_of(replayed)):
        out.append(f"next: {sorted(next_of(original))}, the replay has {sorted(next_of(replayed))}")
    if final:
        tasks_a, tasks_b = _tasks(original), _tasks(replayed)
        if tasks_a != tasks_b:
            waiting = [name for name, interrupts in tasks_a if interrupts]
            if waiting and [n for n, _ in tasks_a] == [n for n, _ in tasks_b]:
                out.append(f"task {', '.join(waiting)} waits at an interrupt(), which a "
                           "superstep script cannot recreate")
            else:
                out.append(f"tasks: {tasks_a}, the replay has {tasks_b}")
    return out
