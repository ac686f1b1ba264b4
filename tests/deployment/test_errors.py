"""Typed errors: each failure a user can meet becomes one clear ``DeploymentError``."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.scripts import meta
from tui.demo.server import free_port
from tui.deployment import (
    BadResponse,
    Conflict,
    DeploymentClient,
    DeploymentError,
    InvalidRequest,
    NotFound,
    ServerError,
    SuperstepsRejected,
    ThreadCreatedWithProblems,
    Timeout,
    Timeouts,
    Unreachable,
)
from tui.deployment.http import LIMITS
from tui.deployment.tls import tls_context


async def test_unreachable_port() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    async with DeploymentClient(url, retries=1) as dead:
        with pytest.raises(Unreachable) as info:
            await dead.threads.search()
    assert url in str(info.value)
    assert "\n" not in str(info.value)


async def test_not_found_names_the_thread(client: DeploymentClient) -> None:
    missing = str(uuid.uuid4())
    with pytest.raises(NotFound, match=missing):
        await client.threads.get_state(missing)


async def test_conflict_on_duplicate_id(client: DeploymentClient) -> None:
    thread = await client.threads.create()
    with pytest.raises(Conflict) as info:
        await client.threads.create(thread_id=thread.thread_id, if_exists="raise")
    assert info.value.status == 409


async def test_invalid_thread_id_is_422_with_server_text(client: DeploymentClient) -> None:
    with pytest.raises(InvalidRequest) as info:
        await client.threads.create(thread_id="not-a-uuid")
    assert info.value.status == 422
    assert "UUID" in str(info.value)


async def left_behind(sdk: Any, thread_id: str) -> bool:
    """Whether the thread exists, asked through the official SDK (the oracle)."""
    from langgraph_sdk.errors import NotFoundError

    try:
        await sdk.threads.get(thread_id)
    except NotFoundError:
        return False
    return True


async def assert_tells_what_was_left(error: InvalidRequest, thread_id: str, sdk: Any) -> None:
    """Servers differ in what a failed superstep leaves (the in-memory one keeps the empty
    thread row, the Postgres one nothing); the error must say which, truthfully."""
    if await left_behind(sdk, thread_id):
        assert isinstance(error, ThreadCreatedWithProblems)
        assert error.thread_id == thread_id
        assert thread_id in str(error) and "behind, empty" in str(error)
        assert (await sdk.threads.get(thread_id))["values"] in (None, {})
    else:
        assert isinstance(error, SuperstepsRejected)
        assert str(error).endswith("(no thread was created)")
        assert "behind" not in str(error)


async def test_201_without_thread_id_names_the_empty_thread(
    client: DeploymentClient, sdk: Any
) -> None:
    # Both servers answer 201 with only a detail saying the thread "was created, but".
    chosen = str(uuid.uuid4())
    with pytest.raises(InvalidRequest) as info:
        await client.threads.create(
            thread_id=chosen,
            metadata={"no": "graph"},  # no graph_id: the server cannot apply supersteps
            supersteps=[{"updates": [{"values": {}, "as_node": "__input__"}]}],
        )
    assert "has no assigned graph ID" in str(info.value)
    await assert_tells_what_was_left(info.value, chosen, sdk)


async def test_unknown_node_reports_the_thread_left_behind(
    client: DeploymentClient, sdk: Any
) -> None:
    chosen = str(uuid.uuid4())
    with pytest.raises(InvalidRequest) as info:
        await client.threads.create(
            thread_id=chosen, metadata=meta(),
            supersteps=[{"updates": [{"values": {}, "as_node": "nope"}]}],
        )
    assert "Node nope does not exist" in str(info.value)
    assert info.value.status == 400
    await assert_tells_what_was_left(info.value, chosen, sdk)


async def test_command_without_goto_500_then_connection_still_usable(
    client: DeploymentClient, sdk: Any
) -> None:
    # The server answers 500 and may reset the kept-alive connection afterwards; the next
    # (idempotent) call must still succeed.
    chosen = str(uuid.uuid4())
    with pytest.raises(InvalidRequest) as info:
        await client.threads.create(
            thread_id=chosen, metadata=meta(),
            supersteps=[{"updates": [{"command": {"update": {}}, "as_node": "call_model"}]}],
        )
    assert info.value.status == 500
    await assert_tells_what_was_left(info.value, chosen, sdk)
    assert await client.ok()
    assert (await client.threads.search(limit=1)).items


async def test_read_timeout(server_url: str) -> None:
    async with DeploymentClient(server_url, timeouts=Timeouts(read=0.5)) as slow:
        thread = await slow.threads.create()
        with pytest.raises(Timeout) as info:
            await slow.runs.wait(
                thread.thread_id, "agent",
                input={"messages": [{"type": "human", "content": "/slow 3 hi"}]},
            )
    assert "did not answer in time" in str(info.value)


# The two faults below cannot be produced by the real server on demand, so these tests use
# httpx.MockTransport to play a broken server.


async def test_plain_text_500_is_server_error() -> None:
    def crash(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, text="Internal Server Error")

    async with DeploymentClient(
        "http://fake.invalid", transport=httpx.MockTransport(crash)
    ) as fake:
        with pytest.raises(ServerError) as info:
            await fake.threads.get(str(uuid.uuid4()))
    assert "Internal Server Error" in str(info.value)
    assert info.value.status == 500


async def test_non_json_body_is_bad_response() -> None:
    def html(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="<html>login</html>")

    async with DeploymentClient("http://fake.invalid", transport=httpx.MockTransport(html)) as fake:
        with pytest.raises(BadResponse, match="not JSON"):
            await fake.threads.search()


async def test_wrong_shape_is_bad_response() -> None:
    def wrong(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"threads": []})

    async with DeploymentClient(
        "http://fake.invalid", transport=httpx.MockTransport(wrong)
    ) as fake:
        with pytest.raises(BadResponse):
            await fake.threads.search()


async def test_auth_error_and_key_never_in_message() -> None:
    seen: list[httpx.Request] = []

    def deny(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(403, json={"detail": "bad key sk-secret-123"})

    async with DeploymentClient(
        "http://fake.invalid", api_key="sk-secret-123", transport=httpx.MockTransport(deny)
    ) as fake:
        with pytest.raises(DeploymentError) as info:
            await fake.threads.search()
    assert seen[0].headers["x-api-key"] == "sk-secret-123"
    assert "sk-secret-123" not in str(info.value)
    assert "API key" in str(info.value)


async def test_api_key_from_sdk_env_vars(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LANGGRAPH_API_KEY", raising=False)
    monkeypatch.setenv("LANGSMITH_API_KEY", "from-langsmith")
    monkeypatch.setenv("LANGCHAIN_API_KEY", "from-langchain")
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    async with DeploymentClient(
        "http://fake.invalid", transport=httpx.MockTransport(record),
        headers={"Authorization": "Bearer custom"},
    ) as fake:
        assert await fake.ok()
    assert seen[0].headers["x-api-key"] == "from-langsmith"
    assert seen[0].headers["authorization"] == "Bearer custom"
    assert "from-langsmith" not in repr(fake) and "from-langsmith" not in repr(fake.connection)


async def test_create_retry_after_lost_answer_makes_one_thread(client: DeploymentClient) -> None:
    # A real server that processes the create, then a connection that drops the answer:
    # played by forwarding to the real server and raising ReadError for the first response.
    real = httpx.AsyncHTTPTransport(verify=tls_context(), limits=LIMITS)
    calls: list[str] = []

    class LoseFirstAnswer(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = await real.handle_async_request(request)
            calls.append(f"{request.method} {request.url.path}")
            if len(calls) == 1:
                await response.aread()
                raise httpx.ReadError("connection reset by peer")
            return response

    tag = str(uuid.uuid4())
    for supersteps in (None, [{"updates": [{"values": {}, "as_node": "__input__"}]}]):
        calls.clear()
        async with DeploymentClient(client.url, transport=LoseFirstAnswer()) as flaky:
            thread = await flaky.threads.create(
                metadata=meta(batch=tag), supersteps=supersteps
            )
        assert calls[0] == "POST /threads"
        assert (await client.threads.get(thread.thread_id)).metadata["batch"] == tag
    assert await client.threads.count(metadata={"batch": tag}) == 2


async def test_hostile_thread_ids_stay_inside_their_path_segment(
    client: DeploymentClient,
) -> None:
    # '/' and '..' must not reach another endpoint; control characters are refused cleanly.
    with pytest.raises(DeploymentError) as info:
        await client.threads.get("../assistants/search")
    assert not isinstance(info.value, BadResponse)
    with pytest.raises(DeploymentError):
        await client.threads.get("abc\x1b[31m\n")


async def test_too_deeply_nested_bodies_are_typed_errors(client: DeploymentClient) -> None:
    deep: object = "x"
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(InvalidRequest, match="cannot be sent"):
        await client.threads.create(metadata={"deep": deep})

    # A fake server answering with 100,000 levels of nesting (a real one refuses to store it).
    def nested(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"[" * 100_000 + b"]" * 100_000)

    async with DeploymentClient(
        "http://fake.invalid", transport=httpx.MockTransport(nested)
    ) as fake:
        with pytest.raises(BadResponse, match="nested too deeply"):
            await fake.threads.search()
