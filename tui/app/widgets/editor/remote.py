"""What the editor asks the deployment, as plain async functions over the client (the widget
runs them in its workers): graphs and their nodes, creating the thread (exporting a history:
``tui.services.export``)."""

from __future__ import annotations

from typing import Any

from tui.deployment import DeploymentClient, Thread
from tui.supersteps.model import Script


async def graph_ids(client: DeploymentClient) -> list[str]:
    """The graphs the deployment serves (from its assistants), sorted."""
    assistants = await client.assistants.search(limit=1000)
    return sorted({assistant.graph_id for assistant in assistants})


async def node_names(client: DeploymentClient, graph_id: str) -> list[str]:
    """The graph's own nodes (the special ``__…__`` ones are added by the picker)."""
    graph = await client.assistants.graph(graph_id)
    return graph.node_names


def ttl_minutes(ttl: Any) -> float | None:
    if isinstance(ttl, dict) and isinstance(ttl.get("ttl"), int | float) and ttl["ttl"] > 0:
        return float(ttl["ttl"])
    return None


async def create_thread(client: DeploymentClient, script: Script) -> Thread:
    """``POST /threads`` with the script. The client picks the thread id when the script has
    none, so a retry after a dropped connection never makes a second thread."""
    body = script.to_body()
    return await client.threads.create(
        metadata=body.get("metadata"),
        thread_id=script.thread_id,
        if_exists="do_nothing" if script.if_exists == "do_nothing" else None,
        supersteps=body.get("supersteps") or None,
        ttl_minutes=ttl_minutes(script.ttl),
    )
