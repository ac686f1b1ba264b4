"""Run streams that go wrong in ways a real server cannot be made to produce on demand — a
stream that ends before the run exists, a connection that drops mid-run — faked with an
``httpx.MockTransport`` (everything else the panel asks is answered like the real server
answers it). Neither may ever be reported as a success."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

from tests.app.runs_harness import SIZE, RunsApp, panel_text, wait_until
from tui.deployment import DeploymentClient

RUN = {"run_id": "r1", "thread_id": "t", "status": "running"}
THREAD = {"thread_id": "t", "status": "idle", "metadata": {"graph_id": "agent"}, "interrupts": {}}


class DropsAfter(httpx.AsyncByteStream):
    """Sends ``chunks`` then loses the connection."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")


def server(stream: httpx.AsyncByteStream | bytes) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/threads/search":
            return httpx.Response(200, json=[THREAD])
        if path == "/assistants/search":
            return httpx.Response(200, json=[])
        if path == "/threads/t/runs/stream":
            headers = {"content-type": "text/event-stream"}
            if isinstance(stream, bytes):
                return httpx.Response(200, headers=headers, content=stream)
            return httpx.Response(200, headers=headers, stream=stream)
        if path == "/threads/t/runs/r1":
            return httpx.Response(200, json=RUN)
        if path == "/threads/t/state":
            return httpx.Response(200, json={"values": {"messages": []}, "next": ["call_model"]})
        if path == "/threads/t/history":
            return httpx.Response(200, json=[])
        return httpx.Response(404, json={"detail": f"not faked: {path}"})

    return httpx.MockTransport(handle)


def app_with(transport: httpx.MockTransport) -> RunsApp:
    def setup(app: RunsApp) -> None:
        app.client = DeploymentClient("http://127.0.0.1:2024", transport=transport, retries=0)
        app.runs.show_thread("t")

    return RunsApp(setup)


async def send(pilot: Any, text: str) -> None:
    runs = pilot.app.runs
    runs.action_focus_composer()
    runs.input.value = text
    await pilot.press("enter")


async def test_a_stream_that_ends_before_the_run_exists_gives_the_text_back() -> None:
    app = app_with(server(b""))
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await wait_until(pilot, lambda: "⚠" in panel_text(app), what="the problem")
        assert "⚠ The server ended the stream without starting a run." in panel_text(app)
        assert app.runs.progress is None
        assert app.runs.input.value == "hello"


async def test_a_stream_that_drops_mid_run_says_so_and_offers_to_join() -> None:
    metadata = f"event: metadata\ndata: {json.dumps({'run_id': 'r1'})}\n\n".encode()
    values = b'event: values\ndata: {"messages": []}\n\n'
    app = app_with(server(DropsAfter([metadata, values])))
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await wait_until(pilot, lambda: app.runs.progress is not None
                         and app.runs.progress.finished, what="the broken stream")
        progress = app.runs.progress
        assert progress is not None and progress.status == "running"  # the API's word
        text = " ".join(panel_text(app).split())
        assert "success" not in text
        assert "⚠ The stream broke: Running the graph: cannot reach" in text
        assert "The run goes on on the server: J joins it again." in text
