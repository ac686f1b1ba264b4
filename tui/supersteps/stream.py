"""A run as a user watches it: the server-sent events of ``/runs/stream`` folded into the
conversation, the run's status, the node running now, its interrupts and its error.

Pure (no Textual, no httpx): events come in as ``(event, data)`` — the name and decoded JSON of
one SSE event — so recorded streams replay exactly as live ones. :meth:`RunProgress.apply`
returns the chat operations that bring a transcript up to date incrementally:

- :class:`AppendText` — a streamed token for message ``message_id`` (created when new);
- :class:`Upsert` — a whole message, replacing the one with the same id or appended;
- :class:`Replace` — the whole list, when the new one does not extend what is shown (a message
  was removed or reordered, or a message has no id).

What the server emits, measured (langgraph-api 0.16.7) with ``RUN_STREAM_MODES``:
``metadata`` ``{"run_id", "attempt"}`` first; ``values`` (the whole state after each step);
``updates`` (``{node: update}``, ``{"__interrupt__": [{"value", "id"}]}`` when a node called
``interrupt()``); ``tasks`` (a node starting: ``{"id", "name", "input", "triggers"}``, ending:
``{"id", "name", "result" | "error", "interrupts"}``); ``messages`` for ``messages-tuple``
(``[message_or_chunk, metadata]`` — chunks are typed ``AIMessageChunk``, share the final
message's id, and the metadata names the node in ``langgraph_node``); ``error``
``{"error", "message"}``. A cancelled run's stream just ends: the run's final status is
the API's (``GET …/runs/{run_id}``), given to :meth:`RunProgress.finish`.
The ``messages`` mode (not ``-tuple``) sends ``messages/partial`` (whole message so far),
``messages/complete`` and ``messages/metadata``; those are understood too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tui.message_text import STREAM, class_role, content_text
from tui.words import plural

RUN_STREAM_MODES: tuple[str, ...] = ("values", "updates", "messages-tuple", "tasks")
"""What Threadloom asks a run to stream: state, node outputs, tokens, node starts and ends."""

LIVE = ("pending", "running")
"""Run statuses of a run that has not finished."""

# ---------------------------------------------------------------- chat operations


@dataclass(frozen=True)
class AppendText:
    message_id: str
    text: str
    role: str = "ai"


@dataclass(frozen=True)
class Upsert:
    message: Mapping[str, Any]


@dataclass(frozen=True)
class Replace:
    messages: tuple[Any, ...]


ChatOp = AppendText | Upsert | Replace


@dataclass(frozen=True)
class PendingInterrupt:
    """One ``interrupt()`` waiting for a resume value."""

    value: Any
    id: str | None = None
    node: str | None = None


# ---------------------------------------------------------------- small message helpers


def _id(message: Any) -> str | None:
    if isinstance(message, Mapping):
        value = message.get("id")
        return value if isinstance(value, str) and value else None
    return None


def text_of(content: Any) -> str:
    """A message's content as plain text (the text parts of a list of content blocks)."""
    return content_text(content, STREAM)


def role_of(kind: Any) -> str:
    """``ai``, ``human``, ``tool``, … from a message's type (chunk and class names too)."""
    if not isinstance(kind, str) or not kind:
        return "ai"
    return class_role(kind)


def interrupts_of(value: Any, node: str | None = None) -> list[PendingInterrupt]:
    """Interrupts from any of the shapes the server uses: a list of ``{"value", "id"}``, a
    thread record's ``{task_id: [...]}``, or a state's ``interrupts`` list."""
    found: list[PendingInterrupt] = []
    if isinstance(value, Mapping) and not {"value", "id"} & set(value):
        for items in value.values():
            found.extend(interrupts_of(items, node))
        return found
    items = value if isinstance(value, list) else [value] if isinstance(value, Mapping) else []
    for item in items:
        if isinstance(item, Mapping) and "value" in item:
            ident = item.get("id")
            found.append(PendingInterrupt(item.get("value"), ident if isinstance(ident, str)
                                          else None, node))
    return found


# ---------------------------------------------------------------- the fold


