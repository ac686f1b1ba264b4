"""The pieces of a run's streamed events, read from any of the shapes the server sends them in:
a message's id, its content as text, its role, the interrupts waiting, an error in words.

Pure (no Textual, no httpx); :mod:`tui.supersteps.stream` folds the events with these.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tui.message_text import STREAM, class_role, content_text

__all__ = [
    "PendingInterrupt",
    "error_text",
    "id_of",
    "interrupts_of",
    "role_of",
    "text_of",
]


@dataclass(frozen=True)
class PendingInterrupt:
    """One ``interrupt()`` waiting for a resume value."""

    value: Any
    id: str | None = None
    node: str | None = None


# ---------------------------------------------------------------- small message helpers


def id_of(message: Any) -> str | None:
    if isinstance(message, Mapping):
        value = message.get("id")
        return value if isinstance(value, str) and value else None
    return None


def text_of(content: Any) -> str:
    """A message's content as plain text (the text parts of a list of content blocks)."""
    return content_text(content, STREAM)


def role_of(kind: Any) -> str:
    """``ai``, ``human``, ``tool``, … from a message's type (chunk and class names too)."""
    if not isinstance(kind, str) or not kind:
        return "ai"
    return class_role(kind)


def interrupts_of(value: Any, node: str | None = None) -> list[PendingInterrupt]:
    """Interrupts from any of the shapes the server uses: a list of ``{"value", "id"}``, a
    thread record's ``{task_id: [...]}``, or a state's ``interrupts`` list."""
    found: list[PendingInterrupt] = []
    if isinstance(value, Mapping) and not {"value", "id"} & set(value):
        for items in value.values():
            found.extend(interrupts_of(items, node))
        return found
    items = value if isinstance(value, list) else [value] if isinstance(value, Mapping) else []
    for item in items:
        if isinstance(item, Mapping) and "value" in item:
            ident = item.get("id")
            found.append(PendingInterrupt(item.get("value"), ident if isinstance(ident, str)
                                          else None, node))
    return found


def error_text(data: Any) -> str:
    if isinstance(data, Mapping):
        kind = data.get("error")
        message = data.get("message")
        if isinstance(kind, str) and isinstance(message, str) and message.strip():
            return f"{kind}: {message.strip()}"
        if isinstance(kind, str):
            return kind
        if isinstance(message, str):
            return message.strip()
    if isinstance(data, str):
        return data.strip()
    return json.dumps(data, ensure_ascii=False, default=str)
