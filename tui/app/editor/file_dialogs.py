"""Small dialogs: a file path (with tab completion), a yes/no question, and "export a thread's
history as a script". Each returns its answer through ``dismiss`` (None when cancelled)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.widgets import Button, Checkbox, Input, Label, Static

from tui.app.keys import key
from tui.app.shared.dialog import Dialog, dialog_css
from tui.app.shared.tickbox import TickBox
from tui.app.text import line


def complete_path(text: str) -> str | None:
    """The first existing path that starts with ``text`` (directories end with ``/``)."""
    if not text:
        return None
    expanded = os.path.expanduser(text)
    folder, prefix = os.path.split(expanded)
    try:
        names = sorted(os.listdir(folder or "."))
    except OSError:
        return None
    for name in names:
        if name.startswith(prefix) and (prefix.startswith(".") or not name.startswith(".")):
            full = os.path.join(folder, name)
            rest = name[len(prefix):] + ("/" if os.path.isdir(full) else "")
            if rest:
                return text + rest
    return None


class PathSuggester(Suggester):
    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


class PathInput(Input):
    """An Input for a path: tab takes the completion (then moves on when there is none)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        key("tab", "complete", "Complete", "Complete the path (or go to the next field)",
            id="path.complete", show=False),
    ]

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(value, placeholder="path/to/file.json", suggester=PathSuggester(),
                         id=id)

    def action_complete(self) -> None:
        completion = complete_path(self.value)
        if completion and self.cursor_at_end:
            self.value = completion
            self.cursor_position = len(completion)
        else:
            self.screen.focus_next()


class PathScreen(Dialog[str | None]):
    """Ask for a file path: ``enter`` confirms, ``esc`` cancels."""

    DEFAULT_CSS = dialog_css("PathScreen", width=80, buttons_height="1")
    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "cancel", "Cancel", "Close without doing anything", id="path.cancel"),
    ]

    def __init__(self, title: str, value: str = "", *, action: str = "OK",
                 note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.action = action
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(line(self.title_text, 100), classes="title")
            yield Label("file (tab completes)")
            yield PathInput(self.value, id="path-input")
            yield Static(line(self.note, 300) if self.note else "", classes="note")
            yield Static("", classes="error", id="path-error")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.action} (enter)", variant="primary", compact=True,
                             id="path-ok")
                yield Button("Cancel (esc)", compact=True, id="path-cancel")

    def on_mount(self) -> None:
        field = self.query_one(PathInput)
        field.focus()
        field.cursor_position = len(field.value)

    @on(Input.Submitted)
    @on(Button.Pressed, "#path-ok")
    def _submit(self) -> None:
        text = self.query_one(PathInput).value.strip()
        if not text:
            self.query_one("#path-error", Static).update("Type a file path.")
            return
        if Path(text).expanduser().is_dir():
            self.query_one("#path-error", Static).update(line(f"{text} is a folder.", 200))
            return
        self.dismiss(text)

    @on(Button.Pressed, "#path-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

class ConfirmScreen(Dialog[bool]):
    """A yes/no question: ``y`` / ``enter`` on Yes, ``n`` / ``esc``."""

    DEFAULT_CSS = dialog_css("ConfirmScreen", width=80, buttons_height="1")
    BINDINGS: ClassVar[list[BindingType]] = [
        key("y", "answer(True)", "Yes", "Answer yes", id="confirm.yes"),
        key("n,escape", "answer(False)", "No", "Answer no", id="confirm.no"),
    ]

    def __init__(self, title: str, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(line(self.title_text, 100), classes="title")
            yield Static(line(self.question, 1000), classes="note")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", variant="error", compact=True, id="confirm-yes")
                yield Button(f"{self.no} (n)", compact=True, id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


@dataclass(frozen=True)
class ThreadExportRequest:
    thread_id: str
    path: str | None
    """None: load the script into the editor."""
    compact: bool


class ThreadExportScreen(Dialog[ThreadExportRequest | None]):
    """Which thread to export, and where to (the editor, or a file)."""

    DEFAULT_CSS = dialog_css("ThreadExportScreen", width=80, buttons_height="1")
    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "cancel", "Cancel", "Close without exporting", id="export.cancel"),
        key("ctrl+s", "submit", "Export", "Export the thread's history", id="export.submit"),
    ]

    def __init__(self, thread_id: str | None) -> None:
        super().__init__()
        self.thread_id = thread_id or ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Export a thread's history as a script", classes="title")
            yield Label("thread id")
            yield Input(line(self.thread_id).plain, placeholder="UUID of the thread",
                        id="export-thread")
            yield Label("save to file (empty: open it in the editor; tab completes)")
            yield PathInput("", id="export-path")
            yield TickBox("compact (leave out the fields the server fills in)", value=True,
                          id="export-compact")
            yield Static("The script replays the conversation on any deployment with the "
                         "same graph.", classes="note", markup=False)
            yield Static("", classes="error", id="export-error")
            with Horizontal(classes="buttons"):
                yield Button("Export (ctrl+s)", variant="primary", compact=True,
                             id="export-ok")
                yield Button("Cancel (esc)", compact=True, id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-thread" if not self.thread_id else "#export-path").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#export-ok")
    def action_submit(self) -> None:
        text = self.query_one("#export-thread", Input).value.strip()
        try:
            thread_id = str(uuid.UUID(text))
        except ValueError:
            self.query_one("#export-error", Static).update("The thread id must be a UUID.")
            return
        path = self.query_one("#export-path", PathInput).value.strip() or None
        compact = self.query_one("#export-compact", Checkbox).value
        self.dismiss(ThreadExportRequest(thread_id, path, compact))

    @on(Button.Pressed, "#export-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
