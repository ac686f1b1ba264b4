"""``Problem``: one thing wrong with a script, addressed so the editor can point at it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = ["Problem", "Severity", "has_errors"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """``superstep``/``update`` are 0-based indices (None: the whole script or superstep);
    ``field`` is a dotted path inside that place (``as_node``, ``values.messages[2].content``,
    ``metadata.graph_id``); ``message`` is one line a user can act on."""

    superstep: int | None
    update: int | None
    field: str
    message: str
    severity: Severity = "error"

    @property
    def location(self) -> str:
        """Human-readable, 1-based: ``superstep 2, update 1, as_node``."""
        parts: list[str] = []
        if self.superstep is not None:
            parts.append(f"superstep {self.superstep + 1}")
        if self.update is not None:
            parts.append(f"update {self.update + 1}")
        if self.field:
            parts.append(self.field)
        return ", ".join(parts) or "script"

    def __str__(self) -> str:
        return f"{self.severity}: {self.location}: {self.message}"


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when any problem is an error (warnings do not block creating the thread)."""
    return any(problem.severity == "error" for problem in problems)
