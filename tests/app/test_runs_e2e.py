"""Runs end to end: the whole app against the real Agent Server, driven with the pilot, checked
on screen and through the API (the official SDK is the oracle).

A user opens a thread made from supersteps, types a message and watches the answer stream in;
cancels a slow run; approves an interrupt; gets a clear 409 when the thread is busy and picks
another multitask strategy; joins a run started elsewhere; leaves a run mid-stream.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tests.app.runs_harness import (
    APP_SIZE,
    chat_text,
    open_thread,
    panel_text,
    real_app,
    type_and_send,
    wait_until,
)
from tests.scripts import GREETING, meta
from tests.support import type_text
from tui.app.app import ThreadloomApp
from tui.deployment import DeploymentClient
from tui.safe import is_safe


def contents(values: Any) -> list[str]:
    return [m["content"] for m in values["messages"]]


def settled(app: ThreadloomApp, status: str) -> bool:
    progress = app.runs.progress
    return progress is not None and progress.finished and progress.status == status


async def test_a_run_continues_a_superstep_thread_streaming_token_by_token(
    server_url: str, client: DeploymentClient, sdk: Any
) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    app = real_app(server_url)
    async with app.run_test(size=APP_SIZE, notifications=True) as pilot:
        await open_thread(pilot, thread.thread_id)
        assert "No run yet · enter runs agent on this thread" in panel_text(app)

        # Watch what the chat holds each time a token arrives.
        chat = app.viewer.chat
        partials: list[str] = []
        append = chat.append_token

        def spy(message_id: str, text: str, *, role: str = "ai") -> int:
            index = append(message_id, text, role=role)
            partials.append(chat.messages[index]["content"])
            return index

        chat.append_token = spy  # type: ignore[method-assign]
        await type_and_send(pilot, "what is 6*7?")
        await wait_until(pilot, lambda: settled(app, "success"), what="the run to finish")
        await wait_until(pilot, lambda: app.viewer.data is not None
                         and app.viewer.data.thread is not None
                         and app.viewer.data.thread.status == "idle", what="the reload")

        # Tokens arrived one by one, each time growing the same message.
        assert len(partials) >= 5
        assert partials == sorted(partials, key=len)
        assert all("The result is 42.".startswith(p) for p in partials)
        assert partials[-1] == "The result is 42."

        text = chat_text(app)
        assert "tool call calculator" in text and "42" in text
        assert "The result is 42." in text
        panel = panel_text(app)
        assert "✓ success" in panel and "3 nodes ran" in panel
        assert app.runs.input.value == ""

        # The list row shows the new state too.
        row = app.threads.by_id[thread.thread_id]
        assert row.status == "idle"
        assert row.extracted == {"preview": "The result is 42."}

    state = await sdk.threads.get_state(thread.thread_id)
    assert contents(state["values"]) == [
        "hello", "Hello! How can I assist you today?", "what is 6*7?", "", "42",
        "The result is 42.",
    ]
    runs = await sdk.runs.list(thread.thread_id)
    assert [r["status"] for r in runs] == ["success"]
    assert runs[0]["run_id"] == app.runs.progress.run_id  # type: ignore[union-attr]


async def test_cancel_a_slow_run_with_x(server_url: str, client: DeploymentClient,
                                        sdk: Any) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    app = real_app(server_url)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_thread(pilot, thread.thread_id)
        await type_and_send(pilot, "/slow 30 hello")
        await wait_until(pilot, lambda: "● running · node call_model" in panel_text(app),
                         what="the run to reach call_model")
        assert app.focused is app.viewer.chat  # the chat follows the run; X works there
        run_id = app.runs.progress.run_id  # type: ignore[union-attr]
        await pilot.press("X")
        await wait_until(pilot, lambda: settled(app, "interrupted"), timeout=20,
                         what="the cancelled run")
        assert "■ interrupted" in panel_text(app)
    run = await sdk.runs.get(thread.thread_id, run_id)
    assert run["status"] == "interrupted"
    state = await sdk.threads.get_state(thread.thread_id)
    assert contents(state["values"])[-1] == "/slow 30 hello"  # no answer was written


async def test_rollback_from_the_palette_deletes_the_run(server_url: str,
                                                         client: DeploymentClient,
                                                         sdk: Any) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    app = real_app(server_url)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_thread(pilot, thread.thread_id)
        await type_and_send(pilot, "/slow 30 hello")
        await wait_until(pilot, lambda: "node call_model" in panel_text(app),
                         what="the run to start")
        await pilot.press("ctrl+p")
        await type_text(pilot, "roll it back")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: settled(app, "rolled back"), timeout=20,
                         what="the rolled back run")
        assert app.runs.progress is not None and app.runs.progress.run_id is not None
        run_id = app.runs.progress.run_id
        shown = " ".join(panel_text(app).split())  # the note wraps over lines
    assert "↶ rolled back" in shown
    assert await sdk.runs.list(thread.thread_id) == []
    state = await sdk.threads.get_state(thread.thread_id)
    kept = await sdk.threads.get_history(thread.thread_id, metadata={"run_id": run_id})
    if kept:
        # The Postgres runtime deletes the run but not its checkpoints: the panel must say so.
        assert contents(state["values"])[-1] == "/slow 30 hello"
        assert (f"The server deleted run {run_id} but kept its checkpoints: the thread's state "
                "still holds what the run wrote.") in shown
    else:
        assert contents(state["values"]) == ["hello", "Hello! How can I assist you today?"]
        assert "kept its checkpoints" not in shown


async def test_an_interrupt_is_shown_and_resumed_with_yes(server_url: str,
                                                          client: DeploymentClient,
                                                          sdk: Any) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    app = real_app(server_url)
    async with app.run_test(size=APP_SIZE, notifications=True) as pilot:
        await open_thread(pilot, thread.thread_id)
        await type_and_send(pilot, "send an email to bob@example.com")
        await wait_until(pilot, lambda: "Waiting for a resume value" in panel_text(app),
                         what="the interrupt")
        panel = panel_text(app)
        assert "⏸ Waiting for a resume value at human_review" in panel
        assert "question: Send an email to bob@example.com?" in panel
        assert app.runs.mode == "resume"
        assert "Resume value — JSON when it parses" in panel

        await type_and_send(pilot, "yes")
        await wait_until(pilot, lambda: settled(app, "success") and not app.runs.interrupts
                         and "Done: email sent to bob@example.com" in chat_text(app),
                         what="the resumed run")
        assert "Waiting for a resume value" not in panel_text(app)
        assert app.runs.mode == "message"
    state = await sdk.threads.get_state(thread.thread_id)
    assert contents(state["values"])[-2:] == ["email sent to bob@example.com",
                                              "Done: email sent to bob@example.com"]
    assert (await sdk.threads.get(thread.thread_id))["status"] == "idle"


async def test_reopening_an_interrupted_thread_offers_the_resume(
    server_url: str, client: DeploymentClient, sdk: Any
) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    await client.runs.wait(thread.thread_id, "agent", input={"messages": [
        {"type": "human", "content": "send an email to ann@example.com"}]})
    app = real_app(server_url)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_thread(pilot, thread.thread_id)
        await wait_until(pilot, lambda: "at human_review" in panel_text(app),
                         what="the waiting interrupt")
        await type_and_send(pilot, '"no"')  # JSON for the string no: declined
        await wait_until(pilot, lambda: settled(app, "success")
                         and "Done: The user declined." in chat_text(app),
                         what="the declined email")
    state = await sdk.threads.get_state(thread.thread_id)
    assert contents(state["values"])[-1] == "Done: The user declined."


async def test_a_busy_thread_refuses_with_409_then_interrupt_strategy_runs(
    server_url: str, client: DeploymentClient, sdk: Any
) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    app = real_app(server_url)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_thread(pilot, thread.thread_id)
        await type_and_send(pilot, "/slow 30 first")
        await wait_until(pilot, lambda: "node call_model" in panel_text(app),
                         what="the first run")
        first = app.runs.progress.run_id  # type: ignore[union-attr]

        await type_and_send(pilot, "hi")  # default strategy: reject
        await wait_until(pilot, lambda: "Run refused (409)" in panel_text(app),
                         what="the refusal")
        panel = panel_text(app)
        assert "Thread is already running a task." in panel
        assert "if busy: reject" in panel
        # The first run is still the one followed, and the typed text is kept.
        assert app.runs.progress.run_id == first  # type: ignore[union-attr]
        assert app.runs.following and app.runs.input.value == "hi"

        app.runs.query_one("#run-strategy").value = "interrupt"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.runs.progress is not None
                         and app.runs.progress.run_id != first and settled(app, "success"),
                         what="the second run")
        assert "Hello! How can I assist you today?" in chat_text(app)
    statuses = {r["run_id"]: r["status"] for r in await sdk.runs.list(thread.thread_id)}
    assert statuses[first] == "interrupted"
    assert sorted(statuses.values()) == ["interrupted", "success"]


async def test_join_a_run_started_elsewhere(server_url: str, client: DeploymentClient,
                                            sdk: Any) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    # 10 s: the app must start and open the thread while the run goes on; with six workers
    # on a slow machine that once took more than the 4 s this test gave it.
    run = await client.runs.create(thread.thread_id, "agent", input={"messages": [
        {"type": "human", "content": "/slow 10 hi there"}]})
    app = real_app(server_url)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_thread(pilot, thread.thread_id)
        assert "A run is in progress on this thread · J joins it" in panel_text(app)
        app.viewer.chat.focus()
        await pilot.press("J")
        await wait_until(pilot, lambda: app.runs.progress is not None, what="the join")
        assert app.runs.progress.run_id == run.run_id  # type: ignore[union-attr]
        await wait_until(pilot, lambda: settled(app, "success"), what="the joined run")
        assert "You said: /slow 10 hi there" in chat_text(app)
        await pilot.press("J")
        await wait_until(pilot, lambda: "nothing to join" in panel_text(app),
                         what="the note")
    assert (await sdk.runs.get(thread.thread_id, run.run_id))["status"] == "success"


async def until_run_ends(pilot: Any, sdk: Any, thread_id: str, run_id: str,
                         timeout: float = 60) -> None:
    """Let the app run until the server says the run is over (asked every 0.2 s)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (await sdk.runs.get(thread_id, run_id))["status"] in ("pending", "running"):
        assert loop.time() < deadline, f"run {run_id} still going after {timeout} s"
        await pilot.pause(0.2)


