"""Snapshots of a run in the viewer pane, from streams recorded off the real server.

The thread as it was before the run and every event of the run are in
``tests/app/data/runs_*.json`` (``record_runs_fixtures.py``); a prefix of the events is fed to
``RunPanel.replay`` — exactly what a live stream would have applied by then — so the screen of
a run *while it streams* is deterministic (no racing a live server).
"""

from __future__ import annotations

from typing import Any

from tests.app.runs_harness import SIZE, RunsApp, events, replayed, show_before, upto_token
from tui.deployment import Conflict


def test_chat_while_a_run_streams_its_answer(snap_compare: Any) -> None:
    # The greeting continued with "what is 6*7?": the calculator call and its result are in,
    # and the answer has streamed three tokens ("The", " ", "result") so far.
    assert snap_compare(replayed("tool_call", upto_token("tool_call", 3)), terminal_size=SIZE)


def test_a_finished_run(snap_compare: Any) -> None:
    assert snap_compare(replayed("tool_call", events("tool_call"), finish="success"),
                        terminal_size=SIZE)


def test_an_interrupt_waits_for_a_resume_value(snap_compare: Any) -> None:
    assert snap_compare(replayed("interrupt", events("interrupt"), finish="success"),
                        terminal_size=SIZE)


def test_a_failed_run_says_why_in_the_panel(snap_compare: Any) -> None:
    assert snap_compare(replayed("error", events("error"), finish="error"), terminal_size=SIZE)


def test_hostile_tokens_mid_stream_are_shown_literally(snap_compare: Any) -> None:
    assert snap_compare(replayed("hostile", upto_token("hostile", 11)), terminal_size=SIZE)


def test_composer_with_choices_and_a_refused_run(snap_compare: Any) -> None:
    # A second run while one is active, with the default strategy: the server's 409 detail.
    detail = ("Thread is already running a task. Wait for it to finish or choose a different "
              "multitask strategy.")

    def setup(app: RunsApp) -> None:
        thread_id = show_before(app, "tool_call")
        app.runs.replay(thread_id, upto_token("tool_call", 1))
        app.runs.input.cursor_blink = False
        app.runs.input.focus()
        app.runs.input.value = "and 7*8?"
        app.runs.refused(Conflict(detail, status=409, detail=detail))

    assert snap_compare(RunsApp(setup), terminal_size=SIZE)