@dataclass
class RunProgress:
    """Everything shown about one run, updated event by event."""

    messages: list[Any] = field(default_factory=list)
    """The transcript as it should be shown now (starts as the thread's messages)."""
    run_id: str | None = None
    status: str = "pending"
    node: str | None = None
    """The node running now (the last one started and not finished), if known."""
    nodes_done: list[str] = field(default_factory=list)
    interrupts: list[PendingInterrupt] = field(default_factory=list)
    error: str | None = None
    values: Any = None
    tokens: int = 0
    events: int = 0
    finished: bool = False
    _running: dict[str, str] = field(default_factory=dict)
    _tool_args: dict[tuple[str, int], str] = field(default_factory=dict)

    @property
    def live(self) -> bool:
        return not self.finished and self.status in LIVE

    def apply(self, event: str, data: Any) -> list[ChatOp]:
        """Take one event; returns what the chat must do to show it."""
        self.events += 1
        if event == "metadata":
            if isinstance(data, Mapping) and isinstance(data.get("run_id"), str):
                self.run_id = data["run_id"]
            return []
        if event == "error":
            self.status = "error"
            self.error = _error_text(data)
            return []
        if event == "end":
            return []
        if self.status == "pending":
            self.status = "running"
        if event == "values":
            return self._values(data)
        if event == "updates":
            return self._updates(data)
        if event == "tasks":
            self._task(data)
            return []
        if event == "messages" or event.startswith("messages|"):
            return self._message_tuple(data)
        if event in ("messages/partial", "messages/complete"):
            items = data if isinstance(data, list) else [data]
            return [op for item in items for op in self._whole_message(item)]
        if event == "messages/metadata" and isinstance(data, Mapping):
            for entry in data.values():
                meta = entry.get("metadata") if isinstance(entry, Mapping) else None
                if isinstance(meta, Mapping) and isinstance(meta.get("langgraph_node"), str):
                    self.node = meta["langgraph_node"]
        return []

    def finish(self, status: str | None) -> None:
        """The stream is over; ``status`` is the run's status from the API (None: unknown)."""
        self.finished = True
        self._running.clear()
        self.node = None
        if status:
            self.status = status
        elif self.status in LIVE:
            self.status = "unknown"

    def fail(self, message: str) -> None:
        """The stream broke (the server could not be reached, refused the run, …)."""
        self.finished = True
        self.status = "error"
        self.error = message
        self.node = None

    # ------------------------------------------------------------ events

    def _values(self, data: Any) -> list[ChatOp]:
        if not isinstance(data, Mapping):
            return []
        self.values = data
        if "__interrupt__" in data:
            self._add_interrupts(interrupts_of(data["__interrupt__"], self.node))
        messages = data.get("messages")
        if not isinstance(messages, list):
            return []
        return self._sync(messages)

    def _sync(self, new: list[Any]) -> list[ChatOp]:
        old_ids = [_id(m) for m in self.messages]
        new_ids = [_id(m) for m in new]
        extends = (None not in new_ids and len(new_ids) >= len(old_ids)
                   and new_ids[: len(old_ids)] == old_ids)
        if not extends:
            self.messages = list(new)
            return [Replace(tuple(new))]
        ops: list[ChatOp] = []
        for index, message in enumerate(new):
            if index >= len(self.messages) or self.messages[index] != message:
                ops.append(Upsert(message))
        self.messages = list(new)
        return ops

    def _updates(self, data: Any) -> list[ChatOp]:
        if not isinstance(data, Mapping):
            return []
        ops: list[ChatOp] = []
        for node, update in data.items():
            if node == "__interrupt__":
                owner = self.node if self.node else None
                self._add_interrupts(interrupts_of(update, owner))
                continue
            if not isinstance(node, str):
                continue
            self.nodes_done.append(node)
            # Messages with an id (the server's own output) can be shown before the values.
            messages = update.get("messages") if isinstance(update, Mapping) else None
            if isinstance(messages, Mapping):
                messages = [messages]
            if isinstance(messages, list):
                for message in messages:
                    if _id(message) is not None:
                        ops.extend(self._whole_message(message))
        return ops

    def _task(self, data: Any) -> None:
        if not isinstance(data, Mapping):
            return
        task_id = data.get("id")
        name = data.get("name")
        if not isinstance(task_id, str) or not isinstance(name, str):
            return
        if "result" in data or "error" in data:
            self._running.pop(task_id, None)
            if data.get("error"):
                self.error = f"{name}: {_error_text(data['error'])}"
            self._add_interrupts(interrupts_of(data.get("interrupts"), name))
            self.node = next(reversed(self._running.values()), None)
        else:
            self._running[task_id] = name
            self.node = name

    def _message_tuple(self, data: Any) -> list[ChatOp]:
        if isinstance(data, list | tuple) and len(data) == 2:
            message, meta = data
        else:
            message, meta = data, None
        if isinstance(meta, Mapping) and isinstance(meta.get("langgraph_node"), str):
            self.node = meta["langgraph_node"]
        if not isinstance(message, Mapping):
            return []
        kind = message.get("type")
        if isinstance(kind, str) and kind.endswith("Chunk"):
            return self._chunk(message)
        return self._whole_message(message)

    def _chunk(self, chunk: Mapping[str, Any]) -> list[ChatOp]:
        ident = _id(chunk)
        if ident is None:
            return []
        text = text_of(chunk.get("content"))
        calls = chunk.get("tool_call_chunks")
        has_calls = isinstance(calls, list) and bool(calls)
        if text:
            self.tokens += 1
        index = self._index(ident)
        created = index is None
        if index is None:
            self.messages.append({"type": role_of(chunk.get("type")), "content": "", "id": ident})
            index = len(self.messages) - 1
        current = dict(self.messages[index])
        current["content"] = text_of(current.get("content")) + text
        if has_calls:
            current["tool_calls"] = self._merge_calls(ident, current.get("tool_calls"), calls)
        self.messages[index] = current
        if created or has_calls:
            return [Upsert(dict(current))]
        if not text:
            return []
        return [AppendText(ident, text, role_of(current.get("type")))]

    def _merge_calls(self, ident: str, existing: Any, chunks: Any) -> list[dict[str, Any]]:
        calls = [dict(c) for c in existing] if isinstance(existing, list) else []
        for chunk in chunks if isinstance(chunks, list) else []:
            if not isinstance(chunk, Mapping):
                continue
            position = chunk.get("index")
            position = position if isinstance(position, int) else len(calls)
            while len(calls) <= position:
                calls.append({"name": "", "args": {}, "id": None})
            call = calls[position]
            if isinstance(chunk.get("name"), str):
                call["name"] = str(call.get("name") or "") + chunk["name"]
            if isinstance(chunk.get("id"), str):
                call["id"] = chunk["id"]
            if isinstance(chunk.get("args"), str):
                key = (ident, position)
                self._tool_args[key] = self._tool_args.get(key, "") + chunk["args"]
                try:
                    call["args"] = json.loads(self._tool_args[key])
                except ValueError:
                    call["args"] = self._tool_args[key]
        return calls

    def _whole_message(self, message: Any) -> list[ChatOp]:
        if not isinstance(message, Mapping):
            return []
        ident = _id(message)
        if ident is None or message.get("type") == "remove":
            return []
        index = self._index(ident)
        if index is None:
            self.messages.append(message)
        elif self.messages[index] == message:
            return []
        else:
            self.messages[index] = message
        return [Upsert(message)]

    def _index(self, ident: str) -> int | None:
        for index in range(len(self.messages) - 1, -1, -1):
            if _id(self.messages[index]) == ident:
                return index
        return None

    def _add_interrupts(self, found: Sequence[PendingInterrupt]) -> None:
        known = {(i.id, json.dumps(i.value, sort_keys=True, default=str))
                 for i in self.interrupts}
        for item in found:
            key = (item.id, json.dumps(item.value, sort_keys=True, default=str))
            if key not in known:
                known.add(key)
                self.interrupts.append(item)


