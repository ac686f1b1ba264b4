"""Modals for thread actions: create an empty thread, edit metadata, confirm a delete.

Each returns its result through ``dismiss`` (``None`` when cancelled); the thread list does the
HTTP in its workers. Thread data shown here came from the deployment: shown literally.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from tui.app.keys import key
from tui.app.shared.dialog import Dialog, SubmitDialog, dialog_css
from tui.app.shared.jsonfield import JsonObjectField
from tui.app.text import line
from tui.app.threads.thread_rows import thread_preview
from tui.deployment.models import Thread

MODAL_BINDINGS: list[BindingType] = [
    key("escape", "cancel", "Cancel", "Close without changing anything", id="modal.cancel"),
    key("ctrl+s", "submit", "Save", "Send it to the deployment", id="modal.submit"),
]


@dataclass(frozen=True)
class CreateRequest:
    thread_id: str | None
    metadata: dict[str, Any]
    if_exists: Literal["raise", "do_nothing"]
    ttl_minutes: float | None


def check_thread_id(text: str) -> tuple[str | None, str | None]:
    """``(canonical id or None, problem)``: empty is fine (the id is chosen for you)."""
    text = text.strip()
    if not text:
        return None, None
    try:
        return str(uuid.UUID(text)), None
    except ValueError:
        return None, "not a UUID, e.g. 123e4567-e89b-12d3-a456-426614174000"


def check_ttl(text: str) -> tuple[float | None, str | None]:
    text = text.strip()
    if not text:
        return None, None
    try:
        value = float(text)
    except ValueError:
        return None, "a number of minutes"
    if value <= 0:
        return None, "more than 0 minutes"
    return value, None


class CreateThreadModal(SubmitDialog[CreateRequest | None]):
    """A new empty thread: optional id, metadata, what to do if the id exists, TTL."""

    BINDINGS: ClassVar[list[BindingType]] = MODAL_BINDINGS

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("New empty thread", classes="title")
            yield Label("Thread id — optional; empty: a new UUID is chosen")
            yield Input(placeholder="e.g. 123e4567-e89b-12d3-a456-426614174000", id="thread-id",
                        compact=True)
            yield Static(classes="field-status", id="thread-id-status", markup=False)
            yield Label("Metadata — a JSON object, e.g. {\"graph_id\": \"agent\"}", markup=False)
            yield JsonObjectField({}, id="metadata")
            with Horizontal(classes="row"):
                yield Label("If the id exists: ")
                yield Select(
                    [("raise an error (409)", "raise"), ("keep the existing thread", "do_nothing")],
                    value="raise", allow_blank=False, id="if-exists", compact=True,
                )
            yield Label("Time to live in minutes — optional; the thread is deleted after it")
            yield Input(placeholder="e.g. 60", id="ttl", compact=True)
            yield Static(classes="field-status", id="ttl-status", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Create  ^s", variant="primary", id="submit")
                yield Button("Cancel  esc", id="cancel")

    DEFAULT_CSS = dialog_css("CreateThreadModal") + """
    CreateThreadModal .row { height: 1; }
    CreateThreadModal .row Label { width: auto; }
    CreateThreadModal .row Select { width: 32; }
    """

    def on_mount(self) -> None:
        self.query_one("#thread-id", Input).focus()
        self._check()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._check()

    def on_json_object_field_changed(self, event: JsonObjectField.Changed) -> None:
        self._check()

    def _check(self) -> bool:
        _, id_problem = check_thread_id(self.query_one("#thread-id", Input).value)
        _, ttl_problem = check_ttl(self.query_one("#ttl", Input).value)
        for widget_id, problem in (("#thread-id-status", id_problem), ("#ttl-status", ttl_problem)):
            status = self.query_one(widget_id, Static)
            status.set_class(problem is not None, "-invalid")
            status.update(Content(f"✗ {problem}") if problem else Content(""))
        valid = (id_problem is None and ttl_problem is None
                 and self.query_one(JsonObjectField).error is None)
        self.query_one("#submit", Button).disabled = not valid
        return valid

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        if not self._check():
            self.app.bell()
            return
        thread_id, _ = check_thread_id(self.query_one("#thread-id", Input).value)
        ttl, _ = check_ttl(self.query_one("#ttl", Input).value)
        if_exists = self.query_one("#if-exists", Select).value
        self.dismiss(CreateRequest(
            thread_id=thread_id,
            metadata=self.query_one(JsonObjectField).value or {},
            if_exists="do_nothing" if if_exists == "do_nothing" else "raise",
            ttl_minutes=ttl,
        ))


def metadata_patch(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What to PATCH so the thread's metadata reads ``new``, as far as the server allows.

    Measured: PATCH merges into the stored metadata and a key set to null stays, with the
    value null — a key cannot be removed. Keys deleted in the editor are therefore sent as
    null; changed and new keys are sent; unchanged keys are not.
    """
    patch = {k: v for k, v in new.items() if k not in old or old[k] != v}
    patch.update({k: None for k in old if k not in new and old[k] is not None})
    return patch


