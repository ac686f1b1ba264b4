"""The thread list end to end against the real Agent Server, checked through the official SDK.

Threads made by one test carry a unique ``suite`` marker in their metadata, so tests that share
the session server search for their own threads only.
"""

from __future__ import annotations

import asyncio
import gc
import json
import uuid
import warnings
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.scripts import GREETING, meta, suite_marker
from tests.support import FROZEN_NOW, said, type_text, until
from tui.app.app import ThreadloomApp
from tui.app.threads.thread_pager import PAGE_SIZE
from tui.config import ConnectionSpec, Settings
from tui.deployment import DeploymentClient, DeploymentError

HOSTILE = "[bold red]x[/] [/] [@click=app.quit]boom[/] \x1b[31mred\x1b]0;title\x07"


def make_app(url: str) -> ThreadloomApp:
    return ThreadloomApp(ConnectionSpec(url=url), settings=Settings(), clock=lambda: FROZEN_NOW)


def loaded(app: ThreadloomApp) -> bool:
    threads = app.threads
    return app.connection.state == "connected" and not threads.pager.fetching and (
        threads.total is not None or bool(threads.search_query.ids)
    )


def shown_ids(app: ThreadloomApp) -> list[str]:
    table = app.threads.table
    return [table.row_key_at(row)
            for row in range(table.row_count)]


def cell_text(app: ThreadloomApp, row: int, column: int) -> str:
    return str(app.threads.table.get_row_at(row)[column].plain)


def status_line(app: ThreadloomApp) -> str:
    return str(app.query_one("#threads-status").render())


def notes(app: ThreadloomApp) -> list[str]:
    return [n.message for n in said(app)]


async def search(pilot: Pilot[Any], text: str) -> None:
    app = pilot.app
    assert isinstance(app, ThreadloomApp)
    await pilot.press("slash")
    app.threads.filter_bar.input.value = text  # typing is covered by the create test
    generation = app.threads.pager.generation
    await pilot.press("enter")
    await until(pilot, lambda: app.threads.pager.generation > generation
                or app.threads.filter_bar.error,
                "the search to apply")
    await until(pilot, lambda: loaded(app), "the search results")
    await pilot.press("escape")


async def marked(client: DeploymentClient, n: int, **extra: Any) -> tuple[str, list[str]]:
    """``n`` empty threads with a unique suite marker; ids in creation order."""
    suite = suite_marker()
    ids = []
    for i in range(n):
        thread = await client.threads.create(metadata=meta(suite=suite, i=i, **extra))
        ids.append(thread.thread_id)
    return suite, ids


async def test_create_an_empty_thread_with_metadata(server_url: str, sdk: Any) -> None:
    app = make_app(server_url)
    thread_id = str(uuid.uuid4())
    suite = suite_marker()
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        before = app.threads.total
        await pilot.press("n")
        await until(pilot, lambda: type(app.screen).__name__ == "CreateThreadModal", "the modal")
        await type_text(pilot, thread_id)
        area = app.screen.query_one(TextArea)
        area.text = json.dumps({"graph_id": "agent", "suite": suite, "n": 1})
        app.screen.query_one("#ttl", Input).value = "120"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: shown_ids(app)[:1] == [thread_id], "the new row on top")
        assert app.threads.selected is not None
        assert app.threads.selected.thread_id == thread_id
        assert cell_text(app, 0, 2) == "agent" and cell_text(app, 0, 1) == "idle"
        assert any(f"Created thread {thread_id}" in n for n in notes(app))
        assert before is not None and app.threads.total == before + 1
    stored = await sdk.threads.get(thread_id)
    assert stored["metadata"] == {"graph_id": "agent", "suite": suite, "n": 1}
    assert stored["status"] == "idle"


async def test_the_dialog_buttons_cancel_and_save_as_their_keys_do(
        server_url: str, client: DeploymentClient, sdk: Any) -> None:
    suite, (thread_id,) = await marked(client, 1)
    app = make_app(server_url)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await search(pilot, f"suite={suite}")
        await pilot.press("n")
        await until(pilot, lambda: type(app.screen).__name__ == "CreateThreadModal", "the modal")
        await pilot.click("#cancel")  # the mouse: nothing is created
        await until(pilot, lambda: type(app.screen).__name__ == "Screen", "the list again")
        assert shown_ids(app) == [thread_id] and not any("Created" in n for n in notes(app))
        await pilot.press("e")
        await until(pilot, lambda: type(app.screen).__name__ == "EditMetadataModal", "the modal")
        app.screen.query_one(TextArea).text = json.dumps({**meta(suite=suite, i=0), "size": 3})
        await pilot.pause()
        await pilot.click("#submit")
        await until(pilot, lambda: any(f"Saved the metadata of thread {thread_id}" in n
                                       for n in notes(app)), "the save")
    assert (await sdk.threads.get(thread_id))["metadata"]["size"] == 3


