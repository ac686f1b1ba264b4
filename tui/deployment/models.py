"""Pydantic models for what the client sends to and receives from an Agent Server.

Received models allow extra keys (servers add fields over time) and make almost everything
optional: ``select`` may leave columns out, and a copied thread has no ``values`` key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tui.deployment.errors import InvalidRequest, detail_line

ThreadStatus = Literal["idle", "busy", "interrupted", "error"]
SortBy = Literal["thread_id", "status", "created_at", "updated_at", "state_updated_at"]
SortOrder = Literal["asc", "desc"]
IfExists = Literal["raise", "do_nothing"]
MultitaskStrategy = Literal["reject", "interrupt", "rollback", "enqueue"]
StreamMode = Literal[
    "values", "updates", "messages", "messages-tuple", "events", "debug", "tasks",
    "checkpoints", "custom",
]

SPECIAL_NODES: tuple[str, ...] = ("__input__", "__start__", "__copy__", "__end__")
"""Pseudo-nodes every graph accepts as ``as_node`` (the one list: ``tui.supersteps`` uses it;
this module loads neither httpx nor Textual)."""


class _Received(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class _Sent(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    def body(self) -> dict[str, Any]:
        try:
            return self.model_dump(mode="json", exclude_none=True)
        except (ValueError, RecursionError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            raise InvalidRequest(f"The request cannot be sent: {detail_line(reason)}") from None


# ---------------------------------------------------------------- received


# Which fields a received thread had, one set per distinct combination (see Thread).
_FIELD_SETS: dict[frozenset[str], set[str]] = {}


class Thread(_Received):
    # Frozen: nothing changes a received thread in place (model_copy makes a new one), and the
    # field set below is shared between instances.
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True,
                              frozen=True)

    thread_id: str
    created_at: datetime | None = None
    updated_at: datetime | None = None
    state_updated_at: datetime | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    status: str | None = None
    config: dict[str, Any] | None = None
    values: Any = None
    interrupts: Any = None
    error: Any = None
    extracted: dict[str, Any] | None = None

    @property
    def graph_id(self) -> str | None:
        value = self.metadata.get("graph_id") if isinstance(self.metadata, dict) else None
        return value if isinstance(value, str) else None

    def model_post_init(self, context: Any, /) -> None:
        """Share the set of the fields the server sent between threads that sent the same ones.

        Pydantic keeps that set on every instance (~0.5-0.7 KB for a searched thread's six
        fields, a third of its size); the thread list holds tens of thousands of threads, all
        with the same fields. Sharing is safe because a Thread is frozen, and model_copy
        copies the set before it adds to it.
        """
        fields = self.__pydantic_fields_set__
        key = frozenset(fields)
        shared = _FIELD_SETS.get(key)
        if shared is None and len(_FIELD_SETS) < 64:
            shared = _FIELD_SETS[key] = fields
        if shared is not None and shared is not fields:
            object.__setattr__(self, "__pydantic_fields_set__", shared)


class CheckpointRef(_Received):
    checkpoint_id: str | None = None
    thread_id: str | None = None
    checkpoint_ns: str | None = ""


class Interrupt(_Received):
    id: str | None = None
    value: Any = None


class Task(_Received):
    id: str | None = None
    name: str
    path: list[Any] | None = None
    error: Any = None
    interrupts: list[Interrupt] = Field(default_factory=list)
    checkpoint: Any = None
    state: Any = None
    result: Any = None


class ThreadState(_Received):
    """A thread's state at one checkpoint (``/state`` and each entry of ``/history``)."""

    values: Any = None
    next: list[str] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    checkpoint: CheckpointRef | None = None
    parent_checkpoint: CheckpointRef | None = None
    metadata: dict[str, Any] | None = None
    created_at: datetime | None = None
    interrupts: list[Interrupt] = Field(default_factory=list)

    @property
    def checkpoint_id(self) -> str | None:
        return self.checkpoint.checkpoint_id if self.checkpoint else None

    @property
    def parent_checkpoint_id(self) -> str | None:
        return self.parent_checkpoint.checkpoint_id if self.parent_checkpoint else None

    @property
    def step(self) -> int | None:
        step = (self.metadata or {}).get("step")
        return step if isinstance(step, int) else None

    @property
    def source(self) -> str | None:
        source = (self.metadata or {}).get("source")
        return source if isinstance(source, str) else None


