"""The thread list's search bar and the query it produces.

What the user types, separated by spaces (quote a value that holds spaces)::

    01a2…-…            a full thread id (several allowed) → the ``ids`` filter
    ce718dd2           the first or last characters of an id (the list shows the last 8):
                       looked up on the server by the list (:mod:`tui.services.ids`); every
                       thread it starts or ends is shown
    graph_id=agent     metadata key=value; the value is JSON when it parses (1, true, null,
                       {"a": 1}, "two words"), else the text as typed; 'single quotes' keep
                       a value as text (n='1' is the string "1")
    status:idle        the thread status (idle, busy, interrupted, error)

Sorting is not typed: keys (and palette entries) change the sort field and order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input, Static

from tui.app.keys import key
from tui.app.text import line
from tui.services.ids import compact

if TYPE_CHECKING:  # types only: the list is drawn before pydantic loads
    from tui.deployment.models import Thread, ThreadStatus

STATUSES: tuple[ThreadStatus, ...] = ("idle", "busy", "interrupted", "error")
SortField = Literal["created_at", "updated_at", "state_updated_at"]
SORT_FIELDS: tuple[SortField, ...] = ("created_at", "updated_at", "state_updated_at")
SORT_LABELS = {
    "created_at": "created", "updated_at": "updated", "state_updated_at": "state updated",
}


class QueryError(ValueError):
    """The search text cannot be understood; the message says which part and why."""


@dataclass(frozen=True)
class ThreadQuery:
    """What the thread list asks the server for."""

    ids: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    status: ThreadStatus | None = None
    sort_by: SortField = "created_at"
    sort_order: Literal["asc", "desc"] = "desc"

    def with_text(self, text: str) -> ThreadQuery:
        """This query with its filters replaced by what ``text`` says (sort kept)."""
        ids, metadata, status = parse_search(text)
        return replace(self, ids=ids, metadata=metadata, status=status)

    def search_args(self) -> dict[str, Any]:
        return {
            "ids": list(self.ids) or None,
            "metadata": self.metadata or None,
            "status": self.status,
            "sort_by": self.sort_by,
            "sort_order": self.sort_order,
        }

    def count_args(self) -> dict[str, Any]:
        """``/threads/count`` cannot filter by ids: callers count those themselves."""
        return {"metadata": self.metadata or None, "status": self.status}

    @property
    def filtered(self) -> bool:
        return bool(self.ids or self.metadata or self.status)

    def matches(self, thread: Thread) -> bool:
        """Would the server list ``thread`` for this query? (for threads made in the app)"""
        if self.ids and thread.thread_id not in self.ids:
            return False
        if self.status and thread.status != self.status:
            return False
        return all(_contains(thread.metadata.get(k), v) for k, v in self.metadata.items())

    def next_sort(self) -> ThreadQuery:
        """Sorted by the next field: created → updated → state updated → created."""
        index = SORT_FIELDS.index(self.sort_by)
        return replace(self, sort_by=SORT_FIELDS[(index + 1) % len(SORT_FIELDS)])

    def flipped(self) -> ThreadQuery:
        """Newest first ⇄ oldest first."""
        return replace(self, sort_order="asc" if self.sort_order == "desc" else "desc")

    def next_status(self) -> ThreadQuery:
        """Only the next status: any → idle → busy → interrupted → error → any."""
        cycle: list[ThreadStatus | None] = [None, *STATUSES]
        return replace(self, status=cycle[(cycle.index(self.status) + 1) % len(cycle)])

    def describe(self) -> str:
        arrow = "↓" if self.sort_order == "desc" else "↑"
        return f"sort: {SORT_LABELS[self.sort_by]} {arrow}"


def _contains(actual: Any, wanted: Any) -> bool:
    """JSON containment, as the server's metadata filter applies it."""
    if isinstance(wanted, dict):
        return isinstance(actual, dict) and all(
            k in actual and _contains(actual[k], v) for k, v in wanted.items()
        )
    return bool(actual == wanted and type(actual) is type(wanted))


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) in (32, 36)


