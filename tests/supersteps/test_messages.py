"""Message builders, list helpers and the one-line summary."""

from __future__ import annotations

import itertools

import pytest

from tui.supersteps import (
    Command,
    EditError,
    Update,
    ai,
    compact_message,
    creatable_message,
    human,
    message_type,
    messages_of,
    new_tool_call_id,
    remove,
    summarize_message,
    system,
    tool,
    tool_call,
    update_messages,
    with_messages,
)
from tui.supersteps.messages import (
    delete_message,
    insert_message,
    move_message,
    replace_message,
    stray_message_keys,
)


def test_builders_make_the_dicts_the_server_accepts() -> None:
    assert human("hello") == {"type": "human", "content": "hello"}
    assert system("be brief", id="s1") == {"type": "system", "content": "be brief", "id": "s1"}
    assert ai("Hello!") == {"type": "ai", "content": "Hello!"}
    assert tool("42", "call_1", name="calculator") == {
        "type": "tool",
        "content": "42",
        "name": "calculator",
        "tool_call_id": "call_1",
    }
    assert tool("no", "call_1", status="error")["status"] == "error"
    assert remove("m1") == {"type": "remove", "id": "m1", "content": ""}


def test_ai_with_tool_calls() -> None:
    call = tool_call("send_email", {"to": "bob@example.com"}, id="call_send_email_5")

    message = ai("", tool_calls=[call])

    assert message == {
        "type": "ai",
        "content": "",
        "tool_calls": [
            {
                "name": "send_email",
                "args": {"to": "bob@example.com"},
                "id": "call_send_email_5",
                "type": "tool_call",
            }
        ],
    }
    assert message["tool_calls"][0] is not call


def test_human_with_content_parts_and_name() -> None:
    parts = [{"type": "text", "text": "look"}, {"type": "image_url", "image_url": "x"}]

    assert human(parts, name="ann", id="h1") == {
        "type": "human",
        "content": parts,
        "name": "ann",
        "id": "h1",
    }


def test_tool_call_ids_come_from_an_injectable_factory() -> None:
    counter = itertools.count(1)

    def factory() -> str:
        return f"call_{next(counter)}"

    assert new_tool_call_id(factory) == "call_1"
    assert tool_call("calculator", id_factory=factory)["id"] == "call_2"
    assert tool_call("calculator")["args"] == {}


def test_default_tool_call_ids_are_unique_and_prefixed() -> None:
    ids = {new_tool_call_id() for _ in range(100)}

    assert len(ids) == 100
    assert all(i.startswith("call_") and len(i) == 29 for i in ids)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ({"type": "human", "content": ""}, "human"),
        ({"role": "user", "content": ""}, "human"),
        ({"role": "assistant", "content": ""}, "ai"),
        ({"type": "developer", "content": ""}, "system"),
        ({"role": "tool", "type": "ai", "content": ""}, "tool"),  # role wins, as on the server
        ("plain text", "human"),
        (["ai", "hi"], "ai"),
        ({"content": "no type"}, None),
        (42, None),
    ],
)
def test_message_type(message: object, expected: str | None) -> None:
    assert message_type(message) == expected


def test_messages_of_reads_lists_single_messages_and_nothing() -> None:
    assert messages_of({"messages": [human("a")]}) == [human("a")]
    assert messages_of({"messages": human("a")}) == [human("a")]
    assert messages_of({"turns": 1}) == []
    assert messages_of(None) == []
    assert messages_of(["not", "values"]) == []


def test_messages_of_returns_a_copy() -> None:
    values = {"messages": [human("a")]}

    messages_of(values).append(human("b"))

    assert values == {"messages": [human("a")]}


def test_update_messages_reads_values_or_command_update() -> None:
    assert update_messages(Update(values={"messages": [ai("x")]})) == [ai("x")]
    commanded = Update(command=Command(update={"messages": [ai("y")]}, goto="tools"))
    assert update_messages(commanded) == [ai("y")]


def test_with_messages_keeps_other_keys_and_does_not_mutate() -> None:
    values = {"messages": [human("a")], "turns": 2}

    result = with_messages(values, [ai("b")])

    assert result == {"messages": [ai("b")], "turns": 2}
    assert values == {"messages": [human("a")], "turns": 2}
    assert with_messages(None, []) == {"messages": []}


