"""``threadloom`` subcommands against a real Aegra: list, show and state work; count shows as
unknown; copy and prepopulated creates fail with one clear line and a non-zero exit, and leave
nothing behind. The official SDK sets threads up and checks what the server holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.aegra.conftest import Result, Run
from tests.scripts import GREETING, meta

COPY_LINE = ("threadloom: This server cannot copy threads (it has no POST "
             "/threads/{thread_id}/copy): nothing was copied")


def one_line_error(result: Result) -> str:
    """The failure contract: nothing on stdout, exactly one line on stderr, no traceback."""
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    return lines[0]


def ran(sdk: Any, tag: str) -> str:
    """A thread with a real conversation: created empty, then one run of the graph."""
    thread_id = str(sdk.threads.create(metadata=meta(tag=tag))["thread_id"])
    sdk.runs.wait(thread_id, "agent",
                  input={"messages": [{"type": "human", "content": "what is 6*7?"}]})
    return thread_id


def tagged(sdk: Any, tag: str) -> list[str]:
    return [t["thread_id"] for t in sdk.threads.search(metadata={"tag": tag}, limit=100)]


def script(tmp_path: Path, tag: str) -> str:
    path = tmp_path / "greeting.json"
    path.write_text(json.dumps({"metadata": meta(tag=tag), "supersteps": GREETING}))
    return str(path)


def test_list_shows_the_threads_and_an_unknown_total(
    aegra_cli: Run, aegra_sdk: Any, tag: str
) -> None:
    first = ran(aegra_sdk, tag)
    second = aegra_sdk.threads.create(metadata=meta(tag=tag))["thread_id"]

    result = aegra_cli("threads", "list", "--metadata", json.dumps({"tag": tag}))
    as_json = aegra_cli("threads", "list", "--metadata", json.dumps({"tag": tag}), "--json")

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split()[:4] == ["THREAD", "ID", "STATUS", "GRAPH"]
    assert second in lines[1] and first in lines[2]
    assert "idle" in lines[1] and "agent" in lines[2]
    assert lines[-1] == "1–2 of ? threads (this server cannot count them)"
    assert result.err == ""
    assert [t["thread_id"] for t in as_json.json()] == [second, first]


def test_show_and_state_print_the_conversation(
    aegra_cli: Run, aegra_sdk: Any, tag: str
) -> None:
    thread_id = ran(aegra_sdk, tag)

    shown = aegra_cli("threads", "show", thread_id)
    state = aegra_cli("state", thread_id)

    assert shown.code == 0, shown.err
    assert f"thread_id  {thread_id}" in shown.out
    assert "human: what is 6*7?" in shown.out and "ai: The result is 42." in shown.out
    assert state.code == 0, state.err
    assert "ai: The result is 42." in state.out
    assert "next        (nothing: the run is finished)" in state.out


def test_create_empty_prints_the_thread(
    aegra_cli: Run, aegra_sdk: Any, tag: str
) -> None:
    result = aegra_cli("create", "--metadata", json.dumps({"tag": tag}), "--graph", "agent")

    assert result.code == 0, result.err
    created = result.json()
    got = aegra_sdk.threads.get(created["thread_id"])
    assert got["metadata"]["tag"] == tag and got["metadata"]["graph_id"] == "agent"


def test_create_with_supersteps_fails_and_leaves_nothing(
    aegra_cli: Run, aegra_sdk: Any, tmp_path: Path, tag: str
) -> None:
    result = aegra_cli("create", "--script", script(tmp_path, tag))

    assert result.code == 1
    line = one_line_error(result)
    assert line.startswith("threadloom: This server ignored the supersteps: thread ")
    assert line.endswith("was created empty, so it was deleted again")
    assert tagged(aegra_sdk, tag) == []


def test_create_checks_the_script_against_the_graphs_nodes(
    aegra_cli: Run, tmp_path: Path, tag: str
) -> None:
    """The nodes come through /assistants/search (Aegra has no /assistants/agent/graph)."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"metadata": meta(tag=tag), "supersteps": [
        *GREETING, {"updates": [{"values": {}, "as_node": "no_such_node"}]}]}))

    result = aegra_cli("create", "--script", str(path))

    assert result.code == 3
    line = one_line_error(result)
    assert "as_node: Unknown node 'no_such_node'" in line and line.endswith("nothing was sent")


def test_copy_says_the_server_cannot(
    aegra_cli: Run, aegra_sdk: Any, tag: str
) -> None:
    source = ran(aegra_sdk, tag)

    result = aegra_cli("threads", "copy", source)

    assert result.code == 1
    assert one_line_error(result) == COPY_LINE
    assert tagged(aegra_sdk, tag) == [source]


def test_export_says_it_could_not_check_and_leaves_nothing_behind(
    aegra_cli: Run, aegra_sdk: Any, tag: str
) -> None:
    """Aegra drops supersteps, so export cannot replay its script there to check it: the
    script of a conversation made by a run (every write recorded) is written, with a
    warning that it was not checked; the trial thread is not left behind."""
    thread_id = ran(aegra_sdk, tag)

    exported = aegra_cli("export", thread_id)

    assert exported.code == 0, exported.err
    assert "the check by a replay could not run" in exported.err
    assert "ignored the supersteps" in exported.err
    assert tagged(aegra_sdk, tag) == [thread_id]
    updates = [u["as_node"] for s in exported.json()["supersteps"] for u in s["updates"]]
    assert updates[:2] == ["__input__", "__start__"] and "tools" in updates
