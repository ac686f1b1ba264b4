"""Hypothesis strategies for hostile text and values a deployment might return."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

MARKUP = [
    "[/]", "[bold red]x[/]", "[@click=app.quit]boom[/]", "[link=file:///etc/passwd]x[/link]",
    "[/bold]", "[[", "]]", "[b", "$var", "\\[escaped]", "[on red]", "[@click=app.bell]",
]
ESCAPES = [
    "\x1b[31mred\x1b[0m", "\x1b]0;pwned title\x07", "\x1b]52;c;ZXZpbA==\x07", "\x1b[2J\x1b[H",
    "\x1b[?1049h", "\x9b31m", "\x1bP1$r\x1b\\", "\x07", "\x08\x08\x08", "\r\x1b[K",
]
WIDE = [
    "表情", "👩‍👩‍👧‍👦", "e\u0301\u0301\u0301", "\u202eevil\u202c", "שלום עולם", "مرحبا",
    "\u200b", "\ufeff",
]

# One string per way text can act on a terminal or on the app: every path that shows
# deployment text (tui.safe, the CLI's output, the JSON fields) is tested with all of them.
CORPUS = [
    "\x1b[31mred\x1b[0m",  # ESC / CSI
    "\x1b]0;pwned title\x07",  # OSC (window title), BEL
    "\x1b]52;c;ZXZpbA==\x1b\\",  # OSC 52 (clipboard), ST
    "\x9b2J",  # C1 CSI
    "\x85next line",  # C1 NEL
    "[/]", "[@click=app.quit]boom[/]", "[bold red]x[/]",  # markup
    "\u202eevil\u202c", "\u2066isolate\u2069", "\u200fmark\u200e",  # bidi
    "line\u2028sep\u2029para",  # Unicode line / paragraph separators
    "nul\x00del\x7f", "back\x08\x08cr\r",  # C0 controls, DEL
]
"""Hostile strings, each of them a reason for a rule in :mod:`tui.safe`."""
# Code points that must never reach the screen as they are.
UNSAFE = {*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0), 0x200E, 0x200F,
          *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029}


def raw_unsafe(text: str) -> list[str]:
    """The characters of ``text`` a terminal would act on (tab and newline allowed)."""
    return [ch for ch in text if ord(ch) in UNSAFE]


hostile_text = st.one_of(
    st.text(min_size=0, max_size=200),
    st.sampled_from(MARKUP + ESCAPES + WIDE),
    st.lists(st.sampled_from(MARKUP + ESCAPES + WIDE) | st.text(max_size=20), max_size=8).map(
        "".join
    ),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x20AF), max_size=100),
)

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_text
)


def hostile_values(max_leaves: int = 20) -> st.SearchStrategy[Any]:
    return st.recursive(
        json_scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=5),
            st.dictionaries(hostile_text, children, max_size=5),
        ),
        max_leaves=max_leaves,
    )


def hostile_message() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"type": st.sampled_from(["human", "ai", "tool", "system"]), "content": hostile_text},
        optional={"name": hostile_text, "id": hostile_text},
    )


def deep_nesting(levels: int = 1000) -> Any:
    value: Any = "bottom [/] \x1b[31m"
    for i in range(levels):
        value = {f"k{i}": value} if i % 2 else [value]
    return value
