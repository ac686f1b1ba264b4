"""Snapshots of the state viewer, from threads recorded off the real server.

The data is ``tests/app/data/viewer_*.json`` (made by ``record_viewer_fixtures.py``), fed to
``StateViewer.show_data`` in a small host app at a fixed size with a frozen clock, so the
server's ids and timestamps cannot change the screens.
"""

from __future__ import annotations

from typing import Any

from tests.app.viewer_harness import SIZE, ViewerApp, fixture_models, recorded_app
from tui.app.viewer import StateViewer
from tui.app.viewer.fork import ForkScreen

NARROW = (96, 30)


def test_greeting_chat(snap_compare: Any) -> None:
    assert snap_compare(recorded_app("greeting", view="chat"), terminal_size=SIZE)


def test_greeting_values_tree(snap_compare: Any) -> None:
    assert snap_compare(recorded_app("greeting", view="tree"), terminal_size=SIZE)


def test_greeting_json(snap_compare: Any) -> None:
    assert snap_compare(recorded_app("greeting", view="json"), terminal_size=SIZE)


def test_tool_call_chat_shows_the_call_with_its_result(snap_compare: Any) -> None:
    assert snap_compare(recorded_app("tool_call", view="chat"), terminal_size=SIZE)


def test_tool_call_details_on_demand(snap_compare: Any) -> None:
    # down, down: the AI message with the tool call; enter: its ids and metadata.
    assert snap_compare(recorded_app("tool_call", view="chat"), terminal_size=SIZE,
                        press=["down", "enter"])


def test_empty_thread(snap_compare: Any) -> None:
    assert snap_compare(recorded_app("empty", view="tree"), terminal_size=SIZE)


def test_interrupted_thread_shows_the_interrupt_payload(snap_compare: Any) -> None:
    assert snap_compare(recorded_app("interrupted", view="chat"), terminal_size=SIZE)


def test_diff_between_step_1_and_step_3(snap_compare: Any) -> None:
    # h: to the history (newest first: 3, 2, 1, …); mark step 1 as A and step 3 as B; diff.
    app = recorded_app("tool_call")
    assert snap_compare(app, terminal_size=SIZE,
                        press=["h", "down", "down", "a", "up", "up", "b", "d"])


def test_diff_of_what_one_step_changed(snap_compare: Any) -> None:
    # No marks: d compares the shown checkpoint with its parent.
    app = recorded_app("greeting", setup=lambda viewer: viewer.action_diff())
    assert snap_compare(app, terminal_size=SIZE)


def test_hostile_values_chat(snap_compare: Any) -> None:
    assert snap_compare(recorded_app("hostile", view="chat"), terminal_size=SIZE,
                        press=["i"])


def test_hostile_values_tree(snap_compare: Any) -> None:
    def open_kwargs(viewer: StateViewer) -> None:
        node = viewer.values_tree.reveal(("messages", 2, "additional_kwargs"))
        assert node is not None
        node.expand()
        viewer.values_tree.reveal(("messages", 2, "tool_calls", 0, "args"))

    app = recorded_app("hostile", view="tree", setup=open_kwargs)
    assert snap_compare(app, terminal_size=SIZE)


def test_hostile_values_json(snap_compare: Any) -> None:
    assert snap_compare(recorded_app("hostile", view="json"), terminal_size=SIZE)


def test_narrow_pane_puts_history_and_state_below(snap_compare: Any) -> None:
    assert snap_compare(recorded_app("tool_call", view="chat"), terminal_size=NARROW)


def test_find_highlights_hits(snap_compare: Any) -> None:
    assert snap_compare(recorded_app("tool_call", view="json"), terminal_size=SIZE,
                        press=["slash", *"call", "enter", "n"])


def test_fork_dialog(snap_compare: Any) -> None:
    _, state, _, _ = fixture_models("greeting")

    def ready(viewer: StateViewer) -> None:
        screen = ForkScreen(state.values, title="Fork thread 2d3f… at step 1 · update",
                            node_names=["call_model", "human_review", "tools"],
                            default_node="call_model")
        viewer.app.push_screen(screen)

    async def edit(pilot: Any) -> None:
        editor = pilot.app.screen.editor
        values = dict(editor.value)
        messages = [dict(m) for m in values["messages"]]
        messages[1]["content"] = "Hi! Edited."
        editor.value = {**values, "messages": messages}
        editor.text_area.cursor_blink = False
        await pilot.pause()

    assert snap_compare(ViewerApp(on_ready=ready), terminal_size=SIZE, run_before=edit)
