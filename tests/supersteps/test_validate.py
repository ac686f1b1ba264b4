"""Validation rules: each one flagged when broken and silent when respected.

The rules come from langgraph's ``bulk_update_state`` and from what langgraph-api 0.16.7 was
measured to reject (422/400), crash on (500) or accept silently.
"""

from __future__ import annotations

from typing import Any

import pytest

from tui.supersteps import Problem, Script, has_errors, validate

from .data import DEMO_NODES, SEED_BODY

INPUT = {"updates": [{"as_node": "__input__", "values": {}}]}
START = {
    "updates": [
        {"as_node": "__start__", "values": {"messages": [{"type": "human", "content": "hi"}]}}
    ]
}


def script(*steps: dict[str, Any], metadata: Any = None, **top: Any) -> Script:
    body: dict[str, Any] = {
        "metadata": {"graph_id": "agent"} if metadata is None else metadata,
        "supersteps": list(steps),
        **top,
    }
    return Script.from_body(body)


def values_step(node: str | None, values: Any) -> dict[str, Any]:
    update: dict[str, Any] = {"values": values}
    if node is not None:
        update["as_node"] = node
    return {"updates": [update]}


def messages_step(node: str, *messages: Any) -> dict[str, Any]:
    return values_step(node, {"messages": list(messages)})


def only(problems: list[Problem], field_part: str = "") -> Problem:
    matching = [p for p in problems if field_part in p.field]
    assert len(matching) == 1, problems
    return matching[0]


def test_the_seed_script_is_clean(seed: Script) -> None:
    assert validate(seed, DEMO_NODES) == []
    assert validate(seed) == []


def test_an_empty_script_is_a_valid_empty_thread() -> None:
    assert validate(Script()) == []
    assert validate(Script(metadata={"graph_id": "agent"})) == []


# -- metadata.graph_id ---------------------------------------------------------------------------


def test_supersteps_without_metadata_graph_id() -> None:
    problem = only(validate(script(INPUT, metadata={})))

    assert (problem.superstep, problem.update, problem.field) == (None, None, "metadata.graph_id")
    assert problem.severity == "error"
    assert "ignored" not in problem.message


def test_top_level_graph_id_gets_a_hint_that_the_server_ignores_it() -> None:
    problem = only(validate(script(INPUT, metadata={}, graph_id="agent")))

    assert "top-level graph_id is ignored" in problem.message


@pytest.mark.parametrize("graph_id", ["", "   ", 7, None])
def test_blank_or_non_string_graph_id(graph_id: Any) -> None:
    assert only(validate(script(INPUT, metadata={"graph_id": graph_id}))).field == (
        "metadata.graph_id"
    )


# -- thread options -----------------------------------------------------------------------------


def test_thread_options_checked_like_the_server() -> None:
    good = script(INPUT, thread_id="6f1c4a52-4a55-4f4c-9a29-0d1c1d3a6d51", if_exists="raise")
    assert validate(good) == []

    bad = validate(script(INPUT, thread_id="abc", if_exists="whatever", ttl=5))
    assert [p.field for p in bad] == ["thread_id", "if_exists", "ttl"]
    assert all(p.severity == "error" for p in bad)


def test_ttl_object_fields() -> None:
    assert validate(script(INPUT, ttl={"ttl": 60, "strategy": "keep_latest"})) == []
    fields = [p.field for p in validate(script(INPUT, ttl={"ttl": "1h", "strategy": "x"}))]
    assert fields == ["ttl.ttl", "ttl.strategy"]


def test_many_supersteps_warn_about_quadratic_creation_cost() -> None:
    steps = [INPUT] + [messages_step("call_model", {"type": "ai", "content": "x"})] * 500
    problem = only(validate(script(*steps)))

    assert problem.severity == "warning"
    assert problem.field == "supersteps"
    assert not has_errors([problem])


# -- supersteps and as_node ---------------------------------------------------------------------


