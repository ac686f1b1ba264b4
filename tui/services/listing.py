"""Threads as the lists show them — the app's thread list and ``threadloom threads list`` —
and what those lists do to one: one page of rows, the count, a row's preview read from its
state, create, copy, metadata, delete. Each written once here; the pane and the CLI call these.

A row is a thread record with only :data:`ROW_COLUMNS` and the last message's content as
``extracted["preview"]`` (:data:`ROW_EXTRACT`), so a page never carries the threads' values.
No import of the client's libraries at module level: the thread list's first frame loads this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient, SearchPage, Thread

__all__ = [
    "PREVIEW_PATH", "ROW_COLUMNS", "ROW_EXTRACT", "copy_thread", "count_rows", "create_empty",
    "delete_thread", "row_page", "row_page_body", "row_preview", "set_metadata",
]

PREVIEW_PATH = "values.messages[-1].content"
ROW_COLUMNS = ["thread_id", "status", "metadata", "created_at", "updated_at"]
ROW_EXTRACT = {"preview": PREVIEW_PATH}


def row_page_body(*, limit: int, offset: int = 0, **query: Any) -> dict[str, Any]:
    """The body :func:`row_page` sends for a search (to a server that takes ``select``), made
    without the client's models: what the app sends ahead at start-up while they load."""
    body = {**query, "limit": limit, "offset": offset, "select": ROW_COLUMNS,
            "extract": ROW_EXTRACT}
    return {key: value for key, value in body.items() if value is not None}


async def row_page(client: DeploymentClient, *, limit: int, offset: int = 0,
                   **query: Any) -> SearchPage:
    """One page of rows for a search (``metadata``, ``status``, ``ids``, ``sort_by``,
    ``sort_order``), and where the next one starts."""
    return await client.threads.search(**query, limit=limit, offset=offset,
                                       select=ROW_COLUMNS, extract=ROW_EXTRACT)


async def count_rows(client: DeploymentClient, **query: Any) -> int:
    """How many threads a search finds (``Unsupported`` where the server cannot count)."""
    return await client.threads.count(**query)


async def row_preview(client: DeploymentClient, thread_id: str) -> Any:
    """The preview the search could not give (a copy has no values until its first run: its
    ``/state`` has them); None when the thread has no last message there either."""
    from tui.deployment.capabilities import extract_path

    state = await client.threads.get_state(thread_id)
    return extract_path({"values": state.values}, PREVIEW_PATH)


async def create_empty(client: DeploymentClient, *, thread_id: str | None = None,
                       metadata: dict[str, Any] | None = None,
                       if_exists: Literal["raise", "do_nothing"] | None = None,
                       ttl_minutes: float | None = None) -> Thread:
    """A thread with no state (``if_exists="do_nothing"`` answers the existing one)."""
    return await client.threads.create(thread_id=thread_id, metadata=metadata or None,
                                       if_exists=if_exists, ttl_minutes=ttl_minutes)


async def copy_thread(client: DeploymentClient, thread_id: str) -> Thread:
    """A copy of the thread with its whole history, under a new id."""
    return await client.threads.copy(thread_id)


async def set_metadata(client: DeploymentClient, thread_id: str,
                       patch: dict[str, Any]) -> Thread:
    """Merge ``patch`` into the thread's metadata; the record as a row (PATCH answers with the
    values too, which a row does not keep)."""
    thread = await client.threads.update(thread_id, metadata=patch)
    return thread.model_copy(update={"values": None})


async def delete_thread(client: DeploymentClient, thread_id: str) -> None:
    """Delete the thread (``NotFound`` when it is gone already)."""
    await client.threads.delete(thread_id)
