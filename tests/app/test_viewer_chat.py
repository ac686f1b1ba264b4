"""The chat transcript widget on its own: layout, tool calls with results, folding, details,
incremental updates (for live runs), find, and hostile text shown literally."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from tests.app.viewer_harness import wait_until
from tests.support import screen_text
from tui.app.shared.chat import FOLD_LINES, ChatView, wrap
from tui.safe import is_safe

HOSTILE = "[bold red]x[/] [/] [@click=app.quit]boom[/] \x1b[31mred\x1b]0;title\x07"


class ChatApp(App[None]):
    def __init__(self, messages: list[Any] | None = None) -> None:
        super().__init__()
        self.messages = messages or []
        self.copied: list[str] = []

    def compose(self) -> ComposeResult:
        yield ChatView(id="chat")

    def on_mount(self) -> None:
        chat = self.query_one(ChatView)
        chat.set_messages(self.messages)
        chat.focus()

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)


def chat_of(app: App[Any]) -> ChatView:
    return app.query_one(ChatView)


TOOL_CONVERSATION = [
    {"type": "human", "content": "what is 6*7?", "id": "h1"},
    {"type": "ai", "content": "", "id": "a1", "tool_calls": [
        {"name": "calculator", "args": {"expression": "6*7"}, "id": "call_1"}]},
    {"type": "tool", "content": "42", "id": "t1", "tool_call_id": "call_1"},
    {"type": "ai", "content": "The result is 42.", "id": "a2"},
]


def test_wrap_breaks_at_spaces_and_keeps_empty_lines() -> None:
    assert wrap("aaa bbb ccc", 7) == ["aaa bbb", "ccc"]
    assert wrap("x" * 10, 4) == ["xxxx", "xxxx", "xx"]
    assert wrap("one\n\ntwo", 10) == ["one", "", "two"]
    assert wrap("日本語のテキスト", 6) == ["日本語", "のテキ", "スト"]


async def test_tool_calls_are_shown_with_their_results() -> None:
    app = ChatApp(TOOL_CONVERSATION)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        call = next(i for i, line in enumerate(lines) if "tool call calculator" in line)
        assert '{"expression": "6*7"}' in lines[call + 1]
        assert "result  #3" in lines[call + 2]
        assert lines[call + 3].strip(" ▎▌") == "42"
        # The tool message is not repeated as a bubble of its own.
        assert sum(line.strip(" ▎▌") == "42" for line in lines) == 1
        assert "The result is 42." in lines[call + 6]


async def test_orphan_tool_result_and_pending_call() -> None:
    app = ChatApp([
        {"type": "ai", "content": "", "id": "a", "tool_calls": [{"name": "search", "id": "c9"}]},
        {"type": "tool", "content": "stray", "tool_call_id": "nope", "id": "t"},
    ])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "no result yet" in text
        assert "result of nope (its call was not found)" in text
        assert "stray" in text


async def test_arrows_move_between_messages_and_enter_shows_details() -> None:
    app = ChatApp(TOOL_CONVERSATION)
    async with app.run_test(size=(80, 24)) as pilot:
        chat = chat_of(app)
        assert chat.cursor_index == 0
        await pilot.press("down")
        assert chat.cursor_index == 1
        await pilot.pause()  # the screen painted after the key, before reading it
        assert "id: a1" not in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "id: a1" in screen_text(app), what="the details")
        text = screen_text(app)
        assert "id: a1" in text and "tool message #3:" in text and "id: t1" in text
        await pilot.press("down", "c")
        assert chat.cursor_index == 3
        assert '"The result is 42."' in app.copied[-1]
        await pilot.press("i")  # ids of every message
        await wait_until(pilot, lambda: "id: h1" in screen_text(app), what="every id")


async def test_long_messages_fold_and_unfold() -> None:
    long = "\n".join(f"line {i}" for i in range(100))
    app = ChatApp([{"type": "ai", "content": long, "id": "x"}])
    async with app.run_test(size=(80, 60)) as pilot:
        text = screen_text(app)
        assert f"line {FOLD_LINES - 1}" in text and f"line {FOLD_LINES}\n" not in text
        assert f"… {100 - FOLD_LINES} more lines (enter to unfold)" in text
        await pilot.press("enter")
        await wait_until(pilot, lambda: "line 50" in screen_text(app), what="the unfolded lines")
        assert "more lines" not in screen_text(app)


async def test_find_reaches_into_folded_text() -> None:
    long = "\n".join(f"line {i}" for i in range(100))
    app = ChatApp([{"type": "human", "content": "hello", "id": "a"},
                   {"type": "ai", "content": long + "\nneedle here", "id": "b"}])
    async with app.run_test(size=(80, 30)) as pilot:
        chat = chat_of(app)
        assert chat.find("NEEDLE") == 1
        assert chat.find_step() == "message 2"
        await pilot.pause()
        assert "needle here" in screen_text(app)
        assert chat.find_position() == (1, 1)
        chat.clear_find()
        assert chat.find_position() == (0, 0)


async def test_incremental_updates_for_a_live_run() -> None:
    app = ChatApp([{"type": "human", "content": "hi", "id": "h"}])
    async with app.run_test(size=(80, 24)) as pilot:
        chat = chat_of(app)
        chat.append_token("run-1", "Hel")
        chat.append_token("run-1", "lo!")
        await pilot.pause()
        assert "Hello!" in screen_text(app)
        assert [m["content"] for m in chat.messages] == ["hi", "Hello!"]
        index = chat.upsert_message({"type": "ai", "content": "Hello, final.", "id": "run-1"})
        assert index == 1 and len(chat.messages) == 2
        chat.upsert_message({"type": "ai", "content": "", "id": "run-2", "tool_calls": [
            {"name": "calculator", "args": {}, "id": "c1"}]})
        chat.upsert_message({"type": "tool", "content": "7", "tool_call_id": "c1", "id": "t"})
        await pilot.pause()
        text = screen_text(app)
        assert "Hello, final." in text and "tool call calculator" in text
        assert "result  #4" in text
        chat.clear()
        await pilot.pause()
        assert "No messages." in screen_text(app)


async def test_ten_thousand_messages_render_only_what_is_visible() -> None:
    messages = [{"type": "human" if i % 2 else "ai", "content": f"message {i} " + "word " * 90,
                 "id": str(i)} for i in range(10_000)]
    app = ChatApp(messages)
    async with app.run_test(size=(100, 30)) as pilot:
        chat = chat_of(app)
        await pilot.press("end")
        await wait_until(pilot, lambda: "message 9999" in screen_text(app), what="the last one")
        assert chat.cursor_index == 9999
        await pilot.press("home", "pagedown")
        await pilot.pause()  # the screen painted after the keys, before reading it
        assert "message 0" not in screen_text(app)


async def test_hostile_text_is_shown_literally() -> None:
    app = ChatApp([{"type": "human", "content": HOSTILE, "name": "[b]n[/b]", "id": "[/]"},
                   {"type": "[red]odd[/red]", "content": {"not": "a string"}}])
    async with app.run_test(size=(120, 24), notifications=True) as pilot:
        await pilot.press("i", "c")
        await wait_until(pilot, lambda: "id: [/]" in screen_text(app), what="the ids")
        text = screen_text(app)
        assert "[bold red]x[/] [/] [@click=app.quit]boom[/] ␛[31mred␛]0;title␇" in text
        assert "human [b]n[/b]" in text and "id: [/]" in text
        assert "[red]odd[/red]" in text and '{"not": "a string"}' in text
        assert is_safe(text)
        assert app.is_running