async def test_copy_makes_the_copy_selected(server_url: str, client: DeploymentClient,
                                            sdk: Any) -> None:
    suite = suite_marker()
    source = await client.threads.create(metadata=meta(suite=suite), supersteps=GREETING)
    app = make_app(server_url)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await search(pilot, f"suite={suite}")
        assert shown_ids(app) == [source.thread_id]
        assert cell_text(app, 0, 5) == "Hello! How can I assist you today?"
        await pilot.press("c")
        await until(pilot, lambda: len(shown_ids(app)) == 2, "the copy in the list")
        copy_id = shown_ids(app)[0]
        assert copy_id != source.thread_id
        assert app.threads.selected is not None and app.threads.selected.thread_id == copy_id
        assert "2 of 2" in status_line(app)
        # a copy's record holds no values: its row's preview is read from its state
        await until(pilot, lambda: cell_text(app, 0, 5) == "Hello! How can I assist you today?",
                    "the copy's preview")
        assert any(f"Copied {source.thread_id} into thread {copy_id}" in n for n in notes(app))
    copied = await sdk.threads.get_state(copy_id)
    original = await sdk.threads.get_state(source.thread_id)
    assert copied["values"] == original["values"]
    assert (await sdk.threads.get(copy_id))["metadata"]["suite"] == suite


async def test_edit_metadata_merges_and_nulls_removed_keys(server_url: str,
                                                           client: DeploymentClient,
                                                           sdk: Any) -> None:
    suite, (thread_id,) = await marked(client, 1, color="red")
    app = make_app(server_url)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await search(pilot, f"suite={suite}")
        await pilot.press("e")
        await until(pilot, lambda: type(app.screen).__name__ == "EditMetadataModal", "the modal")
        area = app.screen.query_one(TextArea)
        assert json.loads(area.text) == {"graph_id": "agent", "suite": suite, "i": 0,
                                         "color": "red"}
        area.text = '{"graph_id": "other", "suite": "' + suite + '", "i": 0, "size": '
        await pilot.pause()
        status = str(app.screen.query_one(".json-status").render())
        assert status.startswith("✗ line 1, column") and "Expecting value" in status
        assert app.screen.query_one("#submit").disabled
        area.text = json.dumps({"graph_id": "other", "suite": suite, "i": 0, "size": 3})
        await pilot.pause()
        assert "Will set to null: color" in str(app.screen.query_one("#patch-status").render())
        await pilot.press("ctrl+s")
        await until(pilot, lambda: cell_text(app, 0, 2) == "other", "the new graph in the row")
        assert any(f"Saved the metadata of thread {thread_id}" in n for n in notes(app))
    stored = await sdk.threads.get(thread_id)
    assert stored["metadata"] == {"graph_id": "other", "suite": suite, "i": 0, "size": 3,
                                  "color": None}


async def test_delete_after_confirming(server_url: str, client: DeploymentClient,
                                       sdk: Any) -> None:
    suite, ids = await marked(client, 2)
    app = make_app(server_url)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await search(pilot, f"suite={suite}")
        assert shown_ids(app) == ids[::-1]
        await pilot.press("d")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmDeleteModal", "confirm")
        await pilot.press("escape")  # keep it
        await pilot.pause(0.2)
        assert shown_ids(app) == ids[::-1]
        await pilot.press("d")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmDeleteModal", "confirm")
        await pilot.press("y")
        await until(pilot, lambda: shown_ids(app) == [ids[0]], "the row to go")
        assert "1 of 1" in status_line(app)
        assert any(f"Deleted thread {ids[1]}" in n for n in notes(app))
    from langgraph_sdk.errors import NotFoundError

    with pytest.raises(NotFoundError):
        await sdk.threads.get(ids[1])
    assert (await sdk.threads.get(ids[0]))["thread_id"] == ids[0]


