"""Properties over generated scripts: round trips, undo, and functions that must never raise."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tui.supersteps import (
    EditError,
    History,
    Script,
    Update,
    add_superstep,
    add_update,
    delete_superstep,
    delete_update,
    dumps_script,
    duplicate_superstep,
    duplicate_update,
    insert_superstep,
    loads_script,
    move_superstep,
    move_update,
    move_update_down,
    move_update_up,
    parse_json_text,
    problems_from_server_detail,
    set_as_node,
    set_command,
    set_graph_id,
    set_values,
    summarize_message,
    validate,
)

from .strategies import json_objects, json_values, scripts

Op = Callable[[Script], Script]


@given(scripts())
def test_body_round_trip(script: Script) -> None:
    body = script.to_body()

    assert Script.from_body(body) == script
    assert Script.from_body(body).to_body() == body
    json.dumps(body, allow_nan=False)


@given(scripts())
def test_file_text_round_trip_is_stable(script: Script) -> None:
    text = dumps_script(script)

    assert loads_script(text) == script
    assert dumps_script(loads_script(text)) == text


@st.composite
def script_and_op(draw: st.DrawFn) -> tuple[Script, str, Op]:
    script = draw(scripts())
    steps = len(script.supersteps)
    index = st.integers(0, max(steps - 1, 0))
    choices: list[tuple[str, Op]] = [
        ("add_superstep", add_superstep),
        ("insert_superstep", lambda s: insert_superstep(s, draw(st.integers(0, steps)))),
        ("set_graph_id", lambda s: set_graph_id(s, draw(st.text(min_size=1, max_size=5)))),
    ]
    if steps:
        s_i = draw(index)
        choices += [
            ("duplicate_superstep", lambda s: duplicate_superstep(s, s_i)),
            ("delete_superstep", lambda s: delete_superstep(s, s_i)),
            ("move_superstep", lambda s: move_superstep(s, s_i, draw(index))),
            ("add_update", lambda s: add_update(s, s_i, Update(as_node="n", values={}))),
        ]
        count = len(script.supersteps[s_i].updates)
        if count:
            u_i = draw(st.integers(0, count - 1))
            to_s = draw(index)
            to_max = len(script.supersteps[to_s].updates) - (1 if to_s == s_i else 0)
            to_u = draw(st.integers(0, max(to_max, 0)))
            choices += [
                ("duplicate_update", lambda s: duplicate_update(s, s_i, u_i)),
                ("delete_update", lambda s: delete_update(s, s_i, u_i)),
                ("move_update", lambda s: move_update(s, s_i, u_i, to_s, to_u)),
                ("move_update_up", lambda s: move_update_up(s, s_i, u_i)),
                ("move_update_down", lambda s: move_update_down(s, s_i, u_i)),
                ("set_as_node", lambda s: set_as_node(s, s_i, u_i, draw(st.text(max_size=5)))),
                ("set_values", lambda s: set_values(s, s_i, u_i, draw(json_objects))),
                ("set_command", lambda s: set_command(s, s_i, u_i, {"goto": "x"})),
            ]
    name, op = draw(st.sampled_from(choices))
    return script, name, op


@settings(max_examples=150)
@given(script_and_op())
def test_any_op_then_undo_gives_the_original(case: tuple[Script, str, Op]) -> None:
    script, name, op = case
    body = script.to_body()
    history = History(script)
    try:
        edited = history.apply(op)
    except EditError:
        assume(False)  # an edge move (first up, last down): nothing to undo
        raise

    assert script.to_body() == body, f"{name} mutated its input"
    assert history.undo() == script
    if edited != script:
        assert history.redo() == edited


@given(scripts(), st.none() | st.lists(st.text(max_size=5), max_size=4))
def test_validate_never_raises_and_addresses_exist(
    script: Script, node_names: list[str] | None
) -> None:
    for problem in validate(script, node_names):
        assert "\n" not in problem.message and problem.message
        assert problem.severity in ("error", "warning")
        if problem.superstep is not None:
            step = script.supersteps[problem.superstep]
            if problem.update is not None:
                assert 0 <= problem.update < len(step.updates)


@given(st.text(), scripts())
def test_server_detail_mapping_never_raises(detail: str, script: Script) -> None:
    problems = problems_from_server_detail(detail, script)

    assert problems
    assert all("\n" not in p.message for p in problems)


@given(json_values)
def test_parse_json_text_reads_what_json_writes(value: Any) -> None:
    assert parse_json_text(json.dumps(value, indent=2)) == (value, None)


@given(st.text())
def test_parse_json_text_never_raises(text: str) -> None:
    value, error = parse_json_text(text)

    if error is not None:
        assert value is None
        assert error.line >= 1 and error.column >= 1


@given(
    st.one_of(st.text(), json_values, st.builds(lambda t: {"type": "ai", "content": t}, st.text()))
)
def test_summaries_are_single_clean_lines(message: Any) -> None:
    summary = summarize_message(message, width=40)

    assert len(summary.preview) <= 40
    assert not any(ch in summary.preview for ch in "\n\r\t\x1b\x00\x7f\x9b")
