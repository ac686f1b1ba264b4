"""Snapshots of the superstep editor at a fixed size: the graph and its nodes come from the real
test server (the demo graph: always the same), the URL shown is ``DISPLAY_URL``, tool call ids
are fixed, no cursor blinks and no toast is left on screen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from tests.app.editor_support import EditorHost, graph_ready, still, wait_for
from tests.scripts import GREETING, TOOL_CALL, meta
from tui.app.editor import SuperstepEditor
from tui.app.editor.code_view import CodeScreen
from tui.app.shared.message_builder import MessageDialog
from tui.supersteps.model import Script

SIZE = (120, 34)

Setup = Callable[[Pilot[Any], SuperstepEditor], Awaitable[None]]


def shot(setup: Setup | None = None) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        editor = await graph_ready(pilot)
        editor.outline.focus()
        if setup is not None:
            await setup(pilot, editor)
        await pilot.pause()
        still(pilot.app)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def load(body: list[dict[str, Any]], select: tuple[int | None, int | None]) -> Setup:
    async def setup(pilot: Pilot[Any], editor: SuperstepEditor) -> None:
        editor.load(Script.from_body({"metadata": meta(), "supersteps": body}))
        await pilot.pause()
        editor.outline.select_address(select)
        await wait_for(pilot, lambda: editor.address == select)

    return setup


def test_empty_editor(snap_compare: Any, server_url: str) -> None:
    assert snap_compare(EditorHost(server_url), terminal_size=SIZE, run_before=shot())


def test_the_seed_greeting(snap_compare: Any, server_url: str) -> None:
    assert snap_compare(EditorHost(server_url), terminal_size=SIZE,
                        run_before=shot(load(GREETING, (2, 0))))


def test_a_validation_error_pinned_in_the_outline(snap_compare: Any, server_url: str) -> None:
    broken = [GREETING[0], GREETING[1],
              {"updates": [{**GREETING[2]["updates"][0], "as_node": "call_modle"}]}]
    assert snap_compare(EditorHost(server_url), terminal_size=SIZE,
                        run_before=shot(load(broken, (2, 0))))


def test_the_message_builder_with_a_tool_call(snap_compare: Any, server_url: str) -> None:
    async def setup(pilot: Pilot[Any], editor: SuperstepEditor) -> None:
        await load(TOOL_CALL, (2, 0))(pilot, editor)
        await pilot.press("m", "e")  # the AI message with its calculator call
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, MessageDialog))

    assert snap_compare(EditorHost(server_url), terminal_size=SIZE, run_before=shot(setup))


def _code(tab: str) -> Setup:
    async def setup(pilot: Pilot[Any], editor: SuperstepEditor) -> None:
        await load(GREETING, (2, 0))(pilot, editor)
        await pilot.press("x")
        screen = pilot.app.screen
        assert isinstance(screen, CodeScreen)
        screen.show_tab(tab)

    return setup


def test_code_view_curl(snap_compare: Any, server_url: str) -> None:
    assert snap_compare(EditorHost(server_url), terminal_size=SIZE,
                        run_before=shot(_code("curl")))


def test_code_view_python(snap_compare: Any, server_url: str) -> None:
    assert snap_compare(EditorHost(server_url), terminal_size=SIZE,
                        run_before=shot(_code("python")))


def test_code_view_javascript(snap_compare: Any, server_url: str) -> None:
    assert snap_compare(EditorHost(server_url), terminal_size=SIZE,
                        run_before=shot(_code("js")))
