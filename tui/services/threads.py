"""One thread as the panes show it: its record without the values, its record with its state, its
row as the thread list shows it, and a fork of one of its checkpoints.

A record is read through a search with ``select`` so its (possibly megabytes of) ``values`` are
not transferred twice; servers that refuse that get a plain ``GET``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient, Thread, ThreadState

__all__ = ["THREAD_COLUMNS", "fork", "thread_and_state", "thread_record", "thread_row"]

THREAD_COLUMNS = ["thread_id", "created_at", "updated_at", "metadata", "status", "config",
                  "interrupts"]
"""A thread record without its values (the state holds them)."""


async def thread_record(client: DeploymentClient, thread_id: str) -> Thread:
    """The thread's record without its values (``NotFound`` when it does not exist)."""
    from tui.deployment import DeploymentError

    try:
        page = await client.threads.search(ids=[thread_id], select=THREAD_COLUMNS, limit=1)
    except DeploymentError:
        page = None
    if page is not None:
        for item in page.items:
            if item.thread_id == thread_id:
                return item
    return await client.threads.get(thread_id)


async def thread_and_state(client: DeploymentClient, thread_id: str) -> tuple[Thread, ThreadState]:
    """The thread record and its current state, fetched together."""
    record, state = await asyncio.gather(
        thread_record(client, thread_id), client.threads.get_state(thread_id)
    )
    return record, state


async def thread_row(
    client: DeploymentClient, thread_id: str, *, select: Sequence[str],
    extract: dict[str, str] | None = None,
) -> Thread | None:
    """The thread as a list row shows it (the ``select`` columns, ``extract``'s previews);
    None when the search does not find it."""
    page = await client.threads.search(ids=[thread_id], limit=1, select=select, extract=extract)
    return next((t for t in page.items if t.thread_id == thread_id), None)


async def fork(
    client: DeploymentClient,
    thread_id: str,
    checkpoint_id: str | None,
    values: Any,
    as_node: str | None,
    *,
    copy_first: bool,
) -> tuple[str, str | None]:
    """Write ``values`` at ``checkpoint_id`` (in a copy of the thread if ``copy_first``).

    Returns (the thread that was forked, the new checkpoint id). A copy keeps the checkpoint
    ids of the original, so the same checkpoint is addressed in it.
    """
    target = thread_id
    if copy_first:
        target = (await client.threads.copy(thread_id)).thread_id
    new_checkpoint = await client.threads.update_state(
        target, values, as_node=as_node, checkpoint_id=checkpoint_id
    )
    return target, new_checkpoint