class SearchPage(BaseModel):
    """One page of a thread search: the items, and where the next page starts (or None)."""

    items: list[Thread]
    offset: int
    next_offset: int | None


class Assistant(_Received):
    assistant_id: str
    graph_id: str
    name: str | None = None
    description: str | None = None
    config: dict[str, Any] | None = None
    context: Any = None
    metadata: dict[str, Any] | None = None
    version: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class GraphNode(_Received):
    id: str
    type: str | None = None
    data: Any = None


class GraphEdge(_Received):
    source: str
    target: str
    conditional: bool | None = None
    data: Any = None


class GraphInfo(_Received):
    nodes: list[GraphNode] = Field(default_factory=list)
    edges: list[GraphEdge] = Field(default_factory=list)

    @property
    def node_names(self) -> list[str]:
        """The graph's own nodes, in the server's order, without ``__start__``/``__end__``."""
        return [node.id for node in self.nodes if node.id not in SPECIAL_NODES]


class GraphSchemas(_Received):
    graph_id: str | None = None
    input_schema: Any = None
    output_schema: Any = None
    state_schema: Any = None
    config_schema: Any = None
    context_schema: Any = None


class ServerInfo(_Received):
    version: str | None = None
    langgraph_py_version: str | None = None
    flags: dict[str, Any] | None = None
    host: Any = None


class Run(_Received):
    run_id: str
    thread_id: str | None = None
    assistant_id: str | None = None
    status: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    metadata: dict[str, Any] | None = None
    multitask_strategy: str | None = None


class StreamPart(BaseModel):
    """One server-sent event of a run stream: ``event`` is e.g. ``values``, ``updates``,
    ``messages/partial``, ``metadata``, ``error`` or ``end``."""

    event: str
    data: Any = None
    id: str | None = None


# ---------------------------------------------------------------- sent


class Ttl(_Sent):
    strategy: Literal["delete"] = "delete"
    ttl: float = Field(gt=0, description="minutes")


class ThreadCreate(_Sent):
    thread_id: str | None = None
    metadata: dict[str, Any] | None = None
    if_exists: IfExists | None = None
    supersteps: list[dict[str, Any]] | None = None
    ttl: Ttl | None = None


class ThreadUpdate(_Sent):
    metadata: dict[str, Any]


class ThreadSearch(_Sent):
    ids: list[str] | None = None
    metadata: dict[str, Any] | None = None
    values: dict[str, Any] | None = None
    status: ThreadStatus | None = None
    sort_by: SortBy | None = None
    sort_order: SortOrder | None = None
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)
    select: list[str] | None = None
    extract: dict[str, str] | None = None


class ThreadCount(_Sent):
    metadata: dict[str, Any] | None = None
    values: dict[str, Any] | None = None
    status: ThreadStatus | None = None


class HistoryRequest(_Sent):
    limit: int = Field(default=10, ge=1, le=1000)
    before: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    checkpoint: dict[str, Any] | None = None


class StateUpdate(_Sent):
    values: Any = None
    as_node: str | None = None
    checkpoint: dict[str, Any] | None = None
    checkpoint_id: str | None = None

    def body(self) -> dict[str, Any]:
        # ``values: null`` is meaningful (e.g. with as_node to mark a node done): keep it.
        body = super().body()
        body.setdefault("values", self.values)
        return body


class AssistantSearch(_Sent):
    graph_id: str | None = None
    metadata: dict[str, Any] | None = None
    limit: int = Field(default=100, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class RunCommand(_Sent):
    update: Any = None
    goto: Any = None
    resume: Any = None


class RunCreate(_Sent):
    assistant_id: str
    input: Any = None
    command: RunCommand | None = None
    stream_mode: list[StreamMode] | None = None
    multitask_strategy: MultitaskStrategy | None = None
    config: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    checkpoint: dict[str, Any] | None = None
    checkpoint_id: str | None = None
    interrupt_before: list[str] | None = None
    interrupt_after: list[str] | None = None
    if_not_exists: Literal["create", "reject"] | None = None
    on_disconnect: Literal["cancel", "continue"] | None = None
    stream_subgraphs: bool | None = None
    stream_resumable: bool | None = None
