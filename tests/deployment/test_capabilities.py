"""Capability detection (tui.deployment.capabilities): its pure parts, and that on the full
Agent Server nothing falls back — while the check of a prepopulated create runs on every server.
(The fallbacks themselves are tested against a real Aegra in tests/aegra/.)"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.scripts import GREETING, meta
from tests.support import PortRewrite
from tui.deployment import (
    BadResponse,
    DeploymentClient,
    DeploymentError,
    NotFound,
)
from tui.deployment.capabilities import (
    Capabilities,
    extract_path,
    matches,
    project,
    route_missing,
    superstep_outcome,
)

RECORD = {"thread_id": "t", "status": "idle", "metadata": {"a": 1, "b": "x"},
          "values": {"messages": [{"content": "one"}, {"content": "two"}]}}


@pytest.mark.parametrize(("path", "expected"), [
    ("values.messages[-1].content", "two"),
    ("values.messages[0].content", "one"),
    ("values.messages[2].content", None),
    ("values.messages[-3]", None),
    ("values.nothing[0]", None),
    ("metadata.b", "x"),
    ("status.deeper", None),
])
def test_extract_path_reads_the_servers_syntax(path: str, expected: Any) -> None:
    assert extract_path(RECORD, path) == expected


def test_project_keeps_the_selected_columns_and_extracts_from_values() -> None:
    projected = project(RECORD, ["status"], {"preview": "values.messages[-1].content"})
    assert projected == {"thread_id": "t", "status": "idle", "extracted": {"preview": "two"}}
    bare = project({"thread_id": "t", "status": "idle"}, ["status"], {"p": "values.x"})
    assert bare == {"thread_id": "t", "status": "idle", "extracted": {"p": None}}


def test_matches_applies_metadata_containment_and_status() -> None:
    assert matches(RECORD, {"a": 1}, "idle")
    assert not matches(RECORD, {"a": 2}, None)
    assert not matches(RECORD, None, "busy")
    assert not matches({"thread_id": "t"}, {"a": 1}, None)


def test_route_missing_tells_a_missing_route_from_a_missing_thread() -> None:
    assert route_missing(BadResponse("x", status=405, detail="Method Not Allowed"))
    assert route_missing(NotFound("x", status=404, detail="Not Found"))
    assert not route_missing(NotFound("x", status=404, detail="Thread with ID t not found"))
    assert not route_missing(DeploymentError("x", status=409, detail="Conflict"))


def test_superstep_outcome_needs_a_checkpoint_and_enough_steps() -> None:
    assert superstep_outcome(None, None, 3) == "dropped"
    assert superstep_outcome("c", 1, 3) == "applied"  # __input__ is -1: three end at step 1
    assert superstep_outcome("c", 0, 3) == "partial"  # not empty: kept, and said so
    assert superstep_outcome("c", None, 3) == "applied"  # a server that does not number steps


class Recording(PortRewrite):
    """Passes every request to the real server unchanged, and notes its method and path."""

    def __init__(self, real_url: str) -> None:
        super().__init__(real_url)
        self.seen: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, request.url.path))
        return await super().handle_async_request(request)


@pytest.mark.parametrize("supersteps", [
    GREETING,
    [{"updates": [{"values": {}, "as_node": "__input__"}]}],
    [{"updates": [{"values": None, "as_node": "__end__"}]}],
    [{"updates": [{"values": {"turns": 1}, "as_node": "call_model"}]}],
])
async def test_a_prepopulated_create_is_checked_and_passes_on_the_agent_server(
    server_url: str, supersteps: list[dict[str, Any]]
) -> None:
    recording = Recording(server_url)
    async with DeploymentClient(server_url, transport=recording) as client:
        thread = await client.threads.create(metadata=meta(), supersteps=supersteps)

        assert ("GET", f"/threads/{thread.thread_id}/state") in recording.seen
        assert client._http.capabilities.supersteps is True
        await client.threads.get(thread.thread_id)  # kept, not deleted


async def test_nothing_falls_back_on_the_agent_server(client: DeploymentClient) -> None:
    source = await client.threads.create(metadata=meta(), supersteps=GREETING)

    page = await client.threads.search(ids=[source.thread_id], select=["thread_id"],
                                       extract={"preview": "values.messages[-1].content"})
    await client.threads.count()
    copy = await client.threads.copy(source.thread_id)
    graph = await client.assistants.graph("agent")
    assistants = await client.assistants.search(limit=1000)

    assert [t.extracted for t in page.items] == [
        {"preview": "Hello! How can I assist you today?"}]
    assert "values" not in page.items[0].model_fields_set  # the server did the projection
    assert copy.thread_id != source.thread_id and graph.node_names
    assert {a.graph_id for a in assistants} == {"agent"}
    assert client._http.capabilities == Capabilities()