def test_superstep_without_updates() -> None:
    problem = only(validate(script(INPUT, {"updates": []})))

    assert (problem.superstep, problem.update, problem.field) == (1, None, "updates")


def test_single_update_without_as_node() -> None:
    # Measured: the server's schema requires as_node (422), even for a lone update.
    problem = only(validate(script(INPUT, values_step(None, {"turns": 1}))))

    assert (problem.superstep, problem.update, problem.field) == (1, 0, "as_node")
    assert "rejects" in problem.message


def test_several_updates_each_need_as_node() -> None:
    step = {
        "updates": [
            {"as_node": "call_model", "values": {"turns": 1}},
            {"values": {"turns": 1}},
            {"as_node": " ", "values": {"turns": 1}},
        ]
    }
    problems = validate(script(INPUT, step))

    assert [(p.superstep, p.update, p.field) for p in problems] == [
        (1, 1, "as_node"),
        (1, 2, "as_node"),
    ]
    assert all("several updates" in p.message for p in problems)


def test_unknown_node_is_an_error_naming_the_known_nodes() -> None:
    problem = only(validate(script(INPUT, values_step("nope", {"turns": 1})), DEMO_NODES))

    assert problem.severity == "error"
    assert problem.message == (
        "Unknown node 'nope'; the graph has call_model, human_review, tools, "
        "__input__, __start__, __copy__, __end__."
    )


def test_unknown_node_is_not_checked_without_node_names() -> None:
    assert validate(script(INPUT, values_step("nope", {"turns": 1}))) == []


@pytest.mark.parametrize("node", ["__input__", "__start__", "__copy__", "__end__"])
def test_special_nodes_are_always_known(node: str) -> None:
    problems = validate(script(INPUT, values_step(node, None)), DEMO_NODES)

    assert not any("Unknown node" in p.message for p in problems)


@pytest.mark.parametrize("node", ["__input__", "__copy__", "__end__"])
def test_solo_nodes_must_be_alone(node: str) -> None:
    step = {"updates": [{"as_node": node, "values": None}, {"as_node": "call_model", "values": {}}]}
    problems = validate(script(INPUT, step), DEMO_NODES)

    problem = only([p for p in problems if "only update" in p.message])
    assert (problem.superstep, problem.update) == (1, 0)


def test_start_may_share_a_superstep() -> None:
    # Measured: __start__ plus a node update in one superstep is accepted.
    step = {
        "updates": [
            {"as_node": "__start__", "values": {"messages": [{"type": "human", "content": "a"}]}},
            {"as_node": "call_model", "values": {"turns": 2}},
        ]
    }
    assert validate(script(INPUT, step), DEMO_NODES) == []


def test_copy_first_has_nothing_to_copy() -> None:
    problems = validate(script(values_step("__copy__", None)))

    assert only(problems).message == "__copy__ needs an earlier superstep to copy."
    assert validate(script(INPUT, values_step("__copy__", None))) == []


# -- values -------------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [[{"turns": 1}], "text", 3, True])
def test_values_must_be_an_object(values: Any) -> None:
    problem = only(validate(script(INPUT, values_step("call_model", values))))

    assert problem.field == "values"
    assert problem.severity == "error"


def test_null_values_on_a_node_write_nothing_warning() -> None:
    problem = only(validate(script(INPUT, values_step("call_model", None))))

    assert problem.severity == "warning"


def test_input_needs_values() -> None:
    # Measured: 400 "Received no input writes for __start__".
    problem = only(validate(script(values_step("__input__", None))))

    assert (problem.field, problem.severity) == ("values", "error")


# -- keys the graph's state does not have ---------------------------------------------------------

STATE_KEYS = frozenset({"messages", "turns"})  # the demo graph's state and input schemas


