"""``/threads``: create (empty, prepopulated), copy, read, search, state and history.

:class:`Threads` is what ``client.threads`` is: it reads, changes and deletes a thread and its
state and history here, and hands creating and copying to :mod:`tui.deployment.thread_create`
and searching and counting to :mod:`tui.deployment.thread_search`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tui.deployment.errors import BadResponse
from tui.deployment.http import Http, q
from tui.deployment.models import (
    HistoryRequest,
    IfExists,
    SearchPage,
    SortBy,
    SortOrder,
    StateUpdate,
    Thread,
    ThreadState,
    ThreadStatus,
)
from tui.deployment.thread_create import ThreadCreator, copy_thread
from tui.deployment.thread_records import parse_state, parse_thread
from tui.deployment.thread_search import count_threads, search_threads


def checkpoint_config(checkpoint_id: str, checkpoint_ns: str = "") -> dict[str, Any]:
    """The only form of ``before`` / ``checkpoint`` the server accepts in history calls."""
    return {"configurable": {"checkpoint_id": checkpoint_id, "checkpoint_ns": checkpoint_ns}}


class Threads:
    """``client.threads``: every ``/threads`` call of one client."""

    def __init__(self, http: Http) -> None:
        self._http = http
        self._creator = ThreadCreator(http, self)

    async def create(
        self,
        *,
        metadata: dict[str, Any] | None = None,
        thread_id: str | None = None,
        if_exists: IfExists | None = None,
        supersteps: Sequence[dict[str, Any]] | None = None,
        ttl_minutes: float | None = None,
    ) -> Thread:
        """Create a thread, empty or prepopulated with ``supersteps`` (retried safely, and
        checked: see :meth:`ThreadCreator.create`)."""
        return await self._creator.create(
            metadata=metadata, thread_id=thread_id, if_exists=if_exists, supersteps=supersteps,
            ttl_minutes=ttl_minutes,
        )

    async def create_body(self, body: Mapping[str, Any]) -> Thread:
        """``POST /threads`` with ``body`` sent whole, as a superstep script holds it (keys the
        models do not name kept); retried and checked like :meth:`create`."""
        return await self._creator.create_body(body)

    async def copy(self, thread_id: str) -> Thread:
        """A new thread with the same history; :class:`Unsupported` on servers without copy."""
        return await copy_thread(self._http, thread_id)

    async def get(self, thread_id: str) -> Thread:
        what = f"Reading thread {thread_id}"
        body, _ = await self._http.request("GET", f"/threads/{q(thread_id)}", what=what)
        return parse_thread(body, what)

    async def update(self, thread_id: str, *, metadata: dict[str, Any]) -> Thread:
        """Merge ``metadata`` into the thread's metadata (the server's PATCH semantics)."""
        what = f"Updating thread {thread_id}"
        body, _ = await self._http.request(
            "PATCH", f"/threads/{q(thread_id)}", what=what, json_body={"metadata": metadata}
        )
        return parse_thread(body, what)

    async def delete(self, thread_id: str) -> None:
        await self._http.request(
            "DELETE", f"/threads/{q(thread_id)}", what=f"Deleting thread {thread_id}",
            expect_json=False,
        )

    async def search(
        self,
        *,
        ids: Sequence[str] | None = None,
        metadata: dict[str, Any] | None = None,
        values: dict[str, Any] | None = None,
        status: ThreadStatus | None = None,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
        limit: int = 10,
        offset: int = 0,
        select: Sequence[str] | None = None,
        extract: dict[str, str] | None = None,
    ) -> SearchPage:
        """One page of threads and the real next offset (see :func:`search_threads`)."""
        return await search_threads(
            self._http, ids=ids, metadata=metadata, values=values, status=status,
            sort_by=sort_by, sort_order=sort_order, limit=limit, offset=offset, select=select,
            extract=extract,
        )

    async def count(
        self,
        *,
        metadata: dict[str, Any] | None = None,
        values: dict[str, Any] | None = None,
        status: ThreadStatus | None = None,
    ) -> int:
        """How many threads match; :class:`Unsupported` on servers that cannot count."""
        return await count_threads(self._http, metadata=metadata, values=values, status=status)

    async def get_state(
        self, thread_id: str, *, checkpoint_id: str | None = None, subgraphs: bool = False
    ) -> ThreadState:
        what = f"Reading the state of thread {thread_id}"
        params = {"subgraphs": "true"} if subgraphs else None
        if checkpoint_id:
            body, _ = await self._http.request(
                "POST", f"/threads/{q(thread_id)}/state/checkpoint", what=what,
                json_body={"checkpoint": {"checkpoint_id": checkpoint_id, "checkpoint_ns": ""},
                           "subgraphs": subgraphs},
            )
        else:
            body, _ = await self._http.request(
                "GET", f"/threads/{q(thread_id)}/state", what=what, params=params
            )
        state = parse_state(body, what)
        if state.checkpoint is None:
            # Measured on the Postgres runtime: a missing thread's state is an empty 200, not a
            # 404. An empty state is confirmed by reading the thread (NotFound if it is gone).
            await self.get(thread_id)
        return state

    async def history(
        self,
        thread_id: str,
        *,
        limit: int = 10,
        before: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> list[ThreadState]:
        """Checkpoints newest first; ``before`` is a checkpoint id (older ones are returned)."""
        request = HistoryRequest(
            limit=limit,
            before=checkpoint_config(before) if before else None,
            metadata=metadata or None,
        )
        what = f"Reading the history of thread {thread_id}"
        body, _ = await self._http.request(
            "POST", f"/threads/{q(thread_id)}/history", what=what, json_body=request.body()
        )
        if not isinstance(body, list):
            raise BadResponse(f"{what}: the server's answer is not a list of checkpoints")
        return [parse_state(item, what) for item in body]

    async def update_state(
        self,
        thread_id: str,
        values: Any,
        *,
        as_node: str | None = None,
        checkpoint_id: str | None = None,
    ) -> str | None:
        """Write ``values`` as if ``as_node`` had; at ``checkpoint_id`` this forks the thread.

        Returns the id of the new checkpoint.
        """
        request = StateUpdate(
            values=values,
            as_node=as_node,
            checkpoint={"checkpoint_id": checkpoint_id, "checkpoint_ns": ""}
            if checkpoint_id
            else None,
        )
        what = f"Updating the state of thread {thread_id}"
        body, _ = await self._http.request(
            "POST", f"/threads/{q(thread_id)}/state", what=what, json_body=request.body(),
            idempotent=False,
        )
        if not isinstance(body, dict):
            raise BadResponse(f"{what}: unexpected answer")
        checkpoint = body.get("checkpoint")
        if isinstance(checkpoint, dict):
            new_id = checkpoint.get("checkpoint_id")
            return new_id if isinstance(new_id, str) else None
        return None
