"""Short ids in the app, against the real server: the 8 characters the list shows (or any other
unique start or end of an id) work in the list's search and in the command palette."""

from __future__ import annotations

import uuid

from tests.app.test_thread_list import loaded, make_app, search, shown_ids, until
from tests.scripts import meta
from tests.support import type_text
from tui.app.app import ThreadloomApp
from tui.deployment import DeploymentClient


def with_prefix(prefix: str) -> str:
    return str(uuid.UUID(prefix + uuid.uuid4().hex[len(prefix):]))


def bar_text(app: ThreadloomApp) -> str:
    return str(app.query_one("#filter-state").render())


async def test_searching_what_the_list_shows_finds_the_thread(
    server_url: str, client: DeploymentClient
) -> None:
    thread = await client.threads.create(thread_id=str(uuid.uuid4()), metadata=meta())
    shown = thread.thread_id[-8:]
    app = make_app(server_url)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await search(pilot, shown.upper())

        assert shown_ids(app) == [thread.thread_id]
        assert str(app.threads.table.get_row_at(0)[0].plain) == shown  # what the list shows


async def test_a_part_several_ids_share_lists_them_and_says_so(
    server_url: str, client: DeploymentClient
) -> None:
    prefix = uuid.uuid4().hex[:10]
    ids = [(await client.threads.create(thread_id=with_prefix(prefix), metadata=meta())).thread_id
           for _ in range(2)]
    app = make_app(server_url)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await search(pilot, prefix)

        assert sorted(shown_ids(app)) == sorted(ids)
        assert f"'{prefix}' matches 2 threads" in bar_text(app)


async def test_a_part_no_id_has_is_said_under_the_bar(
    server_url: str, client: DeploymentClient
) -> None:
    part = uuid.uuid4().hex[:12]
    app = make_app(server_url)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        before = shown_ids(app)
        await pilot.press("slash")
        app.threads.filter_bar.input.value = part
        await pilot.press("enter")
        await until(pilot, lambda: app.threads.filter_bar.error, "the error")

        assert f"no thread id starts or ends with '{part}'" in bar_text(app)
        assert shown_ids(app) == before  # the list stays as it was


async def test_the_palette_opens_a_thread_from_its_short_id(
    server_url: str, client: DeploymentClient
) -> None:
    thread = await client.threads.create(thread_id=str(uuid.uuid4()), metadata=meta())
    app = make_app(server_url)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await until(pilot, lambda: app.panes_ready, "the panes")
        await pilot.press("ctrl+p")
        await type_text(pilot, thread.thread_id[-8:])
        await until(pilot, lambda: f"Open thread {thread.thread_id}" in palette_text(app),
                    "the palette's hit")
        await pilot.press("enter")
        await until(pilot, lambda: app.context.thread_id == thread.thread_id, "the thread opened")
        assert app.threads.selected is not None
        assert app.threads.selected.thread_id == thread.thread_id


async def test_the_palette_says_when_no_thread_has_the_id(server_url: str) -> None:
    part = uuid.uuid4().hex[:8]
    app = make_app(server_url)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await pilot.press("ctrl+p")
        await type_text(pilot, part)
        await until(pilot, lambda: f"No thread id starts or ends with '{part}'"
                    in palette_text(app), "the palette's answer")


def palette_text(app: ThreadloomApp) -> str:
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found:
        return ""
    options = found.first()
    return "\n".join(str(options.get_option_at_index(i).prompt)
                     for i in range(options.option_count))
