"""Build a list of LangChain messages by keys: human, ai (with tool calls), system and tool
messages; edit, reorder and delete them. Reusable: the superstep editor edits an update's
``values.messages`` with it, and any dialog that needs "a few messages" can embed it.

- ``MessageBuilder(messages, prior=..., id_factory=...)``: the list, with keys (``h`` ``a``
  ``s`` ``t`` add, ``enter`` edit, ``d`` delete, ``K``/``J`` move). ``prior`` are the messages
  written before this list (earlier in a script, or the thread's state): their open tool calls
  are offered to a new tool message. Posts :class:`MessageBuilder.Changed` after every edit.
- ``MessageDialog`` and ``ChoiceInput`` (free text plus a Select of suggestions) live in
  :mod:`tui.app.shared.message_dialog` and are re-exported here.
- ``open_tool_calls(messages)``: AI tool calls no later tool message has answered.

Message text comes from files and deployments: it is shown through ``tui.app.text`` and a
value holding control characters is kept as it was unless the user edits it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.keys import key
from tui.app.shared.message_dialog import KINDS, ChoiceInput, MessageDialog, call_label
from tui.app.text import line
from tui.supersteps import messages as build

__all__ = ["KINDS", "ChoiceInput", "MessageBuilder", "MessageDialog", "call_label",
           "message_row", "open_tool_calls"]

ROLE_STYLE = {"human": "bold #5fafff", "ai": "bold #87d787", "system": "bold #d7af5f",
              "tool": "bold #d787d7"}


def open_tool_calls(messages: Sequence[Any]) -> list[dict[str, Any]]:
    """Tool calls of AI messages that no later tool message answers, oldest first."""
    calls: dict[str, dict[str, Any]] = {}
    for message in messages:
        kind = build.message_type(message)
        if kind == "ai":
            for call in build.tool_calls_of(message):
                if isinstance(call, Mapping) and isinstance(call.get("id"), str):
                    calls[call["id"]] = dict(call)
        elif kind == "tool" and isinstance(message, Mapping):
            calls.pop(str(message.get("tool_call_id")), None)
    return list(calls.values())


def message_row(index: int, message: Any, width: int = 70) -> Text:
    """One list row: number, role, one-line preview (literal text)."""
    summary = build.summarize_message(message, width)
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(f"{index + 1:>2} ", style="dim")
    text.append(f"{summary.role:<6} ", style=ROLE_STYLE.get(summary.role, "bold red"))
    text.append_text(line(summary.preview or "(empty)", width))
    return text


class MessageBuilder(Vertical):
    """A messages list edited by keys; posts :class:`Changed` with the new list."""

    PALETTE_GROUP = "Messages"
    DEFAULT_CSS = """
    MessageBuilder { height: 1fr; }
    MessageBuilder > OptionList, MessageBuilder > OptionList:focus {
        height: 1fr; border: none; border-left: blank; padding: 0;
    }
    MessageBuilder > OptionList:focus { border-left: outer $accent; }
    MessageBuilder > OptionList { text-wrap: nowrap; text-overflow: ellipsis; }
    MessageBuilder > .hint { height: 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("h", "add('human')", "Human", "Add a human message after the selected one",
            id="messages.add_human"),
        key("a", "add('ai')", "AI", "Add an AI message (ctrl+t in it adds tool calls)",
            id="messages.add_ai"),
        key("s", "add('system')", "System", "Add a system message", id="messages.add_system"),
        key("t", "add('tool')", "Tool", "Add a tool message answering an open tool call",
            id="messages.add_tool"),
        key("e", "edit", "Edit", "Edit the selected message", id="messages.edit"),
        key("d,delete", "delete", "Delete", "Delete the selected message",
            id="messages.delete"),
        key("K,shift+up", "move(-1)", "Up", "Move the selected message up",
            id="messages.move_up", show=False),
        key("J,shift+down", "move(1)", "Down", "Move the selected message down",
            id="messages.move_down", show=False),
    ]

    class Changed(Message):
        """The user changed the list; ``messages`` is the whole new list."""

        def __init__(self, builder: MessageBuilder, messages: list[Any]) -> None:
            super().__init__()
            self.builder = builder
            self.messages = messages

        @property
        def control(self) -> MessageBuilder:
            return self.builder

    def __init__(self, messages: Sequence[Any] = (), *, prior: Sequence[Any] = (),
                 id_factory: Callable[[], str] | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._messages = list(messages)
        self._prior = list(prior)
        self._shown = False
        self.id_factory = id_factory

    def compose(self) -> ComposeResult:
        yield OptionList(id="message-list")
        yield Static("h human · a ai · s system · t tool · e edit · d delete · K/J move",
                     classes="hint", markup=False)

    def on_mount(self) -> None:
        self._refresh_list(len(self._messages) - 1)

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#message-list", OptionList)

    @property
    def messages(self) -> list[Any]:
        return list(self._messages)

    def set_messages(self, messages: Sequence[Any], prior: Sequence[Any] | None = None) -> None:
        """Show another list (no Changed is posted); the same list again costs nothing."""
        if prior is not None:
            self._prior = list(prior)
        if self.is_mounted and list(messages) == self._messages and self._shown:
            return
        self._messages = list(messages)
        if self.is_mounted:
            keep = self.option_list.highlighted
            self._refresh_list(keep if keep is not None else len(self._messages) - 1)

    def focus(self, scroll_visible: bool = True) -> MessageBuilder:
        self.option_list.focus(scroll_visible)
        return self

    def _refresh_list(self, highlight: int | None) -> None:
        self._shown = True
        options = self.option_list
        options.clear_options()
        if not self._messages:
            options.add_option(Option(Text("No messages: h adds a human message, a an AI one.",
                                           style="dim italic"), disabled=True))
            return
        options.add_options([Option(message_row(i, m)) for i, m in enumerate(self._messages)])
        if highlight is not None:
            options.highlighted = max(0, min(highlight, len(self._messages) - 1))

    def _current(self) -> int | None:
        index = self.option_list.highlighted
        if index is None or not self._messages:
            return None
        return min(index, len(self._messages) - 1)

    def open_calls(self, before: int) -> list[dict[str, Any]]:
        """Tool calls still unanswered just before position ``before``."""
        return open_tool_calls([*self._prior, *self._messages[:before]])

    def _commit(self, messages: list[Any], highlight: int | None) -> None:
        self._messages = messages
        self._refresh_list(highlight)
        self.post_message(self.Changed(self, list(messages)))

    def action_add(self, kind: str) -> None:
        current = self._current()
        position = len(self._messages) if current is None else current + 1

        def added(message: dict[str, Any] | None) -> None:
            if message is not None:
                self._commit(build.insert_message(self._messages, position, message), position)

        self.app.push_screen(MessageDialog(kind=kind, open_calls=self.open_calls(position),
                                           id_factory=self.id_factory), added)

    def action_edit(self) -> None:
        index = self._current()
        if index is None:
            self.action_add("human")
            return

        def edited(message: dict[str, Any] | None) -> None:
            if message is not None and message != self._messages[index]:
                self._commit(build.replace_message(self._messages, index, message), index)

        self.app.push_screen(MessageDialog(self._messages[index],
                                           open_calls=self.open_calls(index),
                                           id_factory=self.id_factory), edited)

    @on(OptionList.OptionSelected, "#message-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_delete(self) -> None:
        index = self._current()
        if index is not None:
            self._commit(build.delete_message(self._messages, index), index)

    def action_move(self, by: int) -> None:
        index = self._current()
        if index is None or not 0 <= index + by < len(self._messages):
            return
        self._commit(build.move_message(self._messages, index, index + by), index + by)
