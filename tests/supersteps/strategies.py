"""Hypothesis strategies for scripts (JSON values, updates, supersteps)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tui.supersteps import Command, Script, Send, Superstep, Update

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)

json_values: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)

json_objects = st.dictionaries(st.text(max_size=6), json_values, max_size=3)

node_names = st.sampled_from(
    ["__input__", "__start__", "__copy__", "__end__", "call_model", "tools", 'it\'s "odd"']
)

messages = st.lists(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["human", "ai", "system"]), "content": st.text(max_size=20)}
    ),
    max_size=3,
)

extra_keys = st.dictionaries(
    st.from_regex(r"x_[a-z]{1,5}", fullmatch=True), json_values, max_size=2
)

sends = st.builds(Send, node=node_names, input=json_values)
gotos = (
    st.none()
    | node_names
    | sends
    | st.lists(node_names, max_size=2).map(tuple)
    | st.lists(sends, max_size=2).map(tuple)
)
commands = st.builds(Command, update=st.none() | json_objects, goto=gotos, resume=json_values)


@st.composite
def updates(draw: st.DrawFn) -> Update:
    as_node = draw(st.none() | node_names)
    extras = draw(extra_keys)
    if draw(st.booleans()):
        return Update(as_node=as_node, command=draw(commands), **extras)
    values = draw(st.none() | json_objects | st.builds(lambda m: {"messages": m}, messages))
    return Update(as_node=as_node, values=values, **extras)


supersteps = st.builds(
    lambda ups, extras: Superstep(updates=tuple(ups), **extras),
    st.lists(updates(), max_size=3),
    extra_keys,
)


@st.composite
def scripts(draw: st.DrawFn) -> Script:
    metadata = draw(json_objects)
    if draw(st.booleans()):
        metadata["graph_id"] = draw(st.text(min_size=1, max_size=8))
    return Script(
        metadata=metadata,
        supersteps=tuple(draw(st.lists(supersteps, max_size=4))),
        thread_id=draw(st.none() | st.uuids().map(str)),
        if_exists=draw(st.none() | st.sampled_from(["raise", "do_nothing"])),
        ttl=draw(st.none() | st.fixed_dictionaries({"ttl": st.integers(1, 100)})),
        **draw(extra_keys),
    )