def _error_text(data: Any) -> str:
    if isinstance(data, Mapping):
        kind = data.get("error")
        message = data.get("message")
        if isinstance(kind, str) and isinstance(message, str) and message.strip():
            return f"{kind}: {message.strip()}"
        if isinstance(kind, str):
            return kind
        if isinstance(message, str):
            return message.strip()
    if isinstance(data, str):
        return data.strip()
    return json.dumps(data, ensure_ascii=False, default=str)


def describe_status(progress: RunProgress) -> str:
    """One plain line: status, node, run id, counts (the panel styles its own version)."""
    parts = [progress.status]
    if progress.node and progress.live:
        parts.append(f"node {progress.node}")
    if progress.run_id:
        parts.append(f"run {progress.run_id}")
    if progress.tokens:
        parts.append(plural(progress.tokens, 'token'))
    if progress.interrupts:
        parts.append(f"{len(progress.interrupts)} interrupt(s) waiting")
    if progress.error:
        parts.append(progress.error)
    return " · ".join(parts)


__all__ = [
    "LIVE",
    "RUN_STREAM_MODES",
    "AppendText",
    "ChatOp",
    "PendingInterrupt",
    "Replace",
    "RunProgress",
    "Upsert",
    "describe_status",
    "interrupts_of",
    "role_of",
    "text_of",
]
