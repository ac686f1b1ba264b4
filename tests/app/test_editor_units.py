"""The editor's pure parts: outline addresses and rows, structure edits and their new cursor,
field edits, JSON text kept while invalid, the goto/resume fields, open tool calls, path
completion and the code snippets (no Textual app needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.scripts import GREETING, TOOL_CALL, meta
from tui.app.editor.code_view import snippets
from tui.app.editor.edits import kept, script_edit, structure_edit, update_edit
from tui.app.editor.file_dialogs import complete_path
from tui.app.editor.outline import marks_for, row_text, update_preview
from tui.app.editor.state import (
    SCRIPT_ROW,
    PendingTexts,
    clamp_address,
    goto_text,
    messages_before,
    node_choices,
    node_warning,
    outline_addresses,
    parse_goto,
    parse_resume,
    resume_text,
)
from tui.app.shared.message_builder import open_tool_calls
from tui.supersteps.jsontext import JsonError
from tui.supersteps.model import Command, Script, Update
from tui.supersteps.ops import EditError
from tui.supersteps.problems import Problem
from tui.supersteps.validate import validate

HOSTILE = "[bold red]x[/] [/] [@click=app.quit]boom[/] \x1b[31mred\x1b]0;title\x07"


def greeting() -> Script:
    return Script.from_body({"metadata": meta(), "supersteps": GREETING})


def bodies(script: Script) -> list[list[str | None]]:
    return [[u.as_node for u in step.updates] for step in script.supersteps]


# -- addresses ----------------------------------------------------------------------------------


def test_outline_rows_are_script_then_each_superstep_and_its_updates() -> None:
    script = greeting()
    assert outline_addresses(script) == [SCRIPT_ROW, (0, None), (0, 0), (1, None), (1, 0),
                                         (2, None), (2, 0)]
    assert clamp_address(script, (9, 9)) == (2, 0)
    assert clamp_address(script, (1, None)) == (1, None)
    assert clamp_address(Script(), (0, 0)) == SCRIPT_ROW


# -- structure edits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "operation", "nodes", "cursor"),
    [
        (SCRIPT_ROW, "add_superstep", [["__input__"], ["__start__"], ["call_model"], [None]],
         (3, 0)),
        ((0, 0), "add_superstep", [["__input__"], [None], ["__start__"], ["call_model"]], (1, 0)),
        (SCRIPT_ROW, "add_update", [["__input__"], ["__start__"], ["call_model"], [None]],
         (3, 0)),
        ((1, 0), "add_update", [["__input__"], ["__start__", None], ["call_model"]], (1, 1)),
        ((1, None), "add_update", [["__input__"], ["__start__", None], ["call_model"]], (1, 1)),
        ((1, 0), "duplicate", [["__input__"], ["__start__", "__start__"], ["call_model"]],
         (1, 1)),
        ((1, None), "duplicate", [["__input__"], ["__start__"], ["__start__"], ["call_model"]],
         (2, None)),
        ((1, 0), "delete", [["__input__"], [], ["call_model"]], (1, 0)),
        ((1, None), "delete", [["__input__"], ["call_model"]], (1, None)),
        ((2, None), "move_up", [["__input__"], ["call_model"], ["__start__"]], (1, None)),
        ((0, None), "move_down", [["__start__"], ["__input__"], ["call_model"]], (1, None)),
        ((2, 0), "move_up", [["__input__"], ["__start__", "call_model"], []], (1, 1)),
        ((1, 0), "move_down", [["__input__"], [], ["__start__", "call_model"]], (2, 0)),
    ],
)
def test_structure_edits_and_where_the_cursor_goes(
    address: Any, operation: str, nodes: list[list[str | None]], cursor: Any
) -> None:
    script = greeting()

    new, select = structure_edit(script, address, operation)

    assert bodies(new) == nodes
    assert select == cursor
    assert script == greeting()  # the old script is untouched (undo relies on it)


def test_structure_edits_that_cannot_apply_say_why() -> None:
    with pytest.raises(EditError, match="first superstep"):
        structure_edit(greeting(), (0, None), "move_up")
    with pytest.raises(EditError, match="Select a superstep"):
        structure_edit(greeting(), SCRIPT_ROW, "delete")


# -- field edits --------------------------------------------------------------------------------


def test_update_fields() -> None:
    script = greeting()

    named = update_edit(script, 2, 0, "as_node", "tools")
    values = update_edit(script, 2, 0, "values", {"turns": 1})
    messages = update_edit(script, 1, 0, "messages", [{"type": "human", "content": "hi"}])

    assert named.update_at(2, 0).as_node == "tools"
    assert values.update_at(2, 0).values == {"turns": 1}
    assert messages.update_at(1, 0).values == {"messages": [{"type": "human",
                                                             "content": "hi"}]}


def test_kind_toggles_between_values_and_command_keeping_the_data() -> None:
    script = greeting()

    command = update_edit(script, 1, 0, "kind", "command")
    update = command.update_at(1, 0)
    assert update.values is None and update.command is not None
    assert update.command.update == {"messages": [{"type": "human", "content": "hello"}]}
    assert any(p.field == "command.goto" for p in validate(command))  # the 500 is caught

    routed = update_edit(command, 1, 0, "command.goto", ["call_model", "tools"])
    resumed = update_edit(routed, 1, 0, "command.resume", "yes")
    assert resumed.update_at(1, 0).command == Command(
        update={"messages": [{"type": "human", "content": "hello"}]},
        goto=("call_model", "tools"), resume="yes")
    cleared = update_edit(resumed, 1, 0, "command.resume", None)
    assert cleared.update_at(1, 0).command.resume is None  # type: ignore[union-attr]

    back = update_edit(resumed, 1, 0, "kind", "values")
    assert back.update_at(1, 0) == Update(as_node="__start__", values={
        "messages": [{"type": "human", "content": "hello"}]})


def test_script_fields() -> None:
    script = greeting()
    assert script_edit(script, "graph_id", "other").graph_id == "other"
    assert script_edit(script, "metadata", {"graph_id": "agent", "user": "ada"}).metadata == {
        "graph_id": "agent", "user": "ada"}
    assert script_edit(script, "thread_id", "abc").thread_id == "abc"
    assert script_edit(script, "thread_id", None).thread_id is None
    assert script_edit(script, "if_exists", "do_nothing").if_exists == "do_nothing"
    assert script_edit(script, "ttl", {"ttl": 5, "strategy": "delete"}).ttl == {
        "ttl": 5, "strategy": "delete"}


def test_a_value_shown_with_visible_control_characters_is_kept_when_not_edited() -> None:
    assert kept(HOSTILE, "[bold red]x[/] [/] [@click=app.quit]boom[/] ␛[31mred␛]0;title␇") == (
        HOSTILE)
    assert kept(HOSTILE, "typed") == "typed"
    assert kept(None, "x") == "x"


# -- as_node choices ----------------------------------------------------------------------------


def test_node_choices_are_the_graph_then_the_special_nodes() -> None:
    assert node_choices(["call_model", "tools", "__start__"]) == [
        "call_model", "tools", "__input__", "__start__", "__copy__", "__end__"]
    assert node_warning("tools", ["tools"]) is None
    assert node_warning("__copy__", ["tools"]) is None
    assert "not a node of this graph" in (node_warning("toolz", ["tools"]) or "")
    assert node_warning("anything", None) is None  # graph unknown: no false alarm
    assert "No as_node" in (node_warning("", ["tools"]) or "")


# -- pending JSON text --------------------------------------------------------------------------


def test_invalid_text_follows_its_update_through_moves_and_edits() -> None:
    script = greeting()
    pending = PendingTexts()
    owner = script.update_at(2, 0)
    pending.set(owner, "values", '{"messages": [', JsonError("Expecting value", 1, 15))

    moved, _ = structure_edit(script, (2, None), "move_up")
    assert [(a, i.text) for a, i in pending.located(moved)] == [((1, 0), '{"messages": [')]
    [problem] = pending.problems(moved)
    assert (problem.superstep, problem.update, problem.field) == (1, 0, "values")
    assert "line 1, column 15" in problem.message

    renamed = update_edit(moved, 1, 0, "as_node", "tools")
    pending.transfer(owner, renamed.update_at(1, 0))
    saved = pending.to_ui(renamed)
    assert saved == [{"superstep": 1, "update": 0, "field": "values",
                      "text": '{"messages": ['}]

    restored = PendingTexts()
    copy = Script.from_body(renamed.to_body())  # a draft read back: new objects
    restored.restore(copy, saved)
    assert restored.get(copy.update_at(1, 0), "values") is not None
    assert restored.clear(copy.update_at(1, 0), "values") and len(restored) == 0


def test_script_level_text_and_unusable_draft_entries() -> None:
    pending = PendingTexts()
    pending.restore(greeting(), [
        {"superstep": None, "update": None, "field": "metadata", "text": "{"},
        {"superstep": 7, "update": 0, "field": "values", "text": "{"},  # gone
        {"superstep": 0, "update": 0, "field": "values", "text": "{}"},  # valid: nothing kept
        "junk",
    ])
    assert [(a, i.field) for a, i in pending.located(greeting())] == [(SCRIPT_ROW, "metadata")]


# -- command fields as text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("tools", "tools"),
        (" a, b ", ["a", "b"]),
        ("", None),
        ('[{"node": "tools", "input": {"x": 1}}]', [{"node": "tools", "input": {"x": 1}}]),
        ('{"node": "tools"}', {"node": "tools"}),
    ],
)
def test_goto_text_round_trip(text: str, value: Any) -> None:
    parsed, error = parse_goto(text)
    assert error is None and parsed == value
    if value is not None:
        command = Command.from_body({"goto": value})
        assert parse_goto(goto_text(command.goto))[0] == Command.from_body(
            {"goto": value}).to_body()["goto"]


def test_goto_json_errors_and_resume() -> None:
    assert parse_goto("[{")[1] is not None
    assert parse_resume("yes") == "yes"
    assert parse_resume('{"approved": true}') == {"approved": True}
    assert parse_resume("  ") is None
    assert resume_text({"a": 1}) == '{"a": 1}' and resume_text(None) == ""


# -- messages -----------------------------------------------------------------------------------


def test_open_tool_calls_are_the_unanswered_ones() -> None:
    script = Script.from_body({"metadata": meta(), "supersteps": TOOL_CALL})
    before_tools = messages_before(script, 3)
    assert [c["id"] for c in open_tool_calls(before_tools)] == ["call_1"]
    assert open_tool_calls(messages_before(script, 4)) == []


# -- outline rows -------------------------------------------------------------------------------


def test_rows_are_literal_and_marked() -> None:
    script = Script.from_body({"metadata": {"graph_id": HOSTILE}, "supersteps": [
        {"updates": [{"as_node": HOSTILE, "values": {"messages": [
            {"type": "human", "content": HOSTILE}]}}]}]})
    problems = [Problem(0, 0, "as_node", "bad", "error"), Problem(None, None, "x", "w",
                                                                   "warning")]
    marks = marks_for(problems)

    assert marks == {(0, 0): "error", SCRIPT_ROW: "warning"}
    row = row_text(script, (0, 0), marks).plain
    assert row.startswith("✗ ") and "[bold red]x[/]" in row and "\x1b" not in row
    assert "\x07" not in row_text(script, SCRIPT_ROW, marks).plain


def test_update_preview() -> None:
    script = Script.from_body({"metadata": meta(), "supersteps": TOOL_CALL})
    assert update_preview(script.update_at(2, 0)) == 'ai: → calculator({"expression": "6*7"})'
    assert update_preview(Update(values=None)) == "(no values)"
    command = Update(command=Command(goto="tools", resume="yes", update={"turns": 1}))
    assert update_preview(command) == 'command → tools · resume "yes" · turns=1'


# -- files and code -----------------------------------------------------------------------------


def test_path_completion(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "greeting.json").write_text("{}")
    (tmp_path / ".hidden").write_text("")

    assert complete_path(str(tmp_path / "scr")) == str(tmp_path / "scripts") + "/"
    assert complete_path(str(tmp_path / "scripts" / "g")) == str(
        tmp_path / "scripts" / "greeting.json")
    assert complete_path(str(tmp_path / "nothing")) is None
    assert complete_path(str(tmp_path) + "/") == str(tmp_path / "scripts") + "/"


def test_snippets_never_carry_a_secret() -> None:
    made = snippets(greeting(), "http://127.0.0.1:2024", None,
                    {"Authorization": "Bearer s3cr3t", "X-Tenant": "acme"})

    assert [s.tab for s in made] == ["curl", "python", "js"]
    for snippet in made:
        assert "s3cr3t" not in snippet.code
        assert "LANGGRAPH_API_KEY" in snippet.code  # the default variable name