def test_a_values_key_the_state_does_not_have_is_a_warning() -> None:
    # Measured: accepted (201), and "foo" is dropped without a word.
    problem = only(validate(script(INPUT, values_step("call_model", {"foo": 1, "turns": 2})),
                            DEMO_NODES, STATE_KEYS))

    assert (problem.superstep, problem.update, problem.field) == (1, 0, "values")
    assert problem.severity == "warning"
    assert problem.message == ("The graph's state has no key 'foo' (it has messages, turns): the "
                               "server drops it silently.")


def test_unknown_keys_of_an_input_and_of_a_command_update() -> None:
    first = validate(script(values_step("__input__", {"a": 1, "b": 2})), None, STATE_KEYS)
    command = command_step({"goto": "tools", "update": [["nope", 1], ["turns", 1]]})
    second = validate(script(INPUT, command), DEMO_NODES, STATE_KEYS)

    assert "no keys 'a', 'b'" in only(first).message
    assert (only(second).field, only(second).severity) == ("command.update", "warning")
    assert "'nope'" in only(second).message


def test_keys_are_not_checked_when_the_schema_is_unknown() -> None:
    assert validate(script(INPUT, values_step("call_model", {"foo": 1})), DEMO_NODES) == []
    assert validate(script(INPUT, values_step("call_model", {"turns": 1})), DEMO_NODES,
                    STATE_KEYS) == []


def test_schema_keys_come_from_the_state_and_input_schemas() -> None:
    from tui.supersteps.state_keys import schema_keys

    state = {"type": "object", "properties": {"messages": {}, "turns": {}}}
    assert schema_keys(state, {"properties": {"question": {}}}) == {"messages", "turns",
                                                                    "question"}
    assert schema_keys(None, {"type": "object"}) is None


def test_end_takes_no_values() -> None:
    # Measured: 400 "Node __end__ does not exist" when values are given.
    assert validate(script(INPUT, values_step("__end__", None))) == []
    assert only(validate(script(INPUT, values_step("__end__", {"turns": 1})))).field == "values"


def test_copy_ignores_values_warning() -> None:
    problem = only(validate(script(INPUT, values_step("__copy__", {"turns": 1}))))

    assert problem.severity == "warning"


# -- command ------------------------------------------------------------------------------------


def command_step(command: Any, values: Any = None) -> dict[str, Any]:
    update: dict[str, Any] = {"as_node": "call_model", "command": command}
    if values is not None:
        update["values"] = values
    return {"updates": [update]}


def test_command_with_goto_is_fine() -> None:
    for goto in ("tools", ["tools", "call_model"], {"node": "tools", "input": {}}):
        command = {"update": {"turns": 1}, "goto": goto, "resume": "yes"}
        assert validate(script(INPUT, START, command_step(command)), DEMO_NODES) == []


def test_command_without_goto_is_an_error() -> None:
    # Measured: 500 Internal Server Error.
    problem = only(validate(script(INPUT, command_step({"update": {"turns": 1}}))))

    assert (problem.superstep, problem.update, problem.field) == (1, 0, "command.goto")
    assert "500" in problem.message


def test_command_empty_goto_list() -> None:
    assert only(validate(script(INPUT, command_step({"goto": []})))).field == "command.goto"


def test_command_mixed_goto_list() -> None:
    # Measured: 422, the schema accepts a list of names or a list of Sends, not both.
    command = {"goto": ["tools", {"node": "tools", "input": {}}]}

    assert "mixes" in only(validate(script(INPUT, command_step(command)))).message


def test_command_goto_unknown_node() -> None:
    # Measured: accepted (200) but nothing is scheduled, so it is surely a typo.
    problems = validate(script(INPUT, command_step({"goto": ["tools", "nope"]})), DEMO_NODES)

    problem = only(problems)
    assert problem.field == "command.goto[1]"
    assert "'nope'" in problem.message
    assert "__end__" in problem.message and "__input__" not in problem.message


def test_command_send_to_unknown_node() -> None:
    command = {"goto": {"node": "nope", "input": 1}}

    assert only(validate(script(INPUT, command_step(command)), DEMO_NODES)).field == "command.goto"


