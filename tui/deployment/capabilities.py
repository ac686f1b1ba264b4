"""What a deployment can do, learned as the client goes: one :class:`Capabilities` per connection.

Threadloom speaks the Agent Server API; independent implementations of it leave parts out.
Measured on Aegra 0.11.0: ``select`` in a thread search is refused (422), ``extract`` and
``ids`` are silently ignored, ``/threads/count`` answers 405, ``/threads/{id}/copy`` 404,
``/assistants/{graph_id}/graph`` knows assistants by id only, ``/assistants/search`` takes at
most 100 a page, and ``supersteps`` are accepted and dropped. The client tries the full API
first; when a server refuses a part, it falls back (or fails with
:class:`~tui.deployment.errors.Unsupported`) and remembers that here, so later calls on the
same connection go straight to the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from tui.deployment.errors import DeploymentError

COUNT_MISSING = "This server cannot count threads (it has no POST /threads/count)"
COPY_MISSING = ("This server cannot copy threads (it has no POST /threads/{thread_id}/copy): "
                "nothing was copied")


@dataclass
class Capabilities:
    """True until the server shows otherwise."""

    search_projection: bool = True  # ``select`` / ``extract`` in POST /threads/search
    search_ids: bool = True  # the ``ids`` filter of POST /threads/search
    count: bool = True  # POST /threads/count
    copy: bool = True  # POST /threads/{thread_id}/copy
    graph_by_name: bool = True  # GET /assistants/{graph_id}/graph with a graph name
    assistant_page: int | None = None  # the largest page /assistants/search takes, once known
    supersteps: bool = True  # POST /threads applies ``supersteps``


def route_missing(error: DeploymentError) -> bool:
    """The server has no such route (its router's bare 404 / 405), as opposed to a 404 about a
    thread or assistant that does not exist (those name what is missing)."""
    if error.status == 405:
        return True
    return error.status == 404 and (error.detail or "").strip().lower() in ("", "not found")


_PATH_STEP = re.compile(r"\[(-?\d+)\]|([^.\[\]]+)")


def extract_path(record: Any, path: str) -> Any:
    """The value at ``path`` (the server's ``extract`` syntax: ``values.messages[-1].content``)
    in a thread record, or None when any step is missing."""
    value = record
    for index, key in _PATH_STEP.findall(path):
        if key:
            if not isinstance(value, Mapping) or key not in value:
                return None
            value = value[key]
        else:
            if not isinstance(value, list) or not value:
                return None
            position = int(index)
            if not -len(value) <= position < len(value):
                return None
            value = value[position]
    return value


def project(
    item: Any, select: Sequence[str] | None, extract: Mapping[str, str] | None
) -> Any:
    """A search item as a server that honours ``select`` and ``extract`` would have sent it.

    ``extract`` is read from the item's ``values`` when the server sent them; a server that
    sends none (Aegra) gives ``None`` (the list shows a blank preview)."""
    if not isinstance(item, dict):
        return item
    out = {k: v for k, v in item.items() if not select or k in select or k == "thread_id"}
    if extract:
        out["extracted"] = {name: extract_path(item, path) for name, path in extract.items()}
    return out


def matches(
    item: Any, metadata: Mapping[str, Any] | None, status: str | None
) -> bool:
    """The ``metadata`` (containment) and ``status`` filters of a search, applied here."""
    if not isinstance(item, dict):
        return False
    if status and item.get("status") != status:
        return False
    found = item.get("metadata")
    if metadata:
        if not isinstance(found, dict):
            return False
        return all(key in found and found[key] == value for key, value in metadata.items())
    return True


def superstep_outcome(checkpoint_id: str | None, step: int | None,
                      count: int) -> Literal["applied", "dropped", "partial"]:
    """What a freshly created thread's state says of its ``count`` supersteps.

    Measured on ``langgraph-api``: each superstep makes one checkpoint, numbered from -1 when
    the script starts with ``__input__`` and from 0 otherwise, so the latest step is at least
    ``count - 2``. A server that dropped them (Aegra) made no checkpoint at all: "dropped".
    A checkpoint short of that step is "partial" (the thread is not empty: it is kept)."""
    if checkpoint_id is None:
        return "dropped"
    if step is not None and step < count - 2:
        return "partial"
    return "applied"
