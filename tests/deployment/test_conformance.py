"""What Threadloom creates equals what the official ``langgraph_sdk`` creates from the same input.

Both threads are read back through the API (by the SDK) and compared on ``values`` (ignoring the
message ids the server assigns), ``next`` and history length.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.scripts import (
    COMMAND_GOTO,
    END_STEP,
    GREETING,
    SEVERAL_IN_ONE,
    TOOL_CALL,
    long_conversation,
    meta,
)
from tui.deployment import DeploymentClient


def _without_ids(values: Any) -> Any:
    if isinstance(values, dict):
        return {k: _without_ids(v) for k, v in values.items() if k != "id"}
    if isinstance(values, list):
        return [_without_ids(v) for v in values]
    return values


async def _read(sdk: Any, thread_id: str) -> tuple[Any, list[str], int]:
    state = await sdk.threads.get_state(thread_id)
    history = await sdk.threads.get_history(thread_id, limit=1000)
    return _without_ids(state["values"]), state["next"], len(history)


SCRIPTS = {
    "greeting": GREETING,
    "tool_call_and_result": TOOL_CALL,
    "several_updates_in_one_superstep": SEVERAL_IN_ONE,
    "command_with_goto": COMMAND_GOTO,
    "end": END_STEP,
    "200_messages": long_conversation(200),
    "input_only": GREETING[:1],
}


@pytest.mark.parametrize("name", list(SCRIPTS))
async def test_prepopulated_thread_equals_sdk(
    name: str, client: DeploymentClient, sdk: Any
) -> None:
    supersteps = SCRIPTS[name]
    ours = await client.threads.create(metadata=meta(case=name), supersteps=supersteps)
    theirs = await sdk.threads.create(metadata=meta(case=name), supersteps=supersteps)
    our_values, our_next, our_len = await _read(sdk, ours.thread_id)
    their_values, their_next, their_len = await _read(sdk, theirs["thread_id"])
    assert our_values == their_values
    assert our_next == their_next
    assert our_len == their_len == len(supersteps)
    if name == "200_messages":
        assert len(our_values["messages"]) == 200


async def test_empty_thread_equals_sdk(client: DeploymentClient, sdk: Any) -> None:
    ours = await client.threads.create()
    theirs = await sdk.threads.create()
    assert await _read(sdk, ours.thread_id) == await _read(sdk, theirs["thread_id"])
    assert (await sdk.threads.get(ours.thread_id))["metadata"] == theirs["metadata"] == {}


async def test_copy_equals_sdk_copy(client: DeploymentClient, sdk: Any) -> None:
    source = await client.threads.create(metadata=meta(), supersteps=TOOL_CALL)
    ours = await client.threads.copy(source.thread_id)
    theirs = await sdk.threads.copy(source.thread_id)
    ours_read = await _read(sdk, ours.thread_id)
    assert ours_read == await _read(sdk, theirs["thread_id"])
    assert ours_read == await _read(sdk, source.thread_id)
