"""``threadloom --version``, ``--help`` for everything, and the real console entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Run, assert_not_found, one_line_error
from tests.scripts import GREETING
from tui import __version__

SUBCOMMANDS = [
    ["demo"], ["threads"], ["threads", "list"], ["threads", "show"], ["threads", "copy"],
    ["threads", "delete"], ["create"], ["export"], ["state"],
]


def test_version(cli: Run) -> None:
    result = cli("--version", url=None)

    assert result.code == 0
    assert result.out.strip() == f"threadloom {__version__}"


def test_help_lists_every_command_and_the_exit_codes(cli: Run) -> None:
    result = cli("--help", url=None)

    assert result.code == 0
    for command in ("demo", "threads", "create", "export", "state"):
        assert f"\n    {command} " in result.out
    for flag in ("--url", "--profile", "--api-key-env", "--header", "--script", "--version"):
        assert flag in result.out
    assert "3 invalid script (nothing sent)" in result.out
    assert "4 not found" in result.out
    assert "threadloom threads show|copy|delete THREAD" in result.out


@pytest.mark.parametrize("argv", SUBCOMMANDS, ids=" ".join)
def test_every_subcommand_has_help(cli: Run, argv: list[str]) -> None:
    result = cli(*argv, "--help", url=None)

    assert result.code == 0
    assert result.out.startswith(f"usage: threadloom {' '.join(argv)}")
    if argv != ["demo"] and argv != ["threads"]:
        assert "--url URL" in result.out  # the app's connection flags on every subcommand
    if argv[-1] in ("list", "show", "copy", "delete", "state"):
        assert "--json" in result.out


def test_unknown_command_is_one_usage_line(cli: Run) -> None:
    result = cli("frobnicate", url=None)

    assert result.code == 2
    assert one_line_error(result).startswith("threadloom: argument COMMAND: invalid choice")


def test_the_console_script_in_a_real_process(server_url: str, tmp_path: Path) -> None:
    """`python -m tui` end to end: create from a file, list it as JSON, fail cleanly."""
    env = {**os.environ, "THREADLOOM_HOME": str(tmp_path / "home"), "NO_COLOR": "1"}
    script = tmp_path / "greeting.json"
    script.write_text(json.dumps({"metadata": {"graph_id": "agent", "via": "subprocess"},
                                  "supersteps": GREETING}))

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True,
                              text=True, env=env, timeout=60, check=False)

    created = run("create", "--script", str(script), "--url", server_url)
    listed = run("threads", "list", "--json", "--metadata", '{"via": "subprocess"}',
                 "--url", server_url)
    missing = run("threads", "show", "00000000-0000-4000-8000-000000000000", "--url", server_url)

    assert created.returncode == 0, created.stderr
    thread_id = json.loads(created.stdout)["thread_id"]
    assert thread_id in [t["thread_id"] for t in json.loads(listed.stdout)]
    assert missing.returncode == 4
    assert missing.stdout == ""
    assert len(missing.stderr.splitlines()) == 1, missing.stderr
    assert_not_found(missing.stderr.strip(), "00000000-0000-4000-8000-000000000000")
