"""The state viewer end to end, against the real Agent Server, checked through the API.

A user opens a thread made from supersteps, walks its history, diffs two checkpoints, forks
by editing a message at a checkpoint (in place and into a copy) and exports checkpoints as a
script; the official SDK (the ``sdk`` fixture) is the oracle for what the server holds after.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.app.viewer_harness import SIZE, ViewerApp, wait_until
from tests.scripts import GREETING, TOOL_CALL, meta
from tests.support import said, screen_text
from tui.app.viewer.export import RangeExportScreen
from tui.app.viewer.fork import ForkScreen
from tui.deployment import DeploymentClient
from tui.services.ids import short_id
from tui.supersteps.files import load_script


async def open_thread(pilot: Any, thread_id: str) -> None:
    app: ViewerApp = pilot.app
    app.viewer.show_thread(thread_id)
    await wait_until(pilot, lambda: app.viewer.data is not None
                     and app.viewer.data.thread_id == thread_id
                     and app.viewer.data.history_loaded, what="the thread to load")
    app.viewer.current_view().focus()
    await pilot.pause()


async def replace_in_editor(pilot: Any, old: str, new: str) -> None:
    """Put the cursor on ``old`` in the fork dialog's JSON editor, delete it, type ``new``."""
    area = pilot.app.screen.editor.text_area
    lines = area.text.split("\n")
    row = next(i for i, line in enumerate(lines) if old in line)
    area.focus()
    area.move_cursor((row, lines[row].index(old)))
    await pilot.press(*["delete"] * len(old), *new)


def steps_in_history(app: ViewerApp) -> list[int | None]:
    assert app.viewer.data is not None
    return [entry.step for entry in app.viewer.data.history]


async def test_open_walk_history_diff_and_fork_at_a_checkpoint(
    server_url: str, client: DeploymentClient, sdk: Any
) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=TOOL_CALL)
    app = ViewerApp(server_url=server_url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        viewer = app.viewer
        await open_thread(pilot, thread.thread_id)
        text = screen_text(app)
        assert "what is 6*7?" in text and "tool call calculator" in text
        assert "The result is 42." in text
        assert "History · 5 checkpoints" in text
        assert steps_in_history(app) == [3, 2, 1, 0, -1]

        # Walk the history, newest first: each checkpoint shows the state as it was.
        await pilot.press("h")
        seen = []
        for _ in range(4):
            await pilot.press("down")
            assert viewer.viewing is not None
            seen.append(viewer.viewing.step)
        assert seen == [2, 1, 0, -1]
        await wait_until(pilot, lambda: "viewing step -1" in screen_text(app), what="step -1")
        text = screen_text(app)
        assert "viewing step -1" in text and "No messages." in text
        await pilot.press("up", "up")  # step 1: the tool call, before its result
        await wait_until(pilot, lambda: "viewing step 1" in screen_text(app), what="step 1")
        text = screen_text(app)
        assert "viewing step 1" in text
        assert "tool call calculator" in text and "no result yet" in text
        assert "The result is 42." not in text

        # Diff step 1 (A) against step 3 (B).
        await pilot.press("a", "up", "up", "b", "d")
        await wait_until(pilot, lambda: "keys +0 −0 ~1" in screen_text(app), what="the diff")
        text = screen_text(app)
        assert "keys +0 −0 ~1 · messages +2 −0 ~0" in text
        assert "~ messages  2 added, 0 removed, 0 changed (below)" in text
        assert "+ #3   tool   42" in text
        assert "+ #4   ai     The result is 42." in text
        assert viewer.view == "diff"

        # Fork at step 1 by editing the human message there.
        await pilot.press("down", "down")
        assert viewer.viewing is not None and viewer.viewing.step == 1
        step_1 = viewer.viewing.checkpoint_id
        human_id = viewer.viewing.values["messages"][0]["id"]
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, ForkScreen), what="the dialog")
        # With the superstep editor's message builder: up to the human message, e to edit.
        short = short_id(thread.thread_id)
        assert "Goes into this thread, as a new branch" in screen_text(app)
        assert f"thread {short} gets a new checkpoint after this one" in screen_text(app)
        await pilot.press("up", "e")
        await wait_until(pilot, lambda: app.screen.query("#message-content"), what="message")
        await pilot.press("home", "shift+end", *"what is 7*6?", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ForkScreen), what="the fork")
        assert "Will send: messages: 1 new or edited, 0 removed" in screen_text(app)
        assert '"content": "what is 7*6?"' in app.screen.editor.text
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.selected == [thread.thread_id], what="the fork")
        await wait_until(pilot, lambda: viewer.data is not None and viewer.data.history_loaded
                         and viewer.viewing is not None and viewer.viewing.checkpoint_id
                         not in (None, step_1) and viewer.viewing.step == 2,
                         what="the forked thread to reload")
        assert not app.errors
        assert "what is 7*6?" in screen_text(app)
        forked = [n.message for n in said(app) if n.title == "Forked"]
        assert len(forked) == 1 and forked[0].startswith(f"Thread {short} has a new branch at ")
        assert "No new thread was made." in forked[0]

    state = await sdk.threads.get_state(thread.thread_id)
    messages = state["values"]["messages"]
    assert [(m["type"], m["content"]) for m in messages] == [("human", "what is 7*6?"),
                                                              ("ai", "")]
    assert messages[0]["id"] == human_id
    assert state["parent_checkpoint"]["checkpoint_id"] == step_1
    assert state["next"] == ["tools"]  # written as call_model: its tool call is due next
    history = await sdk.threads.get_history(thread.thread_id, limit=50)
    contents = [[m["content"] for m in h["values"].get("messages", [])] for h in history]
    assert ["what is 6*7?", "", "42", "The result is 42."] in contents  # the old branch stays


