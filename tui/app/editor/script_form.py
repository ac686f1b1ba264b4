"""The form for the script itself: the graph (from the deployment's assistants), metadata, and
the optional ``thread_id`` / ``if_exists`` / ``ttl`` of ``POST /threads``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from tui.app.editor.events import FieldEdited, FieldInvalid
from tui.app.editor.state import PendingTexts
from tui.app.shared.json_editor import JsonEditor
from tui.app.shared.jsonfield import dumps_safe
from tui.app.text import line
from tui.safe import sanitize
from tui.supersteps.jsontext import JsonError
from tui.supersteps.model import Script

IF_EXISTS = [("raise (fail if the id exists)", "raise"),
             ("do_nothing (return the existing thread)", "do_nothing")]


def ttl_text(ttl: Any) -> str:
    if isinstance(ttl, Mapping) and isinstance(ttl.get("ttl"), int | float):
        minutes = ttl["ttl"]
        return str(int(minutes)) if float(minutes).is_integer() else str(minutes)
    return ""


def parse_ttl(text: str, current: Any) -> tuple[Any, str | None]:
    """Minutes → ``{"ttl": minutes, "strategy": ...}`` (the current strategy kept)."""
    if not text.strip():
        return None, None
    try:
        minutes = float(text)
    except ValueError:
        return None, "ttl: a number of minutes"
    if minutes <= 0:
        return None, "ttl: more than 0 minutes"
    strategy = current.get("strategy") if isinstance(current, Mapping) else None
    value = int(minutes) if minutes.is_integer() else minutes
    return {"ttl": value, "strategy": strategy or "delete"}, None


class ScriptForm(Vertical):
    DEFAULT_CSS = """
    ScriptForm { height: 1fr; }
    ScriptForm .row { height: 1; margin-bottom: 1; }
    ScriptForm .row > Label { width: 11; color: $text-muted; }
    ScriptForm #script-graph { width: 1fr; }
    ScriptForm #script-if-exists { width: 1fr; }
    ScriptForm #script-title { height: 1; text-style: bold; margin-bottom: 1; }
    ScriptForm .label { height: 1; color: $text-muted; }
    ScriptForm Input { background: $boost; }
    ScriptForm #script-metadata { height: 1fr; min-height: 5; }
    ScriptForm #script-graph-hint { height: auto; color: $text-muted; margin-bottom: 1; }
    ScriptForm #script-ttl-status { height: auto; color: $error; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.graphs: list[str] | None = None
        self._script = Script()
        self._options_shown: tuple[list[str], list[str] | None] | None = None

    def compose(self) -> ComposeResult:
        yield Static("Script: the body of POST /threads", id="script-title", markup=False)
        with Horizontal(classes="row"):
            yield Label("graph")
            yield Select([], prompt="choose the graph", compact=True, id="script-graph")
        yield Static("", id="script-graph-hint")
        with Horizontal(classes="row"):
            yield Label("thread_id")
            yield Input(placeholder="optional UUID (the client picks one otherwise)",
                        compact=True, id="script-thread-id")
        with Horizontal(classes="row"):
            yield Label("if_exists")
            yield Select(IF_EXISTS, prompt="(not sent: raise)", compact=True,
                         id="script-if-exists")
        with Horizontal(classes="row"):
            yield Label("ttl (min)")
            yield Input(placeholder="optional: delete the thread after N minutes", compact=True,
                        id="script-ttl")
        yield Static("", id="script-ttl-status", markup=False)
        yield Static("metadata (JSON object; graph_id is the graph above)", classes="label",
                     markup=False)
        yield JsonEditor({}, id="script-metadata")

    def load(self, script: Script, graphs: Sequence[str] | None, pending: PendingTexts,
             skip: str | None = None) -> None:
        self._script = script
        self.graphs = list(graphs) if graphs is not None else None
        graph_select: Select[str] = self.query_one("#script-graph", Select)
        names = list(self.graphs or [])
        current = script.graph_id
        if current and current not in names:
            names.append(current)
        with graph_select.prevent(Select.Changed):
            if (names, self.graphs) != self._options_shown:
                graph_select.set_options([(self._graph_label(name), name) for name in names])
                self._options_shown = (names, self.graphs)
            if current and graph_select.value != current:
                graph_select.value = current
            elif not current and not graph_select.is_blank():
                graph_select.clear()
        self.query_one("#script-graph-hint", Static).update(self._graph_hint(current))
        if skip != "metadata":
            editor = self.query_one("#script-metadata", JsonEditor)
            waiting = pending.get(None, "metadata")
            text = waiting.text if waiting else dumps_safe(script.metadata)
            if editor.text != text:
                editor.text = text
        thread_id = self.query_one("#script-thread-id", Input)
        if skip != "thread_id" and thread_id.value != sanitize(script.thread_id or ""):
            thread_id.value = sanitize(script.thread_id or "")
        if_exists: Select[str] = self.query_one("#script-if-exists", Select)
        wanted = script.if_exists if script.if_exists in ("raise", "do_nothing") else None
        if if_exists.selection != wanted:
            with if_exists.prevent(Select.Changed):
                if wanted is None:
                    if_exists.clear()
                else:
                    if_exists.value = wanted
        ttl = self.query_one("#script-ttl", Input)
        if skip != "ttl" and ttl.value != ttl_text(script.ttl):
            ttl.value = ttl_text(script.ttl)

    def _graph_label(self, name: str) -> Text:
        if self.graphs is not None and name not in self.graphs:
            label = line(name, 40)
            label.append(" (not on this deployment)", style="red")
            return label
        return line(name, 40)

    def _graph_hint(self, current: str | None) -> Text:
        if self.graphs is None:
            return Text("Graphs load once connected.", style="dim")
        if not self.graphs:
            return Text("This deployment serves no graph.", style="red")
        if not current:
            return Text("Choose the graph that applies the supersteps (metadata.graph_id).",
                        style="yellow")
        if current not in self.graphs:
            text = Text("⚠ ", style="yellow", end="")
            text.append_text(line(f"{current!r} is not served here; graphs: "
                                  f"{', '.join(self.graphs)}", 200))
            return text
        return Text("The server applies the supersteps with this graph's nodes.", style="dim")

    def focus_graph(self) -> None:
        self.query_one("#script-graph", Select).focus()

    # ---------------------------------------------------------------- user edits

    @on(Select.Changed, "#script-graph")
    def _graph_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str) and event.value != self._script.graph_id:
            self.post_message(FieldEdited(None, "graph_id", event.value))

    @on(JsonEditor.Changed, "#script-metadata")
    def _metadata_changed(self, event: JsonEditor.Changed) -> None:
        event.stop()
        if event.text != event.editor.text:
            return
        if not isinstance(event.value, dict):
            error = JsonError("metadata must be a JSON object {…}", 1, 1)
            self.post_message(FieldInvalid(None, "metadata", event.text, error))
        else:  # also when unchanged: a pending invalid text is cleared then
            self.post_message(FieldEdited(None, "metadata", event.value))

    @on(JsonEditor.Invalid, "#script-metadata")
    def _metadata_invalid(self, event: JsonEditor.Invalid) -> None:
        event.stop()
        if event.text == event.editor.text:
            self.post_message(FieldInvalid(None, "metadata", event.text, event.error))

    @on(Input.Changed, "#script-thread-id")
    def _thread_id_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == event.input.value and event.value != sanitize(
                self._script.thread_id or ""):
            self.post_message(FieldEdited(None, "thread_id", event.value.strip() or None))

    @on(Select.Changed, "#script-if-exists")
    def _if_exists_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = event.value if isinstance(event.value, str) else None
        if value != self._script.if_exists:
            self.post_message(FieldEdited(None, "if_exists", value))

    @on(Input.Changed, "#script-ttl")
    def _ttl_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != event.input.value or event.value == ttl_text(self._script.ttl):
            return
        value, problem = parse_ttl(event.value, self._script.ttl)
        self.query_one("#script-ttl-status", Static).update(problem or "")
        if problem is None:
            self.post_message(FieldEdited(None, "ttl", value))
