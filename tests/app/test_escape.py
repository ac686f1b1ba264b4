"""The one Esc rule, driven with keys in the whole app against the real Agent Server: Esc leaves
the innermost thing first (a field, the find bar, a modal), and only then un-zooms — one press
never does both."""

from __future__ import annotations

from textual.widgets import Input

from tests.app.editor_support import graph_ready, real_app, type_text, wait_for
from tests.app.test_shell import loaded, notes
from tests.scripts import GREETING, TOOL_CALL, meta
from tui.app.app import ThreadloomApp
from tui.app.viewer.find import FindBar
from tui.deployment import DeploymentClient

SIZE = (160, 48)


async def test_esc_in_a_zoomed_editor_leaves_the_field_then_unzooms(server_url: str) -> None:
    app = real_app(server_url)
    async with app.run_test(size=SIZE) as pilot:
        editor = await graph_ready(pilot)
        await pilot.press("2", "z")
        pane = app.query_one("#editor-pane")
        assert app.screen.maximized is pane
        await pilot.press("A", "enter")  # a superstep, and its as_node field
        await type_text(pilot, "__input__")
        field = app.focused
        assert isinstance(field, Input) and field.value == "__input__"
        await pilot.press("escape")
        await pilot.pause()
        assert editor.outline.has_focus  # back to the outline …
        assert app.screen.maximized is pane  # … and still zoomed
        await pilot.press("A")  # the next key is a command again, not text in the field
        await pilot.pause()
        assert len(editor.script.supersteps) == 2
        assert editor.script.update_at(0, 0).as_node == "__input__"  # not "A"
        await pilot.press("escape")  # nothing left to leave: now it un-zooms
        await pilot.pause()
        assert app.screen.maximized is None
        assert editor.outline.has_focus


async def test_esc_closes_the_find_bar_after_enter_and_it_stays_with_its_thread(
    server_url: str, client: DeploymentClient
) -> None:
    other = await client.threads.create(metadata=meta(), supersteps=TOOL_CALL)
    shown = await client.threads.create(metadata=meta(), supersteps=GREETING)
    app = real_app(server_url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app), what="the first page")
        app.select_thread(shown.thread_id)
        await wait_for(pilot, lambda: app.viewer.data is not None
                       and app.viewer.thread_id == shown.thread_id, what="the thread")
        bar = app.viewer.query_one(FindBar)
        await pilot.press("3", "z", "slash", *"assist", "enter")
        await wait_for(pilot, lambda: "1 of 1" in str(bar.query_one(".find-bar--count")
                                                     .render()), what="the hit")
        assert bar.is_open and not bar.has_focus_within  # enter went to the hit
        await pilot.press("escape")
        await pilot.pause()
        assert not bar.is_open  # the bar was the innermost thing …
        assert app.screen.maximized is app.query_one("#viewer-pane")  # … so no un-zoom
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.maximized is None
        # A find bar left open does not follow to another thread: its query was about this one.
        await pilot.press("slash", *"hello", "enter")
        assert bar.is_open
        app.select_thread(other.thread_id)
        await wait_for(pilot, lambda: app.viewer.thread_id == other.thread_id, what="the other")
        assert not bar.is_open


async def test_esc_in_the_thread_list_with_nothing_loading_just_unzooms(
    server_url: str,
) -> None:
    app: ThreadloomApp = real_app(server_url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: loaded(app), what="the first page")
        await pilot.press("z")
        assert app.screen.maximized is app.threads
        await pilot.press("slash")
        assert app.focused is app.threads.filter_bar.input
        await pilot.press("escape")  # leaves the search field, still zoomed
        await pilot.pause()
        assert app.focused is app.threads.table and app.screen.maximized is app.threads
        await pilot.press("n")  # a modal is innermost: Esc closes it and nothing else
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CreateThreadModal",
                       what="the modal")
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "Screen", what="no modal")
        assert app.screen.maximized is app.threads
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.maximized is None
        assert not any("Stopped loading" in n for n in notes(app))  # nothing was loading
