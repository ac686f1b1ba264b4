"""Server error text → problems located in the script.

Every ``detail`` below was recorded from langgraph-api 0.16.7 (inmem) answering ``POST
/threads`` for the script described next to it.
"""

from __future__ import annotations

from typing import Any

from tui.supersteps import Problem, Script, problems_from_server_detail

INPUT = {"updates": [{"as_node": "__input__", "values": {}}]}


def script(*steps: dict[str, Any]) -> Script:
    return Script.from_body({"metadata": {"graph_id": "agent"}, "supersteps": list(steps)})


def where(problems: list[Problem]) -> list[tuple[int | None, int | None, str]]:
    return [(p.superstep, p.update, p.field) for p in problems]


def test_schema_error_points_at_the_update_and_field() -> None:
    detail = (
        '"as_node" is a required property\n\nFailed validating "required" in '
        'schema["components"]["schemas"]["ThreadSuperstepUpdate"]\n\n'
        'On instance["supersteps"][2]["updates"][1]:\n    {"values":{"turns":1}}'
    )

    problems = problems_from_server_detail(detail)

    assert where(problems) == [(2, 1, "as_node")]
    assert problems[0].message == 'Server: "as_node" is a required property'


def test_schema_error_inside_an_update() -> None:
    detail = (
        '{"goto":["tools",{"input":{},"node":"tools"}]} is not valid under any of the '
        "schemas listed in the 'anyOf' keyword\n\nFailed validating \"anyOf\" in schema[...]"
        '\n\nOn instance["supersteps"][2]["updates"][0]["command"]:\n    {}'
    )

    assert where(problems_from_server_detail(detail)) == [(2, 0, "command")]


def test_schema_error_at_top_level() -> None:
    detail = (
        '5 is not of type "object"\n\nFailed validating "type" in schema["properties"]["ttl"]'
        '\n\nOn instance["ttl"]:\n    5'
    )

    assert where(problems_from_server_detail(detail)) == [(None, None, "ttl")]


def test_unknown_node_points_at_every_update_using_it() -> None:
    s = script(
        INPUT,
        {"updates": [{"as_node": "nope", "values": {}}]},
        {"updates": [{"as_node": "call_model", "values": {}}, {"as_node": "nope", "values": {}}]},
    )

    problems = problems_from_server_detail("Node nope does not exist", s)

    assert where(problems) == [(1, 0, "as_node"), (2, 1, "as_node")]
    assert problems[0].message == "Server: Node nope does not exist"


def test_created_with_problems_prefix_is_stripped() -> None:
    detail = (
        "Thread 01a21220-3fcd-746b-8c54-954baba05b77 was created, but there were problems "
        "updating the state: Graph 'nograph' not found. Expected one of: ['agent']"
    )

    problems = problems_from_server_detail(detail)

    assert where(problems) == [(None, None, "metadata.graph_id")]
    assert problems[0].message == "Server: Graph 'nograph' not found. Expected one of: ['agent']"


def test_no_assigned_graph_id() -> None:
    detail = (
        "Thread 01a2 was created, but there were problems updating the state: Thread '01a2' "
        "has no assigned graph ID. This usually occurs when no runs have been made."
    )

    assert where(problems_from_server_detail(detail)) == [(None, None, "metadata.graph_id")]


def test_solo_node_not_alone() -> None:
    s = script(
        {"updates": [{"as_node": "__input__", "values": {}}, {"as_node": "x", "values": {}}]}
    )

    problems = problems_from_server_detail(
        "Cannot apply multiple updates when updating as input", s
    )

    assert where(problems) == [(0, 0, "as_node")]


def test_copy_without_checkpoint() -> None:
    s = script({"updates": [{"as_node": "__copy__"}]})

    assert where(problems_from_server_detail("Cannot copy a non-existent checkpoint", s)) == [
        (0, 0, "as_node")
    ]


def test_no_updates_provided() -> None:
    s = script(INPUT, {"updates": []})

    assert where(problems_from_server_detail("No updates provided", s)) == [(1, None, "updates")]


def test_input_without_values() -> None:
    s = script({"updates": [{"as_node": "__input__"}]})

    problems = problems_from_server_detail("Received no input writes for __start__", s)

    assert where(problems) == [(0, 0, "values")]


def test_unexpected_message_type_points_at_the_message() -> None:
    s = script(
        INPUT,
        {
            "updates": [
                {
                    "as_node": "call_model",
                    "values": {
                        "messages": [
                            {"type": "ai", "content": "x"},
                            {"type": "bogus", "content": "x"},
                        ]
                    },
                }
            ]
        },
    )
    detail = (
        "Unexpected message type: 'bogus'. Use one of 'human', 'user', 'ai', 'assistant', "
        "'function', 'tool', 'system', or 'developer'.\nFor troubleshooting, visit: https://x"
    )

    problems = problems_from_server_detail(detail, s)

    assert where(problems) == [(1, 0, "values.messages[1]")]
    assert "\n" not in problems[0].message


def test_message_without_content() -> None:
    s = script(
        INPUT, {"updates": [{"as_node": "call_model", "values": {"messages": [{"type": "ai"}]}}]}
    )
    detail = "Message dict must contain 'role' and 'content' keys, got {'type': 'ai'}\nFor trouble"

    assert where(problems_from_server_detail(detail, s)) == [(1, 0, "values.messages[0]")]


def test_plain_500_gets_an_actionable_hint() -> None:
    problem = problems_from_server_detail("Internal Server Error")[0]

    assert where([problem]) == [(None, None, "")]
    assert "goto" in problem.message and "tool" in problem.message


def test_unrecognised_detail_falls_back_to_one_script_level_problem() -> None:
    problems = problems_from_server_detail("Something odd\nhappened", script(INPUT))

    assert where(problems) == [(None, None, "")]
    assert problems[0].message == "Server: Something odd"


def test_detail_naming_a_node_the_script_lacks_falls_back() -> None:
    problems = problems_from_server_detail("Node ghost has no writers", script(INPUT))

    assert where(problems) == [(None, None, "")]
    assert problems[0].message == "Server: Node ghost has no writers"


def test_empty_detail() -> None:
    problems = problems_from_server_detail("   ")

    assert len(problems) == 1
    assert problems[0].message
