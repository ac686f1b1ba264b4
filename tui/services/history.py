"""A thread's whole history and its graph's shape, as the export and the viewer need them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tui.supersteps.history_export import checkpoint_lineage
from tui.supersteps.step_candidates import GraphShape

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient, ThreadState

HISTORY_PAGE = 1000  # the server's maximum
__all__ = ["HISTORY_PAGE", "full_history", "graph_shape", "history_page", "lineage_json"]


async def full_history(
    client: DeploymentClient, thread_id: str, loaded: Sequence[ThreadState] = (),
    *, page_size: int = HISTORY_PAGE,
) -> list[ThreadState]:
    """Every checkpoint, newest first, a page at a time (1,000: never the default of 1).

    ``loaded``: the newest checkpoints already read (a viewer's first pages); they are kept
    and the paging goes on below the oldest of them, ``page_size`` at a time (smaller pages
    for threads whose checkpoints are big)."""
    checkpoints: list[ThreadState] = list(loaded)
    seen: set[str] = {c.checkpoint_id for c in checkpoints if c.checkpoint_id}
    before: str | None = checkpoints[-1].checkpoint_id if checkpoints else None
    if checkpoints and before is None:
        return checkpoints
    while True:
        page = await history_page(client, thread_id, before=before, limit=page_size)
        fresh = [c for c in page if c.checkpoint_id is None or c.checkpoint_id not in seen]
        checkpoints.extend(fresh)
        seen.update(c.checkpoint_id for c in fresh if c.checkpoint_id)
        last = page[-1].checkpoint_id if page else None
        if len(page) < page_size or last is None or not fresh:
            return checkpoints
        before = last


async def history_page(
    client: DeploymentClient, thread_id: str, *, before: str | None, limit: int
) -> list[ThreadState]:
    """One page of checkpoints, newest first, older than ``before`` (a checkpoint id)."""
    return await client.threads.history(thread_id, limit=limit, before=before)


async def lineage_json(client: DeploymentClient, thread_id: str) -> list[dict[str, Any]]:
    """The newest checkpoint and its ancestors, oldest first, as the API's JSON."""
    history = await full_history(client, thread_id)
    return [dict(c) for c in checkpoint_lineage([s.model_dump(mode="json") for s in history])]


async def graph_shape(client: DeploymentClient, graph_id: str) -> GraphShape:
    """The graph's nodes and edges (an empty shape when the server does not say)."""
    from tui.deployment import DeploymentError

    try:
        graph = await client.assistants.graph(graph_id)
    except DeploymentError:
        return GraphShape()
    edges = [(e.source, e.target, bool(e.conditional)) for e in graph.edges]
    return GraphShape.from_edges(graph.node_names, edges)
