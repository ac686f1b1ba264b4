"""The run panel without a server: what it says (literal text), which assistant it picks, its
keys and modes, and that a run never writes into a chat showing something else."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tests.app.runs_harness import (
    AGENT,
    SIZE,
    RunsApp,
    events,
    panel_text,
    recording,
    show_before,
)
from tui.app.app import ThreadloomApp
from tui.app.runs import RUN_BINDINGS, sync
from tui.app.runs.status import interrupt_text, problem_text, status_line
from tui.deployment import Assistant
from tui.safe import is_safe
from tui.services.runs import default_assistant as _default_assistant
from tui.supersteps.stream import RunProgress
from tui.supersteps.stream_parts import PendingInterrupt

HOSTILE = "[bold red]x[/] [/] [@click=app.quit]boom[/] \x1b[31mred\x1b]0;title\x07"


def plain_of(text: Text) -> str:
    return text.plain


def test_status_line_before_any_run() -> None:
    idle = status_line(None, thread_status="idle", assistant="agent", following=False)
    assert plain_of(idle) == ("No run yet · enter runs agent on this thread · J joins a run "
                              "in progress")
    closed = status_line(None, thread_status=None, assistant=None, following=False,
                         thread_open=False)
    assert plain_of(closed) == ("Open a thread to continue its conversation here (R types a "
                                "message)")
    busy = status_line(None, thread_status="busy", assistant="agent", following=False)
    assert plain_of(busy) == "● A run is in progress on this thread · J joins it · X cancels it"


def test_status_line_of_a_live_and_a_finished_run() -> None:
    progress = RunProgress(run_id="01a21249-3f19-7237-ba35-f4204933c555", status="running",
                           node="call_model", tokens=3)
    assert plain_of(status_line(progress, thread_status="busy", assistant=None,
                                following=True)) == (
        "● running · node call_model · run 01a21249… · 3 tokens · X cancels")
    assert plain_of(status_line(progress, thread_status="busy", assistant=None,
                                following=False)).endswith("not followed: J joins it")
    progress.nodes_done = ["call_model", "tools"]
    progress.finish("success")
    assert plain_of(status_line(progress, thread_status="idle", assistant=None,
                                following=False)) == (
        "✓ success · run 01a21249… · 3 tokens · 2 nodes ran")


def test_deployment_text_in_the_panel_is_literal() -> None:
    progress = RunProgress(run_id=HOSTILE, status=HOSTILE, node=HOSTILE)
    line = status_line(progress, thread_status=None, assistant=HOSTILE, following=True)
    assert "[bold red]" in line.plain and is_safe(line.plain)
    problem = problem_text(f"The run failed: {HOSTILE}")
    assert problem.plain.startswith("⚠ The run failed: [bold red]x[/]") and is_safe(problem.plain)
    payload = interrupt_text([PendingInterrupt({HOSTILE: HOSTILE}, HOSTILE, HOSTILE),
                              PendingInterrupt(HOSTILE, "i2", "human_review")])
    assert "2 interrupts: resume with" in payload.plain
    assert f"id {HOSTILE[:10]}" in payload.plain.replace("\x1b", "␛")
    assert is_safe(payload.plain)


def test_a_long_payload_is_cut_with_a_pointer_to_the_state_pane() -> None:
    text = interrupt_text([PendingInterrupt({f"k{i}": i for i in range(20)}, "i", "n")])
    assert text.plain.count("\n") == 7  # heading, 6 lines, the pointer
    assert text.plain.endswith("… 14 more (see the state pane)")


def test_the_default_assistant_is_the_graph_s_own() -> None:
    mine = Assistant.model_validate({"assistant_id": "a2", "graph_id": "agent", "name": "mine",
                                     "metadata": {}})
    other = Assistant.model_validate({"assistant_id": "o1", "graph_id": "other",
                                      "metadata": {"created_by": "system"}})
    assert _default_assistant([other, mine, AGENT], "agent") == AGENT.assistant_id
    assert _default_assistant([other, mine], "agent") == "a2"
    assert _default_assistant([other, mine], "unknown") is None
    assert _default_assistant([other, mine], None) == "o1"


def test_the_app_wide_keys_follow_the_house_rules() -> None:
    ids = {b.id: b for b in RUN_BINDINGS}  # type: ignore[union-attr]
    assert set(ids) == {"runs.compose", "runs.cancel", "runs.join"}
    assert all(b.description and b.tooltip for b in ids.values())  # type: ignore[union-attr]
    assert [b.key for b in RUN_BINDINGS] == ["R", "X", "J"]  # type: ignore[union-attr]
    app_ids = {b.id for b in ThreadloomApp.BINDINGS}  # type: ignore[union-attr]
    assert set(ids) <= app_ids


async def test_modes_cycle_and_say_what_enter_sends() -> None:
    app = RunsApp(lambda app: app.runs.show_thread("t"))  # no client: nothing is fetched
    async with app.run_test(size=SIZE) as pilot:
        app.runs.action_focus_composer()
        await pilot.pause()
        seen = []
        for _ in range(3):
            seen.append((app.runs.mode, app.runs.input.placeholder.split(" ")[0]))
            await pilot.press("ctrl+t")
        assert seen == [("message", "A"), ("json", "Input"), ("resume", "Resume")]
        assert app.runs.mode == "message"
        await pilot.pause()
        assert "if busy reject (default)" in panel_text(app)  # shown while composing
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is app.viewer.chat
        assert "if busy" not in panel_text(app)


async def test_sending_without_a_connection_says_so_in_the_panel() -> None:
    app = RunsApp(lambda app: app.runs.show_thread("t"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("R")  # not bound in this host app: focus the composer directly
        app.runs.action_focus_composer()
        app.runs.input.value = "hello"
        await pilot.press("enter")
        await pilot.pause()
        assert "⚠ Open a thread of a connected deployment first." in panel_text(app)
        assert app.runs.input.value == "hello"


async def test_hostile_assistant_names_are_offered_literally() -> None:
    hostile = Assistant.model_validate({"assistant_id": "h1", "graph_id": "agent",
                                        "name": HOSTILE, "metadata": {}})
    app = RunsApp(lambda app: show_before(app, "tool_call"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.runs.show_assistants([hostile], "agent")
        app.runs.input.focus()
        await pilot.pause()
        assert "assistant [bold red]x[/] [/] [@click=ap…" in panel_text(app)
        assert is_safe(panel_text(app))


async def test_a_run_writes_into_the_chat_only_while_it_shows_the_latest_state() -> None:
    before = recording("tool_call")["before"]
    app = RunsApp(lambda app: show_before(app, "tool_call"))
    async with app.run_test(size=SIZE):
        viewer = app.viewer
        thread_id = viewer.thread_id or ""
        assert sync.chat_follows(viewer, thread_id)
        viewer.show_checkpoint(before["history"][1]["checkpoint"]["checkpoint_id"])
        assert not sync.chat_follows(viewer, thread_id)  # the user looks back: hands off
        assert not sync.chat_follows(viewer, "another-thread")
        # Starting a run brings the chat back to the latest state, at its end.
        assert sync.prepare_chat(viewer, thread_id) == messages(before)
        assert sync.chat_follows(viewer, thread_id) and viewer.view == "chat"
        progress = app.runs.replay(thread_id, events("tool_call"))
        assert viewer.chat.messages == progress.messages
        assert len(progress.messages) == 6


def messages(snapshot: dict[str, Any]) -> list[Any]:
    return list(snapshot["state"]["values"]["messages"])
