"""The message dialog: write or edit one LangChain message — type, name, content; an AI
message's tool calls (name, JSON args, id); the tool call a tool message answers. Returns the
message dict through ``dismiss`` (None when cancelled). Also ``ChoiceInput``: free text with a
Select of suggestions (the editor's as_node and goto fields use it too).

Values shown here come from files and deployments: control characters are shown as symbols
and a field left as it was keeps its original value exactly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from tui.app.keys import key
from tui.app.shared.dialog import Dialog
from tui.app.text import line
from tui.safe import json_text, sanitize
from tui.supersteps import messages as build
from tui.supersteps.jsontext import parse_json_text

KINDS = ("human", "ai", "system", "tool")


class ChoiceInput(Horizontal):
    """An Input for free text with a Select of suggestions beside it (picking one fills the
    Input). ``Changed`` is the Input's, so listen for ``Input.Changed`` / ``Input.Submitted``."""

    DEFAULT_CSS = """
    ChoiceInput { height: 1; width: 1fr; }
    ChoiceInput > Input { width: 1fr; background: $boost; }
    ChoiceInput > Select { width: 20; margin-left: 1; }
    """

    def __init__(self, value: str = "", *, choices: Sequence[str] = (), placeholder: str = "",
                 pick_prompt: str = "pick…", id: str | None = None) -> None:
        super().__init__(id=id)
        self._choices = list(choices)
        self.input = Input(sanitize(value), placeholder=placeholder, compact=True,
                           suggester=SuggestFromList(self._choices, case_sensitive=False))
        self.select: Select[str] = Select(self._options(), prompt=pick_prompt, compact=True)

    def _options(self) -> list[tuple[Text, str]]:
        return [(line(choice, 60), choice) for choice in self._choices]

    def compose(self) -> ComposeResult:
        yield self.input
        yield self.select

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = sanitize(text)

    def set_choices(self, choices: Sequence[str]) -> None:
        if list(choices) == self._choices:
            return
        self._choices = list(choices)
        self.input.suggester = SuggestFromList(self._choices, case_sensitive=False)
        with self.select.prevent(Select.Changed):
            self.select.set_options(self._options())

    @on(Select.Changed)
    def _picked(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            self.input.value = event.value
            with self.select.prevent(Select.Changed):
                self.select.clear()
            self.input.focus()


def call_label(call: Mapping[str, Any]) -> str:
    name = call.get("name") if isinstance(call.get("name"), str) else "?"
    args = json.dumps(call.get("args"), ensure_ascii=False) if call.get("args") else ""
    return f"{call.get('id')} · {name}({args})"


class ToolCallRow(Vertical):
    """One tool call of an AI message: name, JSON args, id."""

    DEFAULT_CSS = """
    ToolCallRow { height: auto; margin-bottom: 1; }
    ToolCallRow > Horizontal { height: 1; }
    ToolCallRow Input.-name { width: 18; }
    ToolCallRow Input.-args { width: 1fr; margin: 0 1; }
    ToolCallRow Input.-id { width: 30; }
    ToolCallRow Button { min-width: 5; width: 5; margin-left: 1; }
    ToolCallRow > .status { height: 1; color: $text-muted; }
    ToolCallRow > .status.-invalid { color: $error; }
    """

    def __init__(self, call: Mapping[str, Any]) -> None:
        super().__init__()
        self.original = dict(call)
        args = call.get("args")
        self.name_input = Input(sanitize(str(call.get("name") or "")), placeholder="tool name",
                                compact=True, classes="-name")
        self.args_input = Input(
            json_text(args if args is not None else {}),
            placeholder='args, a JSON object: {"x": 1}', compact=True, classes="-args")
        self.id_input = Input(sanitize(str(call.get("id") or "")), placeholder="call id",
                              compact=True, classes="-id")
        self.status = Static("", classes="status", markup=False)

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield self.name_input
            yield self.args_input
            yield self.id_input
            yield Button("✕", compact=True, classes="remove-call", tooltip="Remove this call")
        yield self.status

    def on_mount(self) -> None:
        self.check()

    @on(Input.Changed)
    def _changed(self) -> None:
        self.check()

    def check(self) -> tuple[dict[str, Any] | None, str | None]:
        """``(tool call, None)`` or ``(None, problem)``; shows the problem under the row."""
        value, error = parse_json_text(self.args_input.value or "{}")
        problem: str | None = None
        if error is not None:
            problem = f"args: column {error.column}: {error.message}"
        elif not isinstance(value, dict):
            problem = "args must be a JSON object ({} for none)"
        elif not self.name_input.value.strip():
            problem = "the tool call needs a name"
        elif not self.id_input.value.strip():
            problem = "the tool call needs an id"
        self.status.set_class(problem is not None, "-invalid")
        self.status.update(line(f"✗ {problem}" if problem else "✓ tool call", 120))
        if problem is not None or not isinstance(value, dict):
            return None, problem
        call = dict(self.original)
        call.update(name=_kept(self.original.get("name"), self.name_input.value.strip()),
                    args=value, id=_kept(self.original.get("id"), self.id_input.value.strip()))
        return call, None


def _kept(original: Any, shown: str) -> Any:
    """What the user left as it was is kept exactly (even control characters it had)."""
    if isinstance(original, str) and sanitize(original).strip() == shown:
        return original
    return shown


class MessageDialog(Dialog[dict[str, Any] | None]):
    """Write or edit one message. ``open_calls`` are offered as the tool message's answer."""

    DEFAULT_CSS = """
    MessageDialog { align: center middle; }
    MessageDialog > #message-dialog {
        width: 90%; max-width: 110; height: auto; max-height: 95%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    MessageDialog #message-title { text-style: bold; color: $accent; height: 1; }
    MessageDialog .row { height: 1; margin-top: 1; }
    MessageDialog .row > Label { width: 9; color: $text-muted; }
    MessageDialog #message-kind { width: 14; }
    MessageDialog #message-name { width: 1fr; margin-left: 2; }
    MessageDialog #message-content { height: 7; }
    MessageDialog .field-label { height: 1; color: $text-muted; margin-top: 1; }
    MessageDialog Input { background: $boost; }
    MessageDialog #message-note, MessageDialog #message-error { height: auto; color: $warning; }
    MessageDialog #message-error { color: $error; }
    MessageDialog #tool-calls { height: auto; max-height: 14; margin-top: 1; }
    MessageDialog #tool-calls-title { height: 1; color: $text-muted; }
    MessageDialog #tool-answer { height: auto; }
    MessageDialog .buttons { height: 1; align-horizontal: right; margin-top: 1; }
    MessageDialog .buttons Button { margin-left: 2; }
    MessageDialog.-kind-ai #tool-answer, MessageDialog.-kind-human #tool-calls,
    MessageDialog.-kind-system #tool-calls, MessageDialog.-kind-tool #tool-calls,
    MessageDialog.-kind-human #tool-answer, MessageDialog.-kind-system #tool-answer {
        display: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "cancel", "Cancel", "Close without changing the message",
            id="message.cancel"),
        key("ctrl+s", "submit", "OK", "Keep this message", id="message.submit"),
        key("ctrl+t", "add_call", "Add tool call", "Add a tool call to this AI message",
            id="message.add_call"),
    ]

    def __init__(self, message: Any = None, *, kind: str = "human",
                 open_calls: Sequence[Mapping[str, Any]] = (),
                 id_factory: Callable[[], str] | None = None, title: str | None = None) -> None:
        super().__init__()
        self.original: dict[str, Any] = dict(message) if isinstance(message, Mapping) else {}
        found = build.message_type(message) if message is not None else None
        self.kind = found if found in KINDS else kind
        self.open_calls = [dict(call) for call in open_calls]
        self.id_factory = id_factory
        self.title_text = title or ("Edit message" if message is not None else
                                    f"New {self.kind} message")
        content = self.original.get("content", "") if message is not None else ""
        self._content_is_text = isinstance(content, str)
        self._content_original = content
        self._content_shown = (sanitize(content) if isinstance(content, str)
                               else json_text(content, indent=2))

    def compose(self) -> ComposeResult:
        original = self.original
        with Vertical(id="message-dialog"):
            yield Static(line(self.title_text, 100), id="message-title")
            with Horizontal(classes="row"):
                yield Label("type")
                yield Select([(k, k) for k in KINDS], value=self.kind, allow_blank=False,
                             compact=True, id="message-kind")
                yield Input(sanitize(str(original.get("name") or "")), compact=True,
                            placeholder="name (optional; a tool result: the tool's name)",
                            id="message-name")
            yield Label("content", classes="field-label")
            yield TextArea(self._content_shown, soft_wrap=True, id="message-content")
            yield Static(self._note(), id="message-note", markup=False)
            with VerticalScroll(id="tool-calls"):
                yield Static("Tool calls — ctrl+t adds one:  name · args (a JSON object) · id",
                             id="tool-calls-title", markup=False)
                for call in build.tool_calls_of(original):
                    if isinstance(call, Mapping):
                        yield ToolCallRow(call)
            with Vertical(id="tool-answer"):
                yield Label("answers tool call (tool_call_id)")
                current = str(original.get("tool_call_id") or "")
                if not current and self.open_calls:
                    current = str(self.open_calls[0].get("id"))
                yield ChoiceInput(current, choices=[str(c.get("id")) for c in self.open_calls],
                                  placeholder="the id of an earlier AI tool call",
                                  pick_prompt="open calls…", id="message-call-id")
                yield Static(self._calls_text(), id="message-open-calls")
            yield Static("", id="message-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("OK (ctrl+s)", variant="primary", compact=True, id="message-ok")
                yield Button("Cancel (esc)", compact=True, id="message-cancel")

    def _note(self) -> str:
        if not self._content_is_text:
            return "This content is a list of parts: edit it as JSON."
        if isinstance(self._content_original, str) and self._content_shown != (
                self._content_original):
            return "Control characters are shown as symbols; they are kept unless you edit."
        return ""

    def _calls_text(self) -> Text:
        if not self.open_calls:
            return Text("No open tool calls earlier: add an AI message with a tool call first.",
                        style="dim")
        text = Text(end="")
        text.append("open: ", style="dim")
        text.append_text(line("; ".join(call_label(c) for c in self.open_calls), 200))
        return text

    def on_mount(self) -> None:
        self._show_kind()
        self.query_one("#message-content", TextArea).focus()
        if self.kind == "tool" and "name" not in self.original:
            self._fill_tool_name()

    def _show_kind(self) -> None:
        for kind in KINDS:
            self.set_class(kind == self.kind, f"-kind-{kind}")

    @on(Select.Changed, "#message-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            self.kind = event.value
            self._show_kind()

    @on(Input.Changed, "#message-call-id Input")
    def _call_id_changed(self, event: Input.Changed) -> None:
        self._fill_tool_name()

    def _fill_tool_name(self) -> None:
        """A tool result is named after the tool it answers (when the name is still empty)."""
        name_input = self.query_one("#message-name", Input)
        call_id = self.query_one("#message-call-id", ChoiceInput).value.strip()
        call = next((c for c in self.open_calls if c.get("id") == call_id), None)
        if call is not None and isinstance(call.get("name"), str) and not name_input.value:
            name_input.value = sanitize(call["name"])

    def action_add_call(self) -> None:
        if self.kind != "ai":
            self.query_one("#message-kind", Select).value = "ai"
        row = ToolCallRow(build.tool_call("", {}, id_factory=self.id_factory))
        self.query_one("#tool-calls", VerticalScroll).mount(row)
        self.call_after_refresh(row.name_input.focus)

    @on(Button.Pressed, ".remove-call")
    def _remove_call(self, event: Button.Pressed) -> None:
        event.stop()
        for ancestor in event.button.ancestors:
            if isinstance(ancestor, ToolCallRow):
                ancestor.remove()
                return

    def build_message(self) -> tuple[dict[str, Any] | None, str | None]:
        """The message the dialog describes, or a problem to show."""
        text = self.query_one("#message-content", TextArea).text
        if self._content_is_text:
            content: Any = self._content_original if text == self._content_shown else text
        else:
            content, error = parse_json_text(text)
            if error is not None:
                return None, f"content: {error}"
        name_input = self.query_one("#message-name", Input)
        name = _kept(self.original.get("name"), name_input.value.strip())
        message = {k: v for k, v in self.original.items() if k not in ("role", "tool_calls",
                                                                        "tool_call_id")}
        message.update(type=self.kind, content=content)
        if name:
            message["name"] = name
        else:
            message.pop("name", None)
        if self.kind == "ai":
            calls = []
            for row in self.query(ToolCallRow):
                call, problem = row.check()
                if call is None:
                    return None, f"tool call: {problem}"
                calls.append(call)
            if calls:
                message["tool_calls"] = calls
        elif self.kind == "tool":
            call_id = _kept(self.original.get("tool_call_id"),
                            self.query_one("#message-call-id", ChoiceInput).value.strip())
            if not call_id:
                return None, "a tool message answers a tool call: give its tool_call_id"
            message["tool_call_id"] = call_id
        else:
            message.pop("status", None)
            message.pop("artifact", None)
        return message, None

    @on(Button.Pressed, "#message-ok")
    def action_submit(self) -> None:
        message, problem = self.build_message()
        if message is None:
            self.query_one("#message-error", Static).update(line(f"✗ {problem}", 200))
            return
        self.dismiss(message)

    @on(Button.Pressed, "#message-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
