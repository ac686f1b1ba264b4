"""Live JSON parsing for the editor: a value, or a message with a 1-based position."""

from __future__ import annotations

import pytest

from tui.supersteps import JsonError, parse_json_text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"messages": []}', {"messages": []}),
        ("[1, 2.5, true]", [1, 2.5, True]),
        ('  "text"  ', "text"),
        ("null", None),
    ],
)
def test_valid_json(text: str, value: object) -> None:
    assert parse_json_text(text) == (value, None)


def test_error_position_is_one_based_line_and_column() -> None:
    text = '{\n  "a": 1,\n  "b" 2\n}'

    value, error = parse_json_text(text)

    assert value is None
    assert error == JsonError("Expecting ':' delimiter", 3, 7)
    assert str(error) == "line 3, column 7: Expecting ':' delimiter"


def test_trailing_comma() -> None:
    _, error = parse_json_text('{"a": 1,}')

    assert error is not None
    assert (error.line, error.column) == (1, 9)


def test_empty_text() -> None:
    assert parse_json_text("   \n") == (None, JsonError("Empty: expecting a JSON value", 2, 1))


@pytest.mark.parametrize(
    ("text", "name", "line", "column"),
    [
        ('{"x": NaN}', "NaN", 1, 7),
        ('{"NaN": "Infinity",\n "y": -Infinity}', "-Infinity", 2, 7),
        ("[Infinity]", "Infinity", 1, 2),
    ],
)
def test_non_standard_constants_are_errors_pointing_at_them(
    text: str, name: str, line: int, column: int
) -> None:
    assert parse_json_text(text) == (None, JsonError(f"{name} is not valid JSON", line, column))


@pytest.mark.parametrize(
    ("text", "number", "line", "column"),
    [
        ("1e400", "1e400", 1, 1),
        ('{"n": "1e400",\n "m": -2.5E999}', "-2.5E999", 2, 7),
    ],
)
def test_a_number_too_large_to_be_one_is_an_error_pointing_at_it(
    text: str, number: str, line: int, column: int
) -> None:
    """Python reads it as infinity, which JSON cannot carry (it would be sent as Infinity)."""
    assert parse_json_text(text) == (
        None, JsonError(f"{number} is too large for a number", line, column))
    assert parse_json_text("1e308") == (1e308, None)  # the largest magnitude still is one


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    value, error = parse_json_text("[" * 100_000 + "]" * 100_000)

    assert value is None
    assert error is not None
