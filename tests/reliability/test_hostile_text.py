"""Hostile text through the one untrusted-text module: literal, and terminal-safe."""

from __future__ import annotations

import io

from hypothesis import given, settings
from rich.console import Console

from tests.reliability.conftest import STATS
from tests.reliability.hostile import MARKUP, hostile_text, hostile_values
from tui.app.text import line, plain
from tui.safe import is_safe, one_line, sanitize, to_text

_CONTROL = {*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029}


def _rendered(text: str) -> str:
    """What a real terminal would receive for ``plain(text)``."""
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      width=80, legacy_windows=False)
    console.print(plain(text))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


@settings(max_examples=1000, deadline=None)
@given(hostile_text)
def test_sanitized_text_carries_no_control_characters(text: str) -> None:
    STATS.hostile += 1
    STATS.ran = True
    shown = sanitize(text)
    assert is_safe(shown)
    assert not any(ord(ch) in _CONTROL for ch in shown)
    flat = one_line(text, 50)
    assert "\n" not in flat and len(flat) <= 50


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_plain_text_reaches_the_terminal_literally(text: str) -> None:
    STATS.hostile += 1
    out = _rendered(text)
    # the only escape sequences in the output are rich's own SGR colour codes
    stripped = out.replace("\x1b[0m", "")
    assert "\x1b]" not in stripped and "\x07" not in stripped
    # markup is never interpreted: the brackets survive as typed
    for token in MARKUP:
        if token in text and is_safe(token):
            assert token in line(text).plain


@settings(max_examples=300, deadline=None)
@given(hostile_values())
def test_any_json_value_becomes_safe_text(value: object) -> None:
    STATS.hostile += 1
    assert is_safe(to_text(value))


def test_printable_text_is_unchanged() -> None:
    for text in ["hello", "[bold]not bold[/]", "שלום", "表情 👩‍👩‍👧‍👦", "tab\tand\nnewline"]:
        assert sanitize(text) == text


def test_escape_sequences_become_visible() -> None:
    assert sanitize("\x1b[31mred") == "␛[31mred"
    assert sanitize("\x1b]0;title\x07") == "␛]0;title␇"
    assert sanitize("\x9b2J") == "\\x9b2J"
    assert sanitize("\u202eevil") == "\\u202eevil"
    assert one_line("a\nb\tc") == "a⏎b c"
    assert one_line("a\u2028b\u2029c") == "a\\u2028b\\u2029c"  # no hidden line breaks
