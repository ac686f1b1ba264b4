"""Parse JSON the user is typing, with a 1-based line/column for the editor to point at."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["JsonError", "parse_json_text"]


@dataclass(frozen=True, slots=True)
class JsonError:
    message: str
    line: int
    """1-based."""
    column: int
    """1-based, in characters."""

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


class _NonStandard(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NonStandard(name)


def _finite(number: str) -> float:
    """A JSON number with a fraction or exponent; one too large for a float (``1e400``) would
    become infinity, which JSON cannot carry (it would go out as ``Infinity``)."""
    value = float(number)
    if not math.isfinite(value):
        raise _NonStandard(number)
    return value


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_reject_constant, parse_float=_finite)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def parse_json_text(text: str) -> tuple[Any, JsonError | None]:
    """``(value, None)`` for valid JSON, else ``(None, JsonError)``.

    Stricter than ``json.loads``: ``NaN`` and ``Infinity`` are errors (the server would reject
    them), and so is a number too large to be one (``1e400``: infinity). A valid ``null`` gives
    ``(None, None)`` — check the error, not the value.
    """
    try:
        return _loads(text), None
    except _NonStandard as exc:
        token = str(exc)
        why = "is not valid JSON" if token.lstrip("-") in ("Infinity", "NaN") else \
            "is too large for a number"
        # Where it is: the first time the token stands outside a string.
        for match in re.finditer(r'"(?:[^"\\]|\\.)*"|(' + re.escape(token) + ")", text):
            if match.group(1) is not None:
                line, column = _position(text, match.start(1))
                return None, JsonError(f"{token} {why}", line, column)
        return None, JsonError(f"{token} {why}", 1, 1)
    except json.JSONDecodeError as exc:
        message = exc.msg
        if not text.strip():
            message = "Empty: expecting a JSON value"
        return None, JsonError(message, exc.lineno, exc.colno)
    except RecursionError:
        return None, JsonError("Too deeply nested", 1, 1)
