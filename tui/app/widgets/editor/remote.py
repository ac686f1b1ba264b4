"""What the editor asks the deployment, as plain async functions over the client (the widget
runs them in its workers): graphs and their nodes, creating the thread, exporting a history."""

from __future__ import annotations

from typing import Any

from tui.deployment import DeploymentClient, Thread, ThreadState
from tui.supersteps.history_export import script_from_history
from tui.supersteps.model import Script

HISTORY_PAGE = 1000  # the server's largest page


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


async def full_history(client: DeploymentClient, thread_id: str) -> list[ThreadState]:
    """Every checkpoint, newest first, a page of 1,000 at a time (paging with ``before``)."""
    checkpoints: list[ThreadState] = []
    before: str | None = None
    while True:
        page = await client.threads.history(thread_id, limit=HISTORY_PAGE, before=before)
        checkpoints.extend(page)
        if len(page) < HISTORY_PAGE or page[-1].checkpoint_id is None:
            return checkpoints
        before = page[-1].checkpoint_id


class ExportProblem(Exception):
    """The thread cannot be exported (one line for the user)."""


async def history_script(client: DeploymentClient, thread_id: str, *, compact: bool) -> Script:
    """The thread's history as a script that replays it (``metadata.graph_id`` kept)."""
    thread = await client.threads.get(thread_id)
    graph_id = thread.graph_id
    if not graph_id:
        raise ExportProblem(f"thread {thread_id} has no metadata.graph_id: no graph to replay "
                            "it with")
    history = await full_history(client, thread_id)
    metadata = {k: v for k, v in thread.metadata.items() if k != "assistant_id"}
    return script_from_history([state.model_dump(mode="json") for state in history], graph_id,
                               metadata=metadata, compact=compact)
