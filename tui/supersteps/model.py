"""The superstep script: exactly the body ``POST /threads`` takes for a prepopulated thread.

A script is immutable: editing operations (``tui.supersteps.ops``) return new scripts that share
the untouched supersteps. The JSON payloads inside (``values``, ``command.update``, ...) are plain
dicts and lists; treat them as read-only — the operations copy what they change.

Parsing is lenient where the structure can still be represented (a mixed ``goto`` list, an
update with both ``values`` and ``command``, unknown keys): such scripts load, round-trip and are
reported by ``tui.supersteps.validate``. Only shapes that cannot be represented (``as_node`` that
is not a string, ``updates`` that is not a list, ...) raise :class:`ScriptError`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["Command", "GotoTarget", "Script", "ScriptError", "Send", "Superstep", "Update"]


class ScriptError(ValueError):
    """A body that is not a superstep script; ``path`` says where (``supersteps[2].updates[0]``)."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _expect_object(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ScriptError(path, f"must be a JSON object, not {_kind(value)}")
    for key in value:
        if not isinstance(key, str):
            raise ScriptError(path, f"object keys must be strings, got {key!r}")
    return value


def _expect_list(value: object, path: str) -> list[Any] | tuple[Any, ...]:
    if not isinstance(value, list | tuple):
        raise ScriptError(path, f"must be a list, not {_kind(value)}")
    return value


