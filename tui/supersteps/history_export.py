"""Turn a thread's checkpoint history into a script that replays it on another deployment.

Input is what ``POST /threads/{id}/history`` returns (newest first, every page). The lineage of
the newest checkpoint (oldest first) is walked transition by transition; each transition
becomes exactly one superstep, so the replay has as many checkpoints as the original.
:mod:`tui.supersteps.step_candidates` lists the candidate supersteps for each transition, best
guess first, and says which are certain (the server recorded every write); this module picks
the best guesses (:func:`script_from_history`) or hands the whole plan (:func:`plan_export`) to
``tui.services.export``, which replays candidates to find the exact script or says what would
be lost.

A replay starting mid-thread (``start`` > 0) writes the first selected checkpoint's values in
one update, as the node that produced it (``__start__`` when unknown); only the selected
range's newest state is then guaranteed, not the older checkpoints.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tui.supersteps.model import Script, Superstep, Update
from tui.supersteps.recorded_writes import EMPTY_CHECKPOINT, checkpoint_id_of, reducer_evidence
from tui.supersteps.step_candidates import GraphShape, Transition, plan_transition

__all__ = [
    "ExportPlan",
    "HistoryExportError",
    "checkpoint_lineage",
    "plan_export",
    "script_from_history",
]

Checkpoint = Mapping[str, Any]


class HistoryExportError(ValueError):
    """The history cannot be exported (empty, or a selection outside it)."""


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
    ids = [checkpoint_id_of(c) for c in checkpoints]
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
        own = checkpoint_id_of(current)
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


@dataclass(frozen=True)
class ExportPlan:
    """A script to be: fixed opening supersteps, then one :class:`Transition` per checkpoint."""

    graph_id: str
    metadata: Mapping[str, Any]
    checkpoints: tuple[Checkpoint, ...]
    """The selected lineage, oldest first; ``transitions[i]`` makes ``checkpoints[i + skip]``."""
    opening: tuple[Superstep, ...]
    """Supersteps before the first transition (a mid-thread start's seed)."""
    transitions: tuple[Transition, ...]
    whole: bool
    """The plan recreates every selected checkpoint (not only the newest)."""

    def script(self, steps: Sequence[Superstep] | None = None) -> Script:
        """The script with ``steps`` (one per transition; the best guesses when None)."""
        chosen = steps if steps is not None else [t.candidates[0] for t in self.transitions]
        return Script(metadata={**self.metadata, "graph_id": self.graph_id},
                      supersteps=(*self.opening, *chosen))

    @property
    def uncertain(self) -> list[tuple[int, Transition]]:
        return [(i, t) for i, t in enumerate(self.transitions) if not t.certain]


def _is_fresh_start(checkpoint: Checkpoint) -> bool:
    return _source(checkpoint) == "input" and _parent_id(checkpoint) is None


def _seed(checkpoint: Checkpoint, parent: Checkpoint | None) -> list[Superstep]:
    """Supersteps recreating ``checkpoint``'s state when the replay starts mid-thread: all its
    values written at once, as the node that produced it (so the graph routes on from there),
    or as ``__start__`` when that is unknown."""
    steps = [Superstep(updates=(Update(as_node="__input__", values={}),))]
    values = {k: v for k, v in copy.deepcopy(dict(_values(checkpoint))).items() if v is not None}
    if not values:
        return steps
    node = "__start__"
    if parent is not None and _source(checkpoint) != "input":
        names = [task.get("name") for task in parent.get("tasks") or []
                 if isinstance(task, Mapping) and isinstance(task.get("result"), Mapping)]
        if len(names) == 1 and isinstance(names[0], str):
            node = names[0]
    steps.append(Superstep(updates=(Update(as_node=node, values=values),)))
    return steps


def plan_export(
    checkpoints: Sequence[Checkpoint],
    graph_id: str,
    start: int | None = None,
    end: int | None = None,
    *,
    shape: GraphShape | None = None,
    metadata: Mapping[str, Any] | None = None,
    fill_message_ids: bool = True,
    compact: bool = False,
) -> ExportPlan:
    """Every candidate for every step of the thread whose history is ``checkpoints``.

    ``start``/``end`` select checkpoints of the lineage (oldest first, Python slice semantics);
    the plan recreates the state of the last selected one. ``shape`` (the graph's nodes and
    edges) ranks the nodes an unrecorded update may have been made as.
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
    graph = shape or GraphShape()
    evidence = reducer_evidence(itertools.pairwise(lineage))
    opening: list[Superstep] = []
    if first == 0:
        previous: Checkpoint = EMPTY_CHECKPOINT
        chain = lineage[: last + 1]
        whole = True
    else:
        opening = _seed(lineage[first], lineage[first - 1])
        previous = lineage[first]
        chain = lineage[first + 1: last + 1]
        whole = False
    transitions = []
    for checkpoint in chain:
        if previous is EMPTY_CHECKPOINT and _is_fresh_start(checkpoint):
            step = Superstep(updates=(Update(as_node="__input__", values={}),))
            transitions.append(Transition(checkpoint_id_of(checkpoint), (step,), certain=True))
        else:
            transitions.append(plan_transition(
                previous, checkpoint, graph, compact=compact,
                fill_message_ids=fill_message_ids, evidence=evidence,
            ))
        previous = checkpoint
    return ExportPlan(
        graph_id=graph_id,
        metadata=dict(metadata or {}),
        checkpoints=tuple(chain if whole else lineage[first: last + 1]),
        opening=tuple(opening),
        transitions=tuple(transitions),
        whole=whole,
    )


def script_from_history(
    checkpoints: Sequence[Checkpoint],
    graph_id: str,
    start: int | None = None,
    end: int | None = None,
    *,
    shape: GraphShape | None = None,
    metadata: Mapping[str, Any] | None = None,
    fill_message_ids: bool = True,
    compact: bool = False,
) -> Script:
    """The best-guess script replaying the thread whose history is ``checkpoints`` (newest
    first): every step's most likely candidate, unchecked. See :func:`plan_export`."""
    return plan_export(
        checkpoints, graph_id, start, end, shape=shape, metadata=metadata,
        fill_message_ids=fill_message_ids, compact=compact,
    ).script()
