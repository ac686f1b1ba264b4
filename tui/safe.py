"""Make untrusted text displayable: the one place that decides how deployment text is shown.

Everything a deployment returns (metadata, values, message contents, error details) may hold
Rich/Textual markup, ANSI or OSC escape sequences, control characters or bidi overrides. This
module turns such text into plain, literal, terminal-safe strings (and JSON text into JSON a
terminal shows literally, :func:`json_text`); ``tui.app.text`` wraps them in renderables that
are never parsed as markup. Every escaping rule lives here. No Textual import here.
"""

from __future__ import annotations

import json
from typing import Any

# C0 controls (except tab and newline) and DEL become their visible "control picture"
# (ESC -> ␛); C1 controls and bidi overrides become a visible \\uXXXX escape.
_BIDI = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F}
# Unicode line and paragraph separators: some terminals and widgets break lines on them.
_SEPARATORS = {0x2028, 0x2029}


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        if code not in (0x09, 0x0A):
            table[code] = chr(0x2400 + code)
    table[0x7F] = "\u2421"
    for code in range(0x80, 0xA0):
        table[code] = f"\\x{code:02x}"
    for code in _BIDI | _SEPARATORS:
        table[code] = f"\\u{code:04x}"
    return table


_TABLE = _table()
_ONE_LINE = {**_TABLE, 0x0A: "⏎", 0x09: " "}
# Inside JSON text: json.dumps already escapes C0 controls (and tab/newline may be indentation),
# so the rest of the table -- DEL, C1, bidi, separators -- becomes ``\\uXXXX``: the same value.
_IN_JSON = {code: f"\\u{code:04x}" for code in _TABLE if code >= 0x20}


def sanitize(text: str) -> str:
    """``text`` with every control character made visible; tabs and newlines kept."""
    return text.translate(_TABLE)


def one_line(text: str, limit: int | None = None, *, collapse: bool = False) -> str:
    """Sanitized, on one line (newlines shown as ⏎), cut to ``limit`` characters with ….

    ``collapse`` (for a server's detail text): every run of whitespace, newlines included,
    becomes one space first, and the ends are trimmed."""
    if collapse:
        text = " ".join(text.split())
    flat = text.translate(_ONE_LINE)
    if limit is not None and len(flat) > limit:
        return flat[: max(limit - 1, 0)] + "…"
    return flat


def to_text(value: Any) -> str:
    """Any JSON value as a sanitized display string (strings as they are, others as JSON)."""
    if isinstance(value, str):
        return sanitize(value)
    try:
        return sanitize(json.dumps(value, ensure_ascii=False, default=str))
    except (TypeError, ValueError):
        return sanitize(repr(value))


def escape_json(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with every character a terminal
    would act on written as ``\\uXXXX``: valid JSON, the same value, nothing hidden."""
    return text.translate(_IN_JSON)


def json_text(value: Any, *, indent: int | None = None, **options: Any) -> str:
    """``json.dumps`` keeping readable non-ASCII, with terminal-unsafe characters escaped;
    ``options`` go to ``json.dumps`` (``allow_nan``, ``default``, ...)."""
    return escape_json(json.dumps(value, indent=indent, ensure_ascii=False, **options))


def is_safe(text: str) -> bool:
    """True when ``text`` holds nothing a terminal would interpret (for tests and asserts)."""
    return all(ord(ch) not in _TABLE for ch in text)
