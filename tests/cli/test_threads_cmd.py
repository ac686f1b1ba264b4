"""``threadloom threads list|show|copy|delete`` against the real server; the SDK checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run, assert_not_found, one_line_error
from tests.scripts import GREETING, TOOL_CALL, meta

MISSING = "00000000-0000-4000-8000-000000000000"
HOSTILE = (
    "[bold red]x[/] [/] [@click=app.quit]boom[/] \x1b[31mred\x1b]0;title\x07 \u202eevil \x9b2J"
)


def make(sync_sdk: Any, tag: str, supersteps: list[dict[str, Any]] | None = None,
         **extra: Any) -> str:
    thread = sync_sdk.threads.create(metadata=meta(tag=tag, **extra), supersteps=supersteps)
    return str(thread["thread_id"])


def test_list_shows_a_table_of_the_matching_threads(cli: Run, sync_sdk: Any, tag: str) -> None:
    first = make(sync_sdk, tag, GREETING)
    second = make(sync_sdk, tag, TOOL_CALL)

    result = cli("threads", "list", "--metadata", f'{{"tag": "{tag}"}}')

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == ["THREAD", "ID", "STATUS", "GRAPH", "CREATED", "UPDATED", "LAST",
                                "MESSAGE"]
    assert second in lines[1] and first in lines[2]  # newest first
    assert "The result is 42." in lines[1]
    assert "Hello! How can I assist you today?" in lines[2]
    assert "agent" in lines[1] and "idle" in lines[1]
    assert lines[-1] == "1–2 of 2 threads"


def test_list_json_pages_and_filters(cli: Run, sync_sdk: Any, tag: str) -> None:
    ids = [make(sync_sdk, tag, GREETING) for _ in range(3)]

    page = cli("threads", "list", "--metadata", f'{{"tag": "{tag}"}}', "--limit", "2", "--json")
    rest = cli("threads", "list", "--metadata", f'{{"tag": "{tag}"}}', "--limit", "2",
               "--offset", "2", "--json")
    human = cli("threads", "list", "--metadata", f'{{"tag": "{tag}"}}', "--limit", "2")
    oldest_first = cli("threads", "list", "--metadata", f'{{"tag": "{tag}"}}', "--asc", "--json")

    assert [t["thread_id"] for t in page.json()] == ids[::-1][:2]
    assert [t["thread_id"] for t in rest.json()] == ids[:1]
    assert human.out.splitlines()[-1] == "1–2 of 3 threads; more with --offset 2"
    assert [t["thread_id"] for t in oldest_first.json()] == ids
    record = page.json()[0]
    assert record["metadata"]["tag"] == tag and record["status"] == "idle"
    assert "values" not in record  # only the listed columns are asked for


def test_list_filters_by_status_and_graph(cli: Run, sync_sdk: Any, tag: str) -> None:
    idle = make(sync_sdk, tag, GREETING)
    waiting = make(sync_sdk, tag, GREETING[:2])  # stops before call_model: next is pending

    interrupted = cli("threads", "list", "--metadata", f'{{"tag": "{tag}"}}',
                      "--status", "interrupted", "--json")
    by_graph = cli("threads", "list", "--metadata", f'{{"tag": "{tag}"}}', "--graph", "agent",
                   "--status", "idle", "--json")
    other_graph = cli("threads", "list", "--metadata", f'{{"tag": "{tag}"}}', "--graph", "nope")

    assert [t["thread_id"] for t in interrupted.json()] == [waiting]
    assert [t["thread_id"] for t in by_graph.json()] == [idle]
    assert other_graph.out.strip() == "No threads."


def test_show_prints_status_metadata_and_the_conversation(
    cli: Run, sync_sdk: Any, tag: str
) -> None:
    thread_id = make(sync_sdk, tag, TOOL_CALL)

    result = cli("threads", "show", thread_id)

    assert result.code == 0, result.err
    assert f"thread_id  {thread_id}" in result.out
    assert "status     idle" in result.out
    assert '"graph_id": "agent"' in result.out
    assert result.out.split("messages:\n")[1].splitlines()[:5] == [
        "  human: what is 6*7?",
        '  ai: → calculator({"expression": "6*7"})',
        "  tool: 42",
        "  ai: The result is 42.",
        "",
    ]


def test_show_json_is_the_servers_record(cli: Run, sync_sdk: Any, tag: str) -> None:
    thread_id = make(sync_sdk, tag, GREETING)

    shown = cli("threads", "show", thread_id, "--json").json()

    oracle = sync_sdk.threads.get(thread_id)
    assert shown["thread_id"] == thread_id
    assert shown["metadata"] == oracle["metadata"]
    assert shown["values"] == oracle["values"]
    assert shown["status"] == oracle["status"]


def test_hostile_text_is_shown_literally_and_safely(cli: Run, sync_sdk: Any, tag: str) -> None:
    thread_id = make(sync_sdk, tag, [
        GREETING[0],
        {"updates": [{"values": {"messages": [{"type": "human", "content": HOSTILE}]},
                      "as_node": "__start__"}]},
    ], note=HOSTILE)

    outputs = [
        cli("threads", "show", thread_id).out,
        cli("threads", "list", "--metadata", f'{{"tag": "{tag}"}}').out,
        cli("threads", "show", thread_id, "--json").out,
        cli("state", thread_id).out,
    ]

    for out in outputs:
        assert not any(ch in out for ch in ("\x1b", "\x07", "\x9b", "\u202e")), repr(out)
    assert "[bold red]x[/] [/] [@click=app.quit]boom[/] ␛[31mred␛]0;title␇" in outputs[0]
    assert "\\u202eevil" in outputs[0]
    # JSON output stays the same value: the escapes are JSON escapes.
    import json

    assert json.loads(outputs[2])["metadata"]["note"] == HOSTILE


def test_copy_makes_an_independent_thread_with_the_same_state(
    cli: Run, sync_sdk: Any, tag: str
) -> None:
    original = make(sync_sdk, tag, TOOL_CALL)

    as_json = cli("threads", "copy", original, "--json")
    human = cli("threads", "copy", original)

    copy_id = as_json.json()["thread_id"]
    assert copy_id != original
    assert sync_sdk.threads.get_state(copy_id)["values"] == \
        sync_sdk.threads.get_state(original)["values"]
    second_id = human.out.split()[-1]
    assert human.out.strip() == f"Copied {original} to {second_id}"
    assert sync_sdk.threads.get(second_id)["thread_id"] == second_id


def test_delete_removes_every_thread_given(cli: Run, sync_sdk: Any, tag: str) -> None:
    first, second = make(sync_sdk, tag), make(sync_sdk, tag)
    third = make(sync_sdk, tag)

    human = cli("threads", "delete", first, second)
    as_json = cli("threads", "delete", third, "--json")

    assert human.out.splitlines() == [f"Deleted {first}", f"Deleted {second}"]
    assert as_json.json() == {"deleted": [third]}
    assert sync_sdk.threads.count(metadata={"tag": tag}) == 0


@pytest.mark.parametrize("action", ["show", "copy", "delete"])
def test_a_missing_thread_is_exit_4_with_one_line(cli: Run, action: str) -> None:
    result = cli("threads", action, MISSING)

    assert result.code == 4
    assert_not_found(one_line_error(result), MISSING)


def test_a_thread_id_that_is_not_hex_is_a_usage_error(cli: Run) -> None:
    result = cli("threads", "show", "not-a-thread")

    assert result.code == 2
    line = one_line_error(result)
    assert "'not-a-thread' is not a thread id, nor its first or last characters" in line


def test_bad_flags_are_usage_errors(cli: Run, server_url: str) -> None:
    assert cli("threads", "list", "--limit", "0").code == 2
    assert cli("threads", "list", "--status", "sleeping").code == 2
    bad_json = cli("threads", "list", "--metadata", "{nope")
    assert bad_json.code == 2
    flags_first = cli("threads", "--url", server_url, "list", "--json", url=None)
    assert flags_first.code == 0 and isinstance(flags_first.json(), list)
    assert one_line_error(bad_json).startswith("threadloom: --metadata is not valid JSON")
    no_action = cli("threads", url=None)
    assert no_action.code == 2
    assert "choose an action: list, show, copy or delete" in one_line_error(no_action)


def test_an_unreachable_deployment_is_one_line_exit_1(cli: Run) -> None:
    result = cli("threads", "list", url="http://127.0.0.1:9")

    assert result.code == 1
    assert one_line_error(result).startswith(
        "threadloom: Searching threads: cannot reach http://127.0.0.1:9"
    )


def test_secrets_never_reach_the_error_line(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGGRAPH_API_KEY", "sk-very-secret-key")
    monkeypatch.setenv("MY_TOKEN", "Bearer tok-secret-value")

    result = cli("threads", "list", "--header", "Authorization: $MY_TOKEN",
                 url="http://user:pw@127.0.0.1:9")

    assert result.code == 1
    line = one_line_error(result)
    assert "sk-very-secret-key" not in line and "tok-secret-value" not in line


def test_profiles_and_config_are_the_apps(
    cli: Run, server_url: str, isolated_home: Path, sync_sdk: Any, tag: str
) -> None:
    config = isolated_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'default_profile = "here"\n[profiles.here]\nurl = "{server_url}"\n'
                      '[profiles.away]\nurl = "http://127.0.0.1:9"\n')
    thread_id = make(sync_sdk, tag)

    by_default = cli("threads", "show", thread_id, "--json", url=None)
    by_name = cli("threads", "show", thread_id, "--profile", "away", url=None)
    before_command = cli("--profile", "nope", "threads", "list", url=None)

    assert by_default.json()["thread_id"] == thread_id
    assert by_name.code == 1 and "http://127.0.0.1:9" in one_line_error(by_name)
    assert before_command.code == 2
    assert one_line_error(before_command) == \
        "threadloom: no profile named 'nope' (profiles: away, here)"


def test_a_broken_config_file_is_a_usage_error(cli: Run, isolated_home: Path) -> None:
    config = isolated_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("default_profile = [oops\n")

    result = cli("threads", "list", url=None)

    assert result.code == 2
    assert "not valid TOML" in one_line_error(result)


def test_with_url_and_no_profile_the_config_file_is_not_read(
    cli: Run, server_url: str, isolated_home: Path, sync_sdk: Any, tag: str
) -> None:
    """A profile cannot matter then (the URL wins and no profile is named), so even a broken
    config file does not stand in the way — and pydantic is not loaded for it."""
    config = isolated_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("default_profile = [oops\n")
    thread_id = make(sync_sdk, tag)

    shown = cli("threads", "show", thread_id, "--json")  # --url <server>
    named = cli("threads", "show", thread_id, "--profile", "any")

    assert shown.code == 0 and shown.json()["thread_id"] == thread_id
    assert named.code == 2 and "not valid TOML" in one_line_error(named)
