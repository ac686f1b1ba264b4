"""Map the server's error text for a failed ``POST /threads`` to problems in the script.

The Agent Server answers with ``{"detail": "<text>"}``: schema failures name the JSON path
(``On instance["supersteps"][2]["updates"][0]``), langgraph errors name a node or a message
type. This is best effort: anything unrecognised becomes one script-level problem carrying the
server's first line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from tui.supersteps.model import Script, Update
from tui.supersteps.problems import Problem

__all__ = ["problems_from_server_detail"]

_CREATED_PREFIX = re.compile(
    r"^Thread \S+ was created, but there were problems updating the state:\s*", re.DOTALL
)
_INSTANCE = re.compile(r'On instance((?:\[(?:"[^"]*"|\d+)\])*)')
_PATH_PART = re.compile(r'\[(?:"([^"]*)"|(\d+))\]')
_REQUIRED = re.compile(r'^"([^"]+)" is a required property')
_NODE = re.compile(r"^Node (.+?) (does not exist|has no writers)")
_MESSAGE_TYPE = re.compile(r"^Unexpected message type: '([^']*)'")


def _first_line(detail: str) -> str:
    for line in detail.splitlines():
        if line.strip():
            return " ".join(line.split())
    return "The server rejected the script without saying why."


def _schema_problem(text: str, line: str) -> Problem | None:
    match = _INSTANCE.search(text)
    if match is None:
        return None
    parts: list[str | int] = [
        name if name else int(index) for name, index in _PATH_PART.findall(match.group(1))
    ]
    superstep = update = None
    rest: list[str | int] = parts
    if len(parts) >= 2 and parts[0] == "supersteps" and isinstance(parts[1], int):
        superstep, rest = parts[1], parts[2:]
        if len(rest) >= 2 and rest[0] == "updates" and isinstance(rest[1], int):
            update, rest = rest[1], rest[2:]
    field = ""
    for part in rest:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else part)
    required = _REQUIRED.match(line)
    if required:
        field = f"{field}.{required.group(1)}" if field else required.group(1)
    return Problem(superstep, update, field, f"Server: {line}")


def _updates(script: Script, keep: Callable[[int, int, Update], bool]) -> list[Problem]:
    return [
        Problem(s, u, "as_node", "") for s, u, update in script.iter_updates() if keep(s, u, update)
    ]


def _with_message(found: list[Problem], message: str, field: str | None = None) -> list[Problem]:
    return [
        Problem(p.superstep, p.update, field if field is not None else p.field, message)
        for p in found
    ]


def _message_fields(script: Script, wanted: Callable[[Any], bool]) -> list[Problem]:
    found: list[Problem] = []
    for s, u, update in script.iter_updates():
        if update.command is not None:
            container, prefix = update.command.update, "command.update.messages"
        else:
            container, prefix = update.values, "values.messages"
        if not isinstance(container, Mapping):
            continue
        raw = container.get("messages")
        items = list(enumerate(raw)) if isinstance(raw, list) else [(None, raw)]
        for i, message in items:
            if raw is not None and wanted(message):
                field = prefix if i is None else f"{prefix}[{i}]"
                found.append(Problem(s, u, field, ""))
    return found


def _script_problems(script: Script, line: str) -> list[Problem]:
    """Problems located by matching the server's words against the script."""
    message = f"Server: {line}"
    node = _NODE.match(line)
    if node:
        name = node.group(1)
        return _with_message((_updates(script, lambda s, u, up: up.as_node == name)), message)
    solo = {
        "Cannot apply multiple updates when updating as input": "__input__",
        "Cannot apply multiple updates when clearing state": "__end__",
        "Cannot copy checkpoint with multiple updates": "__copy__",
    }.get(line)
    if solo is not None:
        return _with_message(
            list(
                _updates(
                    script,
                    lambda s, u, up: up.as_node == solo and len(script.supersteps[s].updates) > 1,
                )
            ),
            message,
        )
    if line.startswith("Cannot copy a non-existent checkpoint"):
        found = _updates(script, lambda s, u, up: up.as_node == "__copy__" and s == 0)
        return _with_message(found, message)
    if line.startswith("Received no input writes"):
        found = _updates(script, lambda s, u, up: up.as_node == "__input__" and not up.values)
        return _with_message(found, message, "values")
    if line.startswith(("Ambiguous update", "as_node is required")):
        return _with_message((_updates(script, lambda s, u, up: not up.as_node)), message)
    if line.startswith("No updates provided"):
        return [
            Problem(s, None, "updates", message)
            for s, step in enumerate(script.supersteps)
            if not step.updates
        ]
    kind = _MESSAGE_TYPE.match(line)
    if kind:
        bad = kind.group(1)
        found = _message_fields(
            script,
            lambda m: isinstance(m, Mapping) and m.get("type", m.get("role")) == bad,
        )
        return _with_message(found, message)
    if line.startswith("Message dict must contain"):
        found = _message_fields(
            script,
            lambda m: (
                isinstance(m, Mapping)
                and ("content" not in m or ("type" not in m and "role" not in m))
            ),
        )
        return _with_message(found, message)
    return []


def problems_from_server_detail(detail: str, script: Script | None = None) -> list[Problem]:
    """Problems for the server's ``detail``; with ``script`` they point at the updates or
    messages the text is about. Never empty."""
    text = _CREATED_PREFIX.sub("", detail.strip())
    line = _first_line(text)
    schema = _schema_problem(text, line)
    if schema is not None:
        return [schema]
    if "no assigned graph ID" in line or re.match(r"^Graph '.*' not found", line):
        return [Problem(None, None, "metadata.graph_id", f"Server: {line}")]
    if line.startswith("Invalid thread ID"):
        return [Problem(None, None, "thread_id", f"Server: {line}")]
    if script is not None:
        located = _script_problems(script, line)
        if located:
            return located
    if line == "Internal Server Error":
        line = (
            "Internal Server Error (500): check that every command has goto and every tool "
            "message and tool call has an id."
        )
        return [Problem(None, None, "", line)]
    return [Problem(None, None, "", f"Server: {line}")]
