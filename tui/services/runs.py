"""Following a run, for the run panel and ``threadloom run`` alike: the stream folded into a
:class:`~tui.supersteps.stream.RunProgress`, the run's final status read from the API, the
assistant a thread runs by default, the interrupts it waits on, and what a refusal means.

A stream is followed in two steps: :func:`follow` yields each event once the server has
accepted the run (the ``metadata`` event with its ``run_id``), and raises :class:`NotStarted`
when the server refused the run (a 409 with multitask ``reject``, a 404, …) or ended the stream
without starting one; a stream that breaks after that is recorded in ``progress.error``. Then
:func:`settle` asks the API how the run ended — a stream that just stops is never taken for a
success. No Textual here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from tui.deployment import DeploymentError, NotFound
from tui.supersteps.run_input import MULTITASK_STRATEGIES
from tui.supersteps.stream import LIVE, ChatOp, RunProgress
from tui.supersteps.stream_parts import PendingInterrupt, interrupts_of

if TYPE_CHECKING:
    from tui.deployment import Assistant, DeploymentClient, Run, StreamPart, Thread, ThreadState
    from tui.deployment.models import MultitaskStrategy, StreamMode

SETTLE_TRIES = 10
"""Reads of a run's status after its stream ended, while the server still calls it live."""

INFO_COLUMNS = ["thread_id", "status", "metadata", "interrupts"]
"""What a run needs of a thread record (never its values)."""


class NotStarted(Exception):
    """The server did not start the run: ``error`` is its refusal (None: the stream ended
    before naming a run)."""

    def __init__(self, error: DeploymentError | None) -> None:
        super().__init__(str(error) if error else
                         "The server ended the stream without starting a run.")
        self.error = error


@dataclass(frozen=True)
class Step:
    """One event of an accepted run: the part, what the chat must do, and whether this event
    is the one that made the run known (``started``)."""

    part: StreamPart
    ops: list[ChatOp]
    started: bool = False


async def follow(parts: AsyncIterator[StreamPart],
                 progress: RunProgress) -> AsyncGenerator[Step, None]:
    """Fold ``parts`` into ``progress``; yield the steps of the run once it is accepted.

    A run already known (``progress.run_id`` set: joined) is accepted from the start."""
    accepted = progress.run_id is not None
    try:
        async for part in parts:
            ops = progress.apply(part.event, part.data)
            started = not accepted and progress.run_id is not None
            accepted = accepted or started
            if accepted:
                yield Step(part, ops, started)
    except DeploymentError as exc:
        if not accepted:
            raise NotStarted(exc) from exc
        progress.error = f"The stream broke: {exc}"
        return
    finally:  # close the stream now, even when the consumer stopped on an error of its own
        close = getattr(parts, "aclose", None)
        if close is not None:
            await close()
    if not accepted:
        raise NotStarted(None)


async def final_status(client: DeploymentClient, thread_id: str, run_id: str) -> str | None:
    """The run's status once the server has settled it (``rolled back`` when it was deleted)."""
    current: str | None = None
    for attempt in range(SETTLE_TRIES):
        try:
            current = (await client.runs.get(thread_id, run_id)).status
        except NotFound:
            return "rolled back"
        except DeploymentError:
            return None
        if current not in LIVE:
            return current
        await asyncio.sleep(0.1 * (attempt + 1))
    return current


async def settle(client: DeploymentClient, thread_id: str, progress: RunProgress) -> str | None:
    """The stream is over: read the run's status from the API into ``progress``."""
    final = (await final_status(client, thread_id, progress.run_id)
             if progress.run_id else None)
    progress.finish(final)
    return final


def refusal(exc: DeploymentError, strategy: str) -> str | None:
    """What a 409 refusal means for the multitask choice (None: it is not one)."""
    if exc.status != 409:
        return None
    others = ", ".join(s for s in MULTITASK_STRATEGIES if s != strategy)
    return f"Run refused (409): {exc} (if busy: {strategy}; {others} would run it anyway)"


async def thread_info(client: DeploymentClient, thread_id: str) -> Thread | None:
    """The thread's status, metadata and interrupts (no values); None when it does not exist."""
    page = await client.threads.search(ids=[thread_id], select=INFO_COLUMNS, limit=1)
    return next((t for t in page.items if t.thread_id == thread_id), None)


def default_assistant(assistants: Sequence[Assistant], graph_id: str | None) -> str | None:
    """The graph's assistant: the one the server made for it, else the first of that graph
    (no graph: the first assistant)."""
    mine = [a for a in assistants if graph_id and a.graph_id == graph_id]
    system = [a for a in mine if (a.metadata or {}).get("created_by") == "system"]
    chosen = (system or mine or ([] if graph_id else list(assistants)))
    return chosen[0].assistant_id if chosen else None


