"""The bundled demo graph: deterministic, no LLM, no network.

State: ``messages`` (add_messages) and ``turns`` (a counter the model node increments).

Nodes:
- ``call_model`` answers the last message with a fake chat model (so ``messages`` streaming
  works token by token). A question with arithmetic in it ("what is 6*7?") makes it emit a
  ``calculator`` tool call; "send an email to ..." emits a ``send_email`` tool call, which needs
  approval. After a tool result it states the result.
- ``human_review`` asks for approval of a ``send_email`` call with ``interrupt()``; resuming with
  "yes" runs the tool, anything else answers the call with a refusal.
- ``tools`` runs the tool calls of the last AI message deterministically.

A human message containing ``/slow N`` makes ``call_model`` take N seconds (for cancel demos).
"""

from __future__ import annotations

import ast
import asyncio
import operator
import re
from typing import Annotated, Any, Literal

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import interrupt
from typing_extensions import TypedDict


class State(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    turns: Annotated[int, operator.add]


_ARITH = re.compile(r"[-+*/().\d\s]*\d[-+*/().\d\s]*[-+*/][-+*/().\d\s]*\d[-+*/().\d\s]*")
_EMAIL = re.compile(r"send an? e-?mail to\s+(\S+)", re.IGNORECASE)
_SLOW = re.compile(r"/slow\s+(\d+(?:\.\d+)?)")

_OPS: dict[type, Any] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def calculate(expression: str) -> str:
    """Evaluate + - * / and parentheses over numbers; anything else is an error string."""

    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return float(_OPS[type(node.op)](ev(node.left), ev(node.right)))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
            return float(_OPS[type(node.op)](ev(node.operand)))
        raise ValueError("unsupported expression")

    try:
        result = ev(ast.parse(expression.strip(), mode="eval"))
    except (SyntaxError, ValueError, ZeroDivisionError) as exc:
        return f"error: {exc}"
    return str(int(result)) if result.is_integer() else repr(round(result, 10))


def _text(message: AnyMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return " ".join(
        part.get("text", "") if isinstance(part, dict) else str(part) for part in content
    )


def _call_id(prefix: str, messages: list[AnyMessage]) -> str:
    return f"call_{prefix}_{len(messages)}"


def _reply(messages: list[AnyMessage]) -> AIMessage:
    if not messages:
        return AIMessage(content="Hello! How can I assist you today?")
    last = messages[-1]
    if isinstance(last, ToolMessage):
        if last.name == "send_email":
            return AIMessage(content=f"Done: {_text(last)}")
        return AIMessage(content=f"The result is {_text(last)}.")
    text = _text(last)
    if isinstance(last, HumanMessage):
        email = _EMAIL.search(text)
        if email:
            return AIMessage(
                content="",
                tool_calls=[
                    {
                        "name": "send_email",
                        "args": {"to": email.group(1).rstrip(".,!?"), "body": text},
                        "id": _call_id("send_email", messages),
                        "type": "tool_call",
                    }
                ],
            )
        arith = _ARITH.search(_SLOW.sub("", text))
        if arith:
            return AIMessage(
                content="",
                tool_calls=[
                    {
                        "name": "calculator",
                        "args": {"expression": arith.group(0).strip()},
                        "id": _call_id("calculator", messages),
                        "type": "tool_call",
                    }
                ],
            )
        if text.strip().lower().rstrip("!.") in {"hello", "hi", "hey"}:
            return AIMessage(content="Hello! How can I assist you today?")
        return AIMessage(content=f"You said: {text}")
    return AIMessage(content="Hello! How can I assist you today?")


async def call_model(state: State) -> dict[str, Any]:
    messages = state.get("messages", [])
    if messages and isinstance(messages[-1], HumanMessage):
        slow = _SLOW.search(_text(messages[-1]))
        if slow:
            await asyncio.sleep(min(float(slow.group(1)), 60.0))
    reply = _reply(messages)
    if reply.tool_calls:
        return {"messages": [reply], "turns": 1}
    model = GenericFakeChatModel(messages=iter([reply]))
    answer = await model.ainvoke(messages)
    return {"messages": [answer], "turns": 1}


def route(state: State) -> Literal["tools", "human_review", "__end__"]:
    messages = state.get("messages", [])
    last = messages[-1] if messages else None
    if isinstance(last, AIMessage) and last.tool_calls:
        if any(call["name"] == "send_email" for call in last.tool_calls):
            return "human_review"
        return "tools"
    return "__end__"


def human_review(state: State) -> dict[str, Any]:
    last = state["messages"][-1]
    assert isinstance(last, AIMessage)
    call = next(c for c in last.tool_calls if c["name"] == "send_email")
    answer = interrupt(
        {
            "question": f"Send an email to {call['args'].get('to')}?",
            "tool_call": {"name": call["name"], "args": call["args"], "id": call["id"]},
        }
    )
    approved = str(answer).strip().lower() in {"yes", "y", "approve", "approved", "true", "ok"}
    if approved:
        return {}
    refusals = [
        ToolMessage(content="The user declined.", tool_call_id=c["id"], name=c["name"])
        for c in last.tool_calls
    ]
    return {"messages": refusals}


def after_review(state: State) -> Literal["tools", "call_model"]:
    last = state["messages"][-1]
    return "call_model" if isinstance(last, ToolMessage) else "tools"


def tools(state: State) -> dict[str, Any]:
    last = state["messages"][-1]
    results: list[AnyMessage] = []
    if isinstance(last, AIMessage):
        for call in last.tool_calls:
            if call["name"] == "calculator":
                content = calculate(str(call["args"].get("expression", "")))
            elif call["name"] == "send_email":
                content = f"email sent to {call['args'].get('to')}"
            else:
                content = f"error: unknown tool {call['name']}"
            results.append(ToolMessage(content=content, tool_call_id=call["id"], name=call["name"]))
    return {"messages": results}


builder = StateGraph(State)
builder.add_node("call_model", call_model)
builder.add_node("human_review", human_review)
builder.add_node("tools", tools)
builder.add_edge(START, "call_model")
builder.add_conditional_edges("call_model", route)
builder.add_conditional_edges("human_review", after_review)
builder.add_edge("tools", "call_model")

graph = builder.compile()
