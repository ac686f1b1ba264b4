"""Scripts in and out of the editor: save and open (the exact API body), ``--script`` at start,
a thread's history exported as a script, the code view (copy, save, and the copied curl run
against the real server), and drafts that survive a quit and a kill."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from tests.app.editor_support import (
    EditorHost,
    graph_ready,
    real_app,
    thread_values,
    type_text,
    wait_for,
    without_ids,
)
from tests.scripts import GREETING, TOOL_CALL, meta
from tests.support import said
from tui.app.editor.code_view import CodeScreen
from tui.app.editor.file_dialogs import ConfirmScreen, PathScreen, ThreadExportScreen
from tui.supersteps.drafts import DraftStore
from tui.supersteps.files import dumps_script, load_script
from tui.supersteps.model import Script

SIZE = (140, 44)
ROOT = Path(__file__).resolve().parents[2]


def greeting() -> Script:
    return Script.from_body({"metadata": meta(), "supersteps": GREETING})


async def test_save_and_open_through_the_dialogs(server_url: str, tmp_path: Path) -> None:
    target = tmp_path / "greeting.json"
    other = tmp_path / "other.json"
    other.write_text("{}")
    app = EditorHost(server_url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = await graph_ready(pilot)
        editor.load(greeting())
        editor.outline.focus()
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, PathScreen)
        await pilot.press("ctrl+u")
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text() == dumps_script(greeting())
        assert json.loads(target.read_text()) == {"metadata": meta(), "supersteps": GREETING}
        assert editor.path == str(target)

        # Saving over another file asks first.
        await pilot.press("ctrl+s", "ctrl+u")
        await type_text(pilot, str(other))
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert other.read_text() == "{}"

        await pilot.press("A", "ctrl+o", "ctrl+u")
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await pilot.pause()
        assert editor.script == greeting()
        await pilot.press("u")  # opening is undoable
        assert len(editor.script.supersteps) == 4

        # A broken file: said on screen, the script stays.
        broken = tmp_path / "broken.json"
        broken.write_text('{"supersteps": [')
        assert not editor.sender.open_script(str(broken))
        await pilot.pause()
        assert len(editor.script.supersteps) == 4
        assert any("not valid JSON" in n.message for n in said(app))


async def test_script_option_opens_the_file_at_start(server_url: str, tmp_path: Path) -> None:
    path = tmp_path / "tool.json"
    path.write_text(json.dumps({"metadata": meta(), "supersteps": TOOL_CALL}))
    app = real_app(server_url, script=str(path))
    async with app.run_test(size=(160, 48)) as pilot:
        editor = await graph_ready(pilot)
        assert editor.script.to_body()["supersteps"] == TOOL_CALL
        assert editor.path == str(path)
        assert editor.problems == []


async def test_a_threads_history_becomes_a_script_that_replays_it(
    server_url: str, sdk: Any, tmp_path: Path
) -> None:
    original = await sdk.threads.create(graph_id="agent", supersteps=TOOL_CALL)
    thread_id = original["thread_id"]
    saved = tmp_path / "exported.json"
    app = EditorHost(server_url)
    async with app.run_test(size=SIZE) as pilot:
        editor = await graph_ready(pilot)
        editor.outline.focus()
        await pilot.press("e")
        assert isinstance(app.screen, ThreadExportScreen)
        await type_text(pilot, thread_id)
        await pilot.press("tab")
        await type_text(pilot, str(saved))
        await pilot.press("ctrl+s")
        await wait_for(pilot, saved.exists, what="the exported file")

        await pilot.press("e")
        await type_text(pilot, thread_id)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(editor.script.supersteps) > 0, what="the script")
        assert editor.script == load_script(saved)
        assert editor.script.graph_id == "agent"
        assert editor.problems == []

        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: editor.last_created is not None)
        replay = editor.last_created
    assert replay is not None
    ours, theirs = await thread_values(sdk, replay), await thread_values(sdk, thread_id)
    assert without_ids(ours["messages"]) == without_ids(theirs["messages"])


async def test_code_view_copies_and_saves_and_never_shows_the_key(
    server_url: str, sdk: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("LANGGRAPH_API_KEY", "lsv2-very-secret")
    copied: list[str] = []
    app = EditorHost(server_url)
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        editor = await graph_ready(pilot)
        editor.load(greeting())
        editor.outline.focus()
        await pilot.press("x")
        screen = app.screen
        assert isinstance(screen, CodeScreen)
        for tab in ("curl", "python", "js"):
            screen.show_tab(tab)
            await pilot.pause()
            await pilot.press("c")
        assert [s.tab for s in screen.snippets] == ["curl", "python", "js"]
        assert copied == [s.code for s in screen.snippets]
        assert all("lsv2-very-secret" not in code for code in copied)
        assert "http://127.0.0.1:2024/threads" in copied[0]  # the app's URL

        await pilot.press("s", "ctrl+u")
        await type_text(pilot, str(tmp_path / "create.mjs"))
        await pilot.press("enter")
        await pilot.pause()
        assert (tmp_path / "create.mjs").read_text() == copied[2]
        await pilot.press("escape")

        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: editor.last_created is not None)
        by_editor = editor.last_created

    # The copied curl, run against the real server, makes the same thread as the editor.
    curl = copied[0].replace("http://127.0.0.1:2024", server_url)
    done = subprocess.run(["bash", "-c", curl], capture_output=True, text=True, timeout=60,
                          check=True, env={**os.environ, "LANGGRAPH_API_KEY": "unused"})
    by_curl = json.loads(done.stdout)["thread_id"]
    assert by_editor is not None
    ours, theirs = await thread_values(sdk, by_curl), await thread_values(sdk, by_editor)
    assert without_ids(ours["messages"]) == without_ids(theirs["messages"])


async def test_the_draft_survives_a_quit(server_url: str, isolated_home: Path) -> None:
    app = EditorHost(server_url)
    async with app.run_test(size=SIZE) as pilot:
        editor = await graph_ready(pilot)
        editor.outline.focus()
        await pilot.press("A", "enter")
        await type_text(pilot, "__input__")
        await pilot.press("enter")
    # Quit saves at once (no waiting for the debounce).
    draft = DraftStore(isolated_home / "state" / "drafts").load()
    assert draft is not None
    assert draft.script.to_body()["supersteps"] == [
        {"updates": [{"as_node": "__input__", "values": {}}]}]

    again = EditorHost(server_url)
    async with again.run_test(size=SIZE, notifications=True) as pilot:
        editor = await graph_ready(pilot)
        assert editor.script == draft.script
        assert editor.address == (0, 0)
        assert any("Restored the editor's draft" in n.message for n in said(again))


def _tmux(name: str, *args: str) -> str:
    # COLUMNS/LINES (set under pytest) would override the terminal's real size.
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    done = subprocess.run(["tmux", "-L", name, *args], capture_output=True, text=True,
                          timeout=30, env=env)
    return done.stdout


def _screen_shows(name: str, text: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux(name, "capture-pane", "-p")
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen:\n{screen}")


def _start(name: str, home: Path, server_url: str) -> int:
    command = (f"cd {ROOT} && exec {sys.executable} -m tui --url {server_url}")
    _tmux(name, "new-session", "-d", "-x", "160", "-y", "48", "-e", "TERM=xterm-256color",
          "-e", f"THREADLOOM_HOME={home}", command)
    _screen_shows(name, "graph agent (3 nodes)")
    return int(_tmux(name, "list-panes", "-F", "#{pane_pid}").split()[0])


def test_the_draft_survives_a_kill(server_url: str, isolated_home: Path) -> None:
    """The real program in a real terminal, killed with SIGKILL mid-edit."""
    assert shutil.which("tmux"), "tmux is needed to run the app in a terminal"
    name = f"threadloom-editor-{uuid.uuid4().hex[:8]}"
    store = DraftStore(isolated_home / "state" / "drafts")
    try:
        pid = _start(name, isolated_home, server_url)
        # Each key once the screen shows the one before took effect (a loaded machine
        # paints late; a key sent into a screen still changing can land elsewhere).
        _tmux(name, "send-keys", "2")
        time.sleep(0.3)
        _tmux(name, "send-keys", "A")
        _screen_shows(name, "Superstep 1")
        time.sleep(0.3)
        _tmux(name, "send-keys", "Enter")
        time.sleep(0.5)
        _tmux(name, "send-keys", "-l", "human_review")
        _screen_shows(name, "human_review")
        time.sleep(0.3)
        _tmux(name, "send-keys", "Enter")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            draft = store.load()
            if draft and draft.script.supersteps and draft.script.update_at(0, 0).as_node == (
                    "human_review"):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the draft was never written")
        os.kill(pid, signal.SIGKILL)
        _tmux(name, "kill-server")

        _start(f"{name}-again", isolated_home, server_url)
        screen = _screen_shows(f"{name}-again", "1.1 human_review")
        assert "Superstep 1" in screen
    finally:
        _tmux(name, "kill-server")
        _tmux(f"{name}-again", "kill-server")
