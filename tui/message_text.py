"""Message vocabulary, written once: role names and a message's content as text.

Pure stdlib and light (no pydantic): the thread list's rows use it on the app's first frame,
before ``tui.supersteps`` (which needs pydantic) may load; :mod:`tui.supersteps.messages` and
:mod:`tui.supersteps.stream` re-use it. The result is plain text, NOT yet terminal-safe: pass it
through :mod:`tui.safe` before showing it.

Content is a string, or a list of parts (strings, ``{"type": "text", "text": …}``, and
others such as ``{"type": "image_url", …}``). Text always reads the same; how the other parts
read differs by place, and each place's way is one :class:`TextStyle` below.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

ROLE_ALIASES: dict[str, str] = {"user": "human", "assistant": "ai", "developer": "system"}
"""The other spellings the server's message coercion accepts for a message type."""

CLASS_ROLES: dict[str, str] = {"AIMessage": "ai", "HumanMessage": "human",
                               "ToolMessage": "tool", "SystemMessage": "system"}
"""LangChain's class names, as streamed message chunks are typed (``AIMessageChunk``)."""


def canonical_type(kind: str) -> str:
    """``user`` → ``human``, ``assistant`` → ``ai``, ``developer`` → ``system``; others as is."""
    return ROLE_ALIASES.get(kind, kind)


def class_role(kind: str) -> str:
    """``AIMessageChunk`` / ``AIMessage`` → ``ai`` (and so on); other names as they are."""
    name = kind.removesuffix("Chunk")
    return CLASS_ROLES.get(name, name)


def compact_json(value: Any) -> str:
    """One line of JSON, non-ASCII kept (``repr`` for what JSON cannot hold)."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


@dataclass(frozen=True)
class TextStyle:
    """How content other than text reads in one place."""

    join: str
    """Between the parts."""
    part: Callable[[Any], str | None]
    """A part that is not text (None: left out)."""
    other: Callable[[Any], str]
    """Content that is neither a string nor a list (``None`` always reads as "")."""
    skip_empty: bool = False
    """Leave out parts that read as ""."""


def _angle_tag(part: Any) -> str | None:
    if not isinstance(part, Mapping):
        return None
    kind = part.get("type")
    return f"<{kind if isinstance(kind, str) else 'part'}>"


def _tagged_json(part: Any) -> str:
    if isinstance(part, Mapping):
        return f"[{part.get('type', 'part')}] {compact_json(part)}"
    return compact_json(part)


def _quote_tag(part: Any) -> str:
    if isinstance(part, Mapping) and part.get("type"):
        return f"‹{part['type']}›"
    return compact_json(part)


SUMMARY = TextStyle(" ", _angle_tag, compact_json)
"""One-line summaries (outline, lists): ``hello <image_url>``."""
TRANSCRIPT = TextStyle("\n", _tagged_json, compact_json)
"""The chat transcript: one part a line, other parts as ``[image_url] {…}``."""
STREAM = TextStyle("", lambda part: None, lambda content: "")
"""Streamed text: the text parts run together, nothing else."""
PREVIEW = TextStyle(" ", _quote_tag, compact_json, skip_empty=True)
"""The thread list's preview of the last message: ``hello ‹image_url›``."""


def content_text(content: Any, style: TextStyle = SUMMARY) -> str:
    """A message's content as plain text, the non-text parts read the ``style`` way."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return style.other(content)
    parts: list[str] = []
    for part in content:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, Mapping) and isinstance(part.get("text"), str):
            parts.append(part["text"])
        else:
            shown = style.part(part)
            if shown is not None:
                parts.append(shown)
    return style.join.join(p for p in parts if p) if style.skip_empty else style.join.join(parts)