async def test_fork_into_a_copy_leaves_the_original_intact(
    server_url: str, client: DeploymentClient, sdk: Any
) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    app = ViewerApp(server_url=server_url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_thread(pilot, thread.thread_id)
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, ForkScreen), what="the dialog")
        box = app.screen.query_one("#fork-copy")
        assert "Goes into this thread, as a new branch" in screen_text(app)
        assert "✓" not in str(box.render())  # off: an empty box
        await pilot.click("#fork-copy")
        await pilot.pause()
        assert "✓" in str(box.render())  # on: a tick, not the same X in another colour
        assert "Goes into a new copy of this thread" in screen_text(app)
        assert f"thread {short_id(thread.thread_id)} stays as it is" in screen_text(app)
        await pilot.click("#--content-tab-fork-tab-json")  # the whole state as JSON
        await replace_in_editor(pilot, "Hello!", "Howdy!")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(app.selected) == 1, what="the copy to open")
        copy_id = app.selected[0]
        await wait_until(pilot, lambda: app.viewer.data is not None
                         and app.viewer.data.thread_id == copy_id
                         and app.viewer.data.history_loaded, what="the copy to load")
        assert "Howdy! How can I assist you today?" in screen_text(app)
        forked = [n.message for n in said(app) if n.title == "Forked"]
        assert len(forked) == 1 and forked[0].startswith(
            f"New thread {short_id(copy_id)} (a copy of {short_id(thread.thread_id)}) holds")
    assert copy_id != thread.thread_id
    original = await sdk.threads.get_state(thread.thread_id)
    copied = await sdk.threads.get_state(copy_id)
    assert original["values"]["messages"][1]["content"] == "Hello! How can I assist you today?"
    assert copied["values"]["messages"][1]["content"] == "Howdy! How can I assist you today?"
    assert copied["values"]["messages"][1]["id"] == original["values"]["messages"][1]["id"]


async def test_export_checkpoints_as_a_script_that_recreates_the_state(
    server_url: str, client: DeploymentClient, sdk: Any, tmp_path: Path
) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=TOOL_CALL)
    target = tmp_path / "exported.json"
    app = ViewerApp(server_url=server_url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_thread(pilot, thread.thread_id)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, RangeExportScreen), what="dialog")
        await pilot.press("ctrl+u", *str(target), "enter")
        await wait_until(pilot, target.exists, what="the script file")
        assert not app.errors
    script = load_script(target)
    assert script.graph_id == "agent"
    body = script.to_body()
    replayed = await sdk.threads.create(graph_id="agent", supersteps=body["supersteps"])
    original = await sdk.threads.get_state(thread.thread_id)
    again = await sdk.threads.get_state(replayed["thread_id"])
    assert again["values"] == original["values"]


