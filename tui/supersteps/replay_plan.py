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
to replay exactly. Pure data: no Textual, no httpx.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tui.supersteps.diff import delta_update
from tui.supersteps.messages import compact_message, creatable_message, message_type
from tui.supersteps.model import Command, Superstep, Update
from tui.words import plural

__all__ = [
    "EMPTY_CHECKPOINT",
    "GraphShape",
    "StepOptions",
    "Transition",
    "checkpoint_differences",
    "plan_transition",
    "reducer_evidence",
]

Checkpoint = Mapping[str, Any]
EMPTY_CHECKPOINT: Checkpoint = {"values": {}, "next": [], "tasks": []}
OVERWRITE = "__overwrite__"
_MAX_CANDIDATES = 48


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


# -- reading checkpoints ------------------------------------------------------------------------


def _values(checkpoint: Checkpoint) -> Mapping[str, Any]:
    values = checkpoint.get("values")
    return values if isinstance(values, Mapping) else {}


def _messages(values: Mapping[str, Any]) -> list[Any]:
    messages = values.get("messages")
    return messages if isinstance(messages, list) else []


def _next(checkpoint: Checkpoint) -> set[str]:
    return {n for n in checkpoint.get("next") or [] if isinstance(n, str)}


def _results(checkpoint: Checkpoint) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for task in checkpoint.get("tasks") or []:
        if not isinstance(task, Mapping):
            continue
        name, result = task.get("name"), task.get("result")
        if isinstance(name, str) and isinstance(result, Mapping):
            out.append((name, copy.deepcopy(dict(result))))
    return out


def _as_list(messages: Any) -> list[Any]:
    if isinstance(messages, list):
        return messages
    return [messages] if messages is not None else []


