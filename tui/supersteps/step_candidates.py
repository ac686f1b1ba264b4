"""What could have made each step of a thread's history: candidate supersteps, best guess first.

The server's history does not record everything a superstep wrote. A node that ran (in a run,
or an update made as a node that was due) leaves its writes as its task's ``result`` in the
checkpoint before; an update made as a node that was *not* due leaves no trace but the change
of state, and a ``Command(goto=...)`` leaves only the new ``next``. So each transition between
two checkpoints gets a list of candidate supersteps:

1. the recorded task results (exact when they explain every change of state);
2. the recorded results plus the unexplained rest of the change, written as each node of the
   graph in turn (the node decides ``next``: nodes whose edges lead where the thread went come
   first), with non-message keys written as the plain new value, as the added part (a reducer
   such as ``operator.add``) or as ``{"__overwrite__": value}`` (any reducer);
3. the same with a ``goto`` to the nodes the thread went to.

Messages are always sent by id (``add_messages`` semantics): new and changed ones, and a
``remove`` for each one that went away. Which candidate is right is decided by replaying it
(``tui.services.export``); without that check only transitions marked ``certain`` are known
to replay exactly. The recorded writes are read in :mod:`tui.supersteps.recorded_writes`, the
dimensions the candidates vary in are :class:`~tui.supersteps.step_options.StepOptions`, and a
replay is compared with the original in :mod:`tui.supersteps.replay_compare`. Pure data: no
Textual, no httpx.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tui.supersteps.messages import compact_message, creatable_message
from tui.supersteps.model import Superstep, Update
from tui.supersteps.recorded_writes import (
    Checkpoint,
    as_list,
    checkpoint_id_of,
    fill_ids,
    messages_of,
    next_of,
    residual,
    results_consistent,
    task_results,
    values_of,
)
from tui.supersteps.step_options import MAX_CANDIDATES, StepOptions

__all__ = [
    "GraphShape",
    "Transition",
    "plan_transition",
]

OVERWRITE = "__overwrite__"


@dataclass(frozen=True)
class GraphShape:
    """A graph's nodes and where their edges lead (from ``/assistants/{id}/graph``)."""

    nodes: tuple[str, ...] = ()
    static: Mapping[str, frozenset[str]] = field(default_factory=dict)
    conditional: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_edges(
        cls, nodes: Iterable[str], edges: Iterable[tuple[str, str, bool]]
    ) -> GraphShape:
        static: dict[str, set[str]] = {}
        conditional: dict[str, set[str]] = {}
        for source, target, is_conditional in edges:
            (conditional if is_conditional else static).setdefault(source, set()).add(target)
        names = tuple(n for n in nodes if n not in ("__start__", "__end__"))
        return cls(
            nodes=names,
            static={k: frozenset(v) for k, v in static.items()},
            conditional={k: frozenset(v) for k, v in conditional.items()},
        )

    def writers(self) -> tuple[str, ...]:
        """Every name an update can be made as: the graph's nodes, then ``__start__``."""
        return (*self.nodes, "__start__")


@dataclass(frozen=True)
class Transition:
    """How to recreate one checkpoint from the one before it."""

    checkpoint_id: str | None
    candidates: tuple[Superstep, ...]
    certain: bool
    """The first candidate replays exactly by construction (recorded writes explain all)."""
    note: str = ""
    """Why it is not certain, in words (empty when certain)."""
    options: StepOptions | None = None
    """How the candidates vary, for a search that fixes the values first, then the route."""


def _prepare(values: Mapping[str, Any], compact: bool) -> dict[str, Any]:
    """Messages as the create endpoint takes them back (without defaults if ``compact``)."""
    out = dict(values)
    messages = out.get("messages")
    if isinstance(messages, list | dict):
        prepared = [creatable_message(m) for m in as_list(messages)]
        out["messages"] = [compact_message(m) for m in prepared] if compact else prepared
    return out


# -- candidates ---------------------------------------------------------------------------------


def _value_variants(key: str, before: Any, after: Any) -> list[Any]:
    """Ways to write ``after`` over ``before`` for a non-message key, most likely first."""
    if key == "messages" or before is None or before == after:
        return [after]
    if before in ([], 0, "", {}) and not isinstance(before, bool):
        return [after, {OVERWRITE: after}]
    variants: list[Any] = [after]
    if isinstance(before, list) and isinstance(after, list) and after[: len(before)] == before:
        variants.append(after[len(before):])
    elif (isinstance(before, int | float) and isinstance(after, int | float)
          and not isinstance(before, bool) and not isinstance(after, bool)):
        variants.append(after - before)
    variants.append({OVERWRITE: after})
    return variants


def _value_choices(
    rest: Mapping[str, Any], before: Mapping[str, Any], evidence: Mapping[str, int]
) -> Iterator[dict[str, Any]]:
    keys = list(rest)
    options = []
    for key in keys:
        variants = _value_variants(key, before.get(key), rest[key])
        if evidence.get(key) == 1 and len(variants) == 3:
            variants.insert(0, variants.pop(1))
        options.append(variants)
    for combo in itertools.product(*options):
        yield dict(zip(keys, combo, strict=True))


