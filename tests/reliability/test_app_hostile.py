"""Hostile input in every view: generated thread metadata, values and message contents (Rich
markup, ANSI/OSC escapes, control characters, wide and combining characters, right-to-left
text, 1 MB lines, 1,000-level nesting) are shown literally, never crash the app, and never put
an escape sequence on the terminal.

Two layers:
- property tests (hypothesis, with shrinking) on the pure row/header formatting, rendered by a
  rich Console with a real terminal profile;
- live headless apps fed many generated examples per session (one app per example would take
  minutes): the whole app on the real server (list rows, header, viewer chat / values / JSON /
  diff / summary / history, toasts), the viewer with data in hand (1 MB lines, 1,000 levels),
  the editor (outline, message list) and the run panel (streamed tokens).

"What reaches the terminal" for a live app is every segment of the composed frame: the app's
own colours travel as styles, so any ESC, BEL, C1 or bidi override in the text is a leak.
"""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segments
from rich.style import Style

from tests.app.runs_harness import AGENT, RunsApp, recording, show_before
from tests.app.viewer_harness import ViewerApp
from tests.reliability.conftest import STATS, Stats
from tests.reliability.hostile import (
    ESCAPES,
    MARKUP,
    deep_nesting,
    hostile_text,
    hostile_values,
)
from tests.reliability.test_app_support import (
    SIZE,
    assert_terminal_safe,
    isolated_home,
    loaded,
    make_app,
    screen_text,
    until,
)
from tests.support import DISPLAY_URL, FROZEN_NOW, PortRewrite, said
from tui.app.editor import SuperstepEditor
from tui.app.shared.header import HeaderLine
from tui.app.shared.row_table import draw_cells
from tui.app.threads.thread_rows import cells
from tui.config import ConnectionSpec
from tui.deployment import Assistant, DeploymentClient, DeploymentError, Thread, ThreadState
from tui.safe import is_safe, one_line
from tui.supersteps.model import Script

__all__ = ["isolated_home"]

SGR = re.compile(r"\x1b\[[0-9;:]*m")
MARKER = "[@click=app.quit]boom[/] [bold red]x[/] [/]"  # must show exactly as typed


def collect(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """``count`` examples drawn by hypothesis (for feeding one live app session)."""
    out: list[Any] = []

    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def grab(value: Any) -> None:
        out.append(value)

    grab()
    return out


def terminal_output(renderable: Any, width: int = 100) -> str:
    """What a real terminal receives for ``renderable``, minus rich's own SGR colour codes."""
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      width=width, legacy_windows=False)
    console.print(renderable)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    return SGR.sub("", out)


def assert_no_escape(out: str) -> None:
    assert "\x1b" not in out and "\x07" not in out, repr(out[:200])
    assert is_safe(out.replace("\n", "").replace("\r", "")), repr(out[:200])


# ---------------------------------------------------------------- properties of the formatting


@settings(max_examples=600, deadline=None)
@given(title=hostile_text, preview=hostile_text, meta=hostile_values(8))
def test_thread_list_row_cells_are_literal_and_terminal_safe(
    title: str, preview: str, meta: Any
) -> None:
    STATS.ran = True
    STATS.hostile += 1
    thread = Thread.model_validate({
        "thread_id": str(uuid.uuid4()), "status": "idle", "created_at": FROZEN_NOW,
        "updated_at": FROZEN_NOW, "metadata": {"graph_id": title, "other": meta},
        "extracted": {"preview": preview},
    })
    row = list(cells(thread, FROZEN_NOW))
    console = Console()
    for cell in row:  # as the table draws it
        drawn = draw_cells([cell], [cell.width], Style(), Style(), console.get_style)
        assert_no_escape(terminal_output(Segments(drawn)))
    # Literal: each cell is the text as typed (control characters made visible), cut with …
    # to its column — never markup-parsed (a parsed "[/]" or "[b]" would vanish).
    for cell, raw in ((row[2], title), (row[5], preview)):
        assert one_line(raw).startswith(cell.plain.removesuffix("…")), (cell.plain, raw)


@settings(max_examples=400, deadline=None)
@given(where=hostile_text, version=hostile_text, hint=hostile_text)
def test_header_line_is_literal_and_terminal_safe(where: str, version: str, hint: str) -> None:
    STATS.ran = True
    STATS.hostile += 1
    header = HeaderLine()
    header.where, header.version, header.hint = where, version, hint
    shown = header.render().plain
    assert is_safe(shown)
    assert shown.startswith("Threadloom │ ")
    # Literal: where as one line (controls made visible, cut to 120 columns with …), never
    # markup-parsed. (Its raw first 100 characters may not all fit: "\x80" takes 4 columns.)
    assert one_line(where, 120) in shown


# ---------------------------------------------------------------- the whole app, real server


def _message() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"type": st.sampled_from(["human", "ai", "system"]), "content": hostile_text},
        optional={"name": hostile_text, "additional_kwargs": st.dictionaries(
            hostile_text, hostile_values(6), max_size=3)},
    )


