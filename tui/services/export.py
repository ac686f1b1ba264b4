"""Exact export and replay: build a thread's script and prove it by replaying it.

The history does not record everything (see :mod:`tui.supersteps.step_candidates`), so a script
is checked the only way that cannot be wrong: it is created on a deployment of the same graph
and the replay's history is compared with the original, checkpoint by checkpoint (values and
``next``; for the newest one also its tasks and their interrupts). A step that comes out
different is tried with its next candidate; a step no candidate reproduces is a :class:`Loss`,
named by its checkpoint and what differs.

``export`` checks on a temporary thread of the source deployment (deleted afterwards);
``replay`` builds the thread on the target itself, so the thread it leaves there is the one
that was compared.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.services.history import full_history, graph_shape, lineage_json
from tui.supersteps.history_export import ExportPlan, plan_export
from tui.supersteps.model import Script, Superstep
from tui.supersteps.replay_compare import checkpoint_differences
from tui.words import plural

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient, Thread

__all__ = [
    "TRIAL_MARK",
    "ExportOutcome",
    "Loss",
    "NoGraph",
    "export_thread",
    "replay_thread",
]

TRIAL_MARK = "threadloom_trial"
"""Metadata key of the temporary threads an export creates to check its script."""
_TRIES_PER_STEP = 40
"""Candidates tried for one step before it counts as a loss."""
_TRIES_PER_EXPORT = 200
"""Trial threads one export or replay may create in all."""
# The Agent Server sets ``assistant_id`` itself when a run starts and drops it from the metadata
# of a create or a patch (measured, langgraph-api 0.16.7): a script cannot carry it.
_DROPPED_METADATA = ("assistant_id",)


@dataclass(frozen=True)
class Loss:
    """A checkpoint the script does not reproduce."""

    checkpoint_id: str | None
    position: int
    """1-based place in the thread's history (oldest first)."""
    of: int
    what: tuple[str, ...]

    def line(self) -> str:
        where = f"checkpoint {self.checkpoint_id}" if self.checkpoint_id else "a checkpoint"
        return f"{where} (step {self.position} of {self.of}): {'; '.join(self.what)}"


@dataclass
class ExportOutcome:
    script: Script
    checked: bool
    """The script was replayed and compared (False with ``verify=False`` or when the check
    could not run: see ``notes``)."""
    losses: list[Loss] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    thread: Thread | None = None
    """The thread a replay left on the target (None for an export, or when it was removed)."""
    warnings: list[str] = field(default_factory=list)
    """What the user should know although nothing of the thread's state is lost."""

    @property
    def exact(self) -> bool:
        return self.checked and not self.losses


class NoGraph(ValueError):
    """The thread names no graph (``metadata.graph_id``) and none was given."""


class _Refused(Exception):
    """A trial create was refused: the detail says why."""


class _CannotCheck(Exception):
    """The deployment cannot hold a trial at all (it drops supersteps, as Aegra does)."""


class _Builder:
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
            raise _CannotCheck(str(exc)) from None
        except DeploymentError as exc:
            raise _Refused(str(exc)) from None
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
    builder: _Builder, chosen: Sequence[Superstep], confirmed: int
) -> tuple[int, str] | None:
    """Put transitions ``confirmed``… on the thread (which holds the opening and the confirmed
    steps). When the server refuses, find the refused step one at a time: its index and why."""
    plan = builder.plan
    steps = builder.steps(chosen)
    done = len(plan.opening) + confirmed if builder.thread_id is not None else 0
    try:
        await builder.extend(steps[done:])
        return None
    except _Refused:
        pass
    head = len(plan.opening) + confirmed
    if head:
        await builder.rebuild(steps[:head])
    else:
        await builder.discard()
    for index in range(confirmed, len(plan.transitions)):
        try:
            await builder.extend([steps[len(plan.opening) + index]])
        except _Refused as exc:
            return index, str(exc)
    return None


async def _try(builder: _Builder, prefix: Sequence[Superstep], step: Superstep,
               index: int) -> list[str] | None:
    """Differences at ``index`` of a thread holding ``prefix`` + ``step`` (None: equal)."""
    try:
        await builder.rebuild(builder.steps([*prefix, step]))
    except _Refused as exc:
        return [f"the server refused the step: {exc}"]
    found = _first_difference(builder.plan, await builder.replayed(), index)
    if found is None or found[0] > index:
        return None
    return found[1]


def _values_differ(what: list[str]) -> bool:
    return any(line.startswith(("values.", "the server refused")) for line in what)


