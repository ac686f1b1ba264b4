"""LangChain message dicts as the server accepts them in ``values["messages"]``.

Builders make the dicts (``human``, ``ai``, ``system``, ``tool``, ``tool_call``); list helpers
edit a messages list without changing the original; ``summarize_message`` gives a one-line
plain-text preview for lists and trees (no markup, no control characters).

The server coerces each message with LangChain's ``convert_to_messages``: a dict needs ``type``
(or ``role``) and ``content``; a bare string becomes a human message; a ``[role, content]`` pair
works too. Accepted types (measured): human/user, ai/assistant, system/developer, tool, function,
and ``remove`` (deletes the earlier message with that ``id``; it still needs ``content``).

A message dict is not a serialized message: keys other than the ones in ``MESSAGE_FIELDS``
(e.g. ``usage_metadata``, ``invalid_tool_calls`` from server output) land in
``additional_kwargs``. ``creatable_message`` drops them so state read from a server can be
written back unchanged.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from tui.message_text import (
    PREVIEW,
    STREAM,
    SUMMARY,
    TRANSCRIPT,
    TextStyle,
    canonical_type,
    content_text,
)
from tui.supersteps.model import Update
from tui.supersteps.ops import EditError

__all__ = [
    "MESSAGE_FIELDS",
    "MESSAGE_TYPES",
    "PREVIEW",
    "STREAM",
    "SUMMARY",
    "TRANSCRIPT",
    "MessageSummary",
    "TextStyle",
    "ai",
    "canonical_type",
    "compact_message",
    "content_text",
    "creatable_message",
    "delete_message",
    "human",
    "insert_message",
    "message_type",
    "messages_of",
    "move_message",
    "new_tool_call_id",
    "remove",
    "replace_message",
    "stray_message_keys",
    "summarize_message",
    "system",
    "tool",
    "tool_call",
    "tool_calls_of",
    "update_messages",
    "with_messages",
]

Content = str | list[Any]

MESSAGE_TYPES: frozenset[str] = frozenset(
    {"human", "user", "ai", "assistant", "system", "developer", "tool", "function", "remove"}
)
"""Every ``type``/``role`` the server's message coercion accepts."""

_COMMON_FIELDS = frozenset(
    {"type", "role", "content", "name", "id", "additional_kwargs", "response_metadata"}
)
MESSAGE_FIELDS: dict[str, frozenset[str]] = {
    "human": _COMMON_FIELDS | {"example"},
    "ai": _COMMON_FIELDS | {"example", "tool_calls"},
    "system": _COMMON_FIELDS,
    "function": _COMMON_FIELDS,
    "tool": _COMMON_FIELDS | {"tool_call_id", "artifact", "status"},
    "remove": _COMMON_FIELDS,
}
"""Per canonical type, the dict keys the server turns into message fields."""

def new_tool_call_id(factory: Callable[[], str] | None = None) -> str:
    """A fresh tool call id (``call_`` + 24 hex digits), or whatever ``factory`` returns."""
    if factory is not None:
        return factory()
    return "call_" + uuid.uuid4().hex[:24]


def _base(kind: str, content: Content, id: str | None, name: str | None) -> dict[str, Any]:
    message: dict[str, Any] = {"type": kind, "content": content}
    if name is not None:
        message["name"] = name
    if id is not None:
        message["id"] = id
    return message


def human(content: Content, *, id: str | None = None, name: str | None = None) -> dict[str, Any]:
    return _base("human", content, id, name)


def system(content: Content, *, id: str | None = None) -> dict[str, Any]:
    return _base("system", content, id, None)


def tool_call(
    name: str,
    args: Mapping[str, Any] | None = None,
    *,
    id: str | None = None,
    id_factory: Callable[[], str] | None = None,
) -> dict[str, Any]:
    """``{"name", "args", "id", "type": "tool_call"}``; a missing id comes from ``id_factory``."""
    return {
        "name": name,
        "args": dict(args or {}),
        "id": id if id is not None else new_tool_call_id(id_factory),
        "type": "tool_call",
    }


