"""The state viewer's parts on recorded data (no server): history facts, the lazy tree, find,
copy, the fork and export dialogs, key bindings, and hostile text with notifications on."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding

from tests.app.viewer_harness import (
    SIZE,
    ViewerApp,
    fixture_models,
    recorded_app,
    wait_until,
)
from tests.support import screen_text, type_text
from tui.app.shared.chat import ChatView
from tui.app.shared.json_editor import JsonEditor
from tui.app.viewer import StateViewer
from tui.app.viewer.actions import default_node
from tui.app.viewer.export import RangeExportRequest, RangeExportScreen
from tui.app.viewer.export_flow import export_defaults, save
from tui.app.viewer.find import SEARCH_DELAY, FindBar
from tui.app.viewer.fork import (
    ForkRequest,
    ForkScreen,
    describe_delta,
    node_choices,
    sendable,
)
from tui.app.viewer.history import HistoryTable
from tui.app.viewer.json_view import JsonView, colour_json_line
from tui.app.viewer.model import (
    ViewerData,
    format_time,
    tail_id,
)
from tui.app.viewer.values_tree import ValuesTree, jq_path
from tui.app.viewer.viewer import history_page_size
from tui.deployment import Thread, ThreadState
from tui.safe import is_safe
from tui.supersteps.diff import delta_update
from tui.supersteps.files import load_script


def data_of(name: str) -> ViewerData:
    thread, state, history, _ = fixture_models(name)
    return ViewerData(thread, state, history, history_loaded=True)


# ---------------------------------------------------------------- history facts


def test_which_node_wrote_each_checkpoint() -> None:
    data = data_of("tool_call")
    assert [data.writer(entry) for entry in data.history] == [
        "call_model", "tools", "call_model", "__start__", "input"]
    assert len(data.lineage_ids()) == 5
    assert data.state is not None and data.state is not data.history[0]
    assert data.writer(data.state) == "call_model"  # the same checkpoint, fetched as /state
    interrupted = data_of("interrupted")
    assert [interrupted.writer(e) for e in interrupted.history] == [
        "call_model", "__start__", "input"]
    partial = ViewerData(None, None, data.history[:2], has_more=True)
    assert partial.writer(partial.history[1]) == "…"  # its parent is on the next page


def test_time_and_id_formats() -> None:
    moment = datetime(2026, 11, 25, 10, 1, 59, tzinfo=UTC)
    assert format_time(moment, datetime(2026, 11, 25, 23, 0, tzinfo=UTC)) == "10:01:59"
    assert format_time(moment, datetime(2026, 1, 2, tzinfo=UTC)) == "11-25 10:01"
    assert format_time(moment, datetime(2027, 1, 2, tzinfo=UTC)) == "2026-11-25 10:01"
    assert format_time(None, None) == "—"
    assert tail_id("1f1e8b74-12be-60ce-8001-b909f73887bf") == "…f73887bf"


def test_history_pages_are_smaller_for_big_states() -> None:
    small = ThreadState(values={"messages": [{}] * 10})
    big = ThreadState(values={"messages": [{}] * 10_000})
    assert history_page_size(small) == 50
    assert history_page_size(big) == 5
    assert history_page_size(None) == 50


# ---------------------------------------------------------------- the values tree


def big_state(count: int) -> tuple[Thread, ThreadState]:
    thread = Thread(thread_id="t-big", metadata={"graph_id": "agent"}, status="idle")
    values = {"items": [{"n": i, "text": f"item {i}"} for i in range(count)],
              "note": "line one\n" + "long " * 40}
    state = ThreadState(values=values, checkpoint={"checkpoint_id": "c1"})
    return thread, state


async def test_tree_builds_children_a_page_at_a_time() -> None:
    thread, state = big_state(1000)
    app = ViewerApp(on_ready=lambda v: v.show_data(thread, state, [state]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        tree = app.viewer.values_tree
        tree.focus()
        await pilot.press("down", "space")  # open "items"
        await wait_until(pilot, lambda: "[0] {2 keys}" in screen_text(app), what="the items")
        text = screen_text(app)
        assert "items: [1,000 items]" in text
        assert "[0] {2 keys}" in text
        assert len(tree._tree_nodes) < 110
        gap = tree.root.children[0].children[-1]
        assert str(gap.label) == "… 900 more  (enter shows the next 100)"
        tree.move_cursor(gap)
        await wait_until(pilot, lambda: "… 900 more  (enter shows the next 100)"
                         in screen_text(app), what="the gap")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "[100] {2 keys}" in screen_text(app),
                         what="the next 100")
        assert str(tree.root.children[0].children[-1].label).startswith("… 800 more")
        node = tree.reveal(("items", 750, "text"))
        assert node is not None and node.data is not None
        assert node.data.value == "item 750"
        labels = [str(child.label) for child in tree.root.children[0].children]
        assert any("more" in label for label in labels)  # still paged around 750
        assert len(tree._tree_nodes) < 400


async def test_long_strings_fold_and_copy_value_and_path() -> None:
    thread, state = big_state(3)
    app = ViewerApp(on_ready=lambda v: v.show_data(thread, state, [state]))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("t")
        tree = app.viewer.values_tree
        tree.focus()
        node = tree.reveal(("note",))
        assert node is not None
        assert "(209 chars, 2 lines)" in str(node.label)
        tree.move_cursor(node)
        await pilot.press("space")
        await wait_until(pilot, lambda: "line one" in screen_text(app), what="the folded note")
        await pilot.press("c", "p")
        assert app.copied[-2] == state.values["note"]
        assert app.copied[-1] == ".note"
        item = tree.reveal(("items", 2))
        assert item is not None
        tree.move_cursor(item)
        await pilot.press("c")
        assert app.copied[-1] == '{\n  "n": 2,\n  "text": "item 2"\n}'


def test_jq_paths() -> None:
    assert jq_path(()) == "."
    assert jq_path(("messages", 0, "content")) == ".messages[0].content"
    assert jq_path(("a b",)) == '.["a b"]'


async def test_hostile_keys_copy_with_notifications_on() -> None:
    def ready(viewer: StateViewer) -> None:
        viewer.action_view("tree")
        node = viewer.values_tree.reveal(("messages", 2, "additional_kwargs", "[bold]odd key[/]"))
        assert node is not None
        viewer.values_tree.move_cursor(node)
        viewer.values_tree.focus()

    thread, state, history, _ = fixture_models("hostile")
    app = ViewerApp(on_ready=lambda v: (v.show_data(thread, state, history), ready(v)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("p", "c")
        await pilot.pause()
        assert app.copied == ['.messages[2].additional_kwargs["[bold]odd key[/]"]',
                              "\x1b]0;title\x07"]
        text = screen_text(app)
        assert "Copied the path" in text and "Copied the value at" in text
        assert is_safe(text)
        assert app.is_running


async def test_hostile_thread_in_every_view_is_literal_and_safe() -> None:
    app = recorded_app("hostile")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        for key in ("m", "t", "j", "d"):
            await pilot.press(key)
            await pilot.pause()  # the screen painted after the key, before reading it
            text = screen_text(app)
            assert is_safe(text), key
        await pilot.press("m")
        await wait_until(pilot, lambda: "[@click=app.quit]boom[/]" in screen_text(app),
                         what="the chat")
        await pilot.press("h", "down", "down")
        await wait_until(pilot, lambda: "[bold red]x[/] · [/] · [@click=app.quit]boom[/]"
                         in screen_text(app), what="the history row")
        assert app.is_running


# ---------------------------------------------------------------- find


async def test_find_in_the_tree_opens_the_path_to_each_hit() -> None:
    app = recorded_app("tool_call", view="tree")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"calculator", "enter")
        tree = app.viewer.values_tree
        node = tree.cursor_node
        assert node is not None and node.data is not None
        assert jq_path(node.data.path) == ".messages[1].tool_calls[0].name"
        await wait_until(pilot, lambda: "1 of 2 · .messages[1].tool_calls[0].name"
                         in screen_text(app), what="the first hit")
        await pilot.press("n")
        node = tree.cursor_node
        assert node is not None and node.data is not None
        assert jq_path(node.data.path) == ".messages[2].name"
        await wait_until(pilot, lambda: "2 of 2" in screen_text(app), what="the second hit")
        await pilot.press("N")
        await wait_until(pilot, lambda: "1 of 2" in screen_text(app), what="the first hit")


async def test_find_in_json_and_chat_and_closing_clears_it() -> None:
    app = recorded_app("tool_call", view="json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"result", "enter")
        await wait_until(pilot, lambda: "1 of 1 · line" in screen_text(app), what="the hit")
        await pilot.press("m")  # switching views searches the new view
        bar = app.query_one(FindBar)
        assert bar.is_open
        # "└ result" under the call, "The result is 42."
        await wait_until(pilot, lambda: "2 hits" in screen_text(app), what="the new view's hits")
        await pilot.press("slash", "escape")
        assert not bar.is_open
        assert app.viewer.chat.find_position() == (0, 0)


async def test_closing_the_find_bar_leaves_no_search_behind() -> None:
    """Esc right after typing: nothing is searched once the bar is closed. A search still
    queued (or one queued by clearing the field) ran ``SEARCH_DELAY`` later on a viewer that
    may be going: at exit it crashed the app looking for its views (seen once in the suite)."""
    app = recorded_app("tool_call", view="json")
    async with app.run_test(size=SIZE) as pilot:
        bar = app.query_one(FindBar)
        searched: list[str] = []
        search = bar.finder.search
        bar.finder.search = (  # type: ignore[method-assign]
            lambda query: searched.append(query) or search(query))
        await pilot.press("slash", *"result", "escape")
        assert not bar.is_open
        searched.clear()  # what ran while the bar was open
        await pilot.pause(SEARCH_DELAY * 3)
        assert searched == []


async def test_a_search_typed_as_the_views_go_finds_nothing_and_breaks_nothing() -> None:
    """The app quits while the user types in the find bar: the views can be gone before the
    bar, and the search typed ``SEARCH_DELAY`` earlier then has nothing to look in."""
    app = recorded_app("tool_call", view="json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"result")
        await app.viewer.query_one("#viewer-tree").remove()  # as the shutdown does, first
        await pilot.pause(SEARCH_DELAY * 3)
        assert app.is_running and app.query_one(FindBar).is_open


# ---------------------------------------------------------------- history and views


async def test_latest_and_view_cycling() -> None:
    app = recorded_app("greeting", view="chat")
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.viewer
        await pilot.press("h", "down", "down")
        assert viewer.viewing is not None and viewer.viewing.step == -1
        await wait_until(pilot, lambda: "(l: back to latest)" in screen_text(app),
                         what="the viewing line")
        await pilot.press("l")
        assert viewer.viewing is not None and viewer.viewing.step == 1
        viewer.chat.focus()
        views = []
        for _ in range(4):
            await pilot.press("v")
            views.append(viewer.view)
        assert views == ["tree", "json", "diff", "chat"]
        tabs = app.query_one("#viewer-tabs")
        json_tab = next(start for name, start, _ in tabs.spans() if name == "json")
        await pilot.click("#viewer-tabs", offset=(json_tab + 1, 0))
        assert viewer.view == "json"


async def test_empty_thread_and_no_connection() -> None:
    app = recorded_app("empty")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        text = screen_text(app)
        assert "No checkpoint: the thread has no state yet." in text
        assert "no checkpoints" in text
        await pilot.press("t")
        await wait_until(pilot, lambda: "No state." in screen_text(app), what="the tree")
        await pilot.press("f")
        await wait_until(pilot, lambda: "Open a thread with a checkpoint first."
                         in screen_text(app), what="the toast")
        app.viewer.show_thread("some-thread")
        await pilot.pause()
        assert "Not connected to a deployment." in screen_text(app)
        app.viewer.show_thread(None)
        await pilot.pause()
        assert "Select a thread to see its state." in screen_text(app)


async def test_interrupt_payload_is_shown_beside_the_views() -> None:
    app = recorded_app("interrupted")
    async with app.run_test(size=SIZE):
        text = screen_text(app)
        assert "Interrupts (1)" in text
        assert '"question": "Send an email to x@y.z?"' in text
        assert "human_review  interrupted" in text


async def test_palette_extras_copy_ids() -> None:
    app = recorded_app("greeting")
    async with app.run_test(size=SIZE):
        commands = list(app.viewer.palette_commands())
        assert [c.title for c in commands] == ["State: copy the thread id",
                                               "State: copy the checkpoint id"]
        commands[0].callback()
        commands[1].callback()
        data = app.viewer.data
        assert data is not None and data.state is not None
        assert app.copied == [data.thread_id, data.state.checkpoint_id]


@pytest.mark.parametrize("widget", [StateViewer, ChatView, ValuesTree, JsonView, HistoryTable,
                                    FindBar, JsonEditor, ForkScreen, RangeExportScreen])
def test_every_binding_has_an_id_a_label_and_a_tooltip(widget: type) -> None:
    own = [b for b in widget.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
    assert own
    for binding in own:
        assert binding.id and binding.description and binding.tooltip, binding


# ---------------------------------------------------------------- fork


def test_fork_choices_and_what_is_sent() -> None:
    assert node_choices(["call_model", "tools"], "call_model") == [
        "call_model", "tools", "__start__", "__input__", "__end__", "__copy__"]
    data = data_of("tool_call")
    step_1 = data.history[2]
    assert default_node(data, step_1, ["call_model", "tools"]) == "call_model"
    assert default_node(data, data.history[4], ["call_model"]) == "__start__"
    before = step_1.values
    after = {**before, "messages": [*before["messages"][:1],
                                    {**before["messages"][1], "content": "changed"}]}
    delta = delta_update(before, after)
    sent = sendable(delta)
    assert [m["content"] for m in sent["messages"]] == ["changed"]
    assert "invalid_tool_calls" not in sent["messages"][0]  # output-only keys are dropped
    assert "messages: 1 new or edited, 0 removed" in describe_delta(delta).plain


async def test_fork_dialog_builds_messages_and_refuses_empty_forks() -> None:
    _, state, _, _ = fixture_models("greeting")
    results: list[ForkRequest | None] = []

    def ready(viewer: StateViewer) -> None:
        screen = ForkScreen(state.values, title="Fork", node_names=["call_model"],
                            default_node="call_model")
        viewer.app.push_screen(screen, results.append)

    app = ViewerApp(on_ready=ready)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Nothing to send" in screen_text(app), what="the note")
        await pilot.press("h")  # the message builder: add a human message after the last
        await wait_until(pilot, lambda: app.screen.query("#message-content"), what="dialog")
        await type_text(pilot, "[/] next question")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ForkScreen), what="the fork")
        assert "messages: 1 new or edited, 0 removed" in screen_text(app)
        editor = app.screen.query_one(JsonEditor)
        assert editor.value["messages"][-1] == {"type": "human", "content": "[/] next question"}
        await pilot.press("ctrl+s")
        await pilot.pause()
    request = results[-1]
    assert request is not None and request.as_node == "call_model"
    assert request.values == {"messages": [{"type": "human", "content": "[/] next question"}]}
    assert not request.copy_first


async def test_fork_dialog_copy_node_and_cancel() -> None:
    _, state, _, _ = fixture_models("greeting")
    results: list[ForkRequest | None] = []

    def ready(viewer: StateViewer) -> None:
        screen = ForkScreen(state.values, title="Fork", node_names=[], default_node="__copy__")
        viewer.app.push_screen(screen, results.append)
        viewer.app.push_screen(ForkScreen(state.values, title="Fork", node_names=[],
                                          default_node=None), results.append)

    app = ViewerApp(on_ready=ready)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert results == [None, ForkRequest(None, "__copy__", False)]


# ---------------------------------------------------------------- export


def test_export_range_defaults_to_the_marks() -> None:
    lineage = [{"checkpoint_id": c} for c in ("a", "b", "c", "d")]
    assert export_defaults(lineage, {}) == (0, 3)
    assert export_defaults(lineage, {"a": "c", "b": "b"}) == (1, 2)
    assert export_defaults(lineage, {"a": "zzz", "b": "b"}) == (0, 3)


async def test_export_dialog_checks_the_range_and_existing_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A short relative path: the note names the file, and a long absolute tmp_path (its
    # length depends on the machine) wraps the note across lines of the dialog.
    monkeypatch.chdir(tmp_path)
    existing = Path("there.json")
    existing.write_text("{}")
    results: list[RangeExportRequest | None] = []

    def ready(viewer: StateViewer) -> None:
        screen = RangeExportScreen(["step -1", "step 0", "step 1"], start=2, end=0,
                              default_path=str(existing), title="Export")
        viewer.app.push_screen(screen, results.append)

    app = ViewerApp(on_ready=ready)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "“from” must not come after “to”." in screen_text(app),
                         what="the range note")
        screen = app.screen
        assert isinstance(screen, RangeExportScreen)
        screen.query_one("#export-start").value = 0  # type: ignore[attr-defined]
        screen.query_one("#export-end").value = 2  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_until(pilot, lambda: "there.json exists: save again to replace it."
                         in screen_text(app), what="the overwrite note")
        await pilot.press("enter")
        await pilot.pause()
    assert results == [RangeExportRequest(0, 2, existing.absolute(), True)]


async def test_saving_an_export_writes_a_script(tmp_path: Path) -> None:
    app = recorded_app("tool_call")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        viewer = app.viewer
        assert viewer.data is not None
        target = tmp_path / "out" / "script.json"
        written = save(viewer, viewer.data, viewer.data.checkpoint_dicts(),
                       RangeExportRequest(0, 4, target, True))
        assert written == target
        await wait_until(pilot, lambda: "Saved 5 supersteps" in screen_text(app))
        script = load_script(target)
        assert [u.as_node for s in script.supersteps for u in s.updates] == [
            "__input__", "__start__", "call_model", "tools", "call_model"]
        assert save(viewer, viewer.data, viewer.data.checkpoint_dicts(),
                    RangeExportRequest(0, 4, tmp_path, True)) is None  # a directory
        assert app.errors and app.errors[-1][0].startswith("Writing")


def test_json_lines_are_coloured_and_sanitized() -> None:
    text = colour_json_line('  "[b]k[/b]": "\x9b\x1b[2J", "n": 1.5e3, "t": true')
    assert text.plain == '  "[b]k[/b]": "\\x9b␛[2J", "n": 1.5e3, "t": true'
    assert is_safe(text.plain)
    assert len(text.spans) >= 6


def forked(sibling: ThreadState, **changes: Any) -> ThreadState:
    """A later checkpoint with the same parent as ``sibling``, as update_state makes."""
    body = sibling.model_dump(mode="json")
    body.update(checkpoint={"checkpoint_id": "fork-1", "checkpoint_ns": ""},
                checkpoint_id="fork-1", created_at="2030-01-01T00:00:00+00:00", **changes)
    return ThreadState.model_validate(body)


def test_a_fork_is_not_credited_to_the_original_branch_writer() -> None:
    data = data_of("tool_call")
    step_2 = data.history[1]
    fork = forked(step_2)
    data.history.insert(0, fork)
    assert data.writer(step_2) == "tools"  # the original child of step 1
    assert data.writer(fork) == "update (fork)"


async def test_exporting_across_a_fork_without_a_connection_refuses_unless_lossy(
    tmp_path: Path,
) -> None:
    app = recorded_app("tool_call")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        viewer = app.viewer
        data = viewer.data
        assert data is not None
        step_1 = data.history[2]
        fork = forked(data.history[1], values=step_1.values)
        data.history.insert(0, fork)  # the newest: its branch is the one exported
        checkpoints = data.checkpoint_dicts()
        target = tmp_path / "s.json"

        assert save(viewer, data, checkpoints, RangeExportRequest(0, 3, target, True)) is None
        await wait_until(pilot, lambda: "Not exported" in screen_text(app))
        assert "Nothing was written" in screen_text(app) and not target.exists()

        assert save(viewer, data, checkpoints,
                    RangeExportRequest(0, 3, target, True, lossy=True)) == target
        await wait_until(pilot, lambda: "The replay will differ" in screen_text(app))
        assert target.exists()


def _tree_hit_texts(tree: Any) -> list[str]:
    """The text the values tree draws on a hit's colours, as the terminal gets it."""
    from textual.geometry import Region

    from tui.app.viewer.lines import CURRENT_HIT, HIT

    hit_colours = {HIT.bgcolor, CURRENT_HIT.bgcolor}
    return [segment.text for strip in tree.render_lines(Region(0, 0, *tree.size))
            for segment in strip if segment.style and segment.style.bgcolor in hit_colours]


async def test_the_tree_draws_the_hits_as_they_are_typed_and_no_more_once_cleared() -> None:
    """Typed in the find bar (no Enter: the cursor stays), the hits are drawn on the labels
    already on screen; with the field cleared, they are drawn no more."""
    app = recorded_app("tool_call", view="tree")
    async with app.run_test(size=SIZE) as pilot:
        tree = app.viewer.values_tree
        await pilot.press("slash", *"messages")
        await wait_until(pilot, lambda: "messages" in _tree_hit_texts(tree),
                         what="the hit drawn on the label")
        await pilot.press(*["backspace"] * len("messages"))
        await wait_until(pilot, lambda: _tree_hit_texts(tree) == [],
                         what="the labels drawn without it")