async def test_failures_show_the_server_detail_and_change_nothing(
    server_url: str, client: DeploymentClient, sdk: Any
) -> None:
    suite, (existing, gone) = await marked(client, 2)
    app = make_app(server_url)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await search(pilot, f"suite={suite}")
        rows = shown_ids(app)
        # a create that the server refuses: the id exists and if_exists is "raise"
        await pilot.press("n")
        await until(pilot, lambda: type(app.screen).__name__ == "CreateThreadModal", "modal")
        await type_text(pilot, existing)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("already exists" in n for n in notes(app)), "the 409")
        assert shown_ids(app) == rows
        # an edit of a thread another client deleted meanwhile
        await sdk.threads.delete(gone)
        app.threads.select_thread(gone)
        await pilot.press("e")
        await until(pilot, lambda: type(app.screen).__name__ == "EditMetadataModal", "modal")
        app.screen.query_one(TextArea).text = json.dumps({"x": 1})
        await pilot.pause()
        await pilot.press("ctrl+s")
        # the server's detail for this 404 is just "Not Found"; the title says what failed
        await until(pilot, lambda: any(
            n.title == f"Updating the metadata of thread {gone}" and n.message == "Not Found"
            for n in said(app)), "the 404")
        assert shown_ids(app) == rows
        assert cell_text(app, rows.index(gone), 2) == "agent"
    assert (await sdk.threads.get(existing))["metadata"]["suite"] == suite


async def test_search_by_metadata_id_and_status(server_url: str, client: DeploymentClient) -> None:
    suite, ids = await marked(client, 3)
    await client.threads.update(ids[1], metadata={"color": "blue"})
    run_thread = await client.threads.create(metadata=meta(suite=suite, i=9))
    await client.runs.wait(run_thread.thread_id, "agent", input={"turns": "x"})  # → error
    app = make_app(server_url)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await search(pilot, f"suite={suite}")
        assert shown_ids(app) == [run_thread.thread_id, *ids[::-1]]
        assert "4 of 4" in status_line(app)
        await search(pilot, f"suite={suite} color=blue")
        assert shown_ids(app) == [ids[1]]
        assert "1 of 1" in status_line(app)
        await search(pilot, f"suite={suite} i=2")  # a JSON number, not the text "2"
        assert shown_ids(app) == [ids[2]]
        await search(pilot, f"suite={suite} i='2'")  # the text "2": no thread has it
        assert shown_ids(app) == []
        assert "No thread matches this search." in str(app.query_one("#threads-empty").render())
        await search(pilot, f"suite={suite} status:error")
        assert shown_ids(app) == [run_thread.thread_id]
        assert cell_text(app, 0, 1) == "error"
        await search(pilot, ids[0])
        assert shown_ids(app) == [ids[0]]
        assert "1 of 1" in status_line(app)
        # text the bar cannot read: said under the bar, the list stays as it was
        await pilot.press("slash")
        app.threads.filter_bar.input.value = "what?"
        await pilot.press("enter")
        await until(pilot, lambda: app.threads.filter_bar.error, "the error")
        assert "type a thread id (or its first or last characters), key=value, or" in str(
            app.query_one("#filter-state").render())
        assert shown_ids(app) == [ids[0]]


async def test_sort_by_created_and_updated_both_ways(server_url: str, client: DeploymentClient,
                                                     sdk: Any) -> None:
    suite, ids = await marked(client, 3)
    await asyncio.sleep(0.05)
    await client.threads.update(ids[0], metadata={"touched": True})  # newest update
    app = make_app(server_url)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await search(pilot, f"suite={suite}")
        assert shown_ids(app) == ids[::-1]
        assert "sort: created ↓" in status_line(app)

        async def press_and_wait(key: str) -> None:
            generation = app.threads.pager.generation
            await pilot.press(key)
            await until(pilot, lambda: app.threads.pager.generation > generation and loaded(app),
                        f"the list after {key}")

        await press_and_wait("o")
        assert shown_ids(app) == ids
        assert "sort: created ↑" in status_line(app)
        await press_and_wait("s")
        assert "sort: updated ↑" in status_line(app)
        assert shown_ids(app) == [ids[1], ids[2], ids[0]]
        await press_and_wait("o")
        assert shown_ids(app) == [ids[0], ids[2], ids[1]]
        await press_and_wait("s")
        assert "sort: state updated ↓" in status_line(app)
        oracle = await sdk.threads.search(metadata={"suite": suite}, sort_by="state_updated_at",
                                          sort_order="desc")
        assert shown_ids(app) == [t["thread_id"] for t in oracle]


