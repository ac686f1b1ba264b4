"""Runs on a thread: stream (SSE), wait, background create, join, cancel, list."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from typing import Any, Literal

from pydantic import ValidationError

from tui.deployment.errors import BadResponse
from tui.deployment.http import Http, q
from tui.deployment.models import (
    MultitaskStrategy,
    Run,
    RunCommand,
    RunCreate,
    StreamMode,
    StreamPart,
)


def _parse_run(body: Any, what: str) -> Run:
    try:
        return Run.model_validate(body)
    except ValidationError:
        raise BadResponse(f"{what}: the server's answer is not a run") from None


def _part(event: str, data: str, event_id: str | None) -> StreamPart:
    try:
        decoded: Any = json.loads(data) if data else None
    except ValueError:
        decoded = data
    return StreamPart(event=event or "message", data=decoded, id=event_id or None)


class Runs:
    def __init__(self, http: Http) -> None:
        self._http = http

    @staticmethod
    def _request(
        assistant_id: str,
        *,
        input: Any = None,
        command: dict[str, Any] | None = None,
        stream_mode: Sequence[StreamMode] | None = None,
        multitask_strategy: MultitaskStrategy | None = None,
        checkpoint_id: str | None = None,
        config: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        interrupt_before: Sequence[str] | None = None,
        interrupt_after: Sequence[str] | None = None,
        on_disconnect: Literal["cancel", "continue"] | None = None,
    ) -> dict[str, Any]:
        request = RunCreate(
            assistant_id=assistant_id,
            input=input,
            command=RunCommand.model_validate(command) if command else None,
            stream_mode=list(stream_mode) if stream_mode else None,
            multitask_strategy=multitask_strategy,
            checkpoint_id=checkpoint_id,
            config=config,
            metadata=metadata,
            interrupt_before=list(interrupt_before) if interrupt_before else None,
            interrupt_after=list(interrupt_after) if interrupt_after else None,
            on_disconnect=on_disconnect,
        )
        return request.body()

    async def stream(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Any = None,
        command: dict[str, Any] | None = None,
        stream_mode: Sequence[StreamMode] = ("values",),
        multitask_strategy: MultitaskStrategy | None = None,
        checkpoint_id: str | None = None,
        config: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        on_disconnect: Literal["cancel", "continue"] | None = None,
    ) -> AsyncIterator[StreamPart]:
        """Start a run and yield its server-sent events as they arrive.

        The first part is ``metadata`` with the ``run_id``; an ``error`` part carries the run's
        failure. ``thread_id=None`` runs statelessly.
        """
        body = self._request(
            assistant_id, input=input, command=command, stream_mode=stream_mode,
            multitask_strategy=multitask_strategy, checkpoint_id=checkpoint_id, config=config,
            metadata=metadata, on_disconnect=on_disconnect,
        )
        path = f"/threads/{q(thread_id)}/runs/stream" if thread_id else "/runs/stream"
        async with self._http.sse("POST", path, what="Running the graph", json_body=body) as src:
            async for event in src.aiter_sse():
                yield _part(event.event, event.data, event.id)

    async def join_stream(self, thread_id: str, run_id: str) -> AsyncIterator[StreamPart]:
        """Follow a run already in progress (``GET …/runs/{run_id}/stream``)."""
        path = f"/threads/{q(thread_id)}/runs/{q(run_id)}/stream"
        async with self._http.sse("GET", path, what=f"Joining run {run_id}") as src:
            async for event in src.aiter_sse():
                yield _part(event.event, event.data, event.id)

    async def wait(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Any = None,
        command: dict[str, Any] | None = None,
        multitask_strategy: MultitaskStrategy | None = None,
        checkpoint_id: str | None = None,
        config: dict[str, Any] | None = None,
    ) -> Any:
        """Run to completion and return the thread's final values."""
        body = self._request(
            assistant_id, input=input, command=command, multitask_strategy=multitask_strategy,
            checkpoint_id=checkpoint_id, config=config,
        )
        path = f"/threads/{q(thread_id)}/runs/wait" if thread_id else "/runs/wait"
        result, _ = await self._http.request(
            "POST", path, what="Running the graph", json_body=body, idempotent=False
        )
        return result

    async def create(
        self,
        thread_id: str,
        assistant_id: str,
        *,
        input: Any = None,
        command: dict[str, Any] | None = None,
        multitask_strategy: MultitaskStrategy | None = None,
    ) -> Run:
        """Start a background run and return at once."""
        body = self._request(
            assistant_id, input=input, command=command, multitask_strategy=multitask_strategy
        )
        what = "Starting a run"
        result, _ = await self._http.request(
            "POST", f"/threads/{q(thread_id)}/runs", what=what, json_body=body, idempotent=False
        )
        return _parse_run(result, what)

    async def list(
        self, thread_id: str, *, limit: int = 10, status: str | None = None
    ) -> list[Run]:
        what = f"Listing the runs of thread {thread_id}"
        params: dict[str, Any] = {"limit": limit}
        if status:
            params["status"] = status
        body, _ = await self._http.request(
            "GET", f"/threads/{q(thread_id)}/runs", what=what, params=params
        )
        if not isinstance(body, list):
            raise BadResponse(f"{what}: the server's answer is not a list")
        return [_parse_run(item, what) for item in body]

    async def get(self, thread_id: str, run_id: str) -> Run:
        what = f"Reading run {run_id}"
        body, _ = await self._http.request(
            "GET", f"/threads/{q(thread_id)}/runs/{q(run_id)}", what=what
        )
        return _parse_run(body, what)

    async def cancel(
        self,
        thread_id: str,
        run_id: str,
        *,
        wait: bool = False,
        action: Literal["interrupt", "rollback"] = "interrupt",
    ) -> None:
        await self._http.request(
            "POST", f"/threads/{q(thread_id)}/runs/{q(run_id)}/cancel",
            what=f"Cancelling run {run_id}",
            params={"wait": "true" if wait else "false", "action": action},
            expect_json=False,
        )