async def test_leaving_a_streaming_run_reports_nothing_and_the_run_goes_on(
    server_url: str, client: DeploymentClient, sdk: Any
) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    other = await client.threads.create(metadata=meta(), supersteps=GREETING)
    app = real_app(server_url)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_thread(pilot, thread.thread_id)
        await type_and_send(pilot, "/slow 6 bye")
        await wait_until(pilot, lambda: "node call_model" in panel_text(app),
                         what="the run")
        run_id = app.runs.progress.run_id  # type: ignore[union-attr]
        await open_thread(pilot, other.thread_id)
        assert app.runs.progress is None and not app.runs.following
        assert "No run yet" in panel_text(app)
        # The run ends on the server meanwhile (6 s: time enough to leave it while it streams,
        # on a loaded machine too); then time for any late report to arrive.
        await until_run_ends(pilot, sdk, thread.thread_id, run_id)
        await pilot.pause(0.5)
        assert app.runs.progress is None  # nothing was reported on the other thread
        assert "/slow 6 bye" not in chat_text(app)
    assert (await sdk.runs.get(thread.thread_id, run_id))["status"] == "success"


async def test_input_json_mode_and_a_json_mistake_shown_inline(
    server_url: str, client: DeploymentClient, sdk: Any
) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    app = real_app(server_url)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_thread(pilot, thread.thread_id)
        await pilot.press("R", "ctrl+t")
        assert app.runs.mode == "json"
        app.runs.input.value = '{"messages": [{"type": "human", "content": hi}]}'
        await pilot.press("enter")
        await pilot.pause()
        assert "⚠ Input JSON, column 44: Expecting value" in panel_text(app)
        assert await sdk.runs.list(thread.thread_id) == []  # nothing was sent

        app.runs.input.value = '{"messages": [{"type": "human", "content": "hi"}]}'
        await pilot.press("enter")
        await wait_until(pilot, lambda: settled(app, "success"), what="the run")
        assert "⚠" not in panel_text(app)
    state = await sdk.threads.get_state(thread.thread_id)
    assert contents(state["values"])[-2:] == ["hi", "Hello! How can I assist you today?"]


