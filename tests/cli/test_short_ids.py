"""Every CLI command taking THREAD accepts what the thread list shows (the id's last 8 digits),
or any other unique prefix or suffix, in any case, with or without dashes — against the real
server; an ambiguous part is a usage error naming the matches, an unknown one "not found"."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from tests.cli.conftest import Run, one_line_error
from tests.scripts import GREETING, meta


def new_id(prefix: str = "") -> str:
    """A fresh id (random, so its ends are unique on the shared server), optionally starting
    with ``prefix`` (hex digits)."""
    digits = prefix + uuid.uuid4().hex[len(prefix):]
    return str(uuid.UUID(digits))


def made(sync_sdk: Any, thread_id: str, **extra: Any) -> str:
    sync_sdk.threads.create(thread_id=thread_id, metadata=meta(**extra), supersteps=GREETING)
    return thread_id


def test_the_last_8_digits_shown_in_the_list_open_the_thread(cli: Run, sync_sdk: Any) -> None:
    thread_id = made(sync_sdk, new_id())
    shown = thread_id[-8:]

    result = cli("threads", "show", shown, "--json")

    assert result.code == 0, result.err
    assert result.json()["thread_id"] == thread_id


def test_a_prefix_in_capitals_with_dashes_works_for_state(cli: Run, sync_sdk: Any) -> None:
    thread_id = made(sync_sdk, new_id())
    typed = thread_id[:13].upper()  # "1A2B3C4D-5E6F": the first group and a dash

    result = cli("state", typed)

    assert result.code == 0, result.err
    assert "Hello! How can I assist you today?" in result.out


def test_copy_export_run_and_delete_take_a_short_id(
    cli: Run, sync_sdk: Any, tmp_path: Path
) -> None:
    thread_id = made(sync_sdk, new_id())
    short = thread_id[-8:]

    copied = cli("threads", "copy", short, "--json")
    assert copied.code == 0, copied.err
    assert copied.json()["thread_id"] != thread_id

    exported = cli("export", short, "--no-verify", "-o", str(tmp_path / "s.json"))
    assert exported.code == 0, exported.err
    assert "hello" in (tmp_path / "s.json").read_text()

    ran = cli("run", short, "what is 6*7?", "--json")
    assert ran.code == 0, ran.err
    [end] = [e for e in map(json.loads, ran.out.splitlines()) if e["event"] == "end"]
    assert (end["thread_id"], end["status"]) == (thread_id, "success")

    deleted = cli("threads", "delete", short, copied.json()["thread_id"][-8:])
    assert deleted.code == 0, deleted.err
    assert f"Deleted {thread_id}" in deleted.out


def test_an_ambiguous_part_is_exit_2_naming_the_matches(cli: Run, sync_sdk: Any) -> None:
    prefix = uuid.uuid4().hex[:12]
    first = made(sync_sdk, new_id(prefix))
    second = made(sync_sdk, new_id(prefix))

    result = cli("threads", "show", prefix)

    assert result.code == 2
    line = one_line_error(result)
    assert f"'{prefix}' matches 2 threads" in line
    assert first in line and second in line
    assert "type more of the id" in line


def test_a_part_no_thread_has_is_exit_4(cli: Run) -> None:
    part = uuid.uuid4().hex[:12]

    result = cli("threads", "delete", part)

    assert result.code == 4
    assert f"no thread id starts or ends with '{part}'" in one_line_error(result)


def test_a_full_id_still_needs_no_lookup(cli: Run, sync_sdk: Any) -> None:
    thread_id = made(sync_sdk, new_id())

    result = cli("threads", "show", thread_id.replace("-", "").upper(), "--json")

    assert result.code == 0, result.err
    assert result.json()["thread_id"] == thread_id