def test_command_update_shape() -> None:
    pairs = {"goto": "tools", "update": [["turns", 1]]}
    assert validate(script(INPUT, command_step(pairs))) == []
    bad = {"goto": "tools", "update": "turns=1"}
    assert only(validate(script(INPUT, command_step(bad)))).field == "command.update"


def test_values_and_command_together() -> None:
    # Measured: the server applies the command and drops the values.
    problem = only(validate(script(INPUT, command_step({"goto": "tools"}, {"turns": 1}))))

    assert (problem.field, problem.severity) == ("values", "error")
    assert "drops values" in problem.message and "command.update" in problem.message


# -- messages -----------------------------------------------------------------------------------

AI_CALL = {
    "type": "ai",
    "content": "",
    "tool_calls": [{"name": "calculator", "args": {"expression": "6*7"}, "id": "c1"}],
}
RESULT = {"type": "tool", "content": "42", "tool_call_id": "c1", "name": "calculator"}


def test_tool_result_after_its_call_in_an_earlier_superstep() -> None:
    s = script(INPUT, START, messages_step("call_model", AI_CALL), messages_step("tools", RESULT))

    assert validate(s, DEMO_NODES) == []


def test_tool_result_after_its_call_in_the_same_list() -> None:
    assert validate(script(INPUT, messages_step("call_model", AI_CALL, RESULT))) == []


def test_tool_result_in_a_command_update_sees_earlier_calls() -> None:
    command = {"goto": "call_model", "update": {"messages": [RESULT]}}
    s = script(INPUT, messages_step("call_model", AI_CALL), command_step(command))

    assert validate(s) == []


def test_orphan_tool_result() -> None:
    problem = only(validate(script(INPUT, messages_step("tools", RESULT))))

    assert (problem.superstep, problem.update) == (1, 0)
    assert problem.field == "values.messages[0].tool_call_id"
    assert "'c1'" in problem.message


def test_tool_result_before_its_call_is_an_orphan() -> None:
    problem = only(validate(script(INPUT, messages_step("call_model", RESULT, AI_CALL))))

    assert problem.field == "values.messages[0].tool_call_id"


def test_tool_call_in_a_parallel_update_of_the_same_superstep_does_not_count() -> None:
    step = {
        "updates": [
            {"as_node": "call_model", "values": {"messages": [AI_CALL]}},
            {"as_node": "tools", "values": {"messages": [RESULT]}},
        ]
    }

    assert only(validate(script(INPUT, step))).field == "values.messages[0].tool_call_id"


def test_tool_message_without_tool_call_id() -> None:
    # Measured: 500.
    bare = {"type": "tool", "content": "42"}

    problem = only(validate(script(INPUT, messages_step("tools", bare))))

    assert problem.field == "values.messages[0].tool_call_id"
    assert "500" in problem.message


@pytest.mark.parametrize(
    ("call", "field"),
    [
        ({"name": "x", "args": {}}, "tool_calls[0].id"),  # measured: 500
        ({"name": "x", "args": "a=1", "id": "c"}, "tool_calls[0].args"),  # measured: 400
        ({"args": {}, "id": "c"}, "tool_calls[0].name"),
        ("calculator()", "tool_calls[0]"),
    ],
)
def test_malformed_tool_calls(call: Any, field: str) -> None:
    message = {"type": "ai", "content": "", "tool_calls": [call]}

    problem = only(validate(script(INPUT, messages_step("call_model", message))))

    assert problem.field == f"values.messages[0].{field}"


def test_tool_calls_not_a_list() -> None:
    message = {"type": "ai", "content": "", "tool_calls": {"name": "x"}}

    assert only(validate(script(INPUT, messages_step("call_model", message)))).field.endswith(
        "tool_calls"
    )


