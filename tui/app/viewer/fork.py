"""Fork at a checkpoint: edit the state as it should be there, and send only what changed.

The dialog opens on the checkpoint's values in the JSON editor. Whatever the user changes is
turned into the smallest update (``tui.supersteps.diff.delta_update``: edited messages keep
their id, so ``add_messages`` replaces them; deleted ones become ``remove``), written with
``update_state`` at that checkpoint as the chosen node — optionally into a copy of the thread,
leaving the original as it was. The messages can be edited with the superstep editor's
message builder, the whole state with the JSON editor; both stay in step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Select, Static, TabbedContent, TabPane

from tui.app.keys import key
from tui.app.shared.dialog import Dialog
from tui.app.shared.json_editor import JsonEditor
from tui.app.shared.message_builder import MessageBuilder
from tui.app.shared.tickbox import TickBox
from tui.app.text import line
from tui.deployment import SPECIAL_NODES
from tui.safe import one_line
from tui.supersteps import messages as builders
from tui.supersteps.diff import DeltaUpdate, delta_update

COPY_NODE = "__copy__"


@dataclass(frozen=True)
class ForkRequest:
    values: Any
    as_node: str
    copy_first: bool


def node_choices(node_names: Sequence[str], default: str | None) -> list[str]:
    """The graph's nodes first, then the special ones (``__copy__`` forks without changes)."""
    names = [name for name in node_names if name not in SPECIAL_NODES]
    if default and default not in names and default not in SPECIAL_NODES:
        names.insert(0, default)
    return [*names, "__start__", "__input__", "__end__", COPY_NODE]


def sendable(delta: DeltaUpdate) -> dict[str, Any]:
    """The delta with messages as the server accepts them back (no output-only keys)."""
    values = dict(delta.values)
    messages = values.get("messages")
    if isinstance(messages, list):
        values["messages"] = [builders.creatable_message(m) for m in messages]
    return values


def describe_delta(delta: DeltaUpdate) -> Text:
    text = Text(end="")
    if delta.is_empty:
        text.append("Nothing changed yet: edit the state above.", style="dim italic")
    else:
        parts: list[str] = []
        for key, value in delta.values.items():
            if key == "messages" and isinstance(value, list):
                removed = sum(1 for m in value if isinstance(m, Mapping)
                              and m.get("type") == "remove")
                parts.append(f"messages: {len(value) - removed} new or edited, {removed} removed")
            else:
                parts.append(one_line(str(key), 30))
        text.append("Will send: ", style="bold")
        text.append(one_line("; ".join(parts), 200))
    for note in delta.notes:
        text.append("\n⚠ ", style="#ffd75f")
        text.append(line(note, 200))
    return text


