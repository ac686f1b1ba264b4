"""A thread record and a thread state, read from the server's answer (:class:`BadResponse`
when the answer is neither)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from tui.deployment.errors import BadResponse
from tui.deployment.models import Thread, ThreadState

__all__ = ["parse_state", "parse_thread"]


def parse_thread(body: Any, what: str) -> Thread:
    try:
        return Thread.model_validate(body)
    except ValidationError:
        raise BadResponse(f"{what}: the server's answer is not a thread") from None


def parse_state(body: Any, what: str) -> ThreadState:
    try:
        return ThreadState.model_validate(body)
    except ValidationError:
        raise BadResponse(f"{what}: the server's answer is not a thread state") from None
