"""The form for one update: ``as_node`` (graph-aware), values (message builder or JSON) or a
``command`` (update JSON, goto, resume). It turns what the user types into
:class:`FieldEdited` / :class:`FieldInvalid` messages; the editor applies them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, Input, Label, Select, Static, TabbedContent, TabPane

from tui.app.editor.events import FieldEdited, FieldInvalid
from tui.app.editor.node_picker import NodePicker
from tui.app.editor.state import (
    PendingTexts,
    goto_choices,
    goto_text,
    parse_goto,
    parse_resume,
    resume_text,
)
from tui.app.shared.json_editor import JsonEditor
from tui.app.shared.jsonfield import dumps_safe
from tui.app.shared.message_builder import ChoiceInput, MessageBuilder
from tui.safe import sanitize
from tui.supersteps.messages import messages_of
from tui.supersteps.model import Update

KIND_VALUES = "values"
KIND_COMMAND = "command"


def _shown(text: str | None) -> str:
    return sanitize(text or "")


class UpdateForm(Vertical):
    DEFAULT_CSS = """
    UpdateForm { height: 1fr; }
    UpdateForm .row { height: 1; }
    UpdateForm .row > Label, UpdateForm #node-row > Label { width: 9; color: $text-muted; }
    UpdateForm #node-row { height: auto; }
    UpdateForm #update-title { height: 1; text-style: bold; }
    UpdateForm #update-kind { width: 14; }
    UpdateForm #update-kind-hint { width: 1fr; color: $text-muted; padding-left: 1; }
    UpdateForm #update-body { height: 1fr; }
    UpdateForm TabbedContent { height: 1fr; }
    UpdateForm TabPane { padding: 0; height: 1fr; }
    UpdateForm #command-body { height: 1fr; }
    UpdateForm #goto-hint { height: 1; color: $text-muted; }
    UpdateForm #command-update { height: 1fr; }
    UpdateForm .label { height: 1; color: $text-muted; }
    UpdateForm Input { background: $boost; }
    """

    def __init__(self, *, id: str | None = None,
                 id_factory: Callable[[], str] | None = None) -> None:
        super().__init__(id=id)
        self.owner: Update | None = None
        self.address: tuple[int, int] = (0, 0)
        self.picker = NodePicker(id="node-picker")
        self.goto = ChoiceInput(choices=goto_choices(None), placeholder="node name(s) or JSON",
                                pick_prompt="nodes…", id="goto-choice")
        self.builder = MessageBuilder(id="messages", id_factory=id_factory)
        self._json_sources: dict[str, tuple[tuple[int, str | None], Any]] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="update-title")
        with Horizontal(id="node-row"):
            yield Label("as_node")
            yield self.picker
        with Horizontal(classes="row"):
            yield Label("kind")
            yield Select([("values", KIND_VALUES), ("command", KIND_COMMAND)],
                         value=KIND_VALUES, allow_blank=False, compact=True, id="update-kind")
            yield Static("", id="update-kind-hint", markup=False)
        with ContentSwitcher(initial="values-body", id="update-body"):
            with TabbedContent(id="values-body"):
                with TabPane("Messages", id="tab-messages"):
                    yield self.builder
                with TabPane("Values JSON", id="tab-json"):
                    yield JsonEditor({}, id="values-json")
            with Vertical(id="command-body"):
                with Horizontal(classes="row"):
                    yield Label("goto")
                    yield self.goto
                yield Static('a node, "a, b", or JSON Sends: [{"node": "tools", "input": {…}}]',
                             id="goto-hint", markup=False)
                with Horizontal(classes="row"):
                    yield Label("resume")
                    yield Input(placeholder="value for the interrupt (JSON, or plain text)",
                                compact=True, id="command-resume")
                yield Static("update (JSON: what the command writes)", classes="label",
                             markup=False)
                yield JsonEditor(None, id="command-update")

    # ---------------------------------------------------------------- loading

    def load(self, owner: Update, address: tuple[int, int], *, prior: Sequence[Any],
             pending: PendingTexts, node_names: Sequence[str] | None,
             skip: str | None = None) -> None:
        """Show ``owner`` (the update at ``address``); ``skip`` is the field the user is
        typing in (left alone so the cursor and the text stay)."""
        self.owner = owner
        self.address = address
        s, u = address
        title = Text(f"Superstep {s + 1} · update {u + 1}", style="bold", end="")
        self.query_one("#update-title", Static).update(title)
        self.picker.set_nodes(node_names)
        self.goto.set_choices(goto_choices(node_names))
        if skip != "as_node" and self.picker.value != _shown(owner.as_node):
            self.picker.choice.value = owner.as_node or ""
        self.picker.show_hint(owner.as_node)
        is_command = owner.command is not None
        kind = KIND_COMMAND if is_command else KIND_VALUES
        kind_select = self.query_one("#update-kind", Select)
        if kind_select.value != kind:
            with kind_select.prevent(Select.Changed):
                kind_select.value = kind
        self.query_one("#update-kind-hint", Static).update(
            "a Command: update + goto (+ resume)" if is_command else "state key → value")
        self.query_one(ContentSwitcher).current = "command-body" if is_command else "values-body"
        if is_command:
            self._load_command(owner, pending, skip)
        else:
            if skip != "values":
                self._load_json("#values-json", owner.values, pending.get(owner, "values"))
            if skip != "messages":
                self.builder.set_messages(messages_of(owner.values), prior=prior)

    def _load_command(self, owner: Update, pending: PendingTexts, skip: str | None) -> None:
        command = owner.command
        assert command is not None
        if skip != "command.update":
            self._load_json("#command-update", command.update,
                            pending.get(owner, "command.update"))
        if skip != "command.goto":
            waiting = pending.get(owner, "command.goto")
            text = waiting.text if waiting else goto_text(command.goto)
            if self.goto.value != _shown(text):
                self.goto.value = text
        if skip != "command.resume":
            resume = self.query_one("#command-resume", Input)
            if resume.value != _shown(resume_text(command.resume)):
                resume.value = sanitize(resume_text(command.resume))

    def _load_json(self, selector: str, value: Any, waiting: Any) -> None:
        source = (id(value), waiting.text if waiting is not None else None)
        if self._json_sources.get(selector) == (source, value):
            return  # the very same value already shown (an edit of another field)
        editor = self.query_one(selector, JsonEditor)
        text = waiting.text if waiting is not None else dumps_safe(value)
        if editor.text != text:
            editor.text = text
        self._json_sources[selector] = (source, value)

    def focus_node(self) -> None:
        self.picker.choice.input.focus()

    def focus_messages(self) -> None:
        if self.owner is not None and self.owner.command is None:
            self.query_one(TabbedContent).active = "tab-messages"
            self.builder.focus()

    def focus_json(self) -> None:
        if self.owner is not None and self.owner.command is not None:
            self.query_one("#command-update", JsonEditor).focus()
        else:
            self.query_one(TabbedContent).active = "tab-json"
            self.query_one("#values-json", JsonEditor).focus()

    # ---------------------------------------------------------------- user edits

    def _send(self, field: str, value: Any, text: str | None = None) -> None:
        self.post_message(FieldEdited(self.owner, field, value, text))

    @on(Input.Changed, "#node-choice Input")
    def _node_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.owner is None or event.value != event.input.value:
            return
        if event.value == _shown(self.owner.as_node):
            return  # unchanged (or shown with its control characters made visible)
        self.picker.show_hint(event.value)
        self._send("as_node", event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a one-line field: back to the outline."""
        event.stop()
        self._send("done", None)

    @on(Select.Changed, "#update-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.owner is None:
            return
        current = KIND_COMMAND if self.owner.command is not None else KIND_VALUES
        if event.value != current:
            self._send("kind", event.value)

    @on(JsonEditor.Changed)
    def _json_changed(self, event: JsonEditor.Changed) -> None:
        event.stop()
        field = self._json_field(event.editor)
        if self.owner is None or field is None or event.text != event.editor.text:
            return
        self._json_sources.pop(f"#{event.editor.id}", None)  # the text is the user's now
        self._send(field, event.value)

    @on(JsonEditor.Invalid)
    def _json_invalid(self, event: JsonEditor.Invalid) -> None:
        event.stop()
        field = self._json_field(event.editor)
        if self.owner is None or field is None or event.text != event.editor.text:
            return
        self._json_sources.pop(f"#{event.editor.id}", None)
        self.post_message(FieldInvalid(self.owner, field, event.text, event.error))

    def _json_field(self, editor: JsonEditor) -> str | None:
        return {"values-json": "values", "command-update": "command.update"}.get(editor.id or "")

    @on(MessageBuilder.Changed)
    def _messages_changed(self, event: MessageBuilder.Changed) -> None:
        event.stop()
        self._send("messages", event.messages)

    @on(Input.Changed, "#goto-choice Input")
    def _goto_changed(self, event: Input.Changed) -> None:
        event.stop()
        owner = self.owner
        if owner is None or owner.command is None or event.value != event.input.value:
            return
        if event.value == _shown(goto_text(owner.command.goto)):
            return
        value, error = parse_goto(event.value)
        if error is not None:
            self.post_message(FieldInvalid(owner, "command.goto", event.value, error))
        else:
            self._send("command.goto", value, event.value)

    @on(Input.Changed, "#command-resume")
    def _resume_changed(self, event: Input.Changed) -> None:
        event.stop()
        owner = self.owner
        if owner is None or owner.command is None or event.value != event.input.value:
            return
        if event.value == _shown(resume_text(owner.command.resume)):
            return
        self._send("command.resume", parse_resume(event.value))