@pytest.mark.parametrize(
    ("message", "field", "fragment"),
    [
        ({"type": "bogus", "content": "x"}, "values.messages[0].type", "Unknown message type"),
        ({"content": "x"}, "values.messages[0].type", "no type"),
        ({"type": "ai"}, "values.messages[0].content", "no content"),
        ({"type": "ai", "content": 3}, "values.messages[0].content", "text or a list"),
        (7, "values.messages[0]", "must be an object"),
        (["bogus", "x"], "values.messages[0]", "Unknown message type"),
        (["tool", "x"], "values.messages[0]", "needs an id"),
    ],
)
def test_malformed_messages(message: Any, field: str, fragment: str) -> None:
    problem = only(validate(script(INPUT, messages_step("call_model", message))))

    assert problem.field == field
    assert fragment in problem.message
    assert problem.severity == "error"


@pytest.mark.parametrize(
    "message",
    [
        {"role": "user", "content": "x"},
        {"role": "assistant", "content": "x"},
        {"type": "developer", "content": "x"},
        {"type": "function", "content": "x", "name": "f"},
        {"type": "ai", "content": None},
        {"type": "ai", "content": [{"type": "text", "text": "x"}]},
        ["ai", "pair form"],
    ],
)
def test_accepted_message_forms(message: Any) -> None:
    assert validate(script(INPUT, messages_step("call_model", message))) == []


def test_single_message_instead_of_a_list_is_accepted() -> None:
    # Measured: add_messages takes a lone message.
    assert (
        validate(
            script(INPUT, values_step("call_model", {"messages": {"type": "ai", "content": "x"}}))
        )
        == []
    )
    bad = values_step("call_model", {"messages": {"type": "bogus", "content": "x"}})
    assert only(validate(script(INPUT, bad))).field == "values.messages.type"


def test_bare_string_message_is_a_warning() -> None:
    problem = only(validate(script(INPUT, messages_step("call_model", "hello"))))

    assert problem.severity == "warning"


def test_stray_message_keys_warn() -> None:
    message = {"type": "ai", "content": "x", "usage_metadata": None}

    problem = only(validate(script(INPUT, messages_step("call_model", message))))

    assert (problem.field, problem.severity) == ("values.messages[0].usage_metadata", "warning")


def test_remove_message_needs_an_earlier_id() -> None:
    # Measured: 500 without id, 400 for an id that does not exist.
    named = {"type": "human", "content": "hi", "id": "h1"}
    ok = script(
        INPUT,
        messages_step("__start__", named),
        messages_step("call_model", {"type": "remove", "id": "h1", "content": ""}),
    )
    assert validate(ok) == []

    missing = script(
        INPUT, messages_step("call_model", {"type": "remove", "id": "zz", "content": ""})
    )
    assert "'zz'" in only(validate(missing)).message
    no_id = script(INPUT, messages_step("call_model", {"type": "remove", "content": ""}))
    assert only(validate(no_id)).field == "values.messages[0].id"


def test_problems_come_in_script_order_with_locations() -> None:
    s = script(
        INPUT,
        messages_step("tools", RESULT),
        {"updates": []},
        metadata={},
    )
    problems = validate(s)

    assert [p.location for p in problems] == [
        "metadata.graph_id",
        "superstep 2, update 1, values.messages[0].tool_call_id",
        "superstep 3, updates",
    ]
    assert str(problems[2]) == "error: superstep 3, updates: " + problems[2].message
    assert all("\n" not in p.message for p in problems)
    assert has_errors(problems)


def test_seed_body_is_not_mutated_by_validation() -> None:
    validate(Script.from_body(SEED_BODY), DEMO_NODES)

    assert SEED_BODY["supersteps"][0] == INPUT


def test_do_nothing_with_supersteps_warns_that_they_are_applied_again() -> None:
    thread_id = "6f1c4a52-4a55-4f4c-9a29-0d1c1d3a6d51"
    [problem] = validate(script(INPUT, thread_id=thread_id, if_exists="do_nothing"))
    assert (problem.field, problem.severity) == ("if_exists", "warning")
    assert "applies them to an existing thread" in problem.message
    assert validate(script(thread_id=thread_id, if_exists="do_nothing")) == []
