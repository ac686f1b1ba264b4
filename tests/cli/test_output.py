"""The output helpers every command uses: tables that fit, JSON a terminal shows literally."""

from __future__ import annotations

import json

import pytest

from tests.reliability.hostile import CORPUS, raw_unsafe
from tui.commands.common import fail_line, safe_json, table

NASTY = "a\x1b[31mb\x07c\x9b2Jd\u202ee\u2028f\x7f"


def test_json_escapes_what_a_terminal_would_act_on_and_keeps_the_value() -> None:
    text = safe_json({"k": NASTY, "ok": "héllo 表"})

    assert not any(ch in text for ch in "\x1b\x07\x9b\u202e\u2028\x7f")
    assert "héllo 表" in text  # ordinary non-ASCII stays readable
    assert json.loads(text) == {"k": NASTY, "ok": "héllo 表"}


@pytest.mark.parametrize("text", CORPUS)
def test_every_cli_output_shows_the_hostile_corpus_literally(
        text: str, capsys: pytest.CaptureFixture[str]) -> None:
    value = {text: [text, {"n": 1}]}
    for shown in (safe_json(value), safe_json(value, indent=None),
                  table(["A", "B"], [[text, text]], limits=[80, 80])):
        assert raw_unsafe(shown) == [], shown
    assert json.loads(safe_json(value)) == value
    fail_line(text)
    err = capsys.readouterr().err
    assert raw_unsafe(err.removesuffix("\n")) == [] and err.count("\n") == 1


def test_table_cells_are_one_safe_line_each() -> None:
    out = table(["A", "B"], [["x\ny", NASTY]], limits=[10, 40])

    assert out.split("\n") == ["A    B", "x⏎y  a␛[31mb␇c\\x9b2Jd\\u202ee\\u2028f␡"]


def test_a_table_fits_the_terminal_by_cutting_the_last_column() -> None:
    rows = [["id-1", "a long preview of the last message " * 3]]

    wide = table(["ID", "PREVIEW"], rows, limits=[36, 200])
    narrow = table(["ID", "PREVIEW"], rows, limits=[36, 200], width=40)

    assert len(wide.splitlines()[1]) > 40
    assert [len(line) for line in narrow.splitlines()] == [13, 40]
    assert narrow.splitlines()[1].endswith("…")
