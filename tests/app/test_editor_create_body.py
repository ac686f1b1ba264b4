"""The editor sends its script's body whole: what the request models do not name (unknown
top-level keys, ``ttl.strategy``) reaches ``POST /threads`` as written — seen on the wire in
front of the real server, the thread read back through the client."""

from __future__ import annotations

from tests.app.editor_support import EditorHost, graph_ready, wait_for
from tests.scripts import GREETING, meta
from tests.services.wire import CreateBodies
from tui.deployment import DeploymentClient
from tui.supersteps.model import Script

SIZE = (140, 44)


async def test_unknown_keys_and_the_ttl_strategy_reach_the_wire(
    server_url: str, client: DeploymentClient
) -> None:
    wire = CreateBodies(server_url)
    ttl = {"ttl": 20, "strategy": "keep_latest"}
    body = {"metadata": meta(), "supersteps": GREETING, "ttl": ttl,
            "x_threadloom_probe": {"from": "the editor"}}
    app = EditorHost(server_url)
    async with app.run_test(size=SIZE) as pilot:
        app.client = app.spec.client(wire)
        editor = await graph_ready(pilot)
        await wait_for(pilot, lambda: editor.client is app.client, what="the wired client")
        editor.load(Script.from_body(body))
        await pilot.pause()
        editor.action_create()
        await wait_for(pilot, lambda: editor.last_created is not None, what="the thread")
    [sent] = wire.bodies
    assert sent["ttl"] == ttl
    assert {k: v for k, v in sent.items() if k != "thread_id"} == body
    assert sent["thread_id"] == editor.last_created
    state = await client.threads.get_state(editor.last_created)
    assert [m["content"] for m in state.values["messages"]] == [
        "hello", "Hello! How can I assist you today?"]


async def test_a_ttl_that_is_not_positive_is_pinned_and_nothing_is_sent(server_url: str) -> None:
    wire = CreateBodies(server_url)
    app = EditorHost(server_url)
    async with app.run_test(size=SIZE) as pilot:
        app.client = app.spec.client(wire)
        editor = await graph_ready(pilot)
        await wait_for(pilot, lambda: editor.client is app.client, what="the wired client")
        editor.load(Script.from_body({"metadata": meta(), "supersteps": GREETING,
                                      "ttl": {"ttl": 0, "strategy": "delete"}}))
        await pilot.pause()
        editor.action_create()
        await pilot.pause()
        assert any(p.field == "ttl.ttl" for p in editor.problems)
        assert not editor.busy
    assert wire.bodies == []