HOSTILE_THREAD = st.fixed_dictionaries({
    "title": hostile_text,
    "meta": st.dictionaries(hostile_text, hostile_values(8), max_size=4),
    "first": _message().map(lambda m: {**m, "type": "human"}),
    "replies": st.lists(_message(), min_size=1, max_size=3),
})


def _supersteps(example: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"updates": [{"values": {}, "as_node": "__input__"}]},
        {"updates": [{"values": {"messages": [example["first"]]}, "as_node": "__start__"}]},
        {"updates": [{"values": {"messages": [
            *example["replies"], {"type": "ai", "content": MARKER}]}, "as_node": "call_model"}]},
    ]


async def test_every_pane_of_the_real_app_with_hostile_threads(
    server_url: str, client: DeploymentClient, stats: Stats
) -> None:
    examples = collect(HOSTILE_THREAD, 16)
    tag = uuid.uuid4().hex
    ids: list[str] = []
    for example in examples:
        metadata = {**example["meta"], "graph_id": "agent", "title": example["title"],
                    "batch": tag, MARKER: MARKER}
        thread = await client.threads.create(metadata=metadata,
                                             supersteps=_supersteps(example))
        ids.append(thread.thread_id)
    # A 1 MB line, and metadata nested as deep as the client will send.
    big = await client.threads.create(
        metadata={"graph_id": "agent", "batch": tag, "deep": deep_nesting(200)},
        supersteps=_supersteps({"first": {"type": "human", "content": "[/]\x1b]0;x\x07" * 1
                                          + "y" * 1_000_000},
                                "replies": [{"type": "ai", "content": "\x1b[2J" * 1000}]}))
    ids.append(big.thread_id)
    stats.hostile += len(ids)

    app = make_app(DISPLAY_URL, transport=PortRewrite(server_url))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: loaded(app) and big.thread_id in app.threads.by_id,
                    "the hostile threads in the list")
        assert_terminal_safe(app)  # list rows and header
        for thread_id in ids:
            app.select_thread(thread_id)
            await until(pilot, lambda tid=thread_id: app.viewer.data is not None
                        and app.viewer.data.thread_id == tid
                        and app.viewer.data.history_loaded, "the thread in the viewer")
            for view in ("chat", "tree", "json", "diff"):
                app.viewer.action_view(view)
                await pilot.pause()
                shown = assert_terminal_safe(app)
                if view == "chat" and thread_id != big.thread_id:
                    await until(pilot, lambda: MARKER in screen_text(app), "the marker, literal")
            assert app.is_running
        # Errors with hostile details, where the user looks: the toasts.
        details = collect(hostile_text, 60)
        for detail in details:
            app.report_error(DeploymentError(f"{detail} {MARKER}"), f"{detail[:30]} [/]")
        await until(pilot, lambda: MARKER in screen_text(app), "the toasts")
        shown = assert_terminal_safe(app)
        assert MARKER in shown
        assert app.is_running
        stats.hostile += len(details)
    assert await client.threads.count(metadata={"batch": tag}) == len(ids)


# ---------------------------------------------------------------- the viewer, data in hand


def _state(thread_id: str, values: dict[str, Any], checkpoint: str,
           parent: str | None) -> ThreadState:
    return ThreadState.model_validate({
        "values": values, "next": [], "tasks": [], "metadata": {"source": "update", "step": 1},
        "created_at": FROZEN_NOW.isoformat(),
        "checkpoint": {"checkpoint_id": checkpoint, "thread_id": thread_id, "checkpoint_ns": ""},
        "parent_checkpoint": ({"checkpoint_id": parent, "thread_id": thread_id,
                               "checkpoint_ns": ""} if parent else None),
    })


async def test_viewer_views_with_deep_nesting_big_lines_and_generated_values(
    stats: Stats
) -> None:
    values_examples = collect(hostile_values(25), 20)
    extremes = [
        # The real server refuses JSON nested deeper than ~253 levels (measured: 400
        # "Recursion limit reached"); 1,000 levels from a fake server: see the next test.
        {"deep": deep_nesting(250)},
        {"line": "[/]\x1b]0;pwned\x07" + "z" * 1_000_000},
        {"keys": {k: k for k in MARKUP + ESCAPES}},
    ]
    app = ViewerApp()
    async with app.run_test(size=(150, 42), notifications=True) as pilot:
        viewer = app.viewer
        for n, value in enumerate([*extremes, *values_examples]):
            thread_id = str(uuid.UUID(int=n + 1))
            thread = Thread.model_validate({
                "thread_id": thread_id, "status": "idle", "created_at": FROZEN_NOW,
                "updated_at": FROZEN_NOW, "metadata": {"graph_id": "agent", "v": value},
            })
            text = next((v for v in value.values() if isinstance(v, str)), "…") if isinstance(
                value, dict) else value if isinstance(value, str) else "(values)"
            messages = [{"type": "human", "content": text, "id": "m1"},
                        {"type": "ai", "content": MARKER, "id": "m2"}]
            before = _state(thread_id, {"messages": messages[:1]}, "c1", None)
            after = _state(thread_id, {"messages": messages, "extra": value}, "c2", "c1")
            viewer.show_data(thread, after, [after, before])
            for view in ("chat", "tree", "json", "diff"):
                viewer.action_view(view)
                await pilot.pause()
                assert_terminal_safe(app)
            assert app.is_running
        viewer.action_view("chat")
        await until(pilot, lambda: MARKER in screen_text(app), "the marker, literal")
        stats.hostile += len(extremes) + len(values_examples)


