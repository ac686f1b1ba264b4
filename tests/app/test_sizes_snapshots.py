"""Every pane of the whole app at 100x30, 160x48 and 240x70: the layout adapts (the list as
tall as its rows, the preview column as wide as the room left, a compact form on a short or
slim screen), and every screen stays usable without zooming.

Deterministic: a server of this module's own holds three threads with fixed ids (the greeting,
the tool call, a run stopped at the approval interrupt), the app shows ``http://127.0.0.1:2024``
(PortRewrite), the clock is frozen just after the seeding (every time reads "just now"), and
the state viewer shows the recorded copy of the interrupted thread (``viewer_interrupted.json``,
the same run), so no checkpoint id or time of this run's server reaches the screen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from tests.app.editor_support import still
from tests.app.viewer_harness import fixture_models
from tests.scripts import GREETING, TOOL_CALL, meta
from tests.support import DISPLAY_URL, PortRewrite, fixed_id, until
from tests.support import quiet as settled
from tui import demo
from tui.app.app import ThreadloomApp
from tui.app.editor import SuperstepEditor
from tui.app.threads.thread_rows import FIXED_WIDTH
from tui.config import ConnectionSpec, Settings
from tui.demo.server import LocalServer

SCRIPTS = Path(demo.__file__).parent / "scripts"
SIZES = [(100, 30), (160, 48), (240, 70)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
INTERRUPTED = fixed_id("viewer/interrupted")


@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[str, datetime]]:
    """The module's server and a clock a few seconds after its newest change."""
    local = LocalServer().start()
    try:
        with httpx.Client(base_url=local.url, timeout=60) as http:
            for name, steps in (("viewer/tool_call", TOOL_CALL), ("viewer/greeting", GREETING)):
                http.post("/threads", json={"thread_id": fixed_id(name), "metadata": meta(),
                                            "supersteps": steps}).raise_for_status()
            http.post("/threads", json={"thread_id": INTERRUPTED,
                                        "metadata": meta()}).raise_for_status()
            http.post(f"/threads/{INTERRUPTED}/runs/wait", json={
                "assistant_id": "agent",
                "input": {"messages": [{"type": "human", "content": "send an email to x@y.z"}]},
            }).raise_for_status()
        yield local.url, datetime.now(UTC) + timedelta(seconds=5)
    finally:
        local.stop()


def make_app(seeded: tuple[str, datetime], **kwargs: Any) -> ThreadloomApp:
    url, now = seeded
    return ThreadloomApp(ConnectionSpec(url=DISPLAY_URL), settings=Settings(),
                         clock=lambda: now, transport=PortRewrite(url), **kwargs)


async def quiet(pilot: Pilot[Any], timeout: float = 20) -> None:
    await settled(pilot, timeout)
    still(pilot.app)
    pilot.app.clear_notifications()  # toasts time out: what stays is the screen itself
    await pilot.pause(0.2)


async def loaded(pilot: Pilot[Any]) -> ThreadloomApp:
    app = pilot.app
    assert isinstance(app, ThreadloomApp)
    await until(pilot, lambda: app.connection.state == "connected" and app.panes_ready
                and not app.threads.pager.fetching and app.threads.total == 3, "the first page")
    await quiet(pilot)
    return app


async def on_the_interrupted_thread(pilot: Pilot[Any], view: str) -> ThreadloomApp:
    """The interrupted thread open (its run panel from the server, the viewer recorded)."""
    app = await loaded(pilot)
    await pilot.press("end")  # the list's last row: the oldest thread, the interrupted one
    app.select_thread(INTERRUPTED)
    await until(pilot, lambda: app.viewer.data is not None
                and app.runs.thread_id == INTERRUPTED, "the thread")
    await quiet(pilot)
    thread, state, history, _ = fixture_models("interrupted")
    app.viewer.show_data(thread, state, history)
    app.viewer.action_view(view)
    await pilot.press("3")
    app.viewer.current_view().focus()
    await quiet(pilot)
    return app


async def threads(pilot: Pilot[Any]) -> None:
    await loaded(pilot)


async def editor(pilot: Pilot[Any]) -> None:
    app = await loaded(pilot)
    editor = app.main_screen.query_one("#editor", SuperstepEditor)
    await until(pilot, lambda: editor.script.supersteps, "the script")
    await pilot.press("2", "end")  # the last row: the greeting's call_model update
    await quiet(pilot)


async def chat(pilot: Pilot[Any]) -> None:
    await on_the_interrupted_thread(pilot, "chat")


async def values(pilot: Pilot[Any]) -> None:
    await on_the_interrupted_thread(pilot, "tree")


async def history(pilot: Pilot[Any]) -> None:
    await on_the_interrupted_thread(pilot, "chat")
    await pilot.press("h")
    await quiet(pilot)


async def run_panel(pilot: Pilot[Any]) -> None:
    await on_the_interrupted_thread(pilot, "chat")
    await pilot.press("R")
    await quiet(pilot)


async def help_screen(pilot: Pilot[Any]) -> None:
    await loaded(pilot)
    await pilot.press("f1")
    await quiet(pilot)


async def create_modal(pilot: Pilot[Any]) -> None:
    await loaded(pilot)
    await pilot.press("n")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "CreateThreadModal", "modal")
    await quiet(pilot)


async def delete_modal(pilot: Pilot[Any]) -> None:
    await loaded(pilot)
    await pilot.press("d")
    await until(pilot, lambda: type(pilot.app.screen).__name__ != "Screen", "the question")
    await quiet(pilot)


SCREENS: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "threads": threads, "editor": editor, "chat": chat, "values": values, "history": history,
    "run_panel": run_panel, "help": help_screen, "create_modal": create_modal,
    "delete_modal": delete_modal,
}


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_pane_at_three_sizes(snap_compare: Any, seeded: tuple[str, datetime],
                                   screen: str, size: tuple[int, int],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SCRIPTS)  # the editor shows the script's path as given
    script = "greeting.json" if screen == "editor" else None
    assert snap_compare(make_app(seeded, script=script), terminal_size=size,
                        run_before=SCREENS[screen])


async def test_the_list_fits_its_rows_the_preview_its_width_and_end_goes_down(
    seeded: tuple[str, datetime],
) -> None:
    for width, height in SIZES:
        app = make_app(seeded)
        async with app.run_test(size=(width, height)) as pilot:
            await loaded(pilot)
            table = app.threads.table
            # Three threads: three rows and the list's frame, not 42% of the screen.
            assert app.threads.region.height == 3 + 5, (width, app.threads.region)
            # The preview column takes what the other columns leave, at every width: the
            # columns fill the table exactly (no blank band on the right, nothing cut off).
            widths = {c.key: c.width + 2 * table.cell_padding for c in table.columns}
            assert sum(widths.values()) == table.scrollable_content_region.width, widths
            # The list's border takes 2 columns; the preview's text the rest after the fixed
            # columns, plus its own padding of 2.
            assert widths["preview"] == (width - 2) - FIXED_WIDTH + 2, (width, widths)
            await pilot.press("end")  # the last row, not the last column
            assert table.cursor_row == 2
            await pilot.press("home")
            assert table.cursor_row == 0
