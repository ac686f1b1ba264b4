"""A copied thread's row shows its last message like any other, after a refresh too, although
the server's record of a copy holds no values (its /state does): the app against the real
Agent Server."""

from __future__ import annotations

import uuid
from typing import Any

from tests.app.test_thread_list import cell_text, loaded, make_app, search, shown_ids, until
from tests.scripts import GREETING, meta
from tui.deployment import DeploymentClient


async def test_a_copy_shows_the_last_message_after_a_refresh(
    server_url: str, client: DeploymentClient, sdk: Any
) -> None:
    suite = uuid.uuid4().hex[:12]
    source = await client.threads.create(metadata=meta(suite=suite), supersteps=GREETING)
    copy = await sdk.threads.copy(source.thread_id)  # made elsewhere: the list sees it fresh
    assert "values" not in await sdk.threads.get(copy["thread_id"])  # the measured quirk
    app = make_app(server_url)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await search(pilot, f"suite={suite}")
        assert shown_ids(app) == [copy["thread_id"], source.thread_id]
        await until(pilot, lambda: cell_text(app, 0, 5) == "Hello! How can I assist you today?",
                    "the copy's preview")

        await pilot.press("r")
        await until(pilot, lambda: loaded(app) and not app.threads.pager.refreshing, "the refresh")
        await until(pilot, lambda: cell_text(app, 0, 5) == "Hello! How can I assist you today?",
                    "the copy's preview after the refresh")
        assert cell_text(app, 1, 5) == "Hello! How can I assist you today?"


async def test_an_empty_thread_is_read_once_not_at_every_refresh(
    server_url: str, client: DeploymentClient
) -> None:
    suite = uuid.uuid4().hex[:12]
    empty = await client.threads.create(metadata=meta(suite=suite))
    app = make_app(server_url)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await search(pilot, f"suite={suite}")
        await until(pilot, lambda: (empty.thread_id, app.threads.by_id[empty.thread_id]
                                    .updated_at) in app.threads._without_preview,
                    "the empty thread's state read")
        reads: list[str] = []
        real = app.client.threads.get_state  # type: ignore[union-attr]

        async def counting(thread_id: str, **options: Any) -> Any:
            reads.append(thread_id)
            return await real(thread_id, **options)

        app.client.threads.get_state = counting  # type: ignore[union-attr, method-assign]
        await pilot.press("r")
        await until(pilot, lambda: loaded(app) and not app.threads.pager.refreshing, "the refresh")
        await pilot.pause(0.3)
        assert empty.thread_id not in reads
        assert cell_text(app, 0, 5) == ""