def _extras(data: Mapping[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    return {key: copy.deepcopy(value) for key, value in data.items() if key not in known}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow", defer_build=True)

    def extras(self) -> dict[str, Any]:
        """Unknown keys kept so that a file round-trips."""
        return dict(self.__pydantic_extra__ or {})


class Send(_Frozen):
    """``Send(node, input)``: run ``node`` with ``input`` (the wire name of Send's ``arg``)."""

    node: str
    input: Any = None

    def to_body(self) -> dict[str, Any]:
        return {"node": self.node, "input": copy.deepcopy(self.input), **self.extras()}

    @classmethod
    def from_body(cls, data: object, path: str = "send") -> Send:
        obj = _expect_object(data, path)
        node = obj.get("node")
        if not isinstance(node, str):
            raise ScriptError(f"{path}.node", f"must be a string, not {_kind(node)}")
        return cls(
            node=node, input=copy.deepcopy(obj.get("input")), **_extras(obj, ("node", "input"))
        )


GotoTarget = str | Send
"""One ``goto`` target: a node name, or a ``Send``."""


class Command(_Frozen):
    """A ``Command`` update: ``update`` the state, ``goto`` nodes next, ``resume`` an interrupt.

    ``goto`` keeps the shape it was written in (a name, a Send, or a list of them); the server
    answers 500 without it, which ``validate`` reports.
    """

    update: Any = None
    goto: str | Send | tuple[GotoTarget, ...] | None = None
    resume: Any = None

    def goto_targets(self) -> tuple[GotoTarget, ...]:
        """``goto`` as a tuple whatever its shape (empty when absent)."""
        if self.goto is None:
            return ()
        if isinstance(self.goto, tuple):
            return self.goto
        return (self.goto,)

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.update is not None:
            body["update"] = copy.deepcopy(self.update)
        if self.goto is not None:
            body["goto"] = _goto_to_body(self.goto)
        if self.resume is not None:
            body["resume"] = copy.deepcopy(self.resume)
        body.update(self.extras())
        return body

    @classmethod
    def from_body(cls, data: object, path: str = "command") -> Command:
        obj = _expect_object(data, path)
        return cls(
            update=copy.deepcopy(obj.get("update")),
            goto=_goto_from_body(obj.get("goto"), f"{path}.goto"),
            resume=copy.deepcopy(obj.get("resume")),
            **_extras(obj, ("update", "goto", "resume")),
        )


def _goto_to_body(goto: str | Send | tuple[GotoTarget, ...]) -> Any:
    if isinstance(goto, str):
        return goto
    if isinstance(goto, Send):
        return goto.to_body()
    return [item if isinstance(item, str) else item.to_body() for item in goto]


def _goto_item(value: object, path: str) -> GotoTarget:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return Send.from_body(value, path)
    raise ScriptError(path, f"must be a node name or a Send object, not {_kind(value)}")


def _goto_from_body(value: object, path: str) -> str | Send | tuple[GotoTarget, ...] | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return tuple(_goto_item(item, f"{path}[{i}]") for i, item in enumerate(value))
    return _goto_item(value, path)


class Update(_Frozen):
    """One state update: write ``values`` (or apply ``command``) as if ``as_node`` had run."""

    as_node: str | None = None
    values: Any = None
    command: Command | None = None

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.as_node is not None:
            body["as_node"] = self.as_node
        if self.values is not None:
            body["values"] = copy.deepcopy(self.values)
        if self.command is not None:
            body["command"] = self.command.to_body()
        body.update(self.extras())
        return body

    @classmethod
    def from_body(cls, data: object, path: str = "update") -> Update:
        obj = _expect_object(data, path)
        as_node = obj.get("as_node")
        if as_node is not None and not isinstance(as_node, str):
            raise ScriptError(
                f"{path}.as_node", f"must be a node name (string), not {_kind(as_node)}"
            )
        raw_command = obj.get("command")
        command = None if raw_command is None else Command.from_body(raw_command, f"{path}.command")
        return cls(
            as_node=as_node,
            values=copy.deepcopy(obj.get("values")),
            command=command,
            **_extras(obj, ("as_node", "values", "command")),
        )


class Superstep(_Frozen):
    """Updates applied together, as one step of the graph."""

    updates: tuple[Update, ...] = ()

    def to_body(self) -> dict[str, Any]:
        return {"updates": [update.to_body() for update in self.updates], **self.extras()}

    @classmethod
    def from_body(cls, data: object, path: str = "superstep") -> Superstep:
        obj = _expect_object(data, path)
        if "updates" not in obj:
            raise ScriptError(path, "missing 'updates' (a list of updates)")
        raw = _expect_list(obj["updates"], f"{path}.updates")
        updates = tuple(
            Update.from_body(item, f"{path}.updates[{i}]") for i, item in enumerate(raw)
        )
        return cls(updates=updates, **_extras(obj, ("updates",)))


class Script(_Frozen):
    """A prepopulated thread: ``metadata`` (with ``graph_id``) and the ``supersteps`` to apply.

    ``thread_id``, ``if_exists`` and ``ttl`` are the other ``POST /threads`` fields a file may
    carry; unknown top-level keys are kept as extras.
    """

    metadata: dict[str, Any] = {}
    supersteps: tuple[Superstep, ...] = ()
    thread_id: str | None = None
    if_exists: str | None = None
    ttl: Any = None

    @property
    def graph_id(self) -> str | None:
        """``metadata["graph_id"]``: the graph the server applies the supersteps with."""
        value = self.metadata.get("graph_id")
        return value if isinstance(value, str) else None

    def update_at(self, superstep: int, update: int) -> Update:
        """The update at ``(superstep, update)``; IndexError when out of range."""
        return self.supersteps[superstep].updates[update]

    def iter_updates(self) -> list[tuple[int, int, Update]]:
        """Every update with its address, in application order."""
        return [
            (s, u, update)
            for s, step in enumerate(self.supersteps)
            for u, update in enumerate(step.updates)
        ]

    def to_body(self) -> dict[str, Any]:
        """The exact JSON body for ``POST /threads`` (None fields omitted)."""
        body: dict[str, Any] = {}
        if self.thread_id is not None:
            body["thread_id"] = self.thread_id
        if self.if_exists is not None:
            body["if_exists"] = self.if_exists
        if self.ttl is not None:
            body["ttl"] = copy.deepcopy(self.ttl)
        body["metadata"] = copy.deepcopy(self.metadata)
        body.update(self.extras())
        body["supersteps"] = [step.to_body() for step in self.supersteps]
        return body

    @classmethod
    def from_body(cls, data: object) -> Script:
        """Parse a ``POST /threads`` body; :class:`ScriptError` says what is wrong and where."""
        obj = _expect_object(data, "")
        metadata = obj.get("metadata")
        if metadata is None:
            metadata = {}
        metadata = dict(_expect_object(metadata, "metadata"))
        raw_steps = obj.get("supersteps")
        if raw_steps is None:
            raw_steps = []
        steps = _expect_list(raw_steps, "supersteps")
        supersteps = tuple(
            Superstep.from_body(item, f"supersteps[{i}]") for i, item in enumerate(steps)
        )
        thread_id = obj.get("thread_id")
        if thread_id is not None and not isinstance(thread_id, str):
            raise ScriptError("thread_id", f"must be a string (a UUID), not {_kind(thread_id)}")
        if_exists = obj.get("if_exists")
        if if_exists is not None and not isinstance(if_exists, str):
            raise ScriptError("if_exists", f"must be a string, not {_kind(if_exists)}")
        return cls(
            metadata=copy.deepcopy(metadata),
            supersteps=supersteps,
            thread_id=thread_id,
            if_exists=if_exists,
            ttl=copy.deepcopy(obj.get("ttl")),
            **_extras(obj, ("metadata", "supersteps", "thread_id", "if_exists", "ttl")),
        )
