"""The editor driven by keys against the real Agent Server: validation pinned to the outline,
what the server refuses (and the empty thread it leaves), undo/redo, JSON kept while invalid,
the message builder, command updates, sending once, and untrusted text."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.app.editor_support import (
    EditorHost,
    editor_of,
    exists,
    graph_ready,
    type_text,
    wait_for,
    without_ids,
)
from tests.scripts import COMMAND_GOTO, GREETING, meta
from tests.support import fixed_id, said
from tui.app.editor import SuperstepEditor
from tui.app.editor.file_dialogs import ConfirmScreen
from tui.app.shared.json_editor import JsonEditor
from tui.app.shared.message_builder import MessageBuilder, MessageDialog
from tui.deployment import DeploymentClient
from tui.deployment.http import LIMITS
from tui.deployment.tls import tls_context
from tui.supersteps.model import Script

SIZE = (140, 44)
HOSTILE = "[bold red]x[/] [/] [@click=app.quit]boom[/] \x1b[31mred\x1b]0;title\x07"


def write_script(path: Path, body: dict[str, Any]) -> str:
    path.write_text(json.dumps(body), encoding="utf-8")
    return str(path)


def rows(editor: SuperstepEditor) -> list[str]:
    outline = editor.outline
    return [str(outline.get_option_at_index(i).prompt) for i in range(outline.option_count)]


def pinned(editor: SuperstepEditor) -> dict[tuple[int | None, int | None], str]:
    """Outline rows carrying a problem icon, by address."""
    return {address: text[:1] for address, text in zip(editor.outline.addresses, rows(editor),
                                                        strict=False) if text[:1] in "✗⚠"}


async def started(pilot: Pilot[Any], *, nodes: bool = True) -> SuperstepEditor:
    editor = await graph_ready(pilot, nodes=nodes)
    editor.outline.focus()
    await pilot.pause()
    return editor


async def json_field(pilot: Pilot[Any], text: str) -> None:
    """v: the values JSON of the selected update; replace it with ``text``."""
    await pilot.press("v")
    editor = editor_of(pilot.app)
    area = editor.update_form.query_one("#values-json", JsonEditor).text_area
    area.select_all()
    await type_text(pilot, text)


# -- validation ---------------------------------------------------------------------------------


async def test_problems_are_pinned_to_their_rows_and_nothing_is_sent(
    server_url: str, client: DeploymentClient, tmp_path: Path
) -> None:
    script = write_script(tmp_path / "bad.json", {"metadata": {}, "supersteps": [
        {"updates": [{"as_node": "__input__", "values": {}},
                     {"as_node": "call_model", "values": {}}]},
        {"updates": [{"as_node": "nope", "values": {}}]},
        {"updates": [{"as_node": "tools", "values": {"messages": [
            {"type": "tool", "content": "42", "tool_call_id": "call_9"}]}}]},
        {"updates": [{"as_node": "call_model", "command": {"update": {}}}]},
    ]})
    before = await client.threads.count()
    app = EditorHost(server_url, script=script)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = await started(pilot, nodes=False)
        # No graph_id: the graph is still unknown, so pick it in the script form.
        assert pinned(editor)[(None, None)] == "✗"
        await pilot.press("home", "enter")  # the script row: enter goes to the graph picker
        await pilot.press("enter", "down", "enter")  # open the Select, take "agent"
        await wait_for(pilot, lambda: editor.catalog.node_names is not None, what="the nodes")

        assert editor.script.graph_id == "agent"
        assert pinned(editor) == {(0, 0): "✗", (1, 0): "✗", (2, 0): "✗", (3, 0): "✗"}
        messages = {(p.superstep, p.update, p.field): p.message for p in editor.problems}
        assert "only update of its superstep" in messages[(0, 0, "as_node")]
        assert "Unknown node 'nope'" in messages[(1, 0, "as_node")]
        assert "No earlier AI message made tool call 'call_9'" in messages[
            (2, 0, "values.messages[0].tool_call_id")]
        assert "server fails (500)" in messages[(3, 0, "command.goto")]

        await pilot.press("ctrl+r")
        await pilot.pause()
        assert editor.last_created is None
        assert any("Nothing sent" in n.message for n in said(app))

        # Choosing a problem jumps to its row.
        panel = editor.query_one("#problems-list")
        panel.focus()
        await pilot.press("end", "enter")
        assert editor.outline.address == (3, 0)
        assert app.focused is editor.outline
    assert await client.threads.count() == before


async def test_a_name_not_in_the_graph_warns_and_the_picker_offers_the_real_ones(
    server_url: str,
) -> None:
    app = EditorHost(server_url)
    async with app.run_test(size=SIZE) as pilot:
        editor = await started(pilot)
        await pilot.press("A", "enter")
        await type_text(pilot, "toolz")
        hint = str(editor.update_form.picker.hint.render())
        assert "'toolz' is not a node of this graph" in hint
        assert pinned(editor) == {(0, 0): "✗"}

        # tab: the Select of the graph's nodes (and the special ones).
        await pilot.press("tab", "enter")
        await pilot.pause()
        choices = editor.update_form.picker.choice.select._options
        assert [value for _, value in choices if isinstance(value, str)] == [
            "call_model", "human_review", "tools", "__input__", "__start__", "__copy__",
            "__end__"]
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        assert editor.script.update_at(0, 0).as_node == "tools"
        assert "in the graph" in str(editor.update_form.picker.hint.render())


# -- the server's word --------------------------------------------------------------------------


@pytest.mark.parametrize("delete", [True, False])
async def test_what_the_server_refuses_is_pinned_and_the_empty_thread_can_go(
    server_url: str, client: DeploymentClient, delete: bool
) -> None:
    # turns is an int with operator.add: a string makes the server fail (500) after it made
    # the thread row. Validation cannot know the reducer; the server can.
    app = EditorHost(server_url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = await started(pilot)
        await pilot.press("A", "enter")
        await type_text(pilot, "__input__")
        await pilot.press("enter", "A", "enter")
        await type_text(pilot, "call_model")
        await pilot.press("enter")
        await json_field(pilot, '{"turns": "x"}')
        await pilot.press("escape")
        assert editor.problems == []

        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen),
                       what="the offer to delete the empty thread")
        assert editor.server_problems
        assert "server" in str(editor.query_one("#problems-title").render())
        left_behind = app.screen.question.split()[1]
        assert await exists(client, left_behind)

        await pilot.press("y" if delete else "n")
        if delete:
            await wait_for(pilot, lambda: any("Deleted the empty thread" in n.message
                                              for n in said(app)))
        await pilot.pause()
        assert await exists(client, left_behind) is not delete
        assert editor.last_created is None

        # The next edit clears the server's problems.
        await pilot.press("A")
        assert editor.server_problems == []


async def test_an_existing_thread_id_is_refused_on_the_script_row(
    server_url: str, client: DeploymentClient, tmp_path: Path
) -> None:
    taken = fixed_id("editor-taken-id")
    await client.threads.create(thread_id=taken, if_exists="do_nothing")
    script = write_script(tmp_path / "dup.json", {"thread_id": taken, "metadata": meta(),
                                                  "supersteps": GREETING})
    app = EditorHost(server_url, script=script)
    async with app.run_test(size=SIZE) as pilot:
        editor = await started(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: editor.server_problems, what="the server's answer")
        [problem] = editor.server_problems
        assert problem.field == "thread_id" and "exists" in problem.message
        assert pinned(editor)[(None, None)] == "✗"


async def test_sending_shows_busy_and_sends_once(
    server_url: str, client: DeploymentClient
) -> None:
    # A slow network, faked: the real server cannot be told to answer a create late. The
    # create is held until the test lets it go, so "while it waits" lasts as long as the test
    # looks, however busy the machine.
    posts: list[str] = []
    release = asyncio.Event()

    class Slow(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.AsyncHTTPTransport(verify=tls_context(), limits=LIMITS)

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            real = httpx.URL(server_url)
            request.url = request.url.copy_with(host=real.host, port=real.port)
            if request.method == "POST" and request.url.path == "/threads":
                posts.append(request.content.decode())
                await release.wait()
            return await self.inner.handle_async_request(request)

    marker = fixed_id("editor-busy") + "-marker"
    app = EditorHost(server_url)
    async with app.run_test(size=SIZE) as pilot:
        app.client = app.spec.client(Slow())
        editor = await started(pilot)
        editor.load(Script.from_body({"metadata": meta(run=marker), "supersteps": GREETING}))
        await pilot.pause()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: posts)  # the create is on its way
        await pilot.pause()
        status = editor.query_one("#editor-status")
        assert "Creating the thread" in str(status.render())
        busy_colour = status.styles.background
        assert busy_colour.a > 0  # the line stands out (the warning colour) while it waits
        await pilot.press("ctrl+r")  # again, while the first is unanswered: not sent twice
        await pilot.pause()
        release.set()
        await wait_for(pilot, lambda: editor.last_created is not None)
        assert status.styles.background != busy_colour  # and goes back once answered
    assert len(posts) == 1
    found = await client.threads.search(metadata={"run": marker})
    assert [t.thread_id for t in found.items] == [editor.last_created]


# -- editing ------------------------------------------------------------------------------------


async def test_every_edit_undoes_and_redoes(server_url: str) -> None:
    app = EditorHost(server_url)
    async with app.run_test(size=SIZE) as pilot:
        editor = await started(pilot)
        await pilot.press("A", "enter")
        await type_text(pilot, "__input__")
        await pilot.press("enter", "A", "a", "c")
        shapes = [len(step.updates) for step in editor.script.supersteps]
        assert shapes == [1, 3]
        await pilot.press("K")  # the duplicate moves up (equal updates: no undo step)
        assert editor.outline.address == (1, 1)
        await pilot.press("d")
        assert [len(step.updates) for step in editor.script.supersteps] == [1, 2]

        await pilot.press("u", "u", "u")
        assert [len(step.updates) for step in editor.script.supersteps] == [1, 1]
        await pilot.press("U", "ctrl+y")
        assert [len(step.updates) for step in editor.script.supersteps] == [1, 3]
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z")
        # Typing "__input__" was one burst: one undo takes it back whole.
        assert editor.script.update_at(0, 0).as_node == "__input__"
        await pilot.press("u")
        assert editor.script.update_at(0, 0).as_node is None
        await pilot.press("u")
        assert editor.script.supersteps == ()
        await pilot.press("u")
        assert any("Nothing to undo" in n.message for n in said(app))


async def test_invalid_json_is_kept_pinned_and_saved_in_the_draft(server_url: str) -> None:
    app = EditorHost(server_url)
    async with app.run_test(size=SIZE) as pilot:
        editor = await started(pilot)
        await pilot.press("A", "enter")
        await type_text(pilot, "__start__")
        await pilot.press("enter")
        await json_field(pilot, '{"messages": [{"type": "human", "content": "hi"}')
        await pilot.press("escape")
        [problem] = editor.problems
        assert (problem.superstep, problem.update, problem.field) == (0, 0, "values")
        assert "Invalid JSON at line 1" in problem.message
        assert editor.script.update_at(0, 0).values == {}  # the last valid value

        await pilot.press("up", "up", "down", "down")  # away and back
        text = editor.update_form.query_one("#values-json", JsonEditor).text
        assert text == '{"messages": [{"type": "human", "content": "hi"}'
        editor.drafts.save_now()
        draft = editor.drafts.load()
        assert draft is not None and draft.ui_state["pending"] == [
            {"superstep": 0, "update": 0, "field": "values", "text": text}]

        await pilot.press("ctrl+r")
        assert editor.last_created is None  # an error: nothing sent
        await pilot.press("v", "end")
        await type_text(pilot, "]}")
        await pilot.press("escape")
        assert editor.problems == []
        assert editor.script.update_at(0, 0).values == {
            "messages": [{"type": "human", "content": "hi"}]}


async def test_the_message_builder_edits_reorders_and_deletes(server_url: str) -> None:
    app = EditorHost(server_url)
    async with app.run_test(size=SIZE) as pilot:
        editor = await started(pilot)
        await pilot.press("A", "enter")
        await type_text(pilot, "__start__")
        await pilot.press("enter", "m", "s")
        await type_text(pilot, "be brief")
        await pilot.press("ctrl+s", "h")
        await type_text(pilot, "hi")
        await pilot.press("ctrl+s", "a")
        await type_text(pilot, "hello")
        await pilot.press("ctrl+s")
        builder = editor.query_one(MessageBuilder)
        assert [m["type"] for m in builder.messages] == ["system", "human", "ai"]

        await pilot.press("K")  # the ai message up
        await pilot.press("e")  # edit it: a name, and the text changed
        assert isinstance(app.screen, MessageDialog)
        app.screen.query_one("#message-name", Input).value = "bot"
        await pilot.press("end")
        await type_text(pilot, "!")
        await pilot.press("ctrl+s")
        await pilot.press("down", "d")  # delete the human message
        assert editor.script.update_at(0, 0).values == {"messages": [
            {"type": "system", "content": "be brief"},
            {"type": "ai", "content": "hello!", "name": "bot"}]}
        await pilot.press("escape", "u")
        assert len(editor.script.update_at(0, 0).values["messages"]) == 3


async def test_a_command_update_built_with_keys_creates_what_the_sdk_creates(
    server_url: str, sdk: Any
) -> None:
    app = EditorHost(server_url)
    async with app.run_test(size=SIZE) as pilot:
        editor = await started(pilot)
        await pilot.press("A", "enter")
        await type_text(pilot, "__input__")
        await pilot.press("enter", "A", "enter")
        await type_text(pilot, "__start__")
        await pilot.press("enter", "m", "h")
        await type_text(pilot, "hello")
        await pilot.press("ctrl+s", "escape", "A", "enter")
        await type_text(pilot, "call_model")
        await pilot.press("enter", "t")  # a command update
        assert [p.field for p in editor.problems] == ["command.goto"]
        await pilot.press("g")
        await type_text(pilot, "tools")
        await pilot.press("enter", "v")
        area = editor.update_form.query_one("#command-update", JsonEditor).text_area
        area.select_all()
        await type_text(pilot, '{"messages": [{"type": "ai", "content": "routed"}]}')
        await pilot.press("escape")
        assert editor.problems == []
        assert editor.script.to_body()["supersteps"] == [
            {**step, "updates": [{k: v for k, v in u.items() if v is not None}
                                 for u in step["updates"]]} for step in COMMAND_GOTO]
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: editor.last_created is not None)
        created = editor.last_created
    assert created is not None
    oracle = await sdk.threads.create(graph_id="agent", supersteps=COMMAND_GOTO)
    ours = await sdk.threads.get_state(created)
    theirs = await sdk.threads.get_state(oracle["thread_id"])
    assert without_ids(ours["values"]["messages"]) == without_ids(
        theirs["values"]["messages"])
    assert ours["next"] == theirs["next"] == ["tools"]


# -- untrusted text -----------------------------------------------------------------------------


async def test_hostile_text_is_shown_literally_and_kept_exactly(
    server_url: str, tmp_path: Path
) -> None:
    body = {"metadata": {"graph_id": "agent", "note": HOSTILE}, "supersteps": [
        {"updates": [{"as_node": "__input__", "values": {}}]},
        {"updates": [{"as_node": HOSTILE, "values": {"messages": [
            {"type": "ai", "content": HOSTILE, "name": HOSTILE, "tool_calls": [
                {"name": HOSTILE, "args": {HOSTILE: HOSTILE}, "id": HOSTILE}]}]}}]},
    ]}
    path = write_script(tmp_path / "[@click=app.quit]boom[bold].json", body)
    app = EditorHost(server_url, script=path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = await started(pilot)
        for _ in range(6):  # every row, every form
            await pilot.press("down")
        await pilot.press("end", "m", "e")  # the message, in its dialog
        assert isinstance(app.screen, MessageDialog)
        shown = app.screen.query_one("#message-name", Input).value
        assert shown.startswith("[bold red]x[/]") and "\x1b" not in shown and "␛" in shown
        await pilot.press("ctrl+s", "escape")  # keep it unchanged
        await pilot.press("x")  # the code view
        await pilot.press("escape")
        await pilot.pause()
        assert editor.script.to_body() == body  # nothing rewritten by being displayed
        assert "[bold red]x[/]" in rows(editor)[4]
        assert app.is_running


async def test_the_script_row_edits_thread_options_and_metadata(server_url: str) -> None:
    thread_id = fixed_id("editor-script-form")
    app = EditorHost(server_url)
    async with app.run_test(size=SIZE) as pilot:
        editor = await started(pilot)
        await pilot.press("home", "enter", "tab")  # graph, then thread_id
        await type_text(pilot, thread_id)
        await pilot.press("tab", "tab")  # if_exists, then ttl
        await type_text(pilot, "90")
        await pilot.press("tab")  # the metadata JSON: an invalid edit is kept and pinned
        await pilot.press("down", "end")  # after "agent"
        await type_text(pilot, ', "user": ')
        assert editor.script.thread_id == thread_id
        assert editor.script.ttl == {"ttl": 90, "strategy": "delete"}
        assert pinned(editor) == {(None, None): "✗"}
        await type_text(pilot, '"ada"')
        assert editor.script.metadata == {"graph_id": "agent", "user": "ada"}
        assert pinned(editor) == {}
        assert "thread id set" in rows(editor)[0]
