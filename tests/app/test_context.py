"""The app context: what panes get from their app, and the connection they follow (no polling)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.app import App, ComposeResult
from textual.widget import Widget

from tests.support import DISPLAY_URL, FROZEN_NOW, said
from tui.app.context import AppContext, app_context
from tui.deployment import DeploymentClient


class Follower(Widget):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[DeploymentClient | None] = []

    def on_mount(self) -> None:
        app_context(self).on_connection(self, self.seen.append)


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.errors: list[str] = []
        self.selected: list[str] = []
        self.context = AppContext(self, clock=lambda: FROZEN_NOW,
                                  report=lambda exc, what: self.errors.append(f"{what}: {exc}"),
                                  select=self.selected.append)

    def compose(self) -> ComposeResult:
        yield Follower()


async def test_a_pane_follows_the_connection_as_it_is_published() -> None:
    app = Host()
    async with app.run_test() as pilot:
        follower = app.query_one(Follower)
        context = app_context(follower)
        assert context is app.context
        client = DeploymentClient(DISPLAY_URL)
        context.client = client
        await pilot.pause()
        context.client = None
        await pilot.pause()
        assert follower.seen == [client, None]
        await client.aclose()


async def test_the_context_reports_selects_and_tells_the_time() -> None:
    app = Host()
    async with app.run_test():
        context = app_context(app.query_one(Follower))
        assert context.now() == FROZEN_NOW
        context.report(ValueError("boom"), "Doing it")
        context.select_thread("t1")
        assert app.errors == ["Doing it: boom"] and app.selected == ["t1"]


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Widget()


async def test_a_host_without_a_context_gets_an_empty_one() -> None:
    app = Bare()
    async with app.run_test(notifications=True) as pilot:
        context = app_context(app.query_one(Widget))
        assert context is app_context(app)  # one per app
        assert context.client is None and context.spec is None and context.thread_id is None
        assert isinstance(context.now(), datetime)
        context.select_thread("t1")  # nothing to select it in: nothing happens
        context.report(ValueError("[b]boom[/b]"), "Doing it")
        await pilot.pause()
        notes: list[Any] = said(app)
        assert [n.message for n in notes] == ["Doing it: [b]boom[/b]"]


async def test_the_script_is_taken_once() -> None:
    app = Host()
    app.context.script = "script.json"
    async with app.run_test():
        assert app.context.take_script() == "script.json"
        assert app.context.take_script() is None
