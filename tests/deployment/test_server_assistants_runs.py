"""``/ok``, ``/info``, assistants and runs against the real Agent Server."""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest

from tests.scripts import GREETING, meta
from tui.deployment import DeploymentClient, NotFound


async def test_ok_and_info(client: DeploymentClient, server_kind: str) -> None:
    assert await client.ok() is True
    info = await client.info()
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", info.version or ""), info.version
    if server_kind == "inmem":  # our own `langgraph dev`: the pinned langgraph-api
        assert info.version == version("langgraph-api")


async def test_assistants_search_get_graph_schemas(client: DeploymentClient) -> None:
    assistants = await client.assistants.search()
    agent = next(a for a in assistants if a.graph_id == "agent")
    fetched = await client.assistants.get(agent.assistant_id)
    assert fetched.assistant_id == agent.assistant_id
    by_name = await client.assistants.graph("agent")
    by_id = await client.assistants.graph(agent.assistant_id)
    assert by_name.node_names == by_id.node_names
    assert set(by_name.node_names) == {"call_model", "human_review", "tools"}
    schemas = await client.assistants.schemas("agent")  # resolved to the UUID for us
    assert "messages" in schemas.state_schema["properties"]
    assert "turns" in schemas.state_schema["properties"]
    assert await client.assistants.resolve_id("agent") == agent.assistant_id
    with pytest.raises(NotFound):
        await client.assistants.resolve_id("no-such-graph")


async def test_run_wait_continues_a_prepopulated_conversation(client: DeploymentClient) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    values = await client.runs.wait(
        thread.thread_id, "agent",
        input={"messages": [{"type": "human", "content": "what is 6*7?"}]},
    )
    contents = [m["content"] for m in values["messages"]]
    assert contents[:2] == ["hello", "Hello! How can I assist you today?"]
    assert contents[-1] == "The result is 42."


async def test_run_stream_modes(client: DeploymentClient) -> None:
    thread = await client.threads.create()
    events = [
        part
        async for part in client.runs.stream(
            thread.thread_id, "agent",
            input={"messages": [{"type": "human", "content": "tell me a story"}]},
            stream_mode=["values", "updates", "messages-tuple"],
        )
    ]
    kinds = [p.event for p in events]
    assert kinds[0] == "metadata" and "run_id" in events[0].data
    assert "values" in kinds and "updates" in kinds
    tokens = [p.data[0]["content"] for p in events if p.event == "messages"]
    assert "".join(tokens) == "You said: tell me a story"
    assert len(tokens) > 1  # streamed token by token, not one blob
    final = [p for p in events if p.event == "values"][-1].data
    assert final["messages"][-1]["content"] == "You said: tell me a story"


async def test_run_interrupt_resume_list_get(client: DeploymentClient) -> None:
    thread = await client.threads.create()
    parts = [
        part
        async for part in client.runs.stream(
            thread.thread_id, "agent",
            input={"messages": [{"type": "human", "content": "send an email to bob@example.com"}]},
            stream_mode=["updates"],
        )
    ]
    interrupt = next(p.data["__interrupt__"] for p in parts if "__interrupt__" in (p.data or {}))
    assert interrupt[0]["value"]["question"] == "Send an email to bob@example.com?"
    state = await client.threads.get_state(thread.thread_id)
    assert state.next == ["human_review"]
    assert (await client.threads.get(thread.thread_id)).status == "interrupted"
    values = await client.runs.wait(thread.thread_id, "agent", command={"resume": "yes"})
    assert values["messages"][-1]["content"] == "Done: email sent to bob@example.com"
    runs = await client.runs.list(thread.thread_id)
    assert len(runs) == 2 and all(r.status == "success" for r in runs)
    run = await client.runs.get(thread.thread_id, runs[0].run_id)
    assert run.run_id == runs[0].run_id


async def test_background_run_join_and_cancel(client: DeploymentClient) -> None:
    thread = await client.threads.create()
    run = await client.runs.create(
        thread.thread_id, "agent",
        input={"messages": [{"type": "human", "content": "/slow 30 hello"}]},
    )
    await client.runs.cancel(thread.thread_id, run.run_id, wait=True)
    cancelled = await client.runs.get(thread.thread_id, run.run_id)
    assert cancelled.status == "interrupted"

    quick = await client.runs.create(
        thread.thread_id, "agent",
        input={"messages": [{"type": "human", "content": "/slow 1 hi"}]},
    )
    joined = [p async for p in client.runs.join_stream(thread.thread_id, quick.run_id)]
    assert any(p.event == "values" for p in joined)
    done = await client.runs.get(thread.thread_id, quick.run_id)
    assert done.status == "success"
