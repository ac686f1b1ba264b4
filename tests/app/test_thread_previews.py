"""A copied thread's row shows its last message like any other, after a refresh too, although
the server's record of a copy holds no values (its /state does): the app against the real
Agent Server."""

from __future__ import annotations

from typing import Any

import pytest

from tests.app.test_thread_list import cell_text, loaded, make_app, search, shown_ids, until
from tests.scripts import GREETING, meta, suite_marker
from tui.deployment import DeploymentClient
from tui.deployment.threads import Threads


async def test_a_copy_shows_the_last_message_after_a_refresh(
    server_url: str, client: DeploymentClient, sdk: Any
) -> None:
    suite = suite_marker()
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
    server_url: str, client: DeploymentClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite = suite_marker()
    empty = await client.threads.create(metadata=meta(suite=suite))
    reads: list[str] = []
    real = Threads.get_state

    async def counting(self: Threads, thread_id: str, **options: Any) -> Any:
        reads.append(thread_id)
        return await real(self, thread_id, **options)

    monkeypatch.setattr(Threads, "get_state", counting)  # the real call, counted
    app = make_app(server_url)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await search(pilot, f"suite={suite}")
        await until(pilot, lambda: empty.thread_id in reads, "the empty thread's state read")
        await until(pilot, lambda: not any(w.is_running for w in app.workers
                                           if w.group == "threads-previews"), "the reads")
        assert reads.count(empty.thread_id) == 1
        await pilot.press("r")
        await until(pilot, lambda: loaded(app) and not app.threads.pager.refreshing, "the refresh")
        await pilot.pause(0.3)
        assert reads.count(empty.thread_id) == 1
        assert cell_text(app, 0, 5) == ""