class DeepAnswers(PortRewrite):
    """A fake deployment for what a real one cannot send: the real test server, except that
    the thread ``DEEP`` answers with JSON nested 1,000 levels deep, and ``HTML`` with an HTML
    error page (a proxy in front of a deployment) and a 200 status."""

    DEEP = str(uuid.UUID(int=0xDEE9))
    HTML = str(uuid.UUID(int=0x47A1))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.startswith(f"/threads/{self.DEEP}"):
            nested = "[" * 1000 + '"[/]\u001b]0;x\u0007"' + "]" * 1000
            body = (f'{{"thread_id": "{self.DEEP}", "status": "idle", "metadata": '
                    f'{{"deep": {nested}}}, "values": {{"deep": {nested}}}}}')
            return httpx.Response(200, content=body.encode(),
                                  headers={"content-type": "application/json"})
        if path.startswith(f"/threads/{self.HTML}"):
            return httpx.Response(200, content=b"<html><body>[/] \x1b]0;x\x07 Bad gateway"
                                  b"</body></html>", headers={"content-type": "text/html"})
        return await super().handle_async_request(request)


async def test_answers_a_real_server_cannot_give_are_one_clear_line(
    server_url: str, stats: Stats
) -> None:
    """Fake answers (1,000-level nesting, HTML instead of JSON): a one-line message where the
    user looks, the app keeps running, the viewer says nothing was loaded."""
    app = make_app(DISPLAY_URL, transport=DeepAnswers(server_url))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        for thread_id in (DeepAnswers.DEEP, DeepAnswers.HTML):
            before = len(said(app))
            app.open_thread(thread_id)
            await until(pilot, lambda n=before: len(said(app)) > n, "the message")
            note = said(app)[-1]
            assert "\n" not in note.message and "Traceback" not in note.message
            assert is_safe(note.message) and len(note.message) <= 500
            await pilot.pause(0.2)
            shown = assert_terminal_safe(app)
            assert app.is_running and "Traceback" not in shown
            stats.hostile += 1
        assert "not JSON" in said(app)[-1].message


# ---------------------------------------------------------------- the editor


class _EditorHost(ViewerApp):
    """The editor alone, with the parts of the app context it uses (no connection)."""

    def __init__(self) -> None:
        super().__init__()
        self.context.spec = ConnectionSpec(url=DISPLAY_URL)

    def compose(self) -> Any:
        yield SuperstepEditor(id="editor")


async def test_editor_outline_and_message_list_with_hostile_scripts(stats: Stats) -> None:
    examples = collect(st.tuples(hostile_text, st.lists(_message(), min_size=1, max_size=4),
                                 st.dictionaries(hostile_text, hostile_values(5), max_size=3)),
                       40)
    app = _EditorHost()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = app.query_one(SuperstepEditor)
        for as_node, messages, metadata in examples:
            script = Script.from_body({
                "metadata": {**metadata, "graph_id": "agent"},
                "supersteps": [
                    {"updates": [{"values": {}, "as_node": "__input__"}]},
                    {"updates": [{"values": {"messages": [
                        *messages, {"type": "ai", "content": MARKER}]}, "as_node": as_node}]},
                ],
            })
            editor.load(script)
            await pilot.pause()
            editor.outline.select_address((1, 0))  # the update: its message list shows
            await pilot.pause()
            assert_terminal_safe(app)
            assert editor.script == script  # kept exactly, not "cleaned"
        assert app.is_running
        stats.hostile += len(examples)


# ---------------------------------------------------------------- the run panel


async def test_run_panel_streams_hostile_tokens_literally(stats: Stats) -> None:
    tokens = collect(st.lists(hostile_text, min_size=1, max_size=8), 40)
    names = collect(hostile_text, 20)
    recorded = [(e["event"], e["data"]) for e in recording("hostile")["events"]]
    app = RunsApp()
    async with app.run_test(size=(110, 40), notifications=True) as pilot:
        for n, parts in enumerate(tokens):
            thread_id = show_before(app, "hostile")
            name = names[n % len(names)]
            app.runs.show_assistants([AGENT, Assistant.model_validate({
                "assistant_id": f"h{n}", "graph_id": "agent", "name": name})], "agent")
            events: list[tuple[str, Any]] = []
            chunk_index = 0
            for event, data in recorded:
                if event == "messages" and data[0].get("type") == "AIMessageChunk":
                    chunk = dict(data[0])
                    chunk["content"] = parts[chunk_index % len(parts)]
                    chunk_index += 1
                    data = [chunk, *data[1:]]
                events.append((event, data))
            app.runs.replay(thread_id, events)
            await pilot.pause()
            assert_terminal_safe(app)
        assert app.is_running
    stats.hostile += len(tokens) + len(names)
