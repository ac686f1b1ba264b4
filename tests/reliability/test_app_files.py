"""Broken or hostile user files — script files (not JSON, wrong shape, binary, 50 MB, missing)
and config files (bad TOML, wrong types) — give one clear line where the user looks, and the
app carries on with what it had."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.conftest import Stats
from tests.reliability.test_app_support import (
    SIZE,
    assert_terminal_safe,
    isolated_home,
    loaded,
    notes,
    screen_text,
    until,
)
from tests.support import FROZEN_NOW
from tui import paths
from tui.app.app import ThreadloomApp
from tui.app.editor import SuperstepEditor
from tui.config import ConnectionSpec, Settings
from tui.safe import one_line

__all__ = ["isolated_home"]

BIG = 50 * 1024 * 1024


def _write(path: Path, kind: str) -> str:
    """A broken script file of ``kind``; returns what the message must say."""
    if kind == "not json":
        path.write_text('{"supersteps": [ [bold]oops[/] \x1b]0;t\x07', "utf-8")
        return "not valid JSON"
    if kind == "wrong shape":
        path.write_text(json.dumps({"supersteps": "[/] not a list"}), "utf-8")
        return "not a superstep script"
    if kind == "binary":
        path.write_bytes(b"\xff\xfe\x00\x1b]0;x\x07" + os.urandom(2048))
        return "not UTF-8 text"
    if kind == "50 MB of junk":
        with path.open("w", encoding="utf-8") as handle:
            handle.write('{"supersteps": [')
            handle.write("x" * BIG)
        return "not valid JSON"
    if kind == "missing":
        return "no such file"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["not json", "wrong shape", "binary", "50 MB of junk",
                                  "missing"])
async def test_a_broken_script_file_is_one_clear_line(
    server_url: str, tmp_path: Path, kind: str, stats: Stats
) -> None:
    path = tmp_path / "[b]script[x] \u202e.json"
    said = _write(path, kind)
    app = ThreadloomApp(ConnectionSpec(url=server_url), script=str(path), settings=Settings(),
                        clock=lambda: FROZEN_NOW)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: any("Cannot open the script" in n for n in notes(app)),
                    "the message")
        message = next(n for n in notes(app) if "Cannot open the script" in n)
        assert said in message and one_line(str(path)) in message  # which file, and why
        assert "\n" not in message and "Traceback" not in message
        await until(pilot, lambda: "Cannot open the script" in screen_text(app), "the toast")
        assert_terminal_safe(app)
        await until(pilot, lambda: app.panes_ready, "the editor")
        editor = app.main_screen.query_one("#editor", SuperstepEditor)
        assert editor.script.supersteps == ()  # the editor carries on with its own script
        await until(pilot, lambda: loaded(app), "the app, usable")
    stats.hostile += 1


async def test_a_50_mb_script_opens_and_the_app_stays_usable(
    server_url: str, tmp_path: Path, stats: Stats
) -> None:
    path = tmp_path / "big.json"
    content = "[/] \x1b]0;t\x07 " + "y" * BIG
    path.write_text(json.dumps({"metadata": {"graph_id": "agent"}, "supersteps": [
        {"updates": [{"values": {}, "as_node": "__input__"}]},
        {"updates": [{"values": {"messages": [{"type": "human", "content": content}]},
                      "as_node": "__start__"}]}]}), "utf-8")
    app = ThreadloomApp(ConnectionSpec(url=server_url), script=str(path), settings=Settings(),
                        clock=lambda: FROZEN_NOW)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: app.panes_ready, "the editor")
        editor = app.main_screen.query_one("#editor", SuperstepEditor)
        await until(pilot, lambda: len(editor.script.supersteps) == 2, "the big script")
        await pilot.press("2")
        started = time.monotonic()
        await pilot.press("down")  # the outline answers (selecting the update that holds the
        await pilot.pause(0.05)  # 50 MB message freezes the editor ~13 s: see issue 9's notes)
        assert editor.address == (1, None)
        assert time.monotonic() - started < 5  # responsive: a bound against a hang, generous
        shown = assert_terminal_safe(app)
        assert "2.1 __start__" in shown
        message: Any = editor.script.supersteps[1].updates[0].values["messages"][0]
        assert message["content"] == content  # kept exactly
    stats.hostile += 1


@pytest.mark.parametrize("raw, said", [
    (b"[profiles.prod\nurl = 'x'", "not valid TOML"),
    (b"default_profile = 42\n[profiles.p]\nurl = ['not', 'a', 'url']", "config.toml"),
    (b"auto_refresh_seconds = '[/] \x1b]0;x\x07'", "config.toml"),
    (b"\xff\xfe binary \x00", "cannot read it"),
])
async def test_a_broken_config_file_is_one_clear_warning_and_defaults_are_used(
    server_url: str, raw: bytes, said: str, stats: Stats
) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes(raw)
    app = ThreadloomApp(ConnectionSpec(url=server_url), clock=lambda: FROZEN_NOW)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: any("Config file ignored" in n for n in notes(app)),
                    "the warning")
        message = next(n for n in notes(app) if "Config file ignored" in n)
        assert said in message and "\n" not in message and "Traceback" not in message
        await until(pilot, lambda: loaded(app), "the app, on defaults")
        assert app.settings == Settings()
        assert_terminal_safe(app)
    stats.hostile += 1
