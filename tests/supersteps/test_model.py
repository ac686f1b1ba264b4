"""The script model: parse a ``POST /threads`` body and give the exact body back."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tui.supersteps import Command, Script, ScriptError, Send, Superstep, Update

from .data import SEED_BODY


def test_seed_body_round_trips_exactly() -> None:
    script = Script.from_body(SEED_BODY)

    assert script.graph_id == "agent"
    assert [step.updates[0].as_node for step in script.supersteps] == [
        "__input__",
        "__start__",
        "call_model",
    ]
    assert script.to_body() == SEED_BODY


def test_body_key_order_is_stable_and_readable(seed: Script) -> None:
    body = Script(
        metadata={"graph_id": "agent"},
        supersteps=seed.supersteps,
        thread_id="6f1c4a52-4a55-4f4c-9a29-0d1c1d3a6d51",
        if_exists="do_nothing",
        ttl={"ttl": 5},
    ).to_body()

    assert list(body) == ["thread_id", "if_exists", "ttl", "metadata", "supersteps"]
    assert list(body["supersteps"][1]["updates"][0]) == ["as_node", "values"]


def test_none_fields_are_omitted() -> None:
    update = Update(as_node="call_model", command=Command(goto="tools"))

    assert update.to_body() == {"as_node": "call_model", "command": {"goto": "tools"}}
    assert Update().to_body() == {}


def test_python_sdk_style_null_values_with_command_parse_as_a_command_update() -> None:
    body = {"as_node": "call_model", "values": None, "command": {"goto": "tools", "resume": "y"}}

    update = Update.from_body(body)

    assert update.values is None
    assert update.command == Command(goto="tools", resume="y")
    assert update.to_body() == {
        "as_node": "call_model",
        "command": {"goto": "tools", "resume": "y"},
    }


@pytest.mark.parametrize(
    ("goto", "expected"),
    [
        ("tools", "tools"),
        (["tools", "call_model"], ("tools", "call_model")),
        ({"node": "tools", "input": {"x": 1}}, Send(node="tools", input={"x": 1})),
        ([{"node": "tools", "input": 1}], (Send(node="tools", input=1),)),
    ],
)
def test_goto_keeps_its_shape(goto: Any, expected: Any) -> None:
    command = Command.from_body({"goto": goto})

    assert command.goto == expected
    assert command.to_body() == {"goto": goto}


def test_send_without_input_is_written_with_null_input() -> None:
    # The server reads it["input"]: writing the key back avoids a KeyError there.
    command = Command.from_body({"goto": {"node": "tools"}})

    assert command.to_body() == {"goto": {"node": "tools", "input": None}}


def test_goto_targets_flattens_every_shape() -> None:
    assert Command().goto_targets() == ()
    assert Command(goto="a").goto_targets() == ("a",)
    assert Command(goto=Send(node="a")).goto_targets() == (Send(node="a"),)
    assert Command(goto=("a", "b")).goto_targets() == ("a", "b")


def test_unknown_keys_round_trip_at_every_level() -> None:
    body = {
        "metadata": {"graph_id": "agent"},
        "future_option": {"a": [1, 2]},
        "supersteps": [
            {
                "updates": [
                    {
                        "as_node": "call_model",
                        "command": {"goto": "tools", "task_hint": 3},
                        "task_id": "t-1",
                    }
                ],
                "label": "first",
            }
        ],
    }

    script = Script.from_body(body)

    assert script.to_body() == body
    assert script.extras() == {"future_option": {"a": [1, 2]}}


def test_missing_metadata_and_supersteps_mean_empty() -> None:
    script = Script.from_body({})

    assert script.metadata == {}
    assert script.supersteps == ()
    assert script.graph_id is None
    assert script.to_body() == {"metadata": {}, "supersteps": []}


def test_graph_id_ignores_non_string_values() -> None:
    assert Script(metadata={"graph_id": 7}).graph_id is None


@pytest.mark.parametrize(
    ("body", "path", "fragment"),
    [
        ([], "", "must be a JSON object, not a list"),
        ({"metadata": "agent"}, "metadata", "JSON object, not a string"),
        ({"supersteps": {}}, "supersteps", "must be a list, not an object"),
        ({"supersteps": [{}]}, "supersteps[0]", "missing 'updates'"),
        ({"supersteps": [{"updates": None}]}, "supersteps[0].updates", "must be a list, not null"),
        ({"supersteps": [{"updates": ["x"]}]}, "supersteps[0].updates[0]", "not a string"),
        (
            {"supersteps": [{"updates": [{"as_node": 3}]}]},
            "supersteps[0].updates[0].as_node",
            "node name (string), not a number",
        ),
        (
            {"supersteps": [{"updates": [{"command": {"goto": 5}}]}]},
            "supersteps[0].updates[0].command.goto",
            "node name or a Send object",
        ),
        (
            {"supersteps": [{"updates": [{"command": {"goto": [{"input": 1}]}}]}]},
            "supersteps[0].updates[0].command.goto[0].node",
            "must be a string, not null",
        ),
        ({"thread_id": 12}, "thread_id", "must be a string"),
        ({"if_exists": True}, "if_exists", "must be a string, not a boolean"),
    ],
)
def test_wrong_shapes_raise_script_error_with_a_path(body: Any, path: str, fragment: str) -> None:
    with pytest.raises(ScriptError) as caught:
        Script.from_body(body)

    assert caught.value.path == path
    assert fragment in caught.value.message
    assert "\n" not in str(caught.value)


def test_from_body_copies_its_input() -> None:
    body = copy.deepcopy(SEED_BODY)
    script = Script.from_body(body)

    body["supersteps"][1]["updates"][0]["values"]["messages"].append({"type": "ai"})
    body["metadata"]["graph_id"] = "other"

    assert script.to_body() == SEED_BODY


def test_to_body_returns_fresh_data(seed: Script) -> None:
    body = seed.to_body()
    body["supersteps"][1]["updates"][0]["values"]["messages"].clear()

    assert seed.to_body() == SEED_BODY


def test_models_are_frozen(seed: Script) -> None:
    with pytest.raises(ValueError):
        seed.metadata = {}  # type: ignore[misc]
    with pytest.raises(ValueError):
        seed.supersteps[0].updates[0].as_node = "x"  # type: ignore[misc]


def test_update_addressing(seed: Script) -> None:
    assert seed.update_at(2, 0).as_node == "call_model"
    with pytest.raises(IndexError):
        seed.update_at(3, 0)
    assert [(s, u) for s, u, _ in seed.iter_updates()] == [(0, 0), (1, 0), (2, 0)]


def test_superstep_lists_are_coerced_to_tuples() -> None:
    step = Superstep(updates=[Update(as_node="a")])  # type: ignore[arg-type]

    assert isinstance(step.updates, tuple)