def _ranked_writers(
    shape: GraphShape, pending: set[str], expected: set[str], due: set[str], *, fork: bool
) -> list[str]:
    """Nodes an unrecorded update may have been made as; those whose edges lead exactly where
    the thread went first. An update as a due node is recorded, so an unrecorded one was most
    likely made as a node that was not due, except after a fork (the recorded writes are the
    other branch's, and a fork is usually written as the node that was due)."""
    names = list(dict.fromkeys([*shape.writers(), *sorted(due)]))

    def rank(node: str) -> tuple[int, bool]:
        static = shape.static.get(node, frozenset()) - {"__end__"}
        reach = static | shape.conditional.get(node, frozenset())
        later = (node in due) != fork
        if static <= expected and expected <= pending | reach:
            return (0, later)
        if static <= expected:
            return (1, later)
        return (2, later)

    return sorted(names, key=rank)


def plan_transition(
    current: Checkpoint,
    following: Checkpoint,
    shape: GraphShape,
    *,
    compact: bool = False,
    fill_message_ids: bool = True,
    evidence: Mapping[str, int] | None = None,
) -> Transition:
    """The candidate supersteps that turn ``current`` into ``following``, best guess first.

    ``evidence`` says, per key, which value variant earlier steps showed (index into the
    variants: 0 plain value, 1 added part, 2 overwrite)."""
    checkpoint_id = checkpoint_id_of(following)
    source = _source(following)
    before, after = values_of(current), values_of(following)
    if source == "input":
        plain = Superstep(updates=(Update(as_node="__input__", values={}),))
        starts = [values for name, values in task_results(following) if name == "__start__"]
        alt = [Superstep(updates=(Update(as_node="__input__", values=_prepare(v, compact)),))
               for v in starts if v]
        return Transition(checkpoint_id, (plain, *alt), certain=True)

    results = task_results(current)
    if fill_message_ids:
        fill_ids([as_list(values.get("messages")) for _, values in results], before, after)
    usable = bool(results) and results_consistent(results, before, after)
    recorded = tuple(Update(as_node=name, values=_prepare(v, compact)) for name, v in results)
    expected = next_of(following)
    ran = {name for name, _ in results} if usable else set()
    pending = next_of(current) - ran
    writers = _ranked_writers(shape, pending, expected, next_of(current),
                              fork=bool(results) and not usable)
    if usable:  # a recorded node's writes are all recorded: the rest came from another node
        writers = [w for w in writers if w not in ran]
    after_recorded: dict[str, Any] = {}
    rest = residual(results if usable else [], before, after, after_recorded)
    choices = list(_value_choices(rest, {**before, **after_recorded}, evidence or {}))
    if usable and rest and _replaced_explains(rest, results):
        choices.insert(0, {})
    options = StepOptions(
        message_order=tuple(str(m["id"]) for m in messages_of(after)
                            if isinstance(m, Mapping) and isinstance(m.get("id"), str)),
        recorded=recorded if usable else (),
        choices=tuple(_prepare(c, compact) for c in choices[:MAX_CANDIDATES]) if rest else (),
        writers=tuple(writers),
            targets=tuple(sorted(expected - pending) or sorted(expected)),
        goto_first=_needs_goto(shape, expected, pending, ran, writers),
    )
    routed = not _needs_goto(shape, expected, pending, ran, [])
    certain = usable and not rest and routed
    note = "" if certain else _uncertain_note(bool(results), usable, rest)
    if usable and not rest and not routed:
        note = (f"the graph's edges do not lead from {', '.join(sorted(ran))} to "
                f"{', '.join(sorted(expected))}: a goto the history does not record")
    return Transition(checkpoint_id, options.flat(), certain=certain, note=note,
                      options=options)


def _needs_goto(shape: GraphShape, expected: set[str], pending: set[str], ran: set[str],
                writers: Sequence[str]) -> bool:
    """No edge of the step's writers (nor a task still due) leads to some node the thread went
    to: only a goto can have sent it there. Unknown without the graph's edges."""
    if not shape.static and not shape.conditional:
        return False
    reach = set(pending)
    for node in [*ran, *writers[:1]]:
        reach |= shape.static.get(node, frozenset()) | shape.conditional.get(node, frozenset())
    return not expected <= reach


def _replaced_explains(rest: Mapping[str, Any], results: list[tuple[str, dict[str, Any]]]) -> bool:
    """Every unexplained key equals its last recorded write (a key that replaces its value)."""
    last: dict[str, Any] = {}
    for _, values in results:
        last.update(values)
    return all(key in last and last[key] == value for key, value in rest.items())


def _uncertain_note(had_results: bool, usable: bool, rest: Mapping[str, Any]) -> str:
    keys = ", ".join(sorted(rest)) or "nothing"
    if had_results and not usable:
        return ("the recorded writes belong to another branch (a fork): rebuilt from the "
                f"change of state ({keys})")
    if rest:
        return (f"an update whose writes the server does not record changed {keys}: rebuilt "
                "from the change of state, as a node chosen by the graph's edges")
    return "a step with no recorded writes (an update that changed nothing, or a goto)"


def _source(checkpoint: Checkpoint) -> str | None:
    metadata = checkpoint.get("metadata")
    if isinstance(metadata, Mapping):
        source = metadata.get("source")
        return source if isinstance(source, str) else None
    return None
