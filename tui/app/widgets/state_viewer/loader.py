"""Fetching for the viewer (kept apart from rendering: tests feed recorded data instead).

Every call goes through ``DeploymentClient``; failures are ``DeploymentError`` for the caller.
The thread record is read through a search with ``select`` so its (possibly megabytes of)
``values`` are not transferred twice; servers that refuse that get a plain ``GET``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tui.deployment import DeploymentClient, DeploymentError, Thread, ThreadState

THREAD_COLUMNS = ["thread_id", "created_at", "updated_at", "metadata", "status", "config",
                  "interrupts"]


async def load_thread_record(client: DeploymentClient, thread_id: str) -> Thread:
    try:
        page = await client.threads.search(ids=[thread_id], select=THREAD_COLUMNS, limit=1)
    except DeploymentError:
        page = None
    if page is not None:
        for item in page.items:
            if item.thread_id == thread_id:
                return item
    return await client.threads.get(thread_id)


async def load_thread(client: DeploymentClient, thread_id: str) -> tuple[Thread, ThreadState]:
    """The thread record and its current state, fetched together."""
    record, state = await asyncio.gather(
        load_thread_record(client, thread_id), client.threads.get_state(thread_id)
    )
    return record, state


async def load_history_page(
    client: DeploymentClient, thread_id: str, *, before: str | None, limit: int
) -> list[ThreadState]:
    return await client.threads.history(thread_id, limit=limit, before=before)


async def load_all_history(
    client: DeploymentClient, thread_id: str, loaded: list[ThreadState], has_more: bool,
    limit: int,
) -> tuple[list[ThreadState], bool]:
    """``loaded`` plus every older page (for an export of the whole lineage)."""
    history = list(loaded)
    while has_more:
        before = history[-1].checkpoint_id if history else None
        page = await load_history_page(client, thread_id, before=before, limit=limit)
        known = {entry.checkpoint_id for entry in history}
        history.extend(entry for entry in page if entry.checkpoint_id not in known)
        has_more = len(page) >= limit
    return history, False


async def graph_nodes(client: DeploymentClient, graph_id: str | None) -> list[str]:
    """The graph's node names (for ``as_node``); empty when the graph cannot be read."""
    if not graph_id:
        return []
    try:
        info = await client.assistants.graph(graph_id)
    except DeploymentError:
        return []
    return info.node_names


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
