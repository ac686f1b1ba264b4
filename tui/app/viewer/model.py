"""What the viewer knows about one thread, and the small facts derived from it (no widgets).

``ViewerData`` holds the thread record, its current state and the history pages loaded so far
(newest first). Helpers answer "which node wrote this checkpoint", "is it on the current
branch", "which checkpoint is A/B" — the history list, the summary and the diff all use them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tui.deployment import Thread, ThreadState

HISTORY_PAGE = 50
"""Checkpoints per history request (the server allows up to 1000; each carries its values)."""


def short_id(value: str | None, length: int = 8) -> str:
    if not value:
        return "—"
    return value if len(value) <= length else value[:length] + "…"


def tail_id(value: str | None, length: int = 8) -> str:
    """The end of a checkpoint id: their starts are a shared timestamp, their ends differ."""
    if not value:
        return "—"
    return value if len(value) <= length else "…" + value[-length:]


def format_time(moment: datetime | None, now: datetime | None) -> str:
    """UTC, ``HH:MM:SS`` when it is the same day as ``now``, else ``MM-DD HH:MM`` (or with
    the year when it is another year)."""
    if moment is None:
        return "—"
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    if now is not None and now.astimezone(UTC).date() == utc.date():
        return utc.strftime("%H:%M:%S")
    if now is not None and now.astimezone(UTC).year == utc.year:
        return utc.strftime("%m-%d %H:%M")
    return utc.strftime("%Y-%m-%d %H:%M")


def messages_in(values: Any) -> list[Any] | None:
    """``values["messages"]`` when it is a list, else None (the state has no conversation)."""
    if isinstance(values, Mapping):
        messages = values.get("messages")
        if isinstance(messages, list):
            return messages
    return None


@dataclass
class ViewerData:
    thread: Thread | None
    state: ThreadState | None
    history: list[ThreadState] = field(default_factory=list)
    has_more: bool = False
    """More (older) checkpoints exist than are loaded."""
    history_loaded: bool = False
    _first_children: dict[str | None, ThreadState] | None = field(default=None, repr=False)
    _children_of: int = field(default=-1, repr=False)

    @property
    def thread_id(self) -> str | None:
        if self.thread is not None:
            return self.thread.thread_id
        if self.state is not None and self.state.checkpoint is not None:
            return self.state.checkpoint.thread_id
        return None

    @property
    def graph_id(self) -> str | None:
        if self.thread is not None and self.thread.graph_id:
            return self.thread.graph_id
        for entry in reversed(self.history):
            graph = (entry.metadata or {}).get("graph_id")
            if isinstance(graph, str):
                return graph
        return None

    def add_page(self, page: Sequence[ThreadState], limit: int) -> None:
        known = {entry.checkpoint_id for entry in self.history}
        self.history.extend(entry for entry in page if entry.checkpoint_id not in known)
        self.has_more = len(page) >= limit
        self.history_loaded = True

    def index_of(self, checkpoint_id: str | None) -> int | None:
        if checkpoint_id is None:
            return None
        for index, entry in enumerate(self.history):
            if entry.checkpoint_id == checkpoint_id:
                return index
        return None

    def by_id(self, checkpoint_id: str | None) -> ThreadState | None:
        if checkpoint_id is None:
            return None
        index = self.index_of(checkpoint_id)
        if index is not None:
            return self.history[index]
        if self.state is not None and self.state.checkpoint_id == checkpoint_id:
            return self.state
        return None

    def parent_of(self, entry: ThreadState) -> ThreadState | None:
        return self.by_id(entry.parent_checkpoint_id)

    def writer(self, entry: ThreadState) -> str:
        """Which node wrote ``entry``: the finished tasks of its parent (or what it expected
        next); ``input`` for a run's input; ``…`` while the parent is not loaded yet."""
        writes = (entry.metadata or {}).get("writes")
        if isinstance(writes, Mapping) and writes:
            return ", ".join(str(key) for key in writes)
        if entry.source == "input":
            return "input"
        if entry.parent_checkpoint_id is None:
            return entry.source or "—"
        parent = self.parent_of(entry)
        if parent is None:
            return "…"
        if self._is_later_sibling(entry):
            # A fork: the parent's finished tasks wrote its first child, not this one, and
            # update_state does not record its as_node.
            return f"{entry.source or 'update'} (fork)"
        done = [task.name for task in parent.tasks if task.result is not None]
        if done:
            return ", ".join(done)
        if parent.next:
            return ", ".join(parent.next)
        return entry.source or "—"

    def _is_later_sibling(self, entry: ThreadState) -> bool:
        """True when an older checkpoint has the same parent (``entry`` forked from it)."""
        if self._first_children is None or self._children_of != len(self.history):
            first: dict[str | None, ThreadState] = {}
            for candidate in self.history:  # newest first: the last one seen is the oldest
                first[candidate.parent_checkpoint_id] = candidate
            self._first_children, self._children_of = first, len(self.history)
        oldest = self._first_children.get(entry.parent_checkpoint_id)
        return oldest is not None and oldest.checkpoint_id != entry.checkpoint_id

    def lineage_ids(self) -> set[str]:
        """Checkpoint ids on the current branch (the head's ancestors among those loaded)."""
        head = self.state.checkpoint_id if self.state is not None else None
        if head is None and self.history:
            head = self.history[0].checkpoint_id
        ids: set[str] = set()
        current = self.by_id(head)
        while current is not None and current.checkpoint_id is not None and (
                current.checkpoint_id not in ids):
            ids.add(current.checkpoint_id)
            current = self.parent_of(current)
        return ids

    def step_label(self, entry: ThreadState | None) -> str:
        if entry is None:
            return "—"
        step = entry.step
        return f"step {step}" if step is not None else short_id(entry.checkpoint_id)

    def checkpoint_dicts(self) -> list[dict[str, Any]]:
        """The loaded history as the server sent it (for the superstep export)."""
        return [entry.model_dump(mode="json") for entry in self.history]
