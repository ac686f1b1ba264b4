"""How a step's candidate supersteps vary, and the order in which they are tried.

A transition whose writes the history does not fully record has candidates that vary in two
dimensions: the way of writing the unexplained values, and the route (as which node, with or
without a ``goto``). :class:`StepOptions` builds any pairing of the two, so a search can fix the
values first and the route after (tries add up instead of multiplying), and lists them all,
most likely first (:meth:`StepOptions.flat`). Pure data: no Textual, no httpx.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tui.supersteps.model import Command, Superstep, Update
from tui.supersteps.recorded_writes import as_list

__all__ = ["MAX_CANDIDATES", "StepOptions"]

MAX_CANDIDATES = 48
"""Candidates one transition lists at the most."""


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
        taken = {place[m["id"]] for u in self.recorded for m in as_list(
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
            if len(out) >= MAX_CANDIDATES:
                break
        return tuple(out)


def _with_goto(update: Update, targets: Sequence[str]) -> Update:
    goto = targets[0] if len(targets) == 1 else tuple(targets)
    values = update.values if update.values else None
    return Update(as_node=update.as_node, command=Command(update=values, goto=goto))


def _in_message_order(updates: list[Update], order: Sequence[str]) -> list[Update]:
    """The updates that write messages, sorted by where their first message is in ``order``
    (the others keep their places)."""
    place: dict[Any, int] = {mid: i for i, mid in enumerate(order)}

    def first(update: Update) -> int | None:
        values = update.values if update.values is not None else (
            update.command.update if update.command is not None else None)
        if not isinstance(values, Mapping):
            return None
        spots = [place[m["id"]] for m in as_list(values.get("messages"))
                 if isinstance(m, Mapping) and m.get("id") in place]
        return min(spots, default=None)

    slots = [i for i, u in enumerate(updates) if first(u) is not None]
    ordered = sorted((updates[i] for i in slots), key=lambda u: first(u) or 0)
    out = list(updates)
    for slot, update in zip(slots, ordered, strict=True):
        out[slot] = update
    return out
