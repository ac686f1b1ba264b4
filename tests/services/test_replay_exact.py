"""Export → create, and replay, against two real servers of a held-out graph: the thread
created from the export must equal the original through the official SDK (values, next, the
tasks with their interrupts, metadata, history length), or the export must refuse and say
which checkpoint it would get wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.services.conftest import Cli, Pair, observed


def h(text: str) -> dict[str, Any]:
    return {"type": "human", "content": text}


def a(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "ai", "content": text, **extra}


START = {"updates": [{"as_node": "__input__", "values": {}}]}
META = {"graph_id": "agent", "case": "replay"}


def export_and_create(cli: Cli, pair: Pair, thread_id: str, tmp_path: Path,
                      *flags: str) -> tuple[str, dict[str, Any]]:
    exported = cli("export", thread_id, "--url", pair.source, *flags)
    assert exported.code == 0, exported.err
    script = exported.json()
    path = tmp_path / "s.json"
    path.write_text(json.dumps(script), encoding="utf-8")
    created = cli("create", "--script", str(path), "--url", pair.target)
    assert created.code == 0, created.err
    return created.json()["thread_id"], script


def assert_same(sdk_a: Any, original: str, sdk_b: Any, replayed: str) -> None:
    assert observed(sdk_b, replayed) == observed(sdk_a, original)


def test_long_script_of_two_hundred_messages_replays_whole(
    cli: Cli, heldout: Pair, sdk_a: Any, sdk_b: Any, tmp_path: Path
) -> None:
    steps = [START, {"updates": [{"as_node": "__start__",
                                  "values": {"messages": [h(f"m{i}") for i in range(20)]}}]}]
    for k in range(9):  # updates as `tools` are not due: the server records none of them
        node = "call_model" if k % 2 == 0 else "tools"
        steps.append({"updates": [{"as_node": node, "values": {
            "messages": [a(f"s{k}m{i}") for i in range(20)]}}]})
    original = sdk_a.threads.create(metadata=META, supersteps=steps)["thread_id"]

    replayed, script = export_and_create(cli, heldout, original, tmp_path)

    assert len(script["supersteps"]) == 11
    assert len(sdk_b.threads.get_state(replayed)["values"]["messages"]) == 200
    assert_same(sdk_a, original, sdk_b, replayed)


def test_two_writers_in_one_superstep(
    cli: Cli, heldout: Pair, sdk_a: Any, sdk_b: Any, tmp_path: Path
) -> None:
    steps = [START, {"updates": [{"as_node": "__start__", "values": {"messages": [h("hi")]}}]},
             {"updates": [{"as_node": "call_model", "values": {"topic": "T1", "log": ["x"]}},
                          {"as_node": "tools", "values": {"messages": [a("from tools")],
                                                          "log": ["y"]}}]}]
    original = sdk_a.threads.create(metadata=META, supersteps=steps)["thread_id"]

    replayed, script = export_and_create(cli, heldout, original, tmp_path)

    assert [[u["as_node"] for u in s["updates"]] for s in script["supersteps"]][-1] == \
        ["call_model", "tools"]
    assert sdk_b.threads.get_state(replayed)["next"] == ["call_model"]
    assert_same(sdk_a, original, sdk_b, replayed)


def test_thread_left_waiting_by_a_goto(
    cli: Cli, heldout: Pair, sdk_a: Any, sdk_b: Any, tmp_path: Path
) -> None:
    steps = [START, {"updates": [{"as_node": "__start__", "values": {"messages": [h("hello")]}}]},
             {"updates": [{"as_node": "call_model", "values": {"messages": [a("checking")]}}]},
             {"updates": [{"as_node": "call_model", "values": None,
                           "command": {"goto": "approve",
                                                                 "update": {"topic": "ok?"}}}]}]
    original = sdk_a.threads.create(metadata=META, supersteps=steps)["thread_id"]
    assert sdk_a.threads.get_state(original)["next"] == ["approve"]

    replayed, _ = export_and_create(cli, heldout, original, tmp_path)

    assert sdk_b.threads.get_state(replayed)["next"] == ["approve"]
    assert sdk_b.threads.get(replayed)["status"] == sdk_a.threads.get(original)["status"]
    assert_same(sdk_a, original, sdk_b, replayed)


def test_reducers_other_than_add_messages_written_by_unrecorded_updates(
    cli: Cli, heldout: Pair, sdk_a: Any, sdk_b: Any, tmp_path: Path
) -> None:
    steps = [START,
             {"updates": [{"as_node": "__start__", "values": {
                 "messages": [h("hi")], "log": ["a"], "count": 2, "topic": "first"}}]},
             {"updates": [{"as_node": "call_model", "values": {"messages": [a("one")],
                                                               "count": 3, "log": ["b"]}}]},
             # not due (call_model routed to END): recorded nowhere but in the state
             {"updates": [{"as_node": "tools", "values": {"log": ["c", "d"], "count": 5,
                                                          "topic": "second"}}]},
             {"updates": [{"as_node": "call_model", "values": {"count": 1}}]}]
    original = sdk_a.threads.create(metadata=META, supersteps=steps)["thread_id"]
    values = sdk_a.threads.get_state(original)["values"]
    assert values["log"] == ["a", "b", "c", "d"] and values["count"] == 11

    replayed, _ = export_and_create(cli, heldout, original, tmp_path)

    assert_same(sdk_a, original, sdk_b, replayed)


def test_fork_made_with_update_state(
    cli: Cli, heldout: Pair, sdk_a: Any, sdk_b: Any, tmp_path: Path
) -> None:
    steps = [START, {"updates": [{"as_node": "__start__", "values": {"messages": [h("hi")]}}]},
             {"updates": [{"as_node": "call_model", "values": {"messages": [a("one")],
                                                               "count": 1}}]},
             {"updates": [{"as_node": "__start__", "values": {"messages": [h("again")]}}]},
             {"updates": [{"as_node": "call_model", "values": {"messages": [a("two")]}}]}]
    original = sdk_a.threads.create(metadata=META, supersteps=steps)["thread_id"]
    history = sdk_a.threads.get_history(original, limit=10)
    middle = history[2]["checkpoint"]["checkpoint_id"]
    sdk_a.threads.update_state(original, {"messages": [a("forked")], "count": 4},
                               as_node="call_model", checkpoint_id=middle)

    exported = cli("export", original, "--url", heldout.source)
    replayed, _ = export_and_create(cli, heldout, original, tmp_path)

    assert "2 checkpoints on other branches (made by forks)" in exported.err
    messages = sdk_b.threads.get_state(replayed)["values"]["messages"]
    assert [m["content"] for m in messages] == ["hi", "one", "forked"]
    assert_same(sdk_a, original, sdk_b, replayed)


def test_conversation_made_by_runs_with_tools_and_a_resumed_interrupt(
    cli: Cli, heldout: Pair, sdk_a: Any, sdk_b: Any, tmp_path: Path
) -> None:
    original = sdk_a.threads.create(metadata=META)["thread_id"]
    sdk_a.runs.wait(original, "agent", input={"messages": [h("calc 6*7")]})
    sdk_a.runs.wait(original, "agent", input={"messages": [h("please approve")],
                                              "topic": "mail"})
    sdk_a.runs.wait(original, "agent", command={"resume": "yes"})
    assert sdk_a.threads.get_state(original)["next"] == []

    replayed, _ = export_and_create(cli, heldout, original, tmp_path, "--compact")

    assert_same(sdk_a, original, sdk_b, replayed)


def test_a_real_interrupt_is_refused_by_name_and_lossy_writes_the_rest(
    cli: Cli, heldout: Pair, sdk_a: Any, sdk_b: Any, tmp_path: Path
) -> None:
    original = sdk_a.threads.create(metadata=META)["thread_id"]
    sdk_a.runs.wait(original, "agent", input={"messages": [h("please approve")]})
    waiting = sdk_a.threads.get_state(original)
    assert waiting["tasks"][0]["interrupts"], "the graph should wait at approve"
    newest = waiting["checkpoint"]["checkpoint_id"]

    refused = cli("export", original, "--url", heldout.source)
    lossy = cli("export", original, "--url", heldout.source, "--lossy")

    assert refused.code == 6 and refused.out == ""
    assert f"checkpoint {newest}" in refused.err
    assert "approve waits at an interrupt()" in refused.err
    assert "nothing was written" in refused.err
    assert lossy.code == 0 and "lossy:" in lossy.err and f"checkpoint {newest}" in lossy.err
    path = tmp_path / "lossy.json"
    path.write_text(lossy.out, encoding="utf-8")
    replayed = cli("create", "--script", str(path), "--url", heldout.target).json()["thread_id"]
    got, want = observed(sdk_b, replayed), observed(sdk_a, original)
    assert got["values"] == want["values"] and got["next"] == want["next"] == ["approve"]
    assert got["tasks"] == [("approve", [])] != want["tasks"]


def test_export_leaves_no_trial_thread_behind(cli: Cli, heldout: Pair, sdk_a: Any) -> None:
    original = sdk_a.threads.create(metadata=META, supersteps=[
        START, {"updates": [{"as_node": "__start__", "values": {"messages": [h("x")]}}]}])
    before = sdk_a.threads.count()

    assert cli("export", original["thread_id"], "--url", heldout.source).code == 0

    assert sdk_a.threads.count() == before


def test_no_verify_sends_nothing_and_names_the_unrecorded_steps(
    cli: Cli, heldout: Pair, sdk_a: Any
) -> None:
    steps = [START, {"updates": [{"as_node": "__start__", "values": {"messages": [h("hi")]}}]},
             {"updates": [{"as_node": "call_model", "values": {"messages": [a("one")]}}]},
             {"updates": [{"as_node": "tools", "values": {"messages": [a("unrecorded")]}}]}]
    original = sdk_a.threads.create(metadata=META, supersteps=steps)["thread_id"]
    before = sdk_a.threads.count()

    refused = cli("export", original, "--url", heldout.source, "--no-verify")
    lossy = cli("export", original, "--url", heldout.source, "--no-verify", "--lossy")

    assert sdk_a.threads.count() == before
    assert refused.code == 6 and "step 4 of 4" in refused.err
    assert "writes the server does not record" in refused.err
    assert lossy.code == 0 and len(lossy.json()["supersteps"]) == 4


def test_compact_keeps_the_guarantee_and_is_smaller(
    cli: Cli, heldout: Pair, sdk_a: Any, sdk_b: Any, tmp_path: Path
) -> None:
    original = sdk_a.threads.create(metadata=META)["thread_id"]
    sdk_a.runs.wait(original, "agent", input={"messages": [h("calc 1+1")]})

    full = cli("export", original, "--url", heldout.source)
    replayed, compact = export_and_create(cli, heldout, original, tmp_path, "--compact")

    assert len(json.dumps(compact)) < len(full.out)
    assert_same(sdk_a, original, sdk_b, replayed)


@pytest.mark.parametrize("page", [3, 1000])
def test_history_is_paged_to_the_end(
    page: int, cli: Cli, heldout: Pair, sdk_a: Any, sdk_b: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server's page limit is 1,000; a small page makes the same code page many times."""
    monkeypatch.setattr("tui.services.history.HISTORY_PAGE", page)
    steps = [START] + [{"updates": [{"as_node": "__start__" if i % 2 == 0 else "call_model",
                                     "values": {"messages": [h(f"q{i}") if i % 2 == 0
                                                             else a(f"r{i}")]}}]}
                       for i in range(14)]
    original = sdk_a.threads.create(metadata=META, supersteps=steps)["thread_id"]

    replayed, script = export_and_create(cli, heldout, original, tmp_path)

    assert len(script["supersteps"]) == 15
    assert_same(sdk_a, original, sdk_b, replayed)


