"""What the user asks a run to do: the composer's text read as a human message, input JSON or a
resume value, and the multitask strategy for a thread that is already running (its choices
live in :mod:`tui.multitask`, re-exported here). Pure (no Textual, no httpx).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from tui.multitask import DEFAULT_MULTITASK, MULTITASK_HELP, MULTITASK_STRATEGIES

InputMode = Literal["message", "json", "resume"]


@dataclass(frozen=True)
class RunRequest:
    """What to send: ``input`` (any JSON, None for none) or a ``command``."""

    input: Any = None
    command: dict[str, Any] | None = None


class InputProblem(ValueError):
    """What the user typed cannot be sent (the message says why, for the panel)."""


def human_input(text: str) -> dict[str, Any]:
    """The graph input for one human message: ``{"messages": [{"type": "human", …}]}``."""
    return {"messages": [{"type": "human", "content": text}]}


def resume_value(text: str) -> Any:
    """A resume value: the JSON it is when it parses as JSON, else the text as typed."""
    stripped = text.strip()
    if stripped:
        try:
            return json.loads(stripped)
        except ValueError:
            pass
    return text


def build_request(mode: InputMode, text: str) -> RunRequest:
    """The request for ``text`` typed in ``mode``; raises :class:`InputProblem`."""
    if mode == "message":
        if not text.strip():
            raise InputProblem("Type a message first (or switch to input JSON with ctrl+t).")
        return RunRequest(input=human_input(text))
    if mode == "json":
        if not text.strip():
            return RunRequest(input=None)
        try:
            return RunRequest(input=json.loads(text))
        except json.JSONDecodeError as exc:
            raise InputProblem(
                f"Input JSON, column {exc.colno}: {exc.msg} (an empty input runs with no input)"
            ) from None
    return RunRequest(command={"resume": resume_value(text)})


__all__ = [
    "DEFAULT_MULTITASK",
    "MULTITASK_HELP",
    "MULTITASK_STRATEGIES",
    "InputMode",
    "InputProblem",
    "RunRequest",
    "build_request",
    "human_input",
    "resume_value",
]
