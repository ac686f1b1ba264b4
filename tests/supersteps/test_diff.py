"""The state diff: keys and messages added / removed / changed, and the update an edit needs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.supersteps.diff import (
    DeltaUpdate,
    delta_update,
    diff_messages,
    diff_states,
    format_path,
)


def msg(mid: str | None, kind: str, content: str) -> dict[str, object]:
    message: dict[str, object] = {"type": kind, "content": content}
    if mid is not None:
        message["id"] = mid
    return message


STEP_1 = {"messages": [msg("h1", "human", "hello")], "turns": 0}
STEP_3 = {
    "messages": [msg("h1", "human", "hello"), msg("a1", "ai", "Hi!"), msg("h2", "human", "6*7?")],
    "turns": 1,
    "scratch": {"x": 1},
}


def test_keys_added_removed_changed() -> None:
    diff = diff_states({"a": 1, "b": 2, "gone": True}, {"a": 1, "b": 3, "new": [1]})
    assert diff.keys_added == ("new",)
    assert diff.keys_removed == ("gone",)
    assert diff.keys_changed == ("b",)
    kinds = {(c.key, c.kind) for c in diff.changes}
    assert kinds == {("new", "added"), ("gone", "removed"), ("b", "changed")}
    assert diff.messages_key is None
    assert diff.summary() == "keys +1 −1 ~1"


def test_messages_added_by_id_between_step_1_and_step_3() -> None:
    diff = diff_states(STEP_1, STEP_3)
    assert diff.keys_changed == ("messages", "turns")
    assert diff.keys_added == ("scratch",)
    assert [(c.kind, c.id, c.after_index) for c in diff.messages] == [
        ("added", "a1", 1),
        ("added", "h2", 2),
    ]
    assert diff.summary() == "keys +1 −0 ~2 · messages +2 −0 ~0"
    # The messages list is described message by message, not as one changed key path.
    assert all(c.path[0] != "messages" for c in diff.changes)
    turns = next(c for c in diff.changes if c.key == "turns")
    assert (turns.before, turns.after) == (0, 1)


def test_message_edited_and_removed() -> None:
    before = [msg("1", "human", "hi"), msg("2", "ai", "old"), msg("3", "ai", "bye")]
    after = [msg("1", "human", "hi"), msg("2", "ai", "new")]
    changes = diff_messages(before, after)
    assert [(c.kind, c.id) for c in changes] == [("changed", "2"), ("removed", "3")]
    assert changes[0].changed_fields == ["content"]
    assert changes[1].before_index == 2 and changes[1].after_index is None
    assert changes[1].message == before[2]


def test_messages_without_ids_compare_by_position() -> None:
    before = [msg(None, "human", "a"), msg(None, "ai", "b")]
    after = [msg(None, "human", "a"), msg(None, "ai", "B"), msg(None, "ai", "c")]
    changes = diff_messages(before, after)
    assert [(c.kind, c.after_index) for c in changes] == [("changed", 1), ("added", 2)]
    assert [(c.kind, c.before_index) for c in diff_messages(after, before)] == [
        ("changed", 1),
        ("removed", 2),
    ]


def test_removal_is_listed_where_the_message_was() -> None:
    before = [msg("1", "human", "a"), msg("2", "ai", "b"), msg("3", "human", "c")]
    after = [msg("1", "human", "a"), msg("3", "human", "c"), msg("4", "ai", "d")]
    changes = diff_messages(before, after)
    assert [(c.kind, c.id) for c in changes] == [("removed", "2"), ("added", "4")]


def test_nested_changes_name_their_path() -> None:
    diff = diff_states(
        {"config": {"model": {"name": "a", "temp": 1}, "tags": ["x"]}},
        {"config": {"model": {"name": "b", "temp": 1}, "tags": ["x", "y"]}},
    )
    assert [(c.key, c.kind) for c in diff.changes] == [
        ("config.model.name", "changed"),
        ("config.tags[1]", "added"),
    ]


def test_none_and_non_object_states() -> None:
    assert diff_states(None, None).is_empty
    assert diff_states(None, {}).summary() == "no changes"
    diff = diff_states(None, {"messages": [msg("1", "human", "x")]})
    assert diff.keys_added == ("messages",)
    assert [c.kind for c in diff.messages] == ["added"]
    odd = diff_states([1], [2])
    assert [(c.key, c.kind) for c in odd.changes] == [("(root)", "changed")]


def test_many_changes_are_truncated_not_exploded() -> None:
    before = {"big": {str(i): i for i in range(5000)}}
    after = {"big": {str(i): i + 1 for i in range(5000)}}
    diff = diff_states(before, after, max_changes=100)
    assert len(diff.changes) == 100
    assert diff.truncated


def test_format_path_quotes_odd_keys() -> None:
    assert format_path(("messages", 0, "content")) == "messages[0].content"
    assert format_path(("a b", 'q"x')) == '["a b"]["q\\"x"]'
    assert format_path(()) == "(root)"


# ---------------------------------------------------------------- delta_update


def test_delta_sends_only_the_edited_message() -> None:
    edited = {
        "messages": [msg("h1", "human", "hello"), msg("a1", "ai", "Edited!"),
                     msg("h2", "human", "6*7?")],
        "turns": 1,
        "scratch": {"x": 1},
    }
    delta = delta_update(STEP_3, edited)
    assert delta == DeltaUpdate(values={"messages": [msg("a1", "ai", "Edited!")]}, notes=())


def test_delta_removes_deleted_messages_and_sends_changed_keys() -> None:
    edited = {"messages": [msg("h1", "human", "hello"), msg(None, "ai", "new one")], "turns": 7,
              "scratch": {"x": 1}}
    delta = delta_update(STEP_3, edited)
    assert delta.values == {
        "messages": [
            {"type": "remove", "id": "a1", "content": ""},
            msg(None, "ai", "new one"),
            {"type": "remove", "id": "h2", "content": ""},
        ],
        "turns": 7,
    }
    assert delta.notes == ()


def test_delta_names_what_an_update_cannot_do() -> None:
    delta = delta_update({"a": 1, "b": 2}, {"a": 1})
    assert delta.is_empty
    assert delta.notes and "b" in delta.notes[0]
    assert delta_update({}, [1, 2]).notes == ("The edited state must be a JSON object.",)
    reordered = delta_update(
        {"messages": [msg("1", "human", "a"), msg("2", "ai", "b")]},
        {"messages": [msg("2", "ai", "b"), msg("1", "human", "a")]},
    )
    assert reordered.is_empty and "reordered" in reordered.notes[0]


def test_unchanged_edit_sends_nothing() -> None:
    assert delta_update(STEP_3, dict(STEP_3)).is_empty


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=4), json_values, max_size=4),
       st.dictionaries(st.text(max_size=4), json_values, max_size=4))
def test_keys_partition_and_symmetry(before: dict[str, object], after: dict[str, object]) -> None:
    forward = diff_states(before, after, messages_key="\0none")
    backward = diff_states(after, before, messages_key="\0none")
    assert set(forward.keys_added) == set(backward.keys_removed)
    assert set(forward.keys_changed) == set(backward.keys_changed)
    assert forward.is_empty == (before == after)
    touched = set(forward.keys_added) | set(forward.keys_removed) | set(forward.keys_changed)
    assert touched == {k for k in set(before) | set(after) if before.get(k, object()) !=
                       after.get(k, object())}


@given(st.lists(st.sampled_from(["1", "2", "3", "4", "5"]), unique=True),
       st.lists(st.sampled_from(["1", "2", "3", "4", "5"]), unique=True))
def test_message_diff_by_id_accounts_for_every_id(before_ids: list[str],
                                                   after_ids: list[str]) -> None:
    before = [msg(i, "human", i) for i in before_ids]
    after = [msg(i, "human", i) for i in after_ids]
    changes = diff_messages(before, after)
    assert {c.id for c in changes if c.kind == "added"} == set(after_ids) - set(before_ids)
    assert {c.id for c in changes if c.kind == "removed"} == set(before_ids) - set(after_ids)
    assert not [c for c in changes if c.kind == "changed"]


@pytest.mark.parametrize("messages_key", ["messages", "history"])
def test_custom_messages_key(messages_key: str) -> None:
    diff = diff_states({messages_key: []}, {messages_key: [msg("1", "ai", "x")]},
                       messages_key=messages_key)
    assert diff.messages_key == messages_key
    assert [c.kind for c in diff.messages] == ["added"]
