"""Hostile text through the one untrusted-text module: literal, and terminal-safe."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from rich.console import Console

from tests.reliability.conftest import STATS
from tests.reliability.hostile import CORPUS, MARKUP, hostile_text, hostile_values, raw_unsafe
from tui.app.text import line, plain
from tui.safe import escape_json, is_safe, json_text, one_line, sanitize, to_text

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
    # a server's detail text: whitespace runs (newlines, U+2028 too) collapse to one space
    assert one_line(" a\n\n b\t\u2028c \x1b[2J ", collapse=True) == "a b c ␛[2J"
    assert one_line("x " * 200, 10, collapse=True) == "x x x x x…"


@pytest.mark.parametrize("text", CORPUS)
def test_the_hostile_corpus_is_shown_literally_by_every_function(text: str) -> None:
    for shown in (sanitize(text), one_line(text), to_text(text), to_text({text: [text]}),
                  json_text({text: text}), json_text([text], indent=2), line(text).plain):
        assert raw_unsafe(shown) == [] and is_safe(shown), (text, shown)
    for token in ("[/]", "[@click=app.quit]", "[bold red]"):
        if token in text:
            assert token in sanitize(text) and token in line(text).plain  # markup stays text
    assert json.loads(json_text({text: text}, indent=2)) == {text: text}  # same value


@settings(max_examples=300, deadline=None)
@given(hostile_values())
def test_json_text_is_safe_and_keeps_the_value(value: object) -> None:
    STATS.hostile += 1
    text = json_text(value, indent=2)
    assert raw_unsafe(text) == []
    assert json.loads(text) == value


def test_json_escapes_are_the_json_escapes() -> None:
    assert escape_json('"\x7f\x9b\u202e\u2066\u2028\u2029"') == (
        '"\\u007f\\u009b\\u202e\\u2066\\u2028\\u2029"')
    assert json_text({"k": "\x1b"}) == '{"k": "\\u001b"}'  # json.dumps escapes C0 itself