def _fill_ids(lists: list[list[Any]], before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """Give the id-less messages of the recorded writes the ids the server assigned them.

    A superstep's updates append their messages in turn, so each recorded write's messages are
    a run of the new messages of ``after``, the runs in some order, unrecorded writes between
    them. The first placement whose types and contents match decides which new message is
    whose: any matching one gives the same messages in the same places, so the same replay."""
    known = {m.get("id") for m in _messages(before) if isinstance(m, Mapping)}
    named = {m.get("id") for lst in lists for m in lst
             if isinstance(m, Mapping) and isinstance(m.get("id"), str)}
    fresh = [m for m in _messages(after) if isinstance(m, Mapping)
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


def _prepare(values: Mapping[str, Any], compact: bool) -> dict[str, Any]:
    """Messages as the create endpoint takes them back (without defaults if ``compact``)."""
    out = dict(values)
    messages = out.get("messages")
    if isinstance(messages, list | dict):
        prepared = [creatable_message(m) for m in _as_list(messages)]
        out["messages"] = [compact_message(m) for m in prepared] if compact else prepared
    return out


# -- what the recorded results explain ----------------------------------------------------------


def _results_consistent(
    results: list[tuple[str, dict[str, Any]]],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> bool:
    """Every message the results write is in the next state (by id, or as a new message of the
    same type and content). After a fork (``update_state`` on an old checkpoint) the parent's
    results show the other branch."""
    known = {m.get("id") for m in _messages(before) if isinstance(m, Mapping)}
    later = [m for m in _messages(after) if isinstance(m, Mapping)]
    by_id = {m.get("id"): m for m in later if isinstance(m.get("id"), str)}
    new = [(message_type(m), m.get("content") or "") for m in later if m.get("id") not in known]
    for _, values in results:
        for message in _as_list(values.get("messages")):
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


def _residual(
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
    written = [m for _, values in results for m in _as_list(values.get("messages"))
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


def _with_goto(update: Update, targets: Sequence[str]) -> Update:
    goto = targets[0] if len(targets) == 1 else tuple(targets)
    values = update.values if update.values else None
    return Update(as_node=update.as_node, command=Command(update=values, goto=goto))


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
    checkpoint_id = _own_id(following)
    source = _source(following)
    before, after = _values(current), _values(following)
    if source == "input":
        plain = Superstep(updates=(Update(as_node="__input__", values={}),))
        starts = [values for name, values in _results(following) if name == "__start__"]
        alt = [Superstep(updates=(Update(as_node="__input__", values=_prepare(v, compact)),))
               for v in starts if v]
        return Transition(checkpoint_id, (plain, *alt), certain=True)

    results = _results(current)
    if fill_message_ids:
        _fill_ids([_as_list(values.get("messages")) for _, values in results], before, after)
    usable = bool(results) and _results_consistent(results, before, after)
    recorded = tuple(Update(as_node=name, values=_prepare(v, compact)) for name, v in results)
    expected = _next(following)
    ran = {name for name, _ in results} if usable else set()
    pending = _next(current) - ran
    writers = _ranked_writers(shape, pending, expected, _next(current),
                              fork=bool(results) and not usable)
    if usable:  # a recorded node's writes are all recorded: the rest came from another node
        writers = [w for w in writers if w not in ran]
    after_recorded: dict[str, Any] = {}
    rest = _residual(results if usable else [], before, after, after_recorded)
    choices = list(_value_choices(rest, {**before, **after_recorded}, evidence or {}))
    if usable and rest and _replaced_explains(rest, results):
        choices.insert(0, {})
    options = StepOptions(
        message_order=tuple(str(m["id"]) for m in _messages(after)
                            if isinstance(m, Mapping) and isinstance(m.get("id"), str)),
        recorded=recorded if usable else (),
        choices=tuple(_prepare(c, compact) for c in choices[:_MAX_CANDIDATES]) if rest else (),
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


@dataclass(frozen=True)
class StepOptions:
    """The dimensions a transition's candidates vary in: which way to write the unexplained
    values (``choices``), as which node (``writers``), and with or without a ``goto`` to
    ``targets``. The recorded writes, when usable, are always part of the superstep."""

    recorded: tuple[Update, ...]
    choices: tuple[dict[str, Any], ...]
    writers: tuple[str, ...]
    targets: tuple[str, ...]
    goto_first: bool = False
    """The graph's edges cannot lead where the thread went: try the goto variants first."""
    message_order: tuple[str, ...] = ()
    """The message ids of the new state, in order: the server applies a superstep's updates in
    the order they are listed, so the updates that write messages are put in that order."""

    @property
    def value_count(self) -> int:
        return max(len(self.choices), 1)

    @property
    def node_count(self) -> int:
        """Ways to route: each writer (or, with nothing unexplained, the recorded writes
        alone), each with and without a goto."""
        routes = len(self.writers) if self.choices or not self.recorded else 1
        return max(routes, 1) * (2 if self.targets else 1)

    def build(self, value: int, node: int) -> Superstep:
        goto = bool(self.targets) and (node % 2 == 1) != self.goto_first
        route = node // 2 if self.targets else node
        updates = list(self.recorded)
        values = self.choices[value] if self.choices else {}
        if values or not self.recorded:
            writer = self.writers[route] if self.writers else "__start__"
            updates.extend(Update(as_node=writer, values=part)
                           for part in self._segments(values))
        if goto:
            updates[-1] = _with_goto(updates[-1], self.targets)
        return Superstep(updates=tuple(_in_message_order(updates, self.message_order)))

    def _segments(self, values: dict[str, Any]) -> list[dict[str, Any]]:
        """The unexplained values as one update, or as several when recorded messages landed
        between their messages (other writers in the same step): one update per run."""
        messages = values.get("messages")
        if not self.recorded or not isinstance(messages, list) or len(messages) < 2:
            return [values]
        place = {mid: i for i, mid in enumerate(self.message_order)}
        taken = {place[m["id"]] for u in self.recorded for m in _as_list(
            u.values.get("messages") if isinstance(u.values, Mapping) else None)
            if isinstance(m, Mapping) and m.get("id") in place}
        runs: list[list[Any]] = [[]]
        last: int | None = None
        for message in messages:
            at = place.get(str(message.get("id"))) if isinstance(message, Mapping) else None
            if runs[-1] and at is not None and last is not None and any(
                    q in taken for q in range(last + 1, at)):
                runs.append([])
            runs[-1].append(message)
            last = at if at is not None else last
        if len(runs) == 1:
            return [values]
        first = {**values, "messages": runs[0]}
        return [first, *({"messages": run} for run in runs[1:])]

    def flat(self) -> tuple[Superstep, ...]:
        """Every candidate, most likely first: the best values as every route, then the other
        value choices as the best route, then the rest."""
        order = [(0, n) for n in range(self.node_count)]
        order += [(v, 0) for v in range(1, self.value_count)]
        order += [(v, n) for v in range(1, self.value_count) for n in range(1, self.node_count)]
        out: list[Superstep] = []
        for value, node in order:
            step = self.build(value, node)
            if step not in out:
                out.append(step)
            if len(out) >= _MAX_CANDIDATES:
                break
        return tuple(out)


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


def _in_message_order(updates: list[Update], order: Sequence[str]) -> list[Update]:
    """The updates that write messages, sorted by where their first message is in ``order``
    (the others keep their places)."""
    place: dict[Any, int] = {mid: i for i, mid in enumerate(order)}

    def first(update: Update) -> int | None:
        values = update.values if update.values is not None else (
            update.command.update if update.command is not None else None)
        if not isinstance(values, Mapping):
            return None
        spots = [place[m["id"]] for m in _as_list(values.get("messages"))
                 if isinstance(m, Mapping) and m.get("id") in place]
        return min(spots, default=None)

    slots = [i for i, u in enumerate(updates) if first(u) is not None]
    ordered = sorted((updates[i] for i in slots), key=lambda u: first(u) or 0)
    out = list(updates)
    for slot, update in zip(slots, ordered, strict=True):
        out[slot] = update
    return out


def _uncertain_note(had_results: bool, usable: bool, rest: Mapping[str, Any]) -> str:
    keys = ", ".join(sorted(rest)) or "nothing"
    if had_results and not usable:
        return ("the recorded writes belong to another branch (a fork): rebuilt from the "
                f"change of state ({keys})")
    if rest:
        return (f"an update whose writes the server does not record changed {keys}: rebuilt "
                "from the change of state, as a node chosen by the graph's edges")
    return "a step with no recorded writes (an update that changed nothing, or a goto)"


def _own_id(checkpoint: Checkpoint) -> str | None:
    value = checkpoint.get("checkpoint_id")
    if value is None and isinstance(checkpoint.get("checkpoint"), Mapping):
        value = checkpoint["checkpoint"].get("checkpoint_id")
    return value if isinstance(value, str) else None


def _source(checkpoint: Checkpoint) -> str | None:
    metadata = checkpoint.get("metadata")
    if isinstance(metadata, Mapping):
        source = metadata.get("source")
        return source if isinstance(source, str) else None
    return None


def reducer_evidence(pairs: Iterable[tuple[Checkpoint, Checkpoint]]) -> dict[str, int]:
    """Per key, what recorded writes show about its reducer: 0 the write replaces the value,
    1 it is added (``operator.add``). Keys without evidence are left out."""
    found: dict[str, int] = {}
    for current, following in pairs:
        before, after = _values(current), _values(following)
        for _, values in _results(current):
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


# -- comparing a replay with the original -------------------------------------------------------


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
    a, b = _values(original), _values(replayed)
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
    if sorted(_next(original)) != sorted(_next(replayed)):
        out.append(f"next: {sorted(_next(original))}, the replay has {sorted(_next(replayed))}")
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
