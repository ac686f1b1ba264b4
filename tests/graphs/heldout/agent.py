"""A graph the app does not bundle, for export/replay tests: several writers per step,
an interrupt, and reducers other than add_messages.

State: ``messages`` (add_messages), ``topic`` (last value wins), ``log`` (operator.add over
lists), ``count`` (operator.add over ints). Nodes: ``call_model`` (answers; a "calc" request
makes a tool call, an "approve" request routes to ``approve``), ``tools`` (answers tool calls),
``approve`` (``interrupt()`` asks for approval). No LLM, no network.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import interrupt
from typing_extensions import TypedDict


class State(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    topic: str
    log: Annotated[list[str], operator.add]
    count: Annotated[int, operator.add]


def call_model(state: State) -> dict[str, Any]:
    messages = state.get("messages") or []
    last = messages[-1] if messages else None
    if isinstance(last, HumanMessage) and "calc" in str(last.content):
        call = {"name": "calc", "args": {"q": str(last.content)}, "id": f"c{len(messages)}"}
        reply = AIMessage(content="", tool_calls=[call])
    elif isinstance(last, ToolMessage):
        reply = AIMessage(content=f"result: {last.content}")
    else:
        reply = AIMessage(content=f"echo: {last.content if last else ''}")
    return {"messages": [reply], "count": 1, "log": ["call_model"]}


def tools(state: State) -> dict[str, Any]:
    last = (state.get("messages") or [None])[-1]
    calls = getattr(last, "tool_calls", None) or []
    return {
        "messages": [ToolMessage(content="42", tool_call_id=c["id"], name=c["name"])
                     for c in calls],
        "log": ["tools"],
    }


def approve(state: State) -> dict[str, Any]:
    answer = interrupt({"question": "approve?", "topic": state.get("topic")})
    return {"log": [f"approved:{answer}"], "messages": [AIMessage(content=f"approved: {answer}")]}


def route(state: State) -> str:
    messages = state.get("messages") or []
    last = messages[-1] if messages else None
    if isinstance(last, AIMessage) and last.tool_calls:
        return "tools"
    human = [m for m in messages if isinstance(m, HumanMessage)]
    if human and "approve" in str(human[-1].content) and not isinstance(last, ToolMessage):
        return "approve"
    return END


builder = StateGraph(State)
builder.add_node("call_model", call_model)
builder.add_node("tools", tools)
builder.add_node("approve", approve)
builder.add_edge(START, "call_model")
builder.add_conditional_edges("call_model", route, ["tools", "approve", END])
builder.add_edge("tools", "call_model")
builder.add_edge("approve", END)
graph = builder.compile()
