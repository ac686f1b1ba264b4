"""The bundled scripts and the seeding of a fresh real server, checked through the API with the
official SDK as the oracle."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.scripts import GREETING
from tests.support import fixed_id
from tui.demo import seed as demo_seed
from tui.demo.server import LocalServer
from tui.deployment import DeploymentClient
from tui.supersteps.validate import validate


@pytest.fixture
async def fresh_client() -> AsyncIterator[DeploymentClient]:
    local = LocalServer().start()
    try:
        async with DeploymentClient(local.url, api_key=None) as client:
            yield client
    finally:
        local.stop()


async def test_bundled_scripts_are_valid_for_the_demo_graph(client: DeploymentClient) -> None:
    nodes = (await client.assistants.graph("agent")).node_names

    scripts = demo_seed.check(nodes)

    assert list(scripts) == ["approval", "tool_call", "greeting"]
    for name, script in scripts.items():
        assert validate(script, nodes) == [], name
        assert script.graph_id == "agent"


def test_the_greeting_is_the_seed_pages_script() -> None:
    body = json.loads(demo_seed.script_text("greeting"))

    assert body == {"metadata": {"graph_id": "agent"}, "supersteps": GREETING}


async def test_seeding_a_fresh_server(fresh_client: DeploymentClient, sdk: Any) -> None:
    ids = {c.name: fixed_id(f"demo-{c.name}") for c in demo_seed.CONVERSATIONS}

    seeded = await demo_seed.seed(fresh_client, thread_ids=ids)

    assert [(s.conversation.name, s.thread.thread_id, s.thread.status) for s in seeded] == [
        ("approval", ids["approval"], "interrupted"),
        ("tool_call", ids["tool_call"], "idle"),
        ("greeting", ids["greeting"], "idle"),
    ]
    assert await fresh_client.threads.count() == 3
    greeting = (await fresh_client.threads.get_state(ids["greeting"])).values
    assert [(m["type"], m["content"]) for m in greeting["messages"]] == [
        ("human", "hello"), ("ai", "Hello! How can I assist you today?")
    ]
    tools = (await fresh_client.threads.get_state(ids["tool_call"])).values
    assert [m["content"] for m in tools["messages"] if m["type"] == "ai" and m["content"]] == [
        "The result is 42.", "The result is 10."
    ]
    approval = await fresh_client.threads.get_state(ids["approval"])
    assert approval.next == ["human_review"]
    assert [i.value["question"] for i in approval.interrupts] == [
        "Send an email to ada@example.com?"
    ]
    thread = await fresh_client.threads.get(ids["approval"])
    assert thread.metadata["demo"] == "approval" and thread.metadata["graph_id"] == "agent"


async def test_the_approval_thread_behaves_like_a_live_one(
    fresh_client: DeploymentClient,
) -> None:
    """Approving the seeded interrupt runs the tool and the model, as the graph would."""
    seeded = {s.conversation.name: s.thread for s in await demo_seed.seed(fresh_client)}
    thread_id = seeded["approval"].thread_id

    await fresh_client.runs.wait(thread_id, "agent", command={"resume": "yes"})

    state = await fresh_client.threads.get_state(thread_id)
    assert state.next == []
    assert [m["content"] for m in state.values["messages"][-2:]] == [
        "email sent to ada@example.com", "Done: email sent to ada@example.com"
    ]


def test_a_broken_bundle_fails_before_anything_is_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bundled script with an unknown node (a packaging mistake, simulated) is refused."""
    original = demo_seed.script_text

    def broken(name: str) -> str:
        text = original(name)
        return text.replace('"call_model"', '"no_such_node"') if name == "tool_call" else text

    monkeypatch.setattr(demo_seed, "script_text", broken)

    with pytest.raises(demo_seed.SeedError, match=r"tool_call\.json is invalid: .*no_such_node"):
        demo_seed.check(["call_model", "human_review", "tools"])