def test_replay_in_one_step_prints_the_new_thread(
    cli: Cli, heldout: Pair, sdk_a: Any, sdk_b: Any
) -> None:
    steps = [START, {"updates": [{"as_node": "__start__", "values": {"messages": [h("hi")]}}]},
             {"updates": [{"as_node": "tools", "values": {"messages": [a("unrecorded")],
                                                          "log": ["t"]}}]}]
    original = sdk_a.threads.create(metadata=META, supersteps=steps)["thread_id"]

    result = cli("replay", original, "--url", heldout.source, "--to-url", heldout.target)
    kept = cli("replay", original, "--url", heldout.source, "--to-url", heldout.target,
               "--keep-id")

    assert result.code == 0, result.err
    new = result.json()["thread_id"]
    assert new != original
    assert_same(sdk_a, original, sdk_b, new)
    assert kept.code == 0 and kept.json()["thread_id"] == original
    assert_same(sdk_a, original, sdk_b, original)


def test_replay_that_would_differ_is_removed_from_the_target(
    cli: Cli, heldout: Pair, sdk_a: Any, sdk_b: Any
) -> None:
    original = sdk_a.threads.create(metadata=META)["thread_id"]
    sdk_a.runs.wait(original, "agent", input={"messages": [h("please approve")]})
    before = sdk_b.threads.count()

    refused = cli("replay", original, "--url", heldout.source, "--to-url", heldout.target)

    assert refused.code == 6 and refused.out == ""
    assert "approve waits at an interrupt()" in refused.err
    assert sdk_b.threads.count() == before


def test_the_server_keeps_assistant_id_to_itself(sdk_b: Any) -> None:
    """Why metadata is compared without ``assistant_id``: the server drops it from a create
    (and a patch) and sets it only when a run starts."""
    thread = sdk_b.threads.create(metadata={"graph_id": "agent", "assistant_id": "x", "k": 1})

    assert thread["metadata"] == {"graph_id": "agent", "k": 1}