def waiting_interrupts(thread: Thread | None, state: ThreadState | None) -> list[
        PendingInterrupt]:
    """The interrupts a thread waits on, named by the node that raised them when known."""
    found: list[PendingInterrupt] = []
    if state is not None:
        for task in state.tasks:
            found.extend(PendingInterrupt(i.value, i.id, task.name) for i in task.interrupts)
        known = {i.id for i in found}
        found.extend(PendingInterrupt(i.value, i.id) for i in state.interrupts
                     if i.id not in known)
        return found
    if thread is not None and isinstance(thread.interrupts, dict):
        found = interrupts_of(thread.interrupts)
    return found


def interrupt_json(interrupt: PendingInterrupt) -> dict[str, Any]:
    return {"value": interrupt.value, "id": interrupt.id, "node": interrupt.node}


__all__ = [
    "INFO_COLUMNS",
    "SETTLE_TRIES",
    "NotStarted",
    "Step",
    "default_assistant",
    "final_status",
    "follow",
    "interrupt_json",
    "refusal",
    "settle",
    "thread_info",
    "waiting_interrupts",
]


async def rollback_kept_progress(client: DeploymentClient, thread_id: str, run_id: str) -> bool:
    """Whether checkpoints written by a rolled-back (deleted) run are still there. Measured on
    the Postgres runtime: a rollback deletes the run but not its checkpoints, so the thread's
    state keeps what the run wrote; the in-memory server removes them."""
    try:
        return bool(await client.threads.history(thread_id, limit=1,
                                                 metadata={"run_id": run_id}))
    except DeploymentError:
        return False


def kept_progress_text(run_id: str) -> str:
    return (f"The server deleted run {run_id} but kept its checkpoints: the thread's state "
            "still holds what the run wrote.")


# ---------------------------------------------------------------- the calls a run makes


def start_run(client: DeploymentClient, thread_id: str, assistant: str, *, input: Any = None,
              command: dict[str, Any] | None = None, strategy: str | None = None,
              on_disconnect: Literal["cancel", "continue"]) -> AsyncIterator[StreamPart]:
    """Start a run of ``assistant`` on the thread and stream what the run panel shows
    (:data:`~tui.supersteps.stream.RUN_STREAM_MODES`); ``strategy``: what to do when the
    thread is busy. ``on_disconnect``: whether closing the stream cancels the run."""
    from tui.supersteps.stream import RUN_STREAM_MODES

    return client.runs.stream(
        thread_id, assistant, input=input, command=command,
        stream_mode=cast("list[StreamMode]", list(RUN_STREAM_MODES)),
        multitask_strategy=cast("MultitaskStrategy | None", strategy),
        on_disconnect=on_disconnect,
    )


def join_run(client: DeploymentClient, thread_id: str, run_id: str) -> AsyncIterator[StreamPart]:
    """The stream of a run already in progress, from where it is now."""
    return client.runs.join_stream(thread_id, run_id)


async def run_to_join(client: DeploymentClient, thread_id: str) -> Run | None:
    """The run in progress on the thread (the oldest running one, else the oldest pending)."""
    runs = (await client.runs.list(thread_id, status="running")
            or await client.runs.list(thread_id, status="pending"))
    return runs[-1] if runs else None  # newest first


async def live_run_id(client: DeploymentClient, thread_id: str) -> str | None:
    """A run that is running or pending on the thread (the newest), None when there is none."""
    runs = (await client.runs.list(thread_id, status="running")
            + await client.runs.list(thread_id, status="pending"))
    return runs[0].run_id if runs else None


async def cancel_run(client: DeploymentClient, thread_id: str, run_id: str, *, wait: bool,
                     rollback: bool = False) -> None:
    """Cancel the run: interrupt it (its progress is kept), or roll it back (``rollback``);
    ``wait``: answer once the server has stopped it."""
    await client.runs.cancel(thread_id, run_id, wait=wait,
                             action="rollback" if rollback else "interrupt")


async def assistants(client: DeploymentClient, graph_id: str | None = None) -> list[Assistant]:
    """The deployment's assistants (of ``graph_id`` only, when given): up to 100."""
    return await client.assistants.search(graph_id=graph_id, limit=100)


async def current_state(client: DeploymentClient, thread_id: str) -> ThreadState:
    """The thread's state now (the interrupts a run left, the messages before a run)."""
    return await client.threads.get_state(thread_id)