def test_list_edits_return_new_lists() -> None:
    original = [human("a"), ai("b"), human("c")]

    assert insert_message(original, 1, system("s")) == [
        human("a"),
        system("s"),
        ai("b"),
        human("c"),
    ]
    assert replace_message(original, 2, human("z")) == [human("a"), ai("b"), human("z")]
    assert delete_message(original, 0) == [ai("b"), human("c")]
    assert move_message(original, 0, 2) == [ai("b"), human("c"), human("a")]
    assert original == [human("a"), ai("b"), human("c")]


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: insert_message(m, 3, human("x")),
        lambda m: replace_message(m, 2, human("x")),
        lambda m: delete_message(m, -1),
        lambda m: move_message(m, 0, 2),
    ],
)
def test_list_edits_reject_bad_indices(edit: object) -> None:
    with pytest.raises(EditError):
        edit([human("a"), human("b")])  # type: ignore[operator]


SERVER_AI = {
    "content": "",
    "additional_kwargs": {},
    "response_metadata": {},
    "type": "ai",
    "name": None,
    "id": "c85bc31a",
    "tool_calls": [{"name": "calculator", "args": {"expression": "6*7"}, "id": "c1"}],
    "invalid_tool_calls": [],
    "usage_metadata": None,
}


def test_creatable_message_drops_keys_the_create_endpoint_would_misplace() -> None:
    # Measured: sent back as-is, these two land in additional_kwargs of the new message.
    assert stray_message_keys(SERVER_AI) == ["invalid_tool_calls", "usage_metadata"]
    result = creatable_message(SERVER_AI)

    assert "invalid_tool_calls" not in result and "usage_metadata" not in result
    assert result["tool_calls"] == SERVER_AI["tool_calls"]
    assert "usage_metadata" in SERVER_AI


def test_creatable_message_leaves_clean_messages_and_non_dicts_alone() -> None:
    message = human("hi")

    assert creatable_message(message) is message
    assert creatable_message("text") == "text"
    assert stray_message_keys({"type": "bogus", "x": 1}) == []


def test_compact_message_drops_server_defaults_only() -> None:
    server_tool = {
        "content": "42",
        "additional_kwargs": {},
        "response_metadata": {},
        "type": "tool",
        "name": "calculator",
        "id": "t1",
        "tool_call_id": "c1",
        "artifact": None,
        "status": "success",
    }

    assert compact_message(server_tool) == {
        "content": "42",
        "type": "tool",
        "name": "calculator",
        "id": "t1",
        "tool_call_id": "c1",
    }
    assert compact_message({**server_tool, "status": "error"})["status"] == "error"
    kept = compact_message({"type": "ai", "content": "", "additional_kwargs": {"a": 1}})
    assert kept == {"type": "ai", "content": "", "additional_kwargs": {"a": 1}}


# -- summary ------------------------------------------------------------------------------------


def test_summary_of_plain_messages() -> None:
    assert summarize_message(human("hello")) == ("human", "hello")
    assert summarize_message({"role": "assistant", "content": "hi"}) == ("ai", "hi")
    assert summarize_message("bare") == ("human", "bare")
    assert summarize_message(["system", "rules"]) == ("system", "rules")


def test_summary_of_tool_calls_and_results() -> None:
    call = tool_call("calculator", {"expression": "6*7"}, id="c1")

    assert summarize_message(ai("", tool_calls=[call])).preview == (
        '→ calculator({"expression": "6*7"})'
    )
    assert summarize_message(ai("Let me check", tool_calls=[call])).preview.startswith(
        "Let me check → calculator("
    )
    assert summarize_message(tool("42", "c1", name="calculator")) == ("tool", "calculator: 42")


def test_summary_is_one_line_without_control_characters() -> None:
    hostile = "line one\n\tline two\x1b[31m red \x07bell\x9b csi\r\nend"

    summary = summarize_message(human(hostile))

    assert summary.preview == "line one line two [31m red bell csi end"
    assert not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in summary.preview)


def test_summary_truncates_to_width_with_an_ellipsis() -> None:
    summary = summarize_message(human("word " * 50), width=20)

    assert len(summary.preview) <= 20
    assert summary.preview.endswith("…")


def test_summary_of_content_parts_and_oddities() -> None:
    parts = [{"type": "text", "text": "see"}, {"type": "image_url", "image_url": {"url": "x"}}]

    assert summarize_message(human(parts)).preview == "see <image_url>"
    assert summarize_message({"content": "no type"}) == ("?", "no type")
    assert summarize_message(42) == ("?", "42")
    assert summarize_message({"type": "ai", "content": None}) == ("ai", "")