async def test_a_failing_run_is_shown_as_an_error_in_the_panel(
    server_url: str, client: DeploymentClient, sdk: Any
) -> None:
    # {"turns": "x"} makes the graph's int reducer fail: the stream's error event.
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    app = real_app(server_url)
    async with app.run_test(size=APP_SIZE, notifications=True) as pilot:
        await open_thread(pilot, thread.thread_id)
        await pilot.press("R", "ctrl+t")
        app.runs.input.value = '{"turns": "x"}'
        await pilot.press("enter")
        await wait_until(pilot, lambda: settled(app, "error"), what="the failed run")
        panel = panel_text(app)
        assert "✗ error" in panel
        assert "The run failed: TypeError: unsupported operand type(s) for +: 'int' and" in (
            " ".join(panel.split()))
    runs = await sdk.runs.list(thread.thread_id)
    assert runs[0]["status"] == "error"


HOSTILE = "[bold red]x[/] [/] [@click=app.quit]boom[/] \x1b[31mred\x1b]0;title\x07"


async def test_hostile_tokens_and_payloads_are_shown_literally(
    server_url: str, client: DeploymentClient
) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    app = real_app(server_url)
    async with app.run_test(size=APP_SIZE, notifications=True) as pilot:
        await open_thread(pilot, thread.thread_id)
        await type_and_send(pilot, HOSTILE)
        await wait_until(pilot, lambda: settled(app, "success"), what="the echo")
        text = chat_text(app)
        assert "You said: [bold red]x[/] [/] [@click=app.quit]boom[/] ␛[31mred␛]0;title␇" in (
            text)
        assert is_safe(text)

        await type_and_send(pilot, "send an email to [@click=app.quit]boom[/]\x1b[2J")
        await wait_until(pilot, lambda: bool(app.runs.interrupts), what="the interrupt")
        await pilot.pause()
        panel = panel_text(app)
        assert "question: Send an email to [@click=app.quit]boom[/]␛[2J?" in panel
        assert is_safe(panel)
        assert app.is_running
