"""The candidates for one step of a history (pure data; the replays that decide between them
are tested against real servers in tests/services)."""

from __future__ import annotations

from typing import Any

from tui.supersteps.recorded_writes import reducer_evidence
from tui.supersteps.replay_compare import checkpoint_differences
from tui.supersteps.step_candidates import GraphShape, plan_transition

SHAPE = GraphShape.from_edges(
    ["call_model", "tools", "approve"],
    [("__start__", "call_model", False), ("call_model", "tools", True),
     ("call_model", "approve", True), ("call_model", "__end__", True),
     ("tools", "call_model", False), ("approve", "__end__", False)],
)


def cp(values: dict[str, Any], nxt: list[str], tasks: list[dict[str, Any]] | None = None,
       source: str = "update", cid: str = "c") -> dict[str, Any]:
    return {"values": values, "next": nxt, "tasks": tasks or [], "checkpoint_id": cid,
            "metadata": {"source": source}}


def msg(kind: str, content: str, mid: str) -> dict[str, Any]:
    return {"type": kind, "content": content, "id": mid}


def written(update: Any) -> dict[str, Any]:
    values = update.values if update.values is not None else update.command.update
    return dict(values or {})


def test_recorded_writes_that_explain_everything_are_certain() -> None:
    before = cp({"messages": [msg("human", "hi", "1")]}, ["call_model"],
                [{"name": "call_model", "result": {"messages": [{"type": "ai", "content": "yo"}]}}])
    after = cp({"messages": [msg("human", "hi", "1"), msg("ai", "yo", "2")]}, [])

    step = plan_transition(before, after, SHAPE)

    assert step.certain and step.note == ""
    assert step.candidates[0].to_body() == {"updates": [
        {"as_node": "call_model", "values": {"messages": [msg("ai", "yo", "2")]}}]}


def test_an_unrecorded_update_is_written_as_the_node_whose_edges_lead_where_it_went() -> None:
    before = cp({"messages": [msg("human", "hi", "1")], "log": ["a"]}, [])
    after = cp({"messages": [msg("human", "hi", "1"), msg("ai", "t", "2")], "log": ["a", "b"]},
               ["call_model"])

    step = plan_transition(before, after, SHAPE)

    assert not step.certain and "does not record" in step.note
    first = step.candidates[0].updates[0]
    assert first.as_node == "tools"  # tools -> call_model is the edge that explains `next`
    assert first.values == {"messages": [msg("ai", "t", "2")], "log": ["a", "b"]}
    logs = [written(c.updates[0]).get("log") for c in step.candidates]
    assert ["b"] in logs  # the added part, for an operator.add reducer
    assert {"__overwrite__": ["a", "b"]} in logs  # any reducer


def test_a_next_no_edge_explains_is_not_certain_and_a_goto_is_offered() -> None:
    before = cp({"messages": [msg("human", "hi", "1")]}, ["tools"],
                [{"name": "tools", "result": {}}])
    after = cp({"messages": [msg("human", "hi", "1")]}, ["approve"])

    step = plan_transition(before, after, SHAPE)

    assert not step.certain and "a goto the history does not record" in step.note
    assert any(u.command is not None and u.command.goto == "approve"
               for c in step.candidates for u in c.updates)


def test_updates_are_ordered_as_their_messages_landed() -> None:
    before = cp({"messages": []}, ["call_model"],
                [{"name": "call_model", "result": {"messages": [msg("ai", "second", "b")]}}])
    after = cp({"messages": [msg("ai", "first", "a"), msg("ai", "second", "b")]}, ["call_model"])

    step = plan_transition(before, after, SHAPE)

    assert [u.as_node for u in step.candidates[0].updates][-1] == "call_model"
    assert step.candidates[0].updates[0].values == {"messages": [msg("ai", "first", "a")]}


def test_reducer_evidence_tells_adding_from_replacing() -> None:
    pairs = [(cp({"count": 2, "topic": "x"}, ["call_model"],
                 [{"name": "call_model", "result": {"count": 3, "topic": "y"}}]),
              cp({"count": 5, "topic": "y"}, []))]

    assert reducer_evidence(pairs) == {"count": 1, "topic": 0}


def test_differences_are_named_in_words() -> None:
    original = cp({"messages": [1, 2, 3], "topic": "a"}, ["approve"],
                  [{"name": "approve", "interrupts": [{"value": "ok?"}]}])
    replayed = cp({"messages": [1], "topic": "a"}, ["approve"], [{"name": "approve"}])

    assert checkpoint_differences(original, replayed, final=True) == [
        "values.messages: 3 items, the replay has 1",
        "task approve waits at an interrupt(), which a superstep script cannot recreate",
    ]
    assert checkpoint_differences(original, original, final=True) == []
