"""Superstep scripts used across tests: the seed page's greeting and friends."""

from __future__ import annotations

import uuid
from typing import Any

GREETING: list[dict[str, Any]] = [
    {"updates": [{"values": {}, "as_node": "__input__"}]},
    {"updates": [{"values": {"messages": [{"type": "human", "content": "hello"}]},
                  "as_node": "__start__"}]},
    {"updates": [{"values": {"messages": [
        {"content": "Hello! How can I assist you today?", "type": "ai"}]},
        "as_node": "call_model"}]},
]

TOOL_CALL: list[dict[str, Any]] = [
    {"updates": [{"values": {}, "as_node": "__input__"}]},
    {"updates": [{"values": {"messages": [{"type": "human", "content": "what is 6*7?"}]},
                  "as_node": "__start__"}]},
    {"updates": [{"values": {"messages": [{"type": "ai", "content": "", "tool_calls": [
        {"name": "calculator", "args": {"expression": "6*7"}, "id": "call_1",
         "type": "tool_call"}]}]}, "as_node": "call_model"}]},
    {"updates": [{"values": {"messages": [
        {"type": "tool", "content": "42", "tool_call_id": "call_1", "name": "calculator"}]},
        "as_node": "tools"}]},
    {"updates": [{"values": {"messages": [{"type": "ai", "content": "The result is 42."}]},
                  "as_node": "call_model"}]},
]

SEVERAL_IN_ONE: list[dict[str, Any]] = [
    {"updates": [{"values": {}, "as_node": "__input__"}]},
    {"updates": [{"values": {"messages": [{"type": "human", "content": "hi"}]},
                  "as_node": "__start__"}]},
    {"updates": [
        {"values": {"messages": [{"type": "ai", "content": "one"}]}, "as_node": "call_model"},
        {"values": {"turns": 5}, "as_node": "tools"},
    ]},
]

COMMAND_GOTO: list[dict[str, Any]] = [
    {"updates": [{"values": {}, "as_node": "__input__"}]},
    {"updates": [{"values": {"messages": [{"type": "human", "content": "hello"}]},
                  "as_node": "__start__"}]},
    {"updates": [{
        "values": None,
        "command": {"update": {"messages": [{"type": "ai", "content": "routed"}]}, "goto": "tools"},
        "as_node": "call_model",
    }]},
]

END_STEP: list[dict[str, Any]] = [
    {"updates": [{"values": {}, "as_node": "__input__"}]},
    {"updates": [{"values": {"messages": [{"type": "human", "content": "bye"}]},
                  "as_node": "__start__"}]},
    {"updates": [{"values": {"messages": [{"type": "ai", "content": "Goodbye!"}]},
                  "as_node": "call_model"}]},
    {"updates": [{"values": None, "as_node": "__end__"}]},
]


def long_conversation(n_messages: int = 200) -> list[dict[str, Any]]:
    """One __start__ update holding ``n_messages`` alternating human / ai messages."""
    messages = [
        {"type": "human" if i % 2 == 0 else "ai", "content": f"message {i}"}
        for i in range(n_messages)
    ]
    return [
        {"updates": [{"values": {}, "as_node": "__input__"}]},
        {"updates": [{"values": {"messages": messages}, "as_node": "__start__"}]},
    ]


def meta(graph_id: str = "agent", **extra: Any) -> dict[str, Any]:
    return {"graph_id": graph_id, **extra}


def suite_marker() -> str:
    """A unique ``suite`` value for a test's threads that the search bar reads as text: a
    letter first (a bare hex string such as ``210429e72104`` or ``123456789012`` is a JSON
    number there, so the search would look for a number and find none)."""
    return f"s{uuid.uuid4().hex[:11]}"
