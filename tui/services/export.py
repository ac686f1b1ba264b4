"""Exact export and replay: build a thread's script and prove it by replaying it.

The history does not record everything (see :mod:`tui.supersteps.step_candidates`), so a script
is checked the only way that cannot be wrong: it is created on a deployment of the same graph
and the replay's history is compared with the original, checkpoint by checkpoint (values and
``next``; for the newest one also its tasks and their interrupts). A step that comes out
different is tried with its next candidate (:mod:`tui.services.trial_replay`); a step no
candidate reproduces is a :class:`~tui.services.export_outcome.Loss`, named by its checkpoint
and what differs.

``export`` checks on a temporary thread of the source deployment (deleted afterwards);
``replay`` builds the thread on the target itself, so the thread it leaves there is the one
that was compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tui.services.export_outcome import ExportOutcome, Loss
from tui.services.history import full_history, graph_shape
from tui.services.trial_replay import CannotCheck, Refused, TrialBuilder, verified_choice
from tui.supersteps.history_export import ExportPlan, plan_export
from tui.words import plural

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient, Thread

__all__ = [
    "TRIAL_MARK",
    "NoGraph",
    "export_thread",
    "replay_thread",
]

TRIAL_MARK = "threadloom_trial"
"""Metadata key of the temporary threads an export creates to check its script."""
# The Agent Server sets ``assistant_id`` itself when a run starts and drops it from the metadata
# of a create or a patch (measured, langgraph-api 0.16.7): a script cannot carry it.
_DROPPED_METADATA = ("assistant_id",)


class NoGraph(ValueError):
    """The thread names no graph (``metadata.graph_id``) and none was given."""


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
    builder = TrialBuilder(client, plan, marker={TRIAL_MARK: thread_id}, thread_id=None)
    try:
        chosen, losses = await verified_choice(builder, lossy=lossy)
    except (Refused, CannotCheck, DeploymentError) as exc:
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
    builder = TrialBuilder(target, plan, marker={}, thread_id=thread_id if keep_id else None)
    try:
        chosen, losses = await verified_choice(builder, lossy=lossy)
    except (Refused, CannotCheck) as exc:
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
