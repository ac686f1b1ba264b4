"""``/threads``: create (empty, prepopulated), copy, read, search, state and history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from tui.deployment.by_id import read_by_ids
from tui.deployment.capabilities import (
    COPY_MISSING,
    COUNT_MISSING,
    project,
    route_missing,
    superstep_outcome,
)
from tui.deployment.errors import (
    BadResponse,
    DeploymentError,
    InvalidRequest,
    NotFound,
    ServerError,
    SuperstepsIgnored,
    SuperstepsIncomplete,
    SuperstepsRejected,
    ThreadCreatedWithProblems,
    Timeout,
    Unreachable,
    Unsupported,
)
from tui.deployment.http import Http, q
from tui.deployment.models import (
    HistoryRequest,
    IfExists,
    SearchPage,
    SortBy,
    SortOrder,
    StateUpdate,
    Thread,
    ThreadCount,
    ThreadCreate,
    ThreadSearch,
    ThreadState,
    ThreadStatus,
    Ttl,
)


def parse_thread(body: Any, what: str) -> Thread:
    try:
        return Thread.model_validate(body)
    except ValidationError:
        raise BadResponse(f"{what}: the server's answer is not a thread") from None


def parse_state(body: Any, what: str) -> ThreadState:
    try:
        return ThreadState.model_validate(body)
    except ValidationError:
        raise BadResponse(f"{what}: the server's answer is not a thread state") from None


def checkpoint_config(checkpoint_id: str, checkpoint_ns: str = "") -> dict[str, Any]:
    """The only form of ``before`` / ``checkpoint`` the server accepts in history calls."""
    return {"configurable": {"checkpoint_id": checkpoint_id, "checkpoint_ns": checkpoint_ns}}


class Threads:
    def __init__(self, http: Http) -> None:
        self._http = http

    async def create(
        self,
        *,
        metadata: dict[str, Any] | None = None,
        thread_id: str | None = None,
        if_exists: IfExists | None = None,
        supersteps: Sequence[dict[str, Any]] | None = None,
        ttl_minutes: float | None = None,
    ) -> Thread:
        """Create a thread, empty or prepopulated with ``supersteps``.

        The ``thread_id`` is chosen here when not given, so a create whose answer was lost can
        be retried without making a second thread: an empty create is resent with
        ``if_exists="do_nothing"``; a prepopulated one is resent only after the server confirms
        the thread does not exist (resending supersteps onto an existing thread would apply
        them twice).

        With ``supersteps``, the created thread's state is read back: a server that dropped
        them (Aegra does, silently) made an empty thread, which is deleted again when this call
        made it, and :class:`SuperstepsIgnored` is raised — an empty thread is never returned
        as a prepopulated one.
        """
        what = "Creating the thread"
        if supersteps and not self._http.capabilities.supersteps:
            raise SuperstepsIgnored(None, deleted=False)
        chosen_id = thread_id or str(uuid.uuid4())
        request = ThreadCreate(
            thread_id=chosen_id,
            metadata=metadata,
            if_exists=if_exists,
            supersteps=list(supersteps) if supersteps else None,
            ttl=Ttl(ttl=ttl_minutes) if ttl_minutes else None,
        )
        try:
            body, response = await self._http.request(
                "POST", "/threads", what=what, json_body=request.body(), idempotent=False
            )
        except (Unreachable, Timeout) as first:
            body, response = await self._retry_create(request, first)
        except (InvalidRequest, ServerError) as refused:
            if supersteps:
                await self._raise_if_left_behind(chosen_id, refused)
            raise
        thread = await self._created(body, response.status_code, chosen_id)
        if supersteps:
            await self._check_applied(thread.thread_id, len(supersteps),
                                      made_here=if_exists != "do_nothing")
            if thread.values is None:
                # Measured on the Postgres runtime: the answer is the row before the
                # supersteps (no values, status "idle"); the thread as it now is needs a read.
                return await self.get(thread.thread_id)
        return thread

    async def _check_applied(self, thread_id: str, count: int, *, made_here: bool) -> None:
        """Raise :class:`SuperstepsIgnored` when the new thread shows none of its supersteps.

        A state that cannot be read proves nothing either way: the create stands."""
        try:
            state = await self.get_state(thread_id)
        except DeploymentError:
            return
        outcome = superstep_outcome(state.checkpoint_id, state.step, count)
        if outcome == "applied":
            return
        if outcome == "partial" and state.step is not None:
            raise SuperstepsIncomplete(thread_id, state.step, count)
        self._http.capabilities.supersteps = False
        if not made_here:  # if_exists=do_nothing: the thread may be the user's own
            raise SuperstepsIgnored(thread_id, deleted=False,
                                    reason=" (it may have existed before: if_exists=do_nothing)")
        try:
            await self.delete(thread_id)
        except DeploymentError as exc:
            raise SuperstepsIgnored(thread_id, deleted=False,
                                    reason=f" (deleting it failed: {exc.message})") from None
        raise SuperstepsIgnored(thread_id, deleted=True)

    async def _raise_if_left_behind(self, thread_id: str, refused: DeploymentError) -> None:
        """After a refused superstep (400/422/500), say what the server left: the in-memory
        server keeps the empty thread row (named), the Postgres one keeps nothing."""
        problem = refused.detail or refused.message
        exists = await self._exists(thread_id)
        if exists:
            raise ThreadCreatedWithProblems(thread_id, problem, status=refused.status) from None
        if exists is False:
            raise SuperstepsRejected(problem, status=refused.status) from None

    async def _exists(self, thread_id: str) -> bool | None:
        """Whether the thread exists; None when the server could not say."""
        try:
            await self.get(thread_id)
        except NotFound:
            return False
        except DeploymentError:
            return None
        return True

    async def _retry_create(
        self, request: ThreadCreate, first: DeploymentError
    ) -> tuple[Any, Any]:
        what = "Creating the thread (retry)"
        assert request.thread_id is not None
        if request.supersteps:
            try:
                existing = await self.get(request.thread_id)
            except NotFound:
                existing = None
            except DeploymentError:
                raise first from None
            if existing is not None:
                # The first request got through; report what the server made of it.
                body, response = await self._http.request(
                    "GET", f"/threads/{q(request.thread_id)}", what=what
                )
                return body, response
            return await self._http.request(
                "POST", "/threads", what=what, json_body=request.body(), idempotent=False
            )
        retry = request.model_copy(update={"if_exists": "do_nothing"})
        return await self._http.request(
            "POST", "/threads", what=what, json_body=retry.body(), idempotent=True
        )

    async def _created(self, body: Any, status: int, chosen_id: str) -> Thread:
        if isinstance(body, dict) and "thread_id" not in body and "detail" in body:
            # Measured quirk: a failed superstep answers 201 with only {"detail": ...} saying
            # the thread "was created, but". On the Postgres runtime it was not: check.
            problems = ThreadCreatedWithProblems.from_detail(str(body["detail"]), chosen_id)
            if problems.thread_id and await self._exists(problems.thread_id) is False:
                raise SuperstepsRejected(problems.problem, status=status)
            raise problems
        return parse_thread(body, "Creating the thread")

    async def copy(self, thread_id: str) -> Thread:
        """A new thread with the same history; :class:`Unsupported` on servers without copy."""
        capabilities = self._http.capabilities
        if not capabilities.copy:
            raise Unsupported(COPY_MISSING)
        try:
            body, _ = await self._http.request(
                "POST", f"/threads/{q(thread_id)}/copy", what=f"Copying thread {thread_id}",
                json_body={}, idempotent=False,
            )
        except DeploymentError as exc:
            if not route_missing(exc):
                raise
            capabilities.copy = False
            raise Unsupported(COPY_MISSING, status=exc.status, detail=exc.detail) from None
        return parse_thread(body, "Copying the thread")

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
        """One page of threads and the real next offset (``X-Pagination-Next``).

        ``X-Pagination-Total`` is not a total on this server; use :meth:`count`.
        """
        capabilities = self._http.capabilities
        if ids and not capabilities.search_ids:
            return await self._search_by_ids(
                ids, metadata, status, limit=limit, offset=offset, select=select, extract=extract
            )
        projected = bool(select or extract) and capabilities.search_projection
        request = ThreadSearch(
            ids=list(ids) if ids else None, metadata=metadata or None, values=values or None,
            status=status, sort_by=sort_by, sort_order=sort_order, limit=limit, offset=offset,
            select=list(select) if projected and select else None,
            extract=extract if projected and extract else None,
        )
        what = "Searching threads"
        try:
            body, response = await self._http.request(
                "POST", "/threads/search", what=what, json_body=request.body()
            )
        except InvalidRequest:
            if not projected:
                raise
            # Aegra: 422 "select projection is not supported". Ask plainly; when that is
            # refused too, its reason (without the projection's) is the one to show.
            plain = request.model_copy(update={"select": None, "extract": None})
            body, response = await self._http.request(
                "POST", "/threads/search", what=what, json_body=plain.body()
            )
            capabilities.search_projection = projected = False
        if not isinstance(body, list):
            raise BadResponse(f"{what}: the server's answer is not a list of threads")
        if ids and any(isinstance(i, dict) and i.get("thread_id") not in ids for i in body):
            capabilities.search_ids = False  # Aegra: the filter is silently ignored
            return await self._search_by_ids(
                ids, metadata, status, limit=limit, offset=offset, select=select, extract=extract
            )
        if (select or extract) and not projected:
            body = [project(item, select, extract) for item in body]
        items = [parse_thread(item, what) for item in body]
        header = response.headers.get("X-Pagination-Next")
        next_offset: int | None
        if header is not None and header.strip().isdigit():
            next_offset = int(header)
        elif header is None and len(items) == limit:
            next_offset = offset + limit  # servers without the header: guess on full pages
        else:
            next_offset = None
        return SearchPage(items=items, offset=offset, next_offset=next_offset)

    async def _search_by_ids(
        self,
        ids: Sequence[str],
        metadata: dict[str, Any] | None,
        status: str | None,
        *,
        limit: int,
        offset: int,
        select: Sequence[str] | None,
        extract: dict[str, str] | None,
    ) -> SearchPage:
        items, next_offset = await read_by_ids(self._http, ids, metadata, status, limit=limit,
                                               offset=offset, select=select, extract=extract)
        return SearchPage(items=[parse_thread(item, "Searching threads") for item in items],
                          offset=offset, next_offset=next_offset)

    async def count(
        self,
        *,
        metadata: dict[str, Any] | None = None,
        values: dict[str, Any] | None = None,
        status: ThreadStatus | None = None,
    ) -> int:
        """How many threads match; :class:`Unsupported` on servers that cannot count."""
        capabilities = self._http.capabilities
        if not capabilities.count:
            raise Unsupported(COUNT_MISSING)
        request = ThreadCount(metadata=metadata or None, values=values or None, status=status)
        what = "Counting threads"
        try:
            body, _ = await self._http.request(
                "POST", "/threads/count", what=what, json_body=request.body()
            )
        except DeploymentError as exc:
            if not route_missing(exc):
                raise
            capabilities.count = False  # Aegra: 405
            raise Unsupported(COUNT_MISSING, status=exc.status, detail=exc.detail) from None
        if isinstance(body, bool) or not isinstance(body, int):
            raise BadResponse(f"{what}: the server's answer is not a number")
        return body

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
