"""``threadloom export`` (history → a script that replays it) and ``threadloom state``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.conftest import Run, assert_not_found, one_line_error, write_script
from tests.cli.test_threads_cmd import HOSTILE, MISSING
from tests.scripts import GREETING, TOOL_CALL, meta


def test_export_replays_to_the_same_values(
    cli: Run, sync_sdk: Any, tag: str, tmp_path: Path
) -> None:
    original = sync_sdk.threads.create(metadata=meta(tag=tag), supersteps=TOOL_CALL)

    exported = cli("export", original["thread_id"])

    assert exported.code == 0, exported.err
    script = exported.json()
    assert script["metadata"] == {"graph_id": "agent", "tag": tag}
    assert [u["as_node"] for step in script["supersteps"] for u in step["updates"]] == [
        "__input__", "__start__", "call_model", "tools", "call_model"
    ]
    replay = cli("create", "--script", write_script(tmp_path / "replay.json", script)).json()
    assert sync_sdk.threads.get_state(replay["thread_id"])["values"] == \
        sync_sdk.threads.get_state(original["thread_id"])["values"]


def test_export_of_a_thread_after_a_run_keeps_its_conversation(
    cli: Run, sync_sdk: Any, tmp_path: Path
) -> None:
    thread = sync_sdk.threads.create(metadata=meta())
    sync_sdk.runs.wait(thread["thread_id"], "agent",
                       input={"messages": [{"type": "human", "content": "what is 6*7?"}]})

    out = tmp_path / "ran.json"
    written = cli("export", thread["thread_id"], "--output", str(out), "--compact")
    replay = cli("create", "--script", str(out)).json()

    assert written.code == 0 and written.out == ""
    assert written.err.startswith("Wrote ") and str(out) in written.err
    ours = sync_sdk.threads.get_state(replay["thread_id"])["values"]
    theirs = sync_sdk.threads.get_state(thread["thread_id"])["values"]
    assert [(m["type"], m["content"]) for m in ours["messages"]] == \
        [(m["type"], m["content"]) for m in theirs["messages"]] == [
            ("human", "what is 6*7?"), ("ai", ""), ("tool", "42"), ("ai", "The result is 42.")
        ]


def test_export_needs_a_graph(cli: Run, sync_sdk: Any) -> None:
    no_graph = sync_sdk.threads.create(metadata={}, supersteps=None)

    refused = cli("export", no_graph["thread_id"])
    named = cli("export", no_graph["thread_id"], "--graph", "agent")

    assert refused.code == 2
    assert "has no metadata.graph_id: pass --graph" in one_line_error(refused)
    assert named.code == 1
    assert "has no checkpoints to export" in one_line_error(named)


def test_export_output_is_terminal_safe_and_lossless(cli: Run, sync_sdk: Any) -> None:
    steps = [GREETING[0], {"updates": [{"values": {"messages": [
        {"type": "human", "content": HOSTILE, "id": "m1"}]}, "as_node": "__start__"}]}]
    thread = sync_sdk.threads.create(metadata=meta(), supersteps=steps)

    exported = cli("export", thread["thread_id"], "--compact")

    assert not any(ch in exported.out for ch in ("\x1b", "\x07", "\x9b", "\u202e"))
    messages = exported.json()["supersteps"][1]["updates"][0]["values"]["messages"]
    assert messages == [{"type": "human", "content": HOSTILE, "id": "m1"}]


def test_export_missing_thread_is_exit_4(cli: Run, tmp_path: Path) -> None:
    result = cli("export", MISSING)

    assert result.code == 4
    assert_not_found(one_line_error(result), MISSING)


def test_export_to_an_unwritable_path_is_one_line(cli: Run, sync_sdk: Any, tmp_path: Path) -> None:
    thread = sync_sdk.threads.create(metadata=meta(), supersteps=GREETING)
    target = tmp_path / "dir"
    target.mkdir()

    result = cli("export", thread["thread_id"], "-o", str(target))

    assert result.code == 1
    assert one_line_error(result).startswith(f"threadloom: cannot write {target}")


def test_state_shows_next_tasks_and_the_interrupt(cli: Run, sync_sdk: Any) -> None:
    steps = [GREETING[0], {"updates": [{"values": {"messages": [
        {"type": "human", "content": "send an email to ada@example.com"}]},
        "as_node": "__start__"}]}]
    thread = sync_sdk.threads.create(metadata=meta(), supersteps=steps)
    sync_sdk.runs.wait(thread["thread_id"], "agent", input=None)

    human = cli("state", thread["thread_id"])
    as_json = cli("state", thread["thread_id"], "--json").json()

    assert human.code == 0, human.err
    lines = human.out.splitlines()
    assert "next        human_review" in lines
    assert "task        human_review (interrupted)" in lines
    assert any(line.startswith('interrupt   {"question": "Send an email to ada@example.com?"')
               for line in lines)
    oracle = sync_sdk.threads.get_state(thread["thread_id"])
    assert as_json["values"] == oracle["values"]
    assert as_json["next"] == oracle["next"] == ["human_review"]
    assert as_json["checkpoint"]["checkpoint_id"] == oracle["checkpoint"]["checkpoint_id"]


def test_state_at_a_checkpoint(cli: Run, sync_sdk: Any) -> None:
    thread = sync_sdk.threads.create(metadata=meta(), supersteps=GREETING)
    history = sync_sdk.threads.get_history(thread["thread_id"], limit=10)
    before_reply = history[1]  # newest first: the state before call_model answered

    result = cli("state", thread["thread_id"], "--checkpoint",
                 before_reply["checkpoint"]["checkpoint_id"])

    assert result.code == 0, result.err
    assert "next        call_model" in result.out
    assert result.out.split("messages:\n")[1].splitlines()[:2] == ["  human: hello", ""]


def test_state_unknown_checkpoint_or_thread_is_exit_4(cli: Run, sync_sdk: Any) -> None:
    thread = sync_sdk.threads.create(metadata=meta(), supersteps=GREETING)
    bogus = "1f000000-0000-6000-8000-000000000000"

    unknown_checkpoint = cli("state", thread["thread_id"], "--checkpoint", bogus, "--json")
    unknown_thread = cli("state", MISSING)

    assert unknown_checkpoint.code == 4
    assert one_line_error(unknown_checkpoint) == \
        f"threadloom: thread {thread['thread_id']} has no checkpoint {bogus}"
    assert unknown_thread.code == 4
    assert json.dumps(one_line_error(unknown_thread)).count("not found") == 1
