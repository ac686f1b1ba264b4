"""The app against a real Aegra, driven with the pilot: the thread list loads (plain search,
total "?"), a copy says the server cannot, and a script whose supersteps the server drops is
reported as such — no thread is shown as created, the script stays in the editor; the state
viewer shows a thread Aegra ran."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.app.editor_support import editor_of, graph_ready, real_app, wait_for
from tests.app.viewer_harness import SIZE, ViewerApp, wait_until
from tests.scripts import GREETING, meta
from tests.support import said, screen_text
from tui.app.app import ThreadloomApp

COUNT_UNKNOWN = "of ? (this server cannot count threads)"


def notes(app: ThreadloomApp) -> list[str]:
    return [str(n.message) for n in said(app)]


def status_line(app: ThreadloomApp) -> str:
    return str(app.query_one("#threads-status").render())


def listed(app: ThreadloomApp) -> bool:
    threads = app.threads
    return (app.connection.state == "connected" and not threads.pager.fetching
            and threads.count_unknown)


def ran(sdk: Any, tag: str) -> str:
    thread_id = str(sdk.threads.create(metadata=meta(tag=tag))["thread_id"])
    sdk.runs.wait(thread_id, "agent",
                  input={"messages": [{"type": "human", "content": "hello"}]})
    return thread_id


async def test_the_list_loads_with_an_unknown_total_and_copy_is_refused(
    aegra_url: str, aegra_sdk: Any, tag: str
) -> None:
    thread_id = ran(aegra_sdk, tag)
    app = real_app(aegra_url)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await wait_for(pilot, lambda: listed(app), what="the first page and the count")
        assert thread_id in app.threads.by_id
        assert app.threads.table.get_row_index(thread_id) == 0  # newest first
        assert COUNT_UNKNOWN in status_line(app)
        assert app.threads.pager.error is None
        assert not [n for n in said(app) if n.severity == "error"]

        rows = len(app.threads.threads)
        await pilot.press("1", "c")
        await wait_for(pilot, lambda: any("cannot copy" in n for n in notes(app)),
                       what="the copy refusal")
        assert any("This server cannot copy threads" in n and "nothing was copied" in n
                   for n in notes(app))
        assert len(app.threads.threads) == rows
    assert [t["thread_id"] for t in aegra_sdk.threads.search(metadata={"tag": tag})] == [
        thread_id]


async def test_dropped_supersteps_are_reported_and_the_script_kept(
    aegra_url: str, aegra_sdk: Any, tag: str, tmp_path: Path
) -> None:
    path = tmp_path / "greeting.json"
    path.write_text(json.dumps({"metadata": meta(tag=tag), "supersteps": GREETING}))
    app = real_app(aegra_url, script=str(path))
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        editor = await graph_ready(pilot)  # the nodes came through /assistants/search
        assert editor.catalog.node_names == ["call_model", "human_review", "tools"]
        assert editor.problems == []
        await pilot.press("2", "ctrl+r")
        await wait_for(pilot, lambda: any("ignored the supersteps" in n for n in notes(app)),
                       what="the failure")
        assert not editor.busy
        assert editor.last_created is None
        assert editor_of(app).script.to_body()["supersteps"] == GREETING
        failure = next(n for n in notes(app) if "ignored the supersteps" in n)
        assert failure.startswith("This server ignored the supersteps: thread ")
        assert "was created empty, so it was deleted again" in failure
        assert not any(n.startswith("Created thread") for n in notes(app))
    assert aegra_sdk.threads.search(metadata={"tag": tag}) == []


async def test_the_state_viewer_shows_a_thread_aegra_ran(aegra_url: str, aegra_sdk: Any,
                                                         tag: str) -> None:
    thread_id = str(aegra_sdk.threads.create(metadata=meta(tag=tag))["thread_id"])
    aegra_sdk.runs.wait(thread_id, "agent",
                        input={"messages": [{"type": "human", "content": "what is 6*7?"}]})
    app = ViewerApp(server_url=aegra_url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.viewer.show_thread(thread_id)
        await wait_until(pilot, lambda: app.viewer.data is not None
                         and app.viewer.data.thread_id == thread_id
                         and app.viewer.data.history_loaded, what="the thread to load")
        await pilot.pause()
        text = screen_text(app)
        assert "what is 6*7?" in text and "tool call calculator" in text
        assert "The result is 42." in text
        assert "History · 5 checkpoints" in text
        assert app.errors == []
