"""Trial replays: create a candidate script on a deployment, compare its history with the
original, and search each step's candidates until the replay is exact or the step is a loss.

The comparison is checkpoint by checkpoint (:mod:`tui.supersteps.replay_compare`); at the first
difference the step's other candidates are tried, the way of writing its values first and its
route after (:class:`~tui.supersteps.step_options.StepOptions`), within a budget of trial
threads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tui.services.export_outcome import Loss
from tui.services.history import lineage_json
from tui.supersteps.history_export import ExportPlan
from tui.supersteps.model import Superstep
from tui.supersteps.replay_compare import checkpoint_differences
from tui.words import plural

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient

__all__ = ["CannotCheck", "Refused", "TrialBuilder", "verified_choice"]

_TRIES_PER_STEP = 40
"""Candidates tried for one step before it counts as a loss."""
_TRIES_PER_EXPORT = 200
"""Trial threads one export or replay may create in all."""


class Refused(Exception):
    """A trial create was refused: the detail says why."""


class CannotCheck(Exception):
    """The deployment cannot hold a trial at all (it drops supersteps, as Aegra does)."""


class TrialBuilder:
    """Creates candidate scripts on ``client`` and compares their histories with the plan."""

    def __init__(self, client: DeploymentClient, plan: ExportPlan, *, marker: Mapping[str, Any],
                 thread_id: str | None) -> None:
        self.client = client
        self.plan = plan
        self.metadata = {**plan.script().metadata, **marker}
        self.wanted_id = thread_id
        self.thread_id: str | None = None
        self.rebuilds = 0

    def steps(self, chosen: Sequence[Superstep]) -> list[Superstep]:
        return [*self.plan.opening, *chosen]

    async def _send(self, steps: list[Superstep], *, onto: str | None) -> str:
        from tui.deployment import DeploymentError, SuperstepsIgnored

        body = [s.to_body() for s in steps]
        try:
            thread = await self.client.threads.create(
                metadata=dict(self.metadata), thread_id=onto or self.wanted_id,
                if_exists="do_nothing" if onto else None, supersteps=body,
            )
        except SuperstepsIgnored as exc:
            raise CannotCheck(str(exc)) from None
        except DeploymentError as exc:
            raise Refused(str(exc)) from None
        return thread.thread_id

    async def rebuild(self, steps: list[Superstep]) -> None:
        """A fresh thread holding exactly ``steps``."""
        await self.discard()
        self.rebuilds += 1
        self.thread_id = await self._send(steps, onto=None)

    async def extend(self, steps: list[Superstep]) -> None:
        if not steps:
            return
        if self.thread_id is None:
            self.thread_id = await self._send(steps, onto=None)
        else:
            await self._send(steps, onto=self.thread_id)

    async def discard(self) -> None:
        from tui.deployment import DeploymentError

        if self.thread_id is not None:
            with contextlib.suppress(DeploymentError):
                await self.client.threads.delete(self.thread_id)
            self.thread_id = None

    async def replayed(self) -> list[dict[str, Any]]:
        assert self.thread_id is not None
        return await lineage_json(self.client, self.thread_id)


def _first_difference(
    plan: ExportPlan, replayed: list[dict[str, Any]], start: int
) -> tuple[int, list[str]] | None:
    """The first transition from ``start`` on whose checkpoint the replay gets wrong (a
    replay holding fewer steps than the plan is compared as far as it goes)."""
    original = plan.checkpoints
    if not plan.whole:  # a mid-thread start: only the newest state is promised
        if not replayed:
            return len(plan.transitions) - 1, ["the replay has no checkpoints"]
        what = checkpoint_differences(original[-1], replayed[-1], final=True)
        return (max(len(plan.transitions) - 1, 0), what) if what else None
    for index in range(start, min(len(original), len(replayed))):
        what = checkpoint_differences(
            original[index], replayed[index], final=index == len(original) - 1
        )
        if what:
            return index, what
    if len(replayed) > len(original):
        return len(original) - 1, [f"the replay has {plural(len(replayed), 'checkpoint')}, "
                                   f"the thread {len(original)}"]
    if len(replayed) < len(original) and len(replayed) < len(plan.transitions):
        return len(replayed), ["missing from the replay"]
    return None


async def _apply_from(
    builder: TrialBuilder, chosen: Sequence[Superstep], confirmed: int
) -> tuple[int, str] | None:
    """Put transitions ``confirmed``… on the thread (which holds the opening and the confirmed
    steps). When the server refuses, find the refused step one at a time: its index and why."""
    plan = builder.plan
    steps = builder.steps(chosen)
    done = len(plan.opening) + confirmed if builder.thread_id is not None else 0
    try:
        await builder.extend(steps[done:])
        return None
    except Refused:
        pass
    head = len(plan.opening) + confirmed
    if head:
        await builder.rebuild(steps[:head])
    else:
        await builder.discard()
    for index in range(confirmed, len(plan.transitions)):
        try:
            await builder.extend([steps[len(plan.opening) + index]])
        except Refused as exc:
            return index, str(exc)
    return None


async def _try(builder: TrialBuilder, prefix: Sequence[Superstep], step: Superstep,
               index: int) -> list[str] | None:
    """Differences at ``index`` of a thread holding ``prefix`` + ``step`` (None: equal)."""
    try:
        await builder.rebuild(builder.steps([*prefix, step]))
    except Refused as exc:
        return [f"the server refused the step: {exc}"]
    found = _first_difference(builder.plan, await builder.replayed(), index)
    if found is None or found[0] > index:
        return None
    return found[1]


def _values_differ(what: list[str]) -> bool:
    return any(line.startswith(("values.", "the server refused")) for line in what)


async def _fix(builder: TrialBuilder, chosen: list[Superstep], index: int,
               failed: list[str]) -> Superstep | None:
    """Another candidate for transition ``index`` that replays exactly, if there is one.

    With :class:`StepOptions`, the way of writing the values is found first (on the best
    route), then the route (node and goto) with those values: tries add up instead of
    multiplying. ``failed`` is what the current choice got wrong."""
    transition = builder.plan.transitions[index]
    prefix = chosen[:index]
    tried = [chosen[index]]
    budget = builder.rebuilds + _TRIES_PER_STEP

    async def works(step: Superstep) -> list[str] | None:
        """None when ``step`` replays exactly; else what differs (empty: tried before)."""
        if step in tried:
            return []
        if builder.rebuilds >= min(budget, _TRIES_PER_EXPORT):
            raise _GaveUp
        tried.append(step)
        return await _try(builder, prefix, step, index)

    options = transition.options
    if options is None:
        for step in transition.candidates:
            if await works(step) is None:
                return step
        return None
    value = 0
    if _values_differ(failed):
        for candidate in range(1, options.value_count):
            what = await works(options.build(candidate, 0))
            if what is None:
                return options.build(candidate, 0)
            if what and not _values_differ(what):
                value = candidate
                break
        else:  # no way of writing the values works on the best route: try every pairing
            for step in options.flat():
                if await works(step) is None:
                    return step
            return None
    for node in range(options.node_count):
        step = options.build(value, node)
        if await works(step) is None:
            return step
    return None


class _GaveUp(Exception):
    pass


async def verified_choice(
    builder: TrialBuilder, *, lossy: bool
) -> tuple[list[Superstep], list[Loss]]:
    """Pick a candidate for every transition so that the replay equals the original.

    Applies the best guesses from the first unconfirmed step on, compares, and at the first
    difference rebuilds the confirmed prefix with the step's other candidates."""
    plan = builder.plan
    count = len(plan.transitions)
    chosen = [t.candidates[0] for t in plan.transitions]
    losses: list[Loss] = []
    confirmed = 0
    await builder.discard()
    while True:
        refused = await _apply_from(builder, chosen, confirmed)
        if refused is not None:
            index, what = refused[0], [f"the server refused the step: {refused[1]}"]
        else:
            found = _first_difference(plan, await builder.replayed(), confirmed)
            if found is None:
                return chosen, losses
            index, what = found
        try:
            fixed = await _fix(builder, chosen, index, what)
        except _GaveUp:
            fixed, what = None, [*what, "(gave up after too many tries)"]
        if fixed is None:
            transition = plan.transitions[index]
            note = [*what, transition.note] if transition.note else what
            losses.append(Loss(transition.checkpoint_id, index + 1, count, tuple(note)))
            if lossy:
                await builder.rebuild(builder.steps(chosen))
            return chosen, losses
        chosen[index] = fixed
        confirmed = index + 1
        # `_fix` leaves the thread holding the prefix and the fixed step
        if builder.thread_id is None:
            await builder.rebuild(builder.steps(chosen[:confirmed]))
