"""``create_from_script``: a script's body reaches ``POST /threads`` whole, against the real
server — keys the models do not name (unknown top-level keys, ``ttl.strategy``) are sent as
written, and the outcome is what the server answers to that body sent straight to it."""

from __future__ import annotations

import copy
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.scripts import GREETING, meta
from tests.services.wire import CreateBodies, server_answer
from tui.deployment import DeploymentClient, InvalidRequest
from tui.services.create import create_from_script
from tui.supersteps.model import Script


@pytest.fixture
async def wired(server_url: str) -> AsyncIterator[tuple[DeploymentClient, CreateBodies]]:
    wire = CreateBodies(server_url)
    async with DeploymentClient(server_url, api_key=None, transport=wire) as client:
        yield client, wire


def script_body(**fields: Any) -> dict[str, Any]:
    """A script as a file holds it, through the domain model (as the CLI and the editor do)."""
    return Script.from_body({"metadata": meta(), "supersteps": GREETING, **fields}).to_body()


async def test_an_unknown_top_level_key_reaches_the_wire_and_the_server_judges_it(
    wired: tuple[DeploymentClient, CreateBodies], server_url: str
) -> None:
    client, wire = wired
    body = script_body(x_threadloom_probe={"kept": [1, 2]})
    direct = copy.deepcopy(body) | {"thread_id": str(uuid.uuid4())}
    answer = await server_answer(server_url, direct)

    if answer < 300:
        thread = await create_from_script(client, body)
        state = await client.threads.get_state(thread.thread_id)
        assert [m["content"] for m in state.values["messages"]] == [
            "hello", "Hello! How can I assist you today?"]
    else:
        with pytest.raises(InvalidRequest):
            await create_from_script(client, body)

    sent = wire.bodies[0]
    assert sent["x_threadloom_probe"] == {"kept": [1, 2]}
    assert {k: v for k, v in sent.items() if k != "thread_id"} == body


@pytest.mark.parametrize("strategy", ["delete", "keep_latest"])
async def test_ttl_with_its_strategy_arrives_as_written(
    wired: tuple[DeploymentClient, CreateBodies], strategy: str
) -> None:
    client, wire = wired
    ttl = {"ttl": 45, "strategy": strategy}

    thread = await create_from_script(client, script_body(ttl=ttl))

    assert wire.bodies[0]["ttl"] == ttl  # the models name only "delete": sent as written
    again = await client.threads.get(thread.thread_id)
    assert again.metadata.get("graph_id") == "agent"
    assert (await client.threads.get_state(thread.thread_id)).values["messages"]


async def test_a_ttl_the_validator_refuses_is_never_sent(
    wired: tuple[DeploymentClient, CreateBodies]
) -> None:
    client, wire = wired
    for ttl in ({"ttl": 0}, {"ttl": -5, "strategy": "delete"}, {"strategy": "delete"}, 5):
        with pytest.raises(InvalidRequest, match="ttl"):
            await create_from_script(client, script_body(ttl=ttl))
    assert wire.bodies == []


async def test_an_empty_script_makes_an_empty_thread_with_the_chosen_id(
    wired: tuple[DeploymentClient, CreateBodies]
) -> None:
    client, wire = wired
    chosen = str(uuid.uuid4())

    thread = await create_from_script(client, Script(thread_id=chosen).to_body())

    assert thread.thread_id == chosen
    assert wire.bodies == [{"thread_id": chosen, "metadata": {}}]  # no empty supersteps list
