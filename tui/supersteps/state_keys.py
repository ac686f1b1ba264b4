"""Which keys a graph's ``values`` may hold, from its JSON schemas (``/assistants/{id}/schemas``).

Measured (langgraph-api 0.16.7): a ``values`` key the graph's state does not have is dropped
without a word — as ``__input__`` and as a node alike — so the editor and ``threadloom create``
warn about it. The keys are those of the state schema and of the input schema (an input may
name keys the state spells the same way; a graph with a separate input schema accepts both).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from tui.supersteps.model import Update


def schema_keys(*schemas: Any) -> frozenset[str] | None:
    """The property names of the given JSON object schemas together; None when none of them
    lists its properties (then nothing is known and nothing is checked)."""
    keys: set[str] = set()
    known = False
    for schema in schemas:
        if not isinstance(schema, Mapping):
            continue
        properties = schema.get("properties")
        if isinstance(properties, Mapping):
            known = True
            keys.update(str(name) for name in properties)
    return frozenset(keys) if known else None


def _written(value: Any) -> list[str]:
    """The keys an update's ``values`` (an object) or ``command.update`` (an object or
    ``[key, value]`` pairs) writes."""
    if isinstance(value, Mapping):
        return [k for k in value if isinstance(k, str)]
    if isinstance(value, list):
        return [p[0] for p in value if isinstance(p, list) and p and isinstance(p[0], str)]
    return []


def unknown_keys(update: Update, keys: Collection[str] | None) -> list[tuple[str, str]]:
    """``(field, message)`` for the keys ``update`` writes that the graph's state does not have
    (nothing when ``keys`` is None: unknown). With a command only ``command.update`` counts: the
    server drops ``values`` then (validate says so)."""
    if keys is None:
        return []
    where, value = ("values", update.values) if update.command is None else \
        ("command.update", update.command.update)
    unknown = [name for name in dict.fromkeys(_written(value)) if name not in keys]
    if not unknown:
        return []
    listed = ", ".join(repr(name) for name in unknown)
    has = ", ".join(sorted(keys)) or "no keys"
    what, it = ("key", "it") if len(unknown) == 1 else ("keys", "them")
    return [(where, f"The graph's state has no {what} {listed} (it has {has}): the server "
                    f"drops {it} silently.")]