def tokenize(text: str) -> list[str]:
    """Split on spaces outside quotes and brackets; quotes and brackets stay in the token."""
    tokens: list[str] = []
    current: list[str] = []
    quote: str | None = None
    depth = 0
    escaped = False
    for ch in text:
        if quote:
            current.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth = max(depth - 1, 0)
        elif ch.isspace() and depth == 0:
            if current:
                tokens.append("".join(current))
                current = []
            continue
        current.append(ch)
    if quote:
        raise QueryError(f"a {quote} quote is not closed")
    if current:
        tokens.append("".join(current))
    return tokens


def parse_value(text: str) -> Any:
    """A metadata value: 'text' in single quotes; JSON when it is valid JSON (strictly: not
    ``NaN``, nor ``210429e72104``, a number too large to be one); else the text."""
    from tui.supersteps.jsontext import parse_json_text  # the domain loads pydantic: not at start

    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1]
    value, error = parse_json_text(text)
    return text if error is not None else value


def _id_part(token: str) -> bool:
    return not _is_uuid(token) and compact(token) is not None


def id_parts(text: str) -> tuple[str, ...]:
    """The tokens of the search text that are the first or last characters of an id (they
    need a lookup on the server before the search can be sent); raises :class:`QueryError`."""
    return tuple(dict.fromkeys(t for t in tokenize(text) if _id_part(t)))


def parse_search(text: str) -> tuple[tuple[str, ...], dict[str, Any], ThreadStatus | None]:
    """``(ids, metadata, status)`` from the search text (parts of ids left out: see
    :func:`id_parts`); raises :class:`QueryError`."""
    tokens = tokenize(text)
    ids: list[str] = []
    metadata: dict[str, Any] = {}
    status: ThreadStatus | None = None
    for token in tokens:
        if _is_uuid(token):
            canonical = str(uuid.UUID(token))
            if canonical not in ids:
                ids.append(canonical)
        elif _id_part(token):
            continue
        elif token.lower().startswith("status:"):
            wanted = token.split(":", 1)[1].strip().lower()
            if wanted not in STATUSES:
                raise QueryError(f"status:{wanted} — the status is one of {', '.join(STATUSES)}")
            status = wanted
        elif "=" in token and not token.startswith("="):
            name, _, value = token.partition("=")
            metadata[name] = parse_value(value)
        else:
            raise QueryError(
                f"{token!r} — type a thread id (or its first or last characters), key=value, "
                "or status:<state>"
            )
    return tuple(ids), metadata, status


class FilterBar(Horizontal):
    """The search input and, under it, what is applied (or why the text cannot be)."""

    DEFAULT_CSS = """
    FilterBar { height: 1; width: 1fr; }
    FilterBar > Input { width: 1fr; height: 1; border: none; padding: 0 1; background: $boost; }
    FilterBar > Input:focus { background: $surface-lighten-1; }
    FilterBar > #filter-state { width: auto; height: 1; padding: 0 1; color: $text-muted; }
    FilterBar > #filter-state.-error { color: $error; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "leave", "Back to list", "Leave the search field (the search stays)",
            id="threads.search_leave"),
    ]

    error: reactive[str] = reactive("")
    summary: reactive[str] = reactive("")

    class Applied(Message):
        """The user asked for this search text (Enter, or a pause in typing)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Leave(Message):
        """Escape: the list takes the focus back."""

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="/ search: id (or its last 8) · key=value · status:idle",
            id="filter-input", compact=True,
        )
        yield Static(id="filter-state", markup=False)

    def on_mount(self) -> None:
        self._debounce: Timer | None = None

    @property
    def input(self) -> Input:
        return self.query_one("#filter-input", Input)

    def watch_error(self) -> None:
        self._show()

    def watch_summary(self) -> None:
        self._show()

    def _show(self) -> None:
        state = self.query_one("#filter-state", Static)
        state.set_class(bool(self.error), "-error")
        shown = self.error or self.summary
        state.update(line(shown, 100) if shown else Content(""))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.5, self._apply)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self._apply()

    def _apply(self) -> None:
        self._debounce = None
        self.post_message(self.Applied(self.input.value))

    def action_leave(self) -> None:
        self.post_message(self.Leave())
