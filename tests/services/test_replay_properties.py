"""Property: any superstep script the server accepts, created with the official SDK, is
recreated exactly by Threadloom's replay on another deployment of the same graph (and by its
export, created with ``threadloom create``'s client) — compared through the SDK — or refused
by name (the checkpoint it would get wrong), leaving nothing behind. Never a silently
different thread. ``hypothesis.event`` counts the refusals (``--hypothesis-show-statistics``):
updates made as nodes that were not due and wrote nothing leave no trace in the history but
their routing, and some such combinations are refused.

Scripts mix several updates per superstep, tool calls and their results, keys with reducers
other than ``add_messages`` (``operator.add`` on a list and on a number, a last-value key),
``goto`` commands and up to a few hundred messages. Both servers are real (``heldout``)."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from tests.services.conftest import Pair, observed
from tui.deployment import DeploymentClient
from tui.services.export import export_thread, replay_thread

NODES = ["call_model", "tools", "approve", "__start__"]
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@st.composite
def message_batch(draw: st.DrawFn) -> list[dict[str, Any]]:
    size = draw(st.sampled_from([1, 1, 2, 3, 40]))
    out: list[dict[str, Any]] = []
    for i in range(size):
        kind = draw(st.sampled_from(["human", "ai", "ai_call", "tool"]))
        content = draw(text)
        if kind == "ai_call":
            call_id = f"call_{draw(st.integers(0, 10**6))}_{i}"
            out.append({"type": "ai", "content": content, "tool_calls": [
                {"name": "calc", "args": {"q": content}, "id": call_id, "type": "tool_call"}]})
        elif kind == "tool":
            out.append({"type": "tool", "content": content, "tool_call_id": f"t{i}",
                        "name": "calc"})
        else:
            out.append({"type": kind, "content": content})
    return out


@st.composite
def update_values(draw: st.DrawFn, lone: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if draw(st.booleans()):
        values["messages"] = draw(message_batch())
    if draw(st.booleans()):
        values["log"] = draw(st.lists(text, max_size=3))
    if draw(st.booleans()):
        values["count"] = draw(st.integers(-5, 5))
    if lone and draw(st.booleans()):  # last-value: one writer per superstep
        values["topic"] = draw(text)
    return values


@st.composite
def scripts(draw: st.DrawFn) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = [{"updates": [{"as_node": "__input__", "values": {}}]}]
    steps.append({"updates": [{"as_node": "__start__",
                               "values": {"messages": draw(message_batch())}}]})
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 9)) == 0:
            steps.append({"updates": [{"as_node": "__input__", "values": {}}]})
            continue
        nodes = draw(st.lists(st.sampled_from(NODES), min_size=1, max_size=3, unique=True))
        updates = []
        for position, node in enumerate(nodes):
            values = draw(update_values(lone=position == 0))
            if draw(st.integers(0, 5)) == 0 and node != "__start__":
                goto = draw(st.sampled_from(["call_model", "tools", "approve"]))
                updates.append({"as_node": node, "values": None,
                                "command": {"goto": goto, "update": values or None}})
            else:
                updates.append({"as_node": node, "values": values})
        steps.append({"updates": updates})
    return steps


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


async def _replay(pair: Pair, thread_id: str) -> tuple[str | None, list[str]]:
    async with DeploymentClient(pair.source, api_key=None) as source, \
            DeploymentClient(pair.target, api_key=None) as target:
        outcome = await replay_thread(source, thread_id, target)
        losses = [loss.line() for loss in outcome.losses]
        return (outcome.thread.thread_id if outcome.thread else None), losses


async def _export_and_create(pair: Pair, thread_id: str) -> tuple[str | None, list[str]]:
    async with DeploymentClient(pair.source, api_key=None) as source, \
            DeploymentClient(pair.target, api_key=None) as target:
        outcome = await export_thread(source, thread_id, compact=True)
        if outcome.losses:
            return None, [loss.line() for loss in outcome.losses]
        body = outcome.script.to_body()
        created = await target.threads.create(metadata=body["metadata"],
                                              supersteps=body["supersteps"])
        return created.thread_id, []


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=scripts())
def test_any_accepted_script_replays_exactly_or_is_refused_by_name(
    heldout: Pair, sdk_a: Any, sdk_b: Any, steps: list[dict[str, Any]]
) -> None:
    try:
        original = sdk_a.threads.create(metadata={"graph_id": "agent"}, supersteps=steps)
    except Exception:  # the server refused the script (e.g. two writes of a last-value key)
        assume(False)
    assume("thread_id" in original)
    before = sdk_b.threads.count()

    replayed, losses = _run(_replay(heldout, original["thread_id"]))

    if losses:
        event("refused")
        assert replayed is None and sdk_b.threads.count() == before  # nothing left behind
        assert all(line.startswith("checkpoint ") and " (step " in line for line in losses)
        return
    event("exact")
    assert replayed is not None
    assert observed(sdk_b, replayed) == observed(sdk_a, original["thread_id"])


@settings(max_examples=100, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=scripts())
def test_any_accepted_script_exports_exactly_or_is_refused_by_name(
    heldout: Pair, sdk_a: Any, sdk_b: Any, steps: list[dict[str, Any]]
) -> None:
    try:
        original = sdk_a.threads.create(metadata={"graph_id": "agent"}, supersteps=steps)
    except Exception:  # the server refused the script
        assume(False)
    assume("thread_id" in original)
    before = sdk_a.threads.count()

    created, losses = _run(_export_and_create(heldout, original["thread_id"]))

    assert sdk_a.threads.count() == before  # the trial threads are gone
    if losses:
        event("refused")
        assert all(line.startswith("checkpoint ") and " (step " in line for line in losses)
        return
    event("exact")
    assert created is not None
    assert observed(sdk_b, created) == observed(sdk_a, original["thread_id"])
