"""End to end against the real Agent Server: build the seed page's conversations in the editor
with keys only, create them, and check through the official SDK (the oracle) what the server
made of them."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.app.editor_support import (
    editor_of,
    graph_ready,
    real_app,
    thread_values,
    type_text,
    wait_for,
    without_ids,
)
from tests.scripts import GREETING, TOOL_CALL

# The seed page's output for the greeting, without the server-made message ids.
SEED_MESSAGES = [
    {"content": "hello", "additional_kwargs": {}, "response_metadata": {}, "type": "human",
     "name": None, "example": False},
    {"content": "Hello! How can I assist you today?", "additional_kwargs": {},
     "response_metadata": {}, "type": "ai", "name": None, "example": False, "tool_calls": [],
     "invalid_tool_calls": [], "usage_metadata": None},
]


async def add_superstep(pilot: Pilot[Any], as_node: str) -> None:
    """In the outline: A adds a superstep, enter goes to as_node, enter comes back."""
    await pilot.press("A", "enter")
    await type_text(pilot, as_node)
    await pilot.press("enter")


async def add_message(pilot: Pilot[Any], kind_key: str, text: str,
                      extra: tuple[str, ...] = ()) -> None:
    """m goes to the messages; h/a/s/t opens the dialog; ctrl+s keeps; escape: outline."""
    await pilot.press("m", kind_key)
    await type_text(pilot, text)
    await pilot.press(*extra, "ctrl+s", "escape")


async def create(pilot: Pilot[Any]) -> str:
    editor = editor_of(pilot.app)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: editor.last_created is not None, what="the created thread")
    assert editor.last_created is not None
    return editor.last_created


async def test_the_seed_greeting_built_with_keys_only(server_url: str, sdk: Any) -> None:
    app = real_app(server_url)
    async with app.run_test(size=(160, 48)) as pilot:
        editor = await graph_ready(pilot)
        await pilot.press("2")  # the editor pane (its outline)
        await add_superstep(pilot, "__input__")
        await add_superstep(pilot, "__start__")
        await add_message(pilot, "h", "hello")
        await add_superstep(pilot, "call_model")
        await add_message(pilot, "a", "Hello! How can I assist you today?")

        assert editor.script.to_body()["supersteps"] == GREETING
        assert editor.problems == []
        thread_id = await create(pilot)

        # Selected in the list and opened in the state viewer.
        await wait_for(pilot, lambda: thread_id in app.threads.by_id, what="the list row")
        assert app.viewer.thread_id == thread_id

    thread = await sdk.threads.get(thread_id)
    assert thread["metadata"]["graph_id"] == "agent"
    values = await thread_values(sdk, thread_id)
    messages = without_ids(values["messages"])
    assert [(m["type"], m["content"]) for m in messages] == [
        (m["type"], m["content"]) for m in SEED_MESSAGES]
    for got, shown in zip(messages, SEED_MESSAGES, strict=True):
        # Every field the page shows has the page's value (this langchain drops "example").
        assert {k: got[k] for k in shown if k in got} == {k: shown[k] for k in shown
                                                          if k in got}
        assert set(shown) - set(got) <= {"example"}
    # The oracle: the SDK creating the page's script gives the same state.
    oracle = await sdk.threads.create(graph_id="agent", supersteps=GREETING)
    oracle_values = await thread_values(sdk, oracle["thread_id"])
    assert without_ids(oracle_values["messages"]) == without_ids(values["messages"])


async def test_a_tool_calling_conversation_built_with_keys_only(
    server_url: str, sdk: Any
) -> None:
    app = real_app(server_url)
    async with app.run_test(size=(160, 48)) as pilot:
        editor = await graph_ready(pilot)
        editor.id_factory = lambda: "call_1"  # the id the dialog proposes for a new call
        await pilot.press("2")
        await add_superstep(pilot, "__input__")
        await add_superstep(pilot, "__start__")
        await add_message(pilot, "h", "what is 6*7?")
        await add_superstep(pilot, "call_model")
        # ctrl+t adds a tool call: name, tab, JSON args (the id is proposed).
        await pilot.press("m", "a", "ctrl+t")
        await type_text(pilot, "calculator")
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, '{"expression": "6*7"}')
        await pilot.press("ctrl+s", "escape")
        await add_superstep(pilot, "tools")
        # The tool message answers the open call (proposed), named after the tool.
        await add_message(pilot, "t", "42")
        await add_superstep(pilot, "call_model")
        await add_message(pilot, "a", "The result is 42.")

        assert editor.script.to_body()["supersteps"] == TOOL_CALL
        assert editor.problems == []
        thread_id = await create(pilot)

    values = await thread_values(sdk, thread_id)
    oracle = await sdk.threads.create(graph_id="agent", supersteps=TOOL_CALL)
    expected = await thread_values(sdk, oracle["thread_id"])
    assert without_ids(values["messages"]) == without_ids(expected["messages"])
    assert [m["type"] for m in values["messages"]] == ["human", "ai", "tool", "ai"]
    assert values["messages"][1]["tool_calls"][0]["name"] == "calculator"
    assert values["messages"][2]["tool_call_id"] == "call_1"
    state = await sdk.threads.get_state(thread_id)
    assert state["next"] == (await sdk.threads.get_state(oracle["thread_id"]))["next"]
