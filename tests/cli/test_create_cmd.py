"""``threadloom create``: validated first, nothing sent when invalid, the thread printed as JSON.

What the CLI creates is compared, through the API, with what the official SDK creates from the
same supersteps.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from tests.cli.conftest import Run, one_line_error, write_script
from tests.scripts import COMMAND_GOTO, GREETING, TOOL_CALL


def body(supersteps: list[dict[str, Any]], **metadata: Any) -> dict[str, Any]:
    return {"metadata": {"graph_id": "agent", **metadata}, "supersteps": supersteps}


def conversation(state: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Messages without the server-generated ids, for comparing two threads."""
    return [(m["type"], m["content"], m.get("tool_calls")) for m in state["values"]["messages"]]


def test_create_from_a_script_equals_the_sdk(
    cli: Run, sync_sdk: Any, tmp_path: Path, tag: str
) -> None:
    path = write_script(tmp_path / "tool.json", body(TOOL_CALL, tag=tag))

    result = cli("create", "--script", path)

    assert result.code == 0, result.err
    assert result.err == ""
    created = result.json()
    thread_id = created["thread_id"]
    assert created["metadata"] == {"graph_id": "agent", "tag": tag}
    assert created["status"] == "idle"
    oracle = sync_sdk.threads.create(metadata={"graph_id": "agent"}, supersteps=TOOL_CALL)
    ours = sync_sdk.threads.get_state(thread_id)
    theirs = sync_sdk.threads.get_state(oracle["thread_id"])
    assert conversation(ours) == conversation(theirs)
    assert ours["values"]["turns"] == theirs["values"]["turns"]
    assert ours["next"] == theirs["next"]
    assert len(sync_sdk.threads.get_history(thread_id, limit=50)) == \
        len(sync_sdk.threads.get_history(oracle["thread_id"], limit=50))


def test_create_the_seed_pages_greeting_gives_the_documented_values(
    cli: Run, sync_sdk: Any, tmp_path: Path
) -> None:
    path = write_script(tmp_path / "greeting.json", body(GREETING))

    created = cli("create", "--script", path).json()

    messages = sync_sdk.threads.get_state(created["thread_id"])["values"]["messages"]
    assert [(m["type"], m["content"]) for m in messages] == [
        ("human", "hello"), ("ai", "Hello! How can I assist you today?")
    ]


def test_create_empty_with_metadata_and_a_chosen_id(cli: Run, sync_sdk: Any, tag: str) -> None:
    chosen = str(uuid.uuid4())

    created = cli("create", "--metadata", f'{{"tag": "{tag}", "user": "ada"}}',
                  "--thread-id", chosen)
    again = cli("create", "--thread-id", chosen, "--if-exists", "do_nothing")
    duplicate = cli("create", "--thread-id", chosen)

    assert created.json()["thread_id"] == chosen
    assert sync_sdk.threads.get(chosen)["metadata"] == {"tag": tag, "user": "ada"}
    assert again.code == 0 and again.json()["thread_id"] == chosen
    assert duplicate.code == 1
    assert one_line_error(duplicate).startswith("threadloom: ")


def test_graph_flag_and_metadata_merge_into_the_script(
    cli: Run, sync_sdk: Any, tmp_path: Path, tag: str
) -> None:
    path = write_script(tmp_path / "nograph.json", {"metadata": {"tag": "old", "keep": 1},
                                                    "supersteps": GREETING})

    missing = cli("create", "--script", path)
    created = cli("create", "--script", path, "--graph", "agent", "--metadata",
                  f'{{"tag": "{tag}"}}')

    assert missing.code == 3
    assert "metadata.graph_id" in one_line_error(missing)
    assert "(or pass --graph ID)" in missing.err
    thread = sync_sdk.threads.get(created.json()["thread_id"])
    assert thread["metadata"] == {"tag": tag, "keep": 1, "graph_id": "agent"}
    assert len(thread["values"]["messages"]) == 2


def test_an_invalid_script_sends_nothing(
    cli: Run, sync_sdk: Any, tmp_path: Path, tag: str
) -> None:
    bad = body([*GREETING, {"updates": [{"values": {}, "as_node": "no_such_node"}]}], tag=tag)
    path = write_script(tmp_path / "bad.json", bad)
    before = sync_sdk.threads.count()

    result = cli("create", "--script", path)

    assert result.code == 3
    line = one_line_error(result)
    assert line.startswith(f"threadloom: invalid script {path}: superstep 4, update 1, as_node: "
                           "Unknown node 'no_such_node'")
    assert line.endswith("nothing was sent")
    assert sync_sdk.threads.count(metadata={"tag": tag}) == 0
    assert sync_sdk.threads.count() == before  # no empty thread left behind


