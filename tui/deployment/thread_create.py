"""Making threads: ``POST /threads`` (empty or prepopulated with supersteps) and copy.

A create is retried without making a second thread, and a prepopulated one is checked: the
server may drop the supersteps (Aegra), apply only some, or refuse one and leave the empty
thread row behind; each of these is a typed error, never a thread that looks prepopulated.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tui.deployment.capabilities import COPY_MISSING, route_missing, superstep_outcome
from tui.deployment.errors import (
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
from tui.deployment.models import IfExists, Thread, ThreadCreate, Ttl
from tui.deployment.thread_records import parse_thread

if TYPE_CHECKING:
    from tui.deployment.threads import Threads

__all__ = ["ThreadCreator", "copy_thread"]


class ThreadCreator:
    """Creates threads on ``http``; reads them back through ``threads``."""

    def __init__(self, http: Http, threads: Threads) -> None:
        self._http = http
        self._threads = threads

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
        ttl = Ttl(ttl=ttl_minutes) if ttl_minutes else None
        request = ThreadCreate(
            thread_id=thread_id,
            metadata=metadata,
            if_exists=if_exists,
            supersteps=list(supersteps) if supersteps else None,
            ttl=ttl,
        )
        return await self.create_body(request.body())

    async def create_body(self, body: Mapping[str, Any]) -> Thread:
        """``POST /threads`` with ``body`` sent whole: keys the models do not name (unknown
        top-level keys, ``ttl.strategy``) reach the server as written, and the server judges
        them. The thread id is chosen here when the body has none; retry and the supersteps
        checks are those of :meth:`create`."""
        what = "Creating the thread"
        supersteps = body.get("supersteps")
        if supersteps and not self._http.capabilities.supersteps:
            raise SuperstepsIgnored(None, deleted=False)
        chosen_id = body.get("thread_id") or str(uuid.uuid4())
        request = {**body, "thread_id": chosen_id}
        if not supersteps:
            request.pop("supersteps", None)  # an empty list means an empty thread: send none
        try:
            answer, response = await self._http.request(
                "POST", "/threads", what=what, json_body=request, idempotent=False
            )
        except (Unreachable, Timeout) as first:
            answer, response = await self._retry_create(request, first)
        except (InvalidRequest, ServerError) as refused:
            if supersteps:
                await self._raise_if_left_behind(chosen_id, refused)
            raise
        thread = await self._created(answer, response.status_code, chosen_id)
        if supersteps:
            await self._check_applied(thread.thread_id, len(supersteps),
                                      made_here=request.get("if_exists") != "do_nothing")
            if thread.values is None:
                # Measured on the Postgres runtime: the answer is the row before the
                # supersteps (no values, status "idle"); the thread as it now is needs a read.
                return await self._threads.get(thread.thread_id)
        return thread

    async def _check_applied(self, thread_id: str, count: int, *, made_here: bool) -> None:
        """Raise :class:`SuperstepsIgnored` when the new thread shows none of its supersteps.

        A state that cannot be read proves nothing either way: the create stands."""
        try:
            state = await self._threads.get_state(thread_id)
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
            await self._threads.delete(thread_id)
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
            await self._threads.get(thread_id)
        except NotFound:
            return False
        except DeploymentError:
            return None
        return True

    async def _retry_create(
        self, request: dict[str, Any], first: DeploymentError
    ) -> tuple[Any, Any]:
        what = "Creating the thread (retry)"
        thread_id = request["thread_id"]
        if request.get("supersteps"):
            try:
                existing = await self._threads.get(thread_id)
            except NotFound:
                existing = None
            except DeploymentError:
                raise first from None
            if existing is not None:
                # The first request got through; report what the server made of it.
                body, response = await self._http.request(
                    "GET", f"/threads/{q(thread_id)}", what=what
                )
                return body, response
            return await self._http.request(
                "POST", "/threads", what=what, json_body=request, idempotent=False
            )
        retry = {**request, "if_exists": "do_nothing"}
        return await self._http.request(
            "POST", "/threads", what=what, json_body=retry, idempotent=True
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


async def copy_thread(http: Http, thread_id: str) -> Thread:
    """A new thread with the same history; :class:`Unsupported` on servers without copy."""
    capabilities = http.capabilities
    if not capabilities.copy:
        raise Unsupported(COPY_MISSING)
    try:
        body, _ = await http.request(
            "POST", f"/threads/{q(thread_id)}/copy", what=f"Copying thread {thread_id}",
            json_body={}, idempotent=False,
        )
    except DeploymentError as exc:
        if not route_missing(exc):
            raise
        capabilities.copy = False
        raise Unsupported(COPY_MISSING, status=exc.status, detail=exc.detail) from None
    return parse_thread(body, "Copying the thread")
