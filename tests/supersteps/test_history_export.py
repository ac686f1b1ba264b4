"""History → script, checked on histories recorded from the real server.

The fixtures under ``fixtures/`` were recorded from ``langgraph dev`` (langgraph-api 0.16.7) on
the bundled demo graph:

- ``history_seed``: a thread created from the docs page's three supersteps;
- ``history_runs_interrupted``: runs "what is 6*7?" then "send an email to bob@example.com",
  stopped at the ``human_review`` interrupt; ``history_runs_resumed``: the same, resumed "yes";
- ``history_fork``: the seed thread, then ``update_state`` on its middle checkpoint (a fork).

Each ``*.script.json`` is the export, and creating a thread from it on the real server gave
exactly the recorded newest ``values`` and ``next`` when it was recorded. Here a small model of
the demo graph's reducers (``add_messages`` for messages, ``operator.add`` for turns) replays
scripts so that every slice can be checked without a server.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tui.supersteps import (
    HistoryExportError,
    Script,
    checkpoint_lineage,
    dumps_script,
    script_from_history,
)

from .data import FIXTURES, SEED_BODY, load_fixture

NAMES = ["seed", "runs_interrupted", "runs_resumed", "fork"]


def history(name: str) -> list[dict[str, Any]]:
    return load_fixture(f"history_{name}.json")  # type: ignore[no-any-return]


def add_messages(left: list[Any], right: Any) -> list[Any]:
    merged = list(left)
    for message in right if isinstance(right, list) else [right]:
        index = next(
            (i for i, m in enumerate(merged) if m.get("id") and m.get("id") == message.get("id")),
            None,
        )
        if message.get("type") == "remove":
            assert index is not None, f"removing unknown id {message.get('id')}"
            del merged[index]
        elif index is None:
            merged.append(message)
        else:
            merged[index] = message
    return merged


def replay(script: Script) -> dict[str, Any]:
    """The demo graph's state after applying the script's updates (values only)."""
    state: dict[str, Any] = {}
    for _, _, update in script.iter_updates():
        if update.as_node == "__input__" or not isinstance(update.values, dict):
            continue
        for key, value in update.values.items():
            if key == "messages":
                state["messages"] = add_messages(state.get("messages", []), value)
            elif key == "turns":
                state["turns"] = state.get("turns", 0) + value
            else:
                state[key] = value
    return state


SERVER_DEFAULTS = {
    "additional_kwargs": {},
    "response_metadata": {},
    "name": None,
    "tool_calls": [],
    "invalid_tool_calls": [],
    "usage_metadata": None,
    "artifact": None,
    "status": "success",
}


def normal(message: dict[str, Any]) -> dict[str, Any]:
    """A message without the fields the server fills in with defaults."""
    return {k: v for k, v in message.items() if SERVER_DEFAULTS.get(k, object()) != v}


def comparable(values: Any) -> dict[str, Any]:
    """Recorded values as the model below produces them (defaults dropped, turns present)."""
    state = copy.deepcopy(values) if isinstance(values, dict) else {}
    state.setdefault("turns", 0)
    state["messages"] = [normal(m) for m in state.get("messages", [])]
    return state


def replayed(script: Script) -> dict[str, Any]:
    state = replay(script)
    state.setdefault("turns", 0)
    state["messages"] = [normal(m) for m in state.get("messages", [])]
    return state


@pytest.mark.parametrize("name", NAMES)
def test_export_matches_the_server_verified_golden_script(name: str) -> None:
    script = script_from_history(history(name), "agent")

    golden = (FIXTURES / f"history_{name}.script.json").read_text(encoding="utf-8")
    assert dumps_script(script) == golden


@pytest.mark.parametrize("name", NAMES)
def test_export_replays_to_the_newest_values(name: str) -> None:
    checkpoints = history(name)

    script = script_from_history(checkpoints, "agent")

    assert replayed(script) == comparable(checkpoints[0]["values"])


@pytest.mark.parametrize("name", ["seed", "runs_interrupted", "runs_resumed"])
def test_every_prefix_replays_to_its_checkpoint(name: str) -> None:
    lineage = checkpoint_lineage(history(name))

    for end in range(1, len(lineage) + 1):
        script = script_from_history(history(name), "agent", end=end)
        assert replayed(script) == comparable(lineage[end - 1]["values"]), f"end={end}"


@pytest.mark.parametrize("name", ["runs_interrupted", "runs_resumed"])
def test_every_suffix_replays_to_the_newest_values(name: str) -> None:
    checkpoints = history(name)

    for start in range(len(checkpoints)):
        script = script_from_history(checkpoints, "agent", start=start)
        assert replayed(script) == comparable(checkpoints[0]["values"]), f"start={start}"


def test_seed_history_gives_back_the_seed_script_with_server_ids() -> None:
    checkpoints = history("seed")
    state_ids = [m["id"] for m in checkpoints[0]["values"]["messages"]]

    script = script_from_history(checkpoints, "agent")

    body = script.to_body()
    human = body["supersteps"][1]["updates"][0]["values"]["messages"][0]
    assert human == {"type": "human", "content": "hello", "id": state_ids[0]}
    without_ids = copy.deepcopy(body)
    del without_ids["supersteps"][1]["updates"][0]["values"]["messages"][0]["id"]
    del without_ids["supersteps"][2]["updates"][0]["values"]["messages"][0]["id"]
    assert without_ids == SEED_BODY


def test_fill_message_ids_can_be_turned_off() -> None:
    script = script_from_history(history("seed"), "agent", fill_message_ids=False)

    assert script.to_body() == SEED_BODY


def test_runs_structure_input_checkpoints_and_skipped_interrupt() -> None:
    interrupted = script_from_history(history("runs_interrupted"), "agent")
    resumed = script_from_history(history("runs_resumed"), "agent")

    assert [s.updates[0].as_node for s in interrupted.supersteps] == [
        "__input__",
        "__start__",
        "call_model",
        "tools",
        "call_model",
        "__input__",  # the second run's input checkpoint
        "__start__",
        "call_model",
        # human_review is interrupted: its result is null, so nothing is written for it
    ]
    assert [s.updates[0].as_node for s in resumed.supersteps][8:] == [
        "human_review",
        "tools",
        "call_model",
    ]
    assert resumed.supersteps[8].updates[0].values == {}


def test_exported_messages_carry_no_fields_the_create_endpoint_misplaces() -> None:
    script = script_from_history(history("runs_resumed"), "agent")

    for _, _, update in script.iter_updates():
        for message in (update.values or {}).get("messages", []):
            assert "usage_metadata" not in message
            assert "invalid_tool_calls" not in message


def test_compact_drops_server_defaults_but_keeps_meaning() -> None:
    checkpoints = history("runs_resumed")

    script = script_from_history(checkpoints, "agent", compact=True)

    tool_result = script.supersteps[3].updates[0].values["messages"][0]
    assert tool_result == {
        "content": "42",
        "type": "tool",
        "name": "calculator",
        "id": tool_result["id"],
        "tool_call_id": "call_calculator_1",
    }
    full = replayed(script_from_history(checkpoints, "agent"))
    assert [m["id"] for m in replayed(script)["messages"]] == [m["id"] for m in full["messages"]]


def test_fork_exports_the_newest_branch_as_a_delta() -> None:
    checkpoints = history("fork")

    lineage = checkpoint_lineage(checkpoints)
    script = script_from_history(checkpoints, "agent")

    assert len(checkpoints) == 4 and len(lineage) == 3
    assert lineage[-1] is checkpoints[0]
    last = script.supersteps[-1].updates[0]
    assert last.as_node == "call_model"
    assert [m["content"] for m in last.values["messages"]] == ["Forked reply"]


def test_lineage_accepts_oldest_first_lists_too() -> None:
    checkpoints = history("runs_resumed")

    assert checkpoint_lineage(list(reversed(checkpoints))) == checkpoint_lineage(checkpoints)


def test_lineage_without_ids_reverses_the_list() -> None:
    stripped = [
        {k: v for k, v in c.items() if k not in {"checkpoint", "parent_checkpoint"}}
        for c in history("seed")
    ]

    lineage = checkpoint_lineage(stripped)

    assert [c["metadata"]["step"] for c in lineage] == [-1, 0, 1]
    assert script_from_history(stripped, "agent") == script_from_history(history("seed"), "agent")


def test_lineage_accepts_flat_checkpoint_id_fields() -> None:
    flat = [
        {
            **c,
            "checkpoint_id": c["checkpoint"]["checkpoint_id"],
            "parent_checkpoint_id": (c.get("parent_checkpoint") or {}).get("checkpoint_id"),
            "checkpoint": None,
            "parent_checkpoint": None,
        }
        for c in history("fork")
    ]

    assert len(checkpoint_lineage(flat)) == 3


def test_mid_thread_start_writes_the_state_as_the_node_that_made_it() -> None:
    checkpoints = history("runs_resumed")
    lineage = checkpoint_lineage(checkpoints)

    script = script_from_history(checkpoints, "agent", start=3, end=4)

    assert lineage[3]["metadata"]["step"] == 2
    first, seeded = script.supersteps
    assert first.updates[0].as_node == "__input__"
    assert seeded.updates[0].as_node == "tools"  # the task that produced checkpoint 3
    assert replayed(script) == comparable(lineage[3]["values"])


def test_metadata_is_merged_and_graph_id_wins() -> None:
    script = script_from_history(
        history("seed"), "other", metadata={"graph_id": "x", "copied_from": "t1"}
    )

    assert script.metadata == {"graph_id": "other", "copied_from": "t1"}


def test_source_history_is_not_mutated() -> None:
    checkpoints = history("seed")
    before = copy.deepcopy(checkpoints)

    script_from_history(checkpoints, "agent", compact=True)

    assert checkpoints == before


@pytest.mark.parametrize(("start", "end"), [(5, None), (2, 1), (None, 0), (-1, -1)])
def test_empty_selection_is_an_error(start: int | None, end: int | None) -> None:
    with pytest.raises(HistoryExportError, match="No checkpoints selected"):
        script_from_history(history("seed"), "agent", start=start, end=end)


def test_empty_history_is_an_error() -> None:
    with pytest.raises(HistoryExportError, match="no checkpoints"):
        script_from_history([], "agent")