def ai(
    content: Content = "",
    *,
    tool_calls: Sequence[Mapping[str, Any]] | None = None,
    id: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    message = _base("ai", content, id, name)
    if tool_calls:
        message["tool_calls"] = [dict(call) for call in tool_calls]
    return message


def tool(
    content: Content,
    tool_call_id: str,
    *,
    name: str | None = None,
    id: str | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    """A tool result answering the AI tool call ``tool_call_id`` (``status``: success/error)."""
    message = _base("tool", content, id, name)
    message["tool_call_id"] = tool_call_id
    if status is not None:
        message["status"] = status
    return message


def remove(id: str) -> dict[str, Any]:
    """Delete the earlier message with this id (``add_messages`` semantics)."""
    return {"type": "remove", "id": id, "content": ""}


# -- reading ------------------------------------------------------------------------------------


def message_type(message: object) -> str | None:
    """The canonical type of any accepted message form, or None when it has none."""
    if isinstance(message, str):
        return "human"
    if isinstance(message, list | tuple) and len(message) == 2 and isinstance(message[0], str):
        return canonical_type(message[0])
    if isinstance(message, Mapping):
        kind = message["role"] if "role" in message else message.get("type")
        if isinstance(kind, str):
            return canonical_type(kind)
    return None


def tool_calls_of(message: object) -> list[Any]:
    """The ``tool_calls`` list of an AI message dict (empty for anything else)."""
    if isinstance(message, Mapping):
        calls = message.get("tool_calls")
        if isinstance(calls, list):
            return calls
    return []


def messages_of(values: object) -> list[Any]:
    """``values["messages"]`` as a list (a single message counts as a list of one)."""
    if not isinstance(values, Mapping):
        return []
    messages = values.get("messages")
    if messages is None:
        return []
    if isinstance(messages, list):
        return list(messages)
    return [messages]


def update_messages(update: Update) -> list[Any]:
    """The messages an update writes: from ``values`` or from ``command.update``."""
    if update.command is not None:
        return messages_of(update.command.update)
    return messages_of(update.values)


def with_messages(values: object, messages: Sequence[Any]) -> dict[str, Any]:
    """A copy of ``values`` (an object, or nothing) with ``messages`` replaced."""
    base = dict(values) if isinstance(values, Mapping) else {}
    base["messages"] = list(messages)
    return base


# -- editing a list (always a new list) ---------------------------------------------------------


def _check(messages: Sequence[Any], index: int) -> None:
    if not 0 <= index < len(messages):
        raise EditError(f"no message {index + 1} (there are {len(messages)})")


def insert_message(messages: Sequence[Any], index: int, message: Any) -> list[Any]:
    if not 0 <= index <= len(messages):
        raise EditError(f"cannot insert a message at position {index + 1}")
    result = list(messages)
    result.insert(index, message)
    return result


def replace_message(messages: Sequence[Any], index: int, message: Any) -> list[Any]:
    _check(messages, index)
    result = list(messages)
    result[index] = message
    return result


def delete_message(messages: Sequence[Any], index: int) -> list[Any]:
    _check(messages, index)
    result = list(messages)
    del result[index]
    return result


def move_message(messages: Sequence[Any], index: int, to_index: int) -> list[Any]:
    _check(messages, index)
    _check(messages, to_index)
    result = list(messages)
    result.insert(to_index, result.pop(index))
    return result


# -- server output back to input ---


def stray_message_keys(message: object) -> list[str]:
    """Keys of a message dict that are not message fields (they end in additional_kwargs)."""
    kind = message_type(message)
    if not isinstance(message, Mapping) or kind not in MESSAGE_FIELDS:
        return []
    return [key for key in message if key not in MESSAGE_FIELDS[kind]]


def creatable_message(message: Any) -> Any:
    """A message read from the server, minus the keys the create endpoint would misplace into
    ``additional_kwargs`` (``invalid_tool_calls``, ``usage_metadata``, ...)."""
    stray = stray_message_keys(message)
    if not stray:
        return message
    return {key: value for key, value in message.items() if key not in stray}


_DEFAULTS: dict[str, Any] = {  # what the server fills in for a message dict
    "additional_kwargs": {},
    "response_metadata": {},
    "name": None,
    "example": False,
    "tool_calls": [],
    "invalid_tool_calls": [],
    "usage_metadata": None,
    "artifact": None,
}


def compact_message(message: Any) -> Any:
    """Drop the fields the server fills in with defaults (``additional_kwargs: {}``,
    ``name: null``, ``tool_calls: []``, a tool's ``status: "success"``, ...).

    Creating a thread from the compact form gives the same state: the server adds them back.
    """
    if not isinstance(message, Mapping):
        return message
    result = {
        key: value
        for key, value in message.items()
        if not (key in _DEFAULTS and value == _DEFAULTS[key])
    }
    if message_type(message) == "tool" and result.get("status") == "success":
        del result["status"]
    return result


# -- display ------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")


class MessageSummary(NamedTuple):
    role: str
    """Canonical type (human, ai, system, tool, function) or ``?`` for something unreadable."""
    preview: str
    """One line of plain text: no newlines, no control characters, at most ``width`` long."""


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", _CONTROL.sub("", text.replace("\x1b", " "))).strip()


def _call_text(call: object) -> str:
    if not isinstance(call, Mapping):
        return "?()"
    name = call.get("name")
    args = call.get("args")
    rendered = json.dumps(args, ensure_ascii=False, default=str) if args else ""
    return f"{name if isinstance(name, str) else '?'}({rendered})"


def summarize_message(message: object, width: int = 80) -> MessageSummary:
    """Role and a one-line preview: text, then ``→ tool(args)`` for AI tool calls; a tool
    result reads ``name: content``."""
    kind = message_type(message)
    if isinstance(message, str):
        text = message
    elif isinstance(message, list | tuple) and kind is not None:
        text = content_text(message[1])
    elif isinstance(message, Mapping):
        text = content_text(message.get("content"))
        calls = tool_calls_of(message)
        if calls:
            called = ", ".join(_call_text(call) for call in calls)
            text = f"{text} → {called}" if text.strip() else f"→ {called}"
        name = message.get("name")
        if kind == "tool" and isinstance(name, str) and name:
            text = f"{name}: {text}"
    else:
        text = json.dumps(message, ensure_ascii=False, default=str)
    preview = _one_line(text)
    if width > 0 and len(preview) > width:
        preview = preview[: max(width - 1, 0)].rstrip() + "…"
    return MessageSummary(kind or "?", preview)