def test_every_error_is_counted_in_the_one_line(cli: Run, tmp_path: Path) -> None:
    bad = body([{"updates": [{"values": {}, "as_node": "nope"}, {"values": {}}]}])

    result = cli("create", "--script", write_script(tmp_path / "bad.json", bad))

    assert result.code == 3
    assert "(and 1 more)" in one_line_error(result)


def test_invalid_scripts_are_exit_3(cli: Run, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"supersteps": [\n  {"updates": ]\n}')
    not_a_script = write_script(tmp_path / "list.json", [1, 2])

    results = {
        "broken": cli("create", "--script", str(broken)),
        "list": cli("create", "--script", not_a_script),
    }

    assert {name: r.code for name, r in results.items()} == {"broken": 3, "list": 3}
    assert f"{broken}:2:" in one_line_error(results["broken"])
    assert "not a superstep script" in one_line_error(results["list"])


def test_a_script_file_that_cannot_be_read_is_a_usage_error(cli: Run, tmp_path: Path) -> None:
    """No file, no script to judge: exit 2 (usage), like any other bad flag — not 3."""
    results = {
        "missing": cli("create", "--script", str(tmp_path / "missing.json")),
        "directory": cli("create", "--script", str(tmp_path)),
    }

    assert {name: r.code for name, r in results.items()} == {"missing": 2, "directory": 2}
    assert one_line_error(results["missing"]).endswith("missing.json: no such file")
    assert "--script" in one_line_error(results["missing"])
    assert "is a directory" in one_line_error(results["directory"])


def test_an_unknown_graph_is_not_found(cli: Run, tmp_path: Path) -> None:
    path = write_script(tmp_path / "g.json", body(GREETING))

    result = cli("create", "--script", path, "--graph", "no_such_graph")

    assert result.code == 4
    assert "no_such_graph" in one_line_error(result)


def test_dry_run_prints_the_body_and_sends_nothing(
    cli: Run, sync_sdk: Any, tmp_path: Path, tag: str
) -> None:
    path = write_script(tmp_path / "g.json", body(GREETING, tag=tag))

    result = cli("create", "--script", path, "--dry-run")

    assert result.code == 0
    assert result.json() == body(GREETING, tag=tag)
    assert sync_sdk.threads.count(metadata={"tag": tag}) == 0


def test_warnings_go_to_stderr_and_do_not_block(cli: Run, tmp_path: Path) -> None:
    script = body([*GREETING, {"updates": [{"as_node": "tools"}]}])

    result = cli("create", "--script", write_script(tmp_path / "w.json", script))

    assert result.code == 0
    assert "thread_id" in result.json()
    assert result.err.startswith("threadloom: warning: superstep 4, update 1, values:")


def test_a_script_the_server_still_rejects_leaves_no_empty_thread(
    cli: Run, sync_sdk: Any, tmp_path: Path, tag: str
) -> None:
    # Valid for the editor (it does not know the state schema), but `turns` adds ints: the
    # server fails applying it after creating the thread row.
    script = body([*GREETING[:2], {"updates": [{"values": {"turns": "many"},
                                                 "as_node": "call_model"}]}], tag=tag)

    result = cli("create", "--script", write_script(tmp_path / "s.json", script))

    assert result.code == 3
    line = one_line_error(result)
    assert line.startswith("threadloom: the server rejected the supersteps:")
    # The in-memory server leaves the empty thread (deleted for the user), the Postgres one
    # creates none; either way the line says which, and nothing is left.
    assert line.endswith(("(the empty thread it left was deleted)", "(no thread was created)"))
    assert sync_sdk.threads.count(metadata={"tag": tag}) == 0


def test_command_goto_scripts_are_sent_as_written(cli: Run, sync_sdk: Any, tmp_path: Path) -> None:
    path = write_script(tmp_path / "goto.json", body(COMMAND_GOTO))

    created = cli("create", "--script", path)

    assert created.code == 0, created.err
    state = sync_sdk.threads.get_state(created.json()["thread_id"])
    assert state["next"] == ["tools"]
    assert json.dumps(state["values"]).count("routed") == 1


def test_a_values_key_the_graph_does_not_have_is_a_warning_and_the_thread_is_made(
    cli: Run, sync_sdk: Any, tmp_path: Path
) -> None:
    """The demo graph's state has `messages` and `turns`: `foo` would be dropped silently."""
    steps = [*GREETING[:2], {"updates": [{"as_node": "call_model", "values": {"foo": 1}}]}]
    path = write_script(tmp_path / "foo.json", body(steps))

    result = cli("create", "--script", path)

    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        "threadloom: warning: superstep 3, update 1, values: The graph's state has no key "
        "'foo' (it has messages, turns): the server drops it silently."
    ]
    state = sync_sdk.threads.get_state(result.json()["thread_id"])
    assert "foo" not in state["values"]
