"""Counted words in messages: "1 superstep", "2 supersteps" (no Textual, no httpx)."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` and ``word`` in the right number (``many`` when the plural is not word + s),
    with thousands separators: ``plural(1, "superstep")`` → ``"1 superstep"``."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"
