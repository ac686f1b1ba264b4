"""Check a script before sending it: the rules of langgraph's ``bulk_update_state`` and what the
Agent Server was measured to reject (langgraph-api 0.16.7).

``validate`` never raises; it returns :class:`Problem` s in script order. Errors are what the
server rejects (or crashes on, or what breaks the conversation for a model provider); warnings
are accepted but probably not what the user meant. ``parse_json_text`` and
``problems_from_server_detail`` live in their own modules and are re-exported here.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.deployment.models import SPECIAL_NODES
from tui.safe import one_line
from tui.supersteps.jsontext import JsonError, parse_json_text
from tui.supersteps.messages import (
    MESSAGE_TYPES,
    canonical_type,
    message_type,
    stray_message_keys,
)
from tui.supersteps.model import Command, Script, Send, Update
from tui.supersteps.problems import Problem, Severity, has_errors
from tui.supersteps.server_detail import problems_from_server_detail
from tui.supersteps.state_keys import unknown_keys
from tui.words import plural

__all__ = [
    "SOLO_NODES",
    "SPECIAL_NODES",
    "JsonError",
    "Problem",
    "has_errors",
    "parse_json_text",
    "problems_from_server_detail",
    "ttl_problems",
    "validate",
]

SOLO_NODES: frozenset[str] = frozenset({"__input__", "__copy__", "__end__"})
"""Pseudo-nodes that must be the only update of their superstep."""

MANY_SUPERSTEPS = 500
"""Creation cost grows quadratically: 1,000 supersteps take ~7 s on the inmem server."""

_TYPES_TEXT = "human, ai, system, tool or remove"


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(
        self,
        superstep: int | None,
        update: int | None,
        field: str,
        message: str,
        severity: Severity = "error",
    ) -> None:
        # Names and values quoted in a message come from the user or the graph: one line, literal.
        self.problems.append(Problem(superstep, update, field, one_line(message), severity))


def validate(script: Script, node_names: Collection[str] | None = None,
             state_keys: Collection[str] | None = None) -> list[Problem]:
    """All problems of ``script``; ``node_names`` (the graph's nodes, when known) enables the
    unknown-node checks, ``state_keys`` (the keys of the graph's state and input schemas, see
    :mod:`tui.supersteps.state_keys`) the unknown-key warnings."""
    out = _Collector()
    _check_script_fields(script, out)
    known = None if node_names is None else frozenset(node_names) | frozenset(SPECIAL_NODES)
    seen = _Seen()
    for s, step in enumerate(script.supersteps):
        if not step.updates:
            out.add(s, None, "updates", "This superstep has no updates: add one or delete it.")
            continue
        made_here = _Seen()  # visible from the next superstep on
        for u, update in enumerate(step.updates):
            _check_update(script, s, u, update, known, out)
            for where, message in unknown_keys(update, state_keys):
                out.add(s, u, where, message, "warning")
            made_here.merge(_check_update_messages(s, u, update, seen, out))
        seen.merge(made_here)
    return out.problems


# -- script level -------------------------------------------------------------------------------


def _check_script_fields(script: Script, out: _Collector) -> None:
    graph_id = script.metadata.get("graph_id")
    if script.supersteps and not (isinstance(graph_id, str) and graph_id.strip()):
        hint = (
            " (a top-level graph_id is ignored by the server)"
            if "graph_id" in script.extras()
            else ""
        )
        out.add(
            None,
            None,
            "metadata.graph_id",
            f"Set metadata.graph_id to the graph that applies the supersteps{hint}.",
        )
    if script.thread_id is not None:
        try:
            uuid.UUID(script.thread_id)
        except ValueError:
            out.add(None, None, "thread_id", "thread_id must be a UUID (or leave it out).")
    if script.if_exists is not None and script.if_exists not in ("raise", "do_nothing"):
        out.add(None, None, "if_exists", 'if_exists must be "raise" or "do_nothing".')
    if script.if_exists == "do_nothing" and script.thread_id is not None and script.supersteps:
        # Measured (langgraph-api 0.16.7): the existing thread is returned, but the supersteps
        # are applied to it again — sending twice doubles the conversation.
        out.add(
            None,
            None,
            "if_exists",
            "With supersteps, do_nothing still applies them to an existing thread (the "
            "conversation is written twice); use raise to be safe.",
            "warning",
        )
    _check_ttl(script.ttl, out)
    if len(script.supersteps) > MANY_SUPERSTEPS:
        out.add(
            None,
            None,
            "supersteps",
            f"{plural(len(script.supersteps), 'superstep')}: creation slows down quadratically "
            "(1,000 take ~7 s); merge steps where you can.",
            "warning",
        )


def ttl_problems(ttl: Any) -> list[tuple[str, str]]:
    """What is wrong with a script's ``ttl`` as ``(field, message)`` pairs: the one TTL check,
    made before anything is sent by the command line and the editor alike."""
    if ttl is None:
        return []
    if not isinstance(ttl, Mapping):
        return [("ttl", 'ttl must be an object like {"ttl": 60, "strategy": "delete"}.')]
    problems = []
    minutes = ttl.get("ttl")
    if isinstance(minutes, bool) or not isinstance(minutes, int | float):
        problems.append(("ttl.ttl", "ttl.ttl must be a number of minutes."))
    elif minutes <= 0:
        problems.append(("ttl.ttl", "ttl.ttl must be a positive number of minutes."))
    strategy = ttl.get("strategy")
    if strategy is not None and strategy not in ("delete", "keep_latest"):
        problems.append(("ttl.strategy", 'ttl.strategy must be "delete" or "keep_latest".'))
    return problems


def _check_ttl(ttl: Any, out: _Collector) -> None:
    for where, message in ttl_problems(ttl):
        out.add(None, None, where, message)


# -- one update ---------------------------------------------------------------------------------


def _known_text(known: frozenset[str]) -> str:
    graph = sorted(name for name in known if name not in SPECIAL_NODES)
    return ", ".join([*graph, *SPECIAL_NODES])


def _check_update(
    script: Script,
    s: int,
    u: int,
    update: Update,
    known: frozenset[str] | None,
    out: _Collector,
) -> None:
    count = len(script.supersteps[s].updates)
    node = update.as_node
    if node is None or not node.strip():
        if count > 1:
            message = "Each update of a superstep with several updates needs as_node."
        else:
            message = "Set as_node: the server rejects an update without it."
        out.add(s, u, "as_node", message)
    elif known is not None and node not in known:
        out.add(s, u, "as_node", f"Unknown node {node!r}; the graph has {_known_text(known)}.")
    if node in SOLO_NODES and count > 1:
        out.add(s, u, "as_node", f"{node} must be the only update of its superstep.")
    if node == "__copy__" and s == 0:
        out.add(s, u, "as_node", "__copy__ needs an earlier superstep to copy.")
    if update.command is not None:
        if update.values is not None:
            out.add(
                s,
                u,
                "values",
                "This update has both values and command: the server drops values and applies "
                "only the command (put the values in command.update).",
            )
        _check_command(s, u, update.command, known, out)
        return
    _check_values(s, u, node, update.values, out)


def _check_values(s: int, u: int, node: str | None, values: Any, out: _Collector) -> None:
    if node == "__end__":
        if values is not None:
            out.add(s, u, "values", "__end__ takes no values (it clears pending tasks).")
        return
    if values is None:
        if node == "__input__":
            out.add(s, u, "values", "__input__ needs values (use {} for an empty input).")
        elif node != "__copy__":
            out.add(s, u, "values", "This update writes nothing: add values.", "warning")
        return
    if not isinstance(values, Mapping):
        out.add(s, u, "values", "values must be a JSON object (state key → value).")
    elif node == "__copy__":
        out.add(
            s, u, "values", "__copy__ ignores values; put them in a later superstep.", "warning"
        )


def _check_command(
    s: int, u: int, command: Command, known: frozenset[str] | None, out: _Collector
) -> None:
    update = command.update
    pairs = isinstance(update, list) and all(
        isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) for item in update
    )
    if update is not None and not isinstance(update, Mapping) and not pairs:
        out.add(
            s,
            u,
            "command.update",
            'command.update must be an object (or a list of ["key", value] pairs).',
        )
    if command.goto is None:
        out.add(
            s,
            u,
            "command.goto",
            "Set command.goto: the server fails (500) on a command without it.",
        )
        return
    targets = command.goto_targets()
    if not targets:
        out.add(s, u, "command.goto", "command.goto is empty: name at least one node.")
    if isinstance(command.goto, tuple) and len({isinstance(t, str) for t in targets}) > 1:
        out.add(
            s,
            u,
            "command.goto",
            "command.goto mixes node names and Send objects; the server accepts one kind.",
        )
    if known is not None:
        allowed = known - {"__input__", "__start__", "__copy__"}
        for i, target in enumerate(targets):
            name = target.node if isinstance(target, Send) else target
            if name not in allowed:
                where = "command.goto" if len(targets) == 1 else f"command.goto[{i}]"
                graph = _known_text(known).replace(", __input__, __start__, __copy__", "")
                out.add(s, u, where, f"goto names unknown node {name!r}; the graph has {graph}.")


# -- messages -----------------------------------------------------------------------------------


@dataclass
class _Seen:
    """Tool call ids made and message ids written so far (what later messages may refer to)."""

    calls: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)

    def merge(self, other: _Seen) -> None:
        self.calls |= other.calls
        self.ids |= other.ids


def _check_update_messages(s: int, u: int, update: Update, seen: _Seen, out: _Collector) -> _Seen:
    """Check the messages an update writes; return the tool calls and ids they add."""
    if update.command is not None:
        container, prefix = update.command.update, "command.update.messages"
    else:
        container, prefix = update.values, "values.messages"
    made = _Seen()
    if not isinstance(container, Mapping) or container.get("messages") is None:
        return made
    raw = container["messages"]
    items = list(enumerate(raw)) if isinstance(raw, list) else [(None, raw)]
    for i, message in items:
        where = prefix if i is None else f"{prefix}[{i}]"
        available = _Seen(seen.calls | made.calls, seen.ids | made.ids)
        made.merge(_check_message(s, u, where, message, available, out))
    return made


def _check_message(
    s: int, u: int, where: str, message: Any, available: _Seen, out: _Collector
) -> _Seen:
    made = _Seen()
    if isinstance(message, str):
        out.add(
            s,
            u,
            where,
            'A bare string becomes a human message; write {"type": "human", "content": ...}.',
            "warning",
        )
        return made
    if isinstance(message, list) and len(message) == 2 and isinstance(message[0], str):
        if message[0] not in MESSAGE_TYPES:
            out.add(s, u, where, f"Unknown message type {message[0]!r}; use {_TYPES_TEXT}.")
        elif canonical_type(message[0]) in ("tool", "remove"):
            out.add(s, u, where, f"A {message[0]} message needs an id: write it as an object.")
        return made
    if not isinstance(message, Mapping):
        out.add(s, u, where, "A message must be an object with type and content.")
        return made
    kind = message["role"] if "role" in message else message.get("type")
    if kind is None:
        out.add(s, u, f"{where}.type", f"This message has no type; use {_TYPES_TEXT}.")
    elif not isinstance(kind, str) or kind not in MESSAGE_TYPES:
        out.add(s, u, f"{where}.type", f"Unknown message type {kind!r}; use {_TYPES_TEXT}.")
    if "content" not in message:
        out.add(s, u, f"{where}.content", 'This message has no content (use "" for none).')
    elif not isinstance(message["content"], str | list | type(None)):
        out.add(s, u, f"{where}.content", "content must be text or a list of content parts.")
    for key in stray_message_keys(message):
        out.add(
            s,
            u,
            f"{where}.{key}",
            f"{key!r} is not a message field here: the server moves it into additional_kwargs.",
            "warning",
        )
    message_id = message.get("id")
    canonical = message_type(message)
    if canonical == "remove":
        if not isinstance(message_id, str) or not message_id:
            out.add(s, u, f"{where}.id", "A remove message needs the id of the message to delete.")
        elif message_id not in available.ids:
            out.add(
                s, u, f"{where}.id", f"No earlier message has id {message_id!r}; nothing to remove."
            )
        return made
    if isinstance(message_id, str) and message_id:
        made.ids.add(message_id)
    if canonical == "ai":
        made.calls = _check_tool_calls(s, u, where, message.get("tool_calls"), out)
    elif canonical == "tool":
        call_id = message.get("tool_call_id")
        if not isinstance(call_id, str) or not call_id:
            out.add(
                s,
                u,
                f"{where}.tool_call_id",
                "A tool message needs tool_call_id (the server fails with 500 without it).",
            )
        elif call_id not in available.calls:
            out.add(
                s,
                u,
                f"{where}.tool_call_id",
                f"No earlier AI message made tool call {call_id!r}; add it before this result.",
            )
    return made


def _check_tool_calls(s: int, u: int, prefix: str, calls: Any, out: _Collector) -> set[str]:
    if calls is None:
        return set()
    if not isinstance(calls, list):
        out.add(s, u, f"{prefix}.tool_calls", "tool_calls must be a list.")
        return set()
    made: set[str] = set()
    for j, call in enumerate(calls):
        where = f"{prefix}.tool_calls[{j}]"
        if not isinstance(call, Mapping):
            out.add(s, u, where, 'A tool call must be an object {"name", "args", "id"}.')
            continue
        if not isinstance(call.get("name"), str) or not call.get("name"):
            out.add(s, u, f"{where}.name", "This tool call needs a name.")
        if not isinstance(call.get("args"), Mapping):
            out.add(s, u, f"{where}.args", "Tool call args must be an object ({} for none).")
        call_id = call.get("id")
        if not isinstance(call_id, str) or not call_id:
            out.add(s, u, f"{where}.id", "This tool call needs an id (the server fails without).")
        else:
            made.add(call_id)
    return made
