"""Network and server faults at the client layer, against real server processes.

The server is really killed and restarted; slow answers, lost answers and resets are made by
a loopback proxy (tests/reliability/faultproxy.py) in front of the real server, because a real
server cannot produce them on demand.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from tests.reliability.conftest import Stats
from tests.reliability.faultproxy import FaultProxy
from tui.demo.server import LocalServer, free_port
from tui.deployment import (
    DeploymentClient,
    DeploymentError,
    Timeout,
    Timeouts,
    Unreachable,
)


async def test_server_not_running_at_start(stats: Stats) -> None:
    stats.faults += 1
    url = f"http://127.0.0.1:{free_port()}"
    async with DeploymentClient(url, retries=1) as client:
        started = time.monotonic()
        with pytest.raises(Unreachable) as info:
            await client.threads.search()
    assert time.monotonic() - started < 5
    message = str(info.value)
    assert url in message and "\n" not in message and "Traceback" not in message


async def test_server_killed_during_a_request(own_server: LocalServer, stats: Stats) -> None:
    stats.faults += 1
    async with DeploymentClient(own_server.url, retries=0) as client:
        thread = await client.threads.create()
        pending = asyncio.create_task(
            client.runs.wait(
                thread.thread_id, "agent",
                input={"messages": [{"type": "human", "content": "/slow 20 hi"}]},
            )
        )
        await asyncio.sleep(1.0)
        own_server.kill()
        started = time.monotonic()
        with pytest.raises(DeploymentError) as info:
            await asyncio.wait_for(pending, 10)
    assert time.monotonic() - started < 5  # fails fast, does not hang
    assert isinstance(info.value, Unreachable)
    assert "cannot reach" in str(info.value)


async def test_server_killed_and_restarted_same_client_recovers(
    own_server: LocalServer, stats: Stats
) -> None:
    stats.faults += 1
    port = own_server.port
    assert port is not None
    async with DeploymentClient(own_server.url) as client:
        assert await client.ok()
        own_server.kill()
        with pytest.raises(Unreachable):
            await client.threads.search()
        own_server.start(port=port)
        # the same client (and its connection pool) works again without being rebuilt
        thread = await client.threads.create(metadata={"after": "restart"})
        assert (await client.threads.get(thread.thread_id)).metadata == {"after": "restart"}


async def test_slow_answer_times_out_cleanly_and_fast_enough_ones_pass(
    server_url: str, stats: Stats
) -> None:
    port = int(server_url.rsplit(":", 1)[1])
    with FaultProxy(port) as proxy:
        proxy.set(delay=1.5)
        async with DeploymentClient(proxy.url, timeouts=Timeouts(read=0.5)) as impatient:
            with pytest.raises(Timeout) as info:
                await impatient.threads.search(limit=1)
        assert "did not answer in time" in str(info.value)
        async with DeploymentClient(proxy.url, timeouts=Timeouts(read=5)) as patient:
            page = await patient.threads.search(limit=1)
        assert page.offset == 0
        stats.faults += proxy.faults.injected
    assert proxy.faults.injected >= 2


async def test_reset_connection_is_retried_for_reads(server_url: str, stats: Stats) -> None:
    port = int(server_url.rsplit(":", 1)[1])
    with FaultProxy(port) as proxy:
        async with DeploymentClient(proxy.url) as client:
            proxy.set(reset_next=1)
            assert await client.ok()
            assert proxy.faults.log == ["reset_next"]
        stats.faults += proxy.faults.injected


async def test_a_write_after_a_pause_never_meets_a_connection_the_server_let_go(
    server_url: str, stats: Stats
) -> None:
    """A user reads a dialog for a few seconds, then sends (a fork, a copy, a run): the request
    must not go out on a kept-alive connection the server is closing just then. uvicorn (the
    Agent Server's) closes one after 5 s idle; a request that meets that close is lost unseen,
    and a copy or a run is not sent again (it might have been applied), so the user would read
    "cannot reach". Seen in CI: a fork into a copy failed so under load. The proxy closes any
    connection idle 4.5 s when a request arrives on it: a real server does that only by timing."""
    port = int(server_url.rsplit(":", 1)[1])
    with FaultProxy(port) as proxy:
        async with DeploymentClient(proxy.url) as client:
            thread = await client.threads.create(metadata={"graph_id": "agent"})
            proxy.set(stale_after=4.5)
            await asyncio.sleep(4.6)  # the user reads the dialog
            copy = await client.threads.copy(thread.thread_id)
            assert (await client.threads.get(copy.thread_id)).thread_id == copy.thread_id
            assert "stale" not in proxy.faults.log
        stats.faults += proxy.faults.injected


@pytest.mark.parametrize("prepopulated", [False, True])
async def test_lost_create_answer_makes_exactly_one_thread(
    server_url: str, client: DeploymentClient, stats: Stats, prepopulated: bool
) -> None:
    port = int(server_url.rsplit(":", 1)[1])
    tag = str(uuid.uuid4())
    supersteps = (
        [{"updates": [{"values": {}, "as_node": "__input__"}]},
         {"updates": [{"values": {"messages": [{"type": "human", "content": "hi"}]},
                       "as_node": "__start__"}]}]
        if prepopulated
        else None
    )
    with FaultProxy(port) as proxy:
        async with DeploymentClient(proxy.url) as flaky:
            await flaky.ok()  # warm the connection so the create gets a fresh one below
            proxy.set(lose_answers=1)
            thread = await flaky.threads.create(
                metadata={"graph_id": "agent", "batch": tag}, supersteps=supersteps
            )
        stats.faults += proxy.faults.injected
        assert "lose_answers" in proxy.faults.log
    assert await client.threads.count(metadata={"batch": tag}) == 1
    state = await client.threads.get_state(thread.thread_id)
    if prepopulated:
        assert [m["content"] for m in state.values["messages"]] == ["hi"]  # applied once
