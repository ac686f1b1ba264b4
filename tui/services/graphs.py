"""The graphs a deployment serves and their nodes, as the editor, the viewer's fork and the
command line ask for them (the shape with edges: ``history.graph_shape``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient

__all__ = ["UnknownGraph", "graph_ids", "graph_nodes", "node_names", "served_node_names"]


class UnknownGraph(LookupError):
    """The deployment serves no graph of that name; ``graphs`` are the ones it serves."""

    def __init__(self, graph_id: str, graphs: list[str]) -> None:
        self.graph_id = graph_id
        self.graphs = graphs
        super().__init__(f"this deployment has no graph {graph_id!r}")


async def graph_ids(client: DeploymentClient, limit: int = 1000) -> list[str]:
    """The graphs the deployment serves (from its assistants), sorted."""
    assistants = await client.assistants.search(limit=limit)
    return sorted({assistant.graph_id for assistant in assistants})


async def node_names(client: DeploymentClient, graph_id: str) -> list[str]:
    """The graph's own nodes (not the special ``__…__`` ones); a ``DeploymentError`` when the
    graph cannot be read."""
    graph = await client.assistants.graph(graph_id)
    return graph.node_names


async def served_node_names(client: DeploymentClient, graph_id: str) -> list[str]:
    """The graph's nodes, or :class:`UnknownGraph` when the deployment does not serve it.

    Measured: ``/assistants/<unknown name>/graph`` answers 422, so the name is looked up first."""
    if not await client.assistants.search(graph_id=graph_id, limit=1):
        raise UnknownGraph(graph_id, await graph_ids(client, limit=100))
    return await node_names(client, graph_id)


async def graph_nodes(client: DeploymentClient, graph_id: str | None) -> list[str]:
    """The graph's nodes; empty when there is no graph or it cannot be read."""
    from tui.deployment import DeploymentError

    if not graph_id:
        return []
    try:
        return await node_names(client, graph_id)
    except DeploymentError:
        return []