async def _fix(builder: _Builder, chosen: list[Superstep], index: int,
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


async def _verified_choice(
    builder: _Builder, *, lossy: bool
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


def _plan_for(
    history: list[dict[str, Any]], graph_id: str, metadata: Mapping[str, Any], **options: Any
) -> ExportPlan:
    return plan_export(history, graph_id, metadata=metadata, **options)


async def _plan(
    client: DeploymentClient, thread_id: str, *, graph_id: str | None, compact: bool,
    start: int | None = None, end: int | None = None,
) -> tuple[Thread, ExportPlan, list[str]]:
    thread = await client.threads.get(thread_id)
    graph = graph_id or thread.graph_id
    if not graph:
        raise NoGraph(f"thread {thread_id} has no metadata.graph_id")
    history = [s.model_dump(mode="json") for s in await full_history(client, thread_id)]
    shape = await graph_shape(client, graph)
    metadata = {k: v for k, v in thread.metadata.items() if k not in _DROPPED_METADATA}
    plan = _plan_for(history, graph, metadata, shape=shape, compact=compact, start=start,
                     end=end)
    return thread, plan, _side_branches(history)


def _side_branches(history: list[dict[str, Any]]) -> list[str]:
    from tui.supersteps.history_export import checkpoint_lineage

    other = len(history) - len(checkpoint_lineage(history))
    if other <= 0:
        return []
    return [f"{plural(other, 'checkpoint')} on other branches (made by forks) "
            "are not part of the thread's state and are not recreated"]


def _tries(count: int) -> str:
    return f"{count} tr{'y' if count == 1 else 'ies'}"


def _unchecked(plan: ExportPlan) -> list[Loss]:
    count = len(plan.transitions)
    return [Loss(t.checkpoint_id, i + 1, count, (t.note,)) for i, t in plan.uncertain]


async def export_thread(
    client: DeploymentClient,
    thread_id: str,
    *,
    graph_id: str | None = None,
    compact: bool = False,
    verify: bool = True,
    lossy: bool = False,
    start: int | None = None,
    end: int | None = None,
) -> ExportOutcome:
    """The script that recreates ``thread_id``, checked on a temporary thread of the same
    deployment (``verify``), or judged from the history alone: steps whose writes the server
    did not record are then reported as possible losses."""
    from tui.deployment import DeploymentError

    _, plan, warnings = await _plan(client, thread_id, graph_id=graph_id, compact=compact,
                                    start=start, end=end)
    if not verify:
        return ExportOutcome(plan.script(), checked=False, losses=_unchecked(plan),
                             notes=["not checked by a replay (--no-verify)"], warnings=warnings)
    builder = _Builder(client, plan, marker={TRIAL_MARK: thread_id}, thread_id=None)
    try:
        chosen, losses = await _verified_choice(builder, lossy=lossy)
    except (_Refused, _CannotCheck, DeploymentError) as exc:
        return ExportOutcome(plan.script(), checked=False, losses=_unchecked(plan),
                             notes=[f"the check by a replay could not run: {exc}"],
                             warnings=warnings)
    finally:
        await builder.discard()
    return ExportOutcome(plan.script(chosen), checked=True, losses=losses, warnings=warnings,
                         notes=[f"checked by replaying it on a temporary thread "
                                f"({_tries(builder.rebuilds)})"])


async def replay_thread(
    source: DeploymentClient,
    thread_id: str,
    target: DeploymentClient,
    *,
    graph_id: str | None = None,
    lossy: bool = False,
    keep_id: bool = False,
) -> ExportOutcome:
    """Recreate ``thread_id`` of ``source`` on ``target``, built and compared there. A replay
    that differs is removed (unless ``lossy``: it is kept, and the losses say how it differs).
    """
    from tui.deployment import DeploymentError

    _, plan, warnings = await _plan(source, thread_id, graph_id=graph_id, compact=False)
    builder = _Builder(target, plan, marker={}, thread_id=thread_id if keep_id else None)
    try:
        chosen, losses = await _verified_choice(builder, lossy=lossy)
    except (_Refused, _CannotCheck) as exc:
        await builder.discard()
        raise DeploymentError(f"the target refused the replay: {exc}") from None
    except BaseException:
        await builder.discard()
        raise
    if losses and not lossy:
        await builder.discard()
        return ExportOutcome(plan.script(chosen), checked=True, losses=losses, warnings=warnings,
                             notes=["the replay differed, so it was removed from the target"])
    assert builder.thread_id is not None
    thread = await target.threads.get(builder.thread_id)
    return ExportOutcome(plan.script(chosen), checked=True, losses=losses, thread=thread,
                         warnings=warnings,
                         notes=[f"built and compared on the target ({_tries(builder.rebuilds)})"])