async def test_paging_through_250_threads(fresh_server: Any, sdk: Any) -> None:
    async with DeploymentClient(fresh_server.url) as client:
        semaphore = asyncio.Semaphore(16)

        async def one(i: int) -> str:
            async with semaphore:
                return (await client.threads.create(metadata=meta(i=i))).thread_id

        created = await asyncio.gather(*(one(i) for i in range(250)))
    app = make_app(fresh_server.url)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        assert len(shown_ids(app)) == PAGE_SIZE  # one page, not the deployment
        assert f"{PAGE_SIZE} of 250" in status_line(app)
        app.threads.table.focus()
        for _ in range(40):
            await pilot.press("pagedown")
            if len(shown_ids(app)) == 250 and not app.threads.pager.loading_more:
                break
            await pilot.pause(0.05)
        await until(pilot, lambda: len(shown_ids(app)) == 250, "all 250 rows")
        await pilot.press("end")
        await pilot.pause()
        assert "250 of 250" in status_line(app)
        assert app.threads.pager.next_offset is None
        shown = shown_ids(app)
    oracle = []
    offset = 0
    while True:
        page = await sdk_search(fresh_server.url, offset)
        oracle.extend(page)
        if len(page) < 100:
            break
        offset += 100
    assert shown == oracle
    assert sorted(oracle) == sorted(created)


async def sdk_search(url: str, offset: int) -> list[str]:
    from langgraph_sdk import get_client

    sdk = get_client(url=url, api_key=None)
    try:
        page = await sdk.threads.search(limit=100, offset=offset)
    finally:
        await sdk.aclose()
    return [t["thread_id"] for t in page]


async def test_hostile_metadata_and_preview_are_shown_literally(
    server_url: str, client: DeploymentClient
) -> None:
    suite = suite_marker()
    supersteps = [
        {"updates": [{"values": {}, "as_node": "__input__"}]},
        {"updates": [{"values": {"messages": [{"type": "human", "content": HOSTILE}]},
                      "as_node": "__start__"}]},
    ]
    thread = await client.threads.create(
        metadata={"graph_id": "agent", "suite": suite, "note": HOSTILE}, supersteps=supersteps
    )
    await client.threads.update(thread.thread_id, metadata={"graph_id": HOSTILE})
    app = make_app(server_url)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await search(pilot, f"suite={suite}")
        assert shown_ids(app) == [thread.thread_id]
        assert cell_text(app, 0, 2) == "[bold red]x…"
        assert cell_text(app, 0, 5) == (
            "[bold red]x[/] [/] [@click=app.quit]boom[/] ␛[31mred␛]0;title␇")
        await pilot.press("e")
        await until(pilot, lambda: type(app.screen).__name__ == "EditMetadataModal", "modal")
        text = app.screen.query_one(TextArea).text
        assert "\\u001b[31mred" in text and "\x1b" not in text
        await pilot.press("escape")
        await pilot.press("d")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmDeleteModal", "confirm")
        await pilot.pause(0.2)
        await pilot.press("escape")
        app.report_error(DeploymentError(f"Searching threads: the server failed: {HOSTILE}"),
                         HOSTILE)
        await pilot.pause(0.3)
        assert app.is_running
        shown = notes(app)[-1]
        assert "[@click=app.quit]boom[/]" in shown and "\x1b" not in shown
        await until(pilot, lambda: app.query("Toast"), "the toast on screen")


async def test_a_reload_replaced_before_it_starts_leaves_no_coroutine_behind(
    server_url: str,
) -> None:
    """Two reloads in one go (a search typed fast, or quitting as the list starts): the first
    worker is cancelled before it runs. Its request is never made, and nothing of it is left:
    no "coroutine was never awaited" when it is collected (seen once while quitting at start)."""
    app = make_app(server_url)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with app.run_test(size=(160, 48)) as pilot:
            await until(pilot, lambda: loaded(app) and app.panes_ready, "the first page")
            app.threads.loader.reload()
            app.threads.loader.reload()
            app.threads.loader.count(app.threads.pager.generation)
            app.threads.loader.count(app.threads.pager.generation)
            await until(pilot, lambda: loaded(app), "the reloaded page")
        gc.collect()
    unawaited = [str(w.message) for w in caught if "never awaited" in str(w.message)]
    assert unawaited == []