class ForkScreen(Dialog[ForkRequest | None]):
    DEFAULT_CSS = """
    ForkScreen { align: center middle; }
    ForkScreen > #fork-dialog {
        width: 90%;
        height: 90%;
        border: thick $accent;
        background: $panel;
        padding: 0 1;
    }
    ForkScreen #fork-title { text-style: bold; height: auto; }
    ForkScreen #fork-help { color: $text-muted; height: auto; }
    ForkScreen .fork-row { height: 3; }
    ForkScreen .fork-row > Static { width: auto; padding: 1 1 0 0; }
    ForkScreen #fork-node { width: 30; }
    ForkScreen #fork-copy { width: auto; height: auto; margin: 0 0 0 2; }
    ForkScreen #fork-target { height: auto; margin: 0 0 1 0; }
    ForkScreen #fork-tabs { height: 1fr; }
    ForkScreen #fork-tabs TabPane { padding: 0; }
    ForkScreen #fork-preview { height: auto; max-height: 4; }
    ForkScreen #fork-buttons { height: 3; align-horizontal: right; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "cancel", "Cancel", "Close without forking", id="viewer.fork.cancel"),
        key("ctrl+s", "submit", "Fork", "Write the changes at this checkpoint",
            id="viewer.fork.submit"),
    ]

    def __init__(self, values: Any, *, title: str, node_names: Sequence[str],
                 default_node: str | None, thread: str = "") -> None:
        super().__init__()
        self._thread = thread
        self._original = values if isinstance(values, Mapping) else {}
        self._title = title
        self._choices = node_choices(node_names, default_node)
        self._default = default_node if default_node in self._choices else self._choices[0]
        self._delta = DeltaUpdate()

    def compose(self) -> ComposeResult:
        with Vertical(id="fork-dialog"):
            yield Static(line(self._title, 200), id="fork-title")
            yield Static(
                "Edit the state as it should be at this checkpoint — its messages with the "
                "builder (h/a/s/t add, e edit, d delete), or all of it as JSON. Only what you "
                "change is sent; a message keeps its id, so editing it replaces it.",
                id="fork-help",
                markup=False,
            )
            with Horizontal(classes="fork-row"):
                yield Static("as node", markup=False)
                yield Select([(line(n, 40), n) for n in self._choices], value=self._default,
                             allow_blank=False, id="fork-node")
                yield TickBox("Fork into a copy (the original thread stays as it is)",
                              value=False, id="fork-copy", compact=True)
            yield Static(self._target_text(False), id="fork-target")
            with TabbedContent(id="fork-tabs", initial=self._first_tab):
                with TabPane("Messages", id="fork-tab-messages"):
                    yield MessageBuilder(self._messages(self._original), id="fork-messages")
                with TabPane("State JSON", id="fork-tab-json"):
                    yield JsonEditor(dict(self._original), id="fork-editor")
            yield Static("", id="fork-preview", markup=False)
            with Horizontal(id="fork-buttons"):
                yield Button("Fork (ctrl+s)", variant="primary", id="fork-submit")
                yield Button("Cancel (esc)", id="fork-cancel")

    def _target_text(self, copy_first: bool) -> Text:
        """Which thread the fork goes to, in words (it follows the copy box)."""
        name = f"thread {self._thread}" if self._thread else "this thread"
        text = Text("Goes ", end="")
        if copy_first:
            text.append("into a new copy of this thread", style="bold")
            text.append(f": the copy gets the fork and is opened; {name} stays as it is.")
        else:
            text.append("into this thread, as a new branch", style="bold")
            text.append(f": {name} gets a new checkpoint after this one, and its state becomes "
                        "the fork (the old branch stays in its history).")
        return text

    @on(Checkbox.Changed, "#fork-copy")
    def _copy_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#fork-target", Static).update(self._target_text(event.value))

    @staticmethod
    def _messages(values: Any) -> list[Any]:
        messages = values.get("messages") if isinstance(values, Mapping) else None
        return list(messages) if isinstance(messages, list) else []

    @property
    def _first_tab(self) -> str:
        has_messages = isinstance(self._original.get("messages"), list)
        return "fork-tab-messages" if has_messages else "fork-tab-json"

    def on_mount(self) -> None:
        self._update_preview(self._original)
        if self._first_tab == "fork-tab-messages":
            self.builder.focus()
        else:
            self.editor.focus()

    @property
    def editor(self) -> JsonEditor:
        return self.query_one("#fork-editor", JsonEditor)

    @property
    def builder(self) -> MessageBuilder:
        return self.query_one("#fork-messages", MessageBuilder)

    def _update_preview(self, value: Any) -> None:
        self._delta = delta_update(self._original, value)
        self.query_one("#fork-preview", Static).update(describe_delta(self._delta))

    @on(JsonEditor.Changed)
    def _changed(self, event: JsonEditor.Changed) -> None:
        self._update_preview(event.value)
        self.builder.set_messages(self._messages(event.value))

    @on(JsonEditor.Invalid)
    def _invalid(self, event: JsonEditor.Invalid) -> None:
        text = Text("Fix the JSON to see what will be sent.", style="#ff8787")
        self.query_one("#fork-preview", Static).update(text)

    @on(MessageBuilder.Changed, "#fork-messages")
    def _messages_changed(self, event: MessageBuilder.Changed) -> None:
        """The builder edited the messages: put them into the state JSON."""
        event.stop()
        editor = self.editor
        if editor.validate_now() is not None or not isinstance(editor.value, Mapping):
            self.notify("Fix the state JSON first: the messages are part of it.",
                        severity="warning", markup=False)
            self.builder.set_messages(self._messages(editor.value))
            return
        values = {**editor.value, "messages": event.messages}
        editor.value = values
        self._update_preview(values)

    @on(Button.Pressed, "#fork-submit")
    def action_submit(self) -> None:
        editor = self.editor
        error = editor.validate_now()
        if error is not None:
            self.notify(f"The JSON is not valid: {error}", severity="error", markup=False)
            return
        self._update_preview(editor.value)
        as_node = str(self.query_one("#fork-node", Select).value)
        copy_first = self.query_one("#fork-copy", Checkbox).value
        if as_node == COPY_NODE:
            self.dismiss(ForkRequest(None, as_node, copy_first))
            return
        if self._delta.is_empty:
            self.notify("Nothing to send: change the state first (or fork as __copy__).",
                        severity="warning", markup=False)
            return
        self.dismiss(ForkRequest(sendable(self._delta), as_node, copy_first))

    @on(Button.Pressed, "#fork-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