async def test_history_loads_older_pages_as_the_cursor_goes_down(
    server_url: str, client: DeploymentClient
) -> None:
    steps = [{"updates": [{"values": {}, "as_node": "__input__"}]}] + [
        {"updates": [{"values": {"messages": [{"type": "ai", "content": f"m{i}"}]},
                      "as_node": "call_model"}]}
        for i in range(60)
    ]
    thread = await client.threads.create(metadata=meta(), supersteps=steps)
    app = ViewerApp(server_url=server_url)
    async with app.run_test(size=SIZE) as pilot:
        await open_thread(pilot, thread.thread_id)
        viewer = app.viewer
        assert viewer.data is not None
        assert len(viewer.data.history) == 50 and viewer.data.has_more
        assert "History · 50+ checkpoints" in screen_text(app)
        await pilot.press("h", *["down"] * 49)
        await wait_until(pilot, lambda: viewer.data is not None and not viewer.data.has_more,
                         what="the second page")
        assert steps_in_history(app)[-1] == -1
        assert len(viewer.data.history) == 61
        assert "History · 61 checkpoints" in screen_text(app)


async def test_missing_and_hostile_thread_ids_are_reported_literally(server_url: str) -> None:
    app = ViewerApp(server_url=server_url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        missing = "00000000-0000-4000-8000-000000000000"
        app.viewer.show_thread(missing)
        await wait_until(pilot, lambda: bool(app.errors), what="the error")
        assert "not found" in app.errors[-1][1]
        assert f"⚠ Opening thread {missing}" in screen_text(app)
        hostile = "[@click=app.quit]boom[/]"
        app.viewer.show_thread(hostile)
        await wait_until(pilot, lambda: len(app.errors) == 2, what="the second error")
        await pilot.pause()
        assert f"⚠ Opening thread {hostile}" in screen_text(app)
        assert app.is_running


async def test_a_10000_message_state_opens_lazily(
    server_url: str, client: DeploymentClient
) -> None:
    messages = [{"type": "human" if i % 2 == 0 else "ai",
                 "content": f"message {i}: " + "lorem ipsum " * 40} for i in range(10_000)]
    thread = await client.threads.create(metadata=meta(), supersteps=[
        {"updates": [{"values": {}, "as_node": "__input__"}]},
        {"updates": [{"values": {"messages": messages}, "as_node": "__start__"}]},
    ])
    app = ViewerApp(server_url=server_url)
    async with app.run_test(size=SIZE) as pilot:
        await open_thread(pilot, thread.thread_id)
        assert "message 0: lorem ipsum" in screen_text(app)
        await pilot.press("end")
        await wait_until(pilot, lambda: "message 9999: lorem ipsum" in screen_text(app),
                         what="the last message")
        await pilot.press("t")
        tree = app.viewer.values_tree
        await wait_until(pilot, lambda: "messages: [10,000 messages]" in screen_text(app),
                         what="the values tree")
        await pilot.press("down", "space")
        await wait_until(pilot, lambda: "[0] human  message 0: lorem" in screen_text(app),
                         what="the first page of messages")
        text = screen_text(app)
        assert "[0] human  message 0: lorem" in text
        assert len(tree._tree_nodes) < 150  # 100 shown + a "… 9,900 more" node, not 10,000
        await pilot.press("j")
        await wait_until(pilot, lambda: app.viewer.json_view.ready, what="the JSON text")
        await pilot.press("end")
        await wait_until(pilot, lambda: '"turns": 0' in screen_text(app)
                         or '"id":' in screen_text(app), what="the end of the JSON")


async def test_inside_the_real_app(server_url: str, client: DeploymentClient) -> None:
    """The shell mounts the viewer; selecting a thread opens it; the pane keys still work."""
    from tests.support import FROZEN_NOW
    from tui.app.app import ThreadloomApp
    from tui.config import ConnectionSpec, Settings

    thread = await client.threads.create(metadata=meta(), supersteps=TOOL_CALL)
    app = ThreadloomApp(ConnectionSpec(url=server_url), settings=Settings(),
                        clock=lambda: FROZEN_NOW)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.client is not None, what="the connection")
        app.select_thread(thread.thread_id)  # perhaps before the viewer is mounted: it opens
        await wait_until(pilot, lambda: app.panes_ready, what="the panes")  # once it is
        viewer = app.viewer
        await wait_until(pilot, lambda: viewer.data is not None and viewer.data.history_loaded
                         and viewer.data.thread_id == thread.thread_id, what="the viewer")
        assert "The result is 42." in screen_text(app)
        await pilot.press("3")  # the app's key for the state pane
        assert app.focused is viewer.chat
        await pilot.press("t")
        assert app.focused is viewer.values_tree
        await wait_until(pilot, lambda: "messages: [4 messages]" in screen_text(app),
                         what="the values tree")
        await pilot.press("1")  # the viewer does not shadow the app's pane keys
        assert app.focused is not None and viewer not in app.focused.ancestors_with_self
