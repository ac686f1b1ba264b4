"""A thread's whole history and its graph's shape, as the export and the viewer need them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.supersteps.history_export import checkpoint_lineage
from tui.supersteps.step_candidates import GraphShape

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient, ThreadState

HISTORY_PAGE = 1000  # the server's maximum
__all__ = ["HISTORY_PAGE", "full_history", "graph_shape", "lineage_json"]


async def full_history(client: DeploymentClient, thread_id: str) -> list[ThreadState]:
    """Every checkpoint, newest first, a page of 1,000 at a time (never the default of 1)."""
    checkpoints: list[ThreadState] = []
    seen: set[str] = set()
    before: str | None = None
    while True:
        page = await client.threads.history(thread_id, limit=HISTORY_PAGE, before=before)
        fresh = [c for c in page if c.checkpoint_id is None or c.checkpoint_id not in seen]
        checkpoints.extend(fresh)
        seen.update(c.checkpoint_id for c in fresh if c.checkpoint_id)
        last = page[-1].checkpoint_id if page else None
        if len(page) < HISTORY_PAGE or last is None or not fresh:
            return checkpoints
        before = last


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
