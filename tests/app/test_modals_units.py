"""The modals' pure checks: thread id, TTL, metadata JSON and the PATCH that edits it."""

from __future__ import annotations

import pytest

from tests.reliability.hostile import CORPUS, raw_unsafe
from tui.app.shared.jsonfield import dumps_safe, parse_object
from tui.app.threads.modals import check_thread_id, check_ttl, metadata_patch
from tui.safe import is_safe


def test_thread_id_is_optional_and_must_be_a_uuid() -> None:
    assert check_thread_id("") == (None, None)
    assert check_thread_id(" 123E4567-E89B-12D3-A456-426614174000 ") == (
        "123e4567-e89b-12d3-a456-426614174000", None)
    value, problem = check_thread_id("thread-1")
    assert value is None and problem and "UUID" in problem


def test_ttl_is_optional_positive_minutes() -> None:
    assert check_ttl("") == (None, None)
    assert check_ttl("90") == (90.0, None)
    assert check_ttl("0")[1] == "more than 0 minutes"
    assert check_ttl("soon")[1] == "a number of minutes"


def test_metadata_must_be_a_json_object_and_errors_say_where() -> None:
    assert parse_object("") == ({}, None)
    assert parse_object('{"a": [1, 2]}') == ({"a": [1, 2]}, None)
    assert parse_object("[1]") == (None, "must be a JSON object {…}, not list")
    value, problem = parse_object('{\n  "a": 1,\n  "b": }')
    assert value is None and problem is not None and problem.startswith("line 3, column 8:")


def test_shown_json_round_trips_and_holds_nothing_a_terminal_acts_on() -> None:
    value = {"k": "\x1b]0;title\x07 \x9b31m \u202e evil", "ünï": "ok"}
    text = dumps_safe(value)
    assert is_safe(text) and "ünï" in text
    assert parse_object(text) == (value, None)


@pytest.mark.parametrize("text", CORPUS)
def test_the_json_field_shows_the_hostile_corpus_escaped(text: str) -> None:
    value = {text: text, "nested": [text]}
    shown = dumps_safe(value)
    assert raw_unsafe(shown) == [] and is_safe(shown), shown
    assert parse_object(shown) == (value, None)


def test_patch_sends_changes_and_nulls_removed_keys() -> None:
    # measured: the server merges PATCHed metadata and keeps a key set to null
    old = {"graph_id": "agent", "keep": 1, "gone": "x", "was_null": None}
    new = {"graph_id": "agent", "keep": 2, "added": True}
    assert metadata_patch(old, new) == {"keep": 2, "added": True, "gone": None}
    assert metadata_patch(old, dict(old)) == {}