class EditMetadataModal(SubmitDialog[dict[str, Any] | None]):
    """Edit a thread's metadata as JSON; returns the PATCH body's ``metadata``."""

    DEFAULT_CSS = dialog_css("EditMetadataModal") + """
    EditMetadataModal JsonObjectField > TextArea { height: 12; }
    """
    BINDINGS: ClassVar[list[BindingType]] = MODAL_BINDINGS

    def __init__(self, thread: Thread) -> None:
        super().__init__()
        self.thread = thread
        self.old = dict(thread.metadata)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.assemble(
                ("Metadata of thread ", "bold $accent"), line(self.thread.thread_id).plain,
            ), classes="title")
            yield JsonObjectField(self.old, id="metadata")
            yield Static(
                "The server merges what you save into the stored metadata. A key cannot be "
                "removed: keys you delete here are set to null.",
                classes="note", markup=False,
            )
            yield Static(classes="field-status", id="patch-status", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save  ^s", variant="primary", id="submit")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one(JsonObjectField).text_area.focus()
        self._check()

    def on_json_object_field_changed(self, event: JsonObjectField.Changed) -> None:
        self._check()

    def _check(self) -> dict[str, Any] | None:
        field = self.query_one(JsonObjectField)
        status = self.query_one("#patch-status", Static)
        button = self.query_one("#submit", Button)
        if field.value is None:
            status.update(Content(""))
            button.disabled = True
            return None
        patch = metadata_patch(self.old, field.value)
        nulled = sorted(k for k, v in patch.items() if v is None and k not in field.value)
        if not patch:
            status.update(Content("No change yet."))
        elif nulled:
            status.update(Content("Will set to null: " + line(", ".join(nulled), 60).plain))
        else:
            status.update(Content(f"Will write {len(patch)} key(s)."))
        button.disabled = not patch
        return patch

    def action_submit(self) -> None:
        patch = self._check()
        if not patch:
            self.app.bell()
            return
        self.dismiss(patch)


class ConfirmDeleteModal(Dialog[bool]):
    """Delete a thread? Enter deletes, Escape keeps it."""

    CANCELLED = False
    DEFAULT_CSS = dialog_css("ConfirmDeleteModal") + """
    ConfirmDeleteModal > .dialog { border: thick $error; }
    ConfirmDeleteModal .dialog > .title { color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape,n", "cancel", "Keep it", "Close without deleting", id="modal.cancel"),
        key("y", "submit", "Delete", "Delete the thread", id="modal.submit"),
    ]

    def __init__(self, thread: Thread) -> None:
        super().__init__()
        self.thread = thread

    def compose(self) -> ComposeResult:
        thread = self.thread
        with Vertical(classes="dialog"):
            yield Static("Delete this thread?", classes="title", markup=False)
            yield Static(line(thread.thread_id), markup=False)
            yield Static(Content.assemble(
                ("graph: ", "$text-muted"), line(thread.graph_id or "—", 40).plain,
                ("   status: ", "$text-muted"), line(thread.status or "?", 20).plain,
            ))
            preview = thread_preview(thread)
            if preview:
                yield Static(Content.assemble(("last message: ", "$text-muted"),
                                              line(preview, 140).plain))
            yield Static("Its state and history are deleted on the deployment. This cannot be "
                         "undone.", classes="note", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Delete  y", variant="error", id="submit")
                yield Button("Keep it  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#submit", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "submit")

    def action_submit(self) -> None:
        self.dismiss(True)
