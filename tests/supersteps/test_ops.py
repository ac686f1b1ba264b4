"""Editing operations: each returns a new script, leaves the old one alone, and can be undone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tui.supersteps import (
    Command,
    EditError,
    History,
    Script,
    Superstep,
    Update,
    add_superstep,
    add_update,
    delete_superstep,
    delete_update,
    duplicate_superstep,
    duplicate_update,
    insert_superstep,
    move_superstep,
    move_superstep_down,
    move_superstep_up,
    move_update,
    move_update_down,
    move_update_up,
    replace_update,
    set_as_node,
    set_command,
    set_graph_id,
    set_messages,
    set_metadata,
    set_values,
)

from .data import SEED_BODY


def nodes(script: Script) -> list[list[str | None]]:
    return [[u.as_node for u in step.updates] for step in script.supersteps]


@pytest.fixture
def two_by_two() -> Script:
    """Superstep 0: a, b; superstep 1: c, d."""
    return Script(
        metadata={"graph_id": "agent"},
        supersteps=(
            Superstep(updates=(Update(as_node="a", values={}), Update(as_node="b", values={}))),
            Superstep(updates=(Update(as_node="c", values={}), Update(as_node="d", values={}))),
        ),
    )


# -- supersteps ---------------------------------------------------------------------------------


def test_add_superstep_appends_a_blank_step_with_one_update(seed: Script) -> None:
    added = add_superstep(seed)

    assert len(added.supersteps) == 4
    assert added.supersteps[-1] == Superstep(updates=(Update(values={}),))
    assert seed.to_body() == SEED_BODY


def test_add_superstep_with_given_step(seed: Script) -> None:
    step = Superstep(updates=(Update(as_node="tools", values={"turns": 1}),))

    assert add_superstep(seed, step).supersteps[-1] == step


def test_insert_superstep_at_start_and_bounds(seed: Script) -> None:
    inserted = insert_superstep(seed, 0)

    assert nodes(inserted) == [[None], ["__input__"], ["__start__"], ["call_model"]]
    with pytest.raises(EditError, match="cannot insert a superstep at position 5"):
        insert_superstep(seed, 4)
    with pytest.raises(EditError):
        insert_superstep(seed, -1)


def test_duplicate_superstep_inserts_an_independent_copy_after_it(seed: Script) -> None:
    duplicated = duplicate_superstep(seed, 1)

    assert nodes(duplicated) == [["__input__"], ["__start__"], ["__start__"], ["call_model"]]
    assert duplicated.supersteps[2] == seed.supersteps[1]
    original_values = duplicated.supersteps[1].updates[0].values
    copy_values = duplicated.supersteps[2].updates[0].values
    assert copy_values == original_values and copy_values is not original_values


def test_delete_superstep(seed: Script) -> None:
    assert nodes(delete_superstep(seed, 1)) == [["__input__"], ["call_model"]]
    with pytest.raises(EditError, match="no superstep 4 \\(the script has 3\\)"):
        delete_superstep(seed, 3)


def test_move_superstep_to_position(seed: Script) -> None:
    assert nodes(move_superstep(seed, 2, 0)) == [["call_model"], ["__input__"], ["__start__"]]
    assert nodes(move_superstep(seed, 0, 2)) == [["__start__"], ["call_model"], ["__input__"]]
    with pytest.raises(EditError):
        move_superstep(seed, 0, 3)


def test_move_superstep_up_and_down_stop_at_the_ends(seed: Script) -> None:
    assert nodes(move_superstep_up(seed, 1)) == [["__start__"], ["__input__"], ["call_model"]]
    assert nodes(move_superstep_down(seed, 1)) == [["__input__"], ["call_model"], ["__start__"]]
    with pytest.raises(EditError, match="first superstep cannot move up"):
        move_superstep_up(seed, 0)
    with pytest.raises(EditError, match="last superstep cannot move down"):
        move_superstep_down(seed, 2)


def test_unchanged_supersteps_are_shared(seed: Script) -> None:
    edited = set_as_node(seed, 2, 0, "tools")

    assert edited.supersteps[0] is seed.supersteps[0]
    assert edited.supersteps[1] is seed.supersteps[1]
    assert edited.supersteps[2] is not seed.supersteps[2]


# -- updates ------------------------------------------------------------------------------------


def test_add_update_at_end_and_at_index(two_by_two: Script) -> None:
    assert nodes(add_update(two_by_two, 0)) == [["a", "b", None], ["c", "d"]]
    extra = Update(as_node="x", values={})
    assert nodes(add_update(two_by_two, 1, extra, index=0)) == [["a", "b"], ["x", "c", "d"]]
    with pytest.raises(EditError):
        add_update(two_by_two, 1, extra, index=3)
    with pytest.raises(EditError, match="no superstep 3"):
        add_update(two_by_two, 2)


def test_duplicate_update_is_a_deep_copy(seed: Script) -> None:
    duplicated = duplicate_update(seed, 1, 0)

    first, second = duplicated.supersteps[1].updates
    assert first == second
    assert first.values is not second.values
    assert first.values["messages"] is not second.values["messages"]


def test_delete_update_can_leave_an_empty_superstep(seed: Script) -> None:
    deleted = delete_update(seed, 0, 0)

    assert deleted.supersteps[0].updates == ()
    with pytest.raises(EditError, match="no update 2 in superstep 1 \\(it has 1\\)"):
        delete_update(seed, 0, 1)


def test_move_update_within_a_superstep(two_by_two: Script) -> None:
    assert nodes(move_update(two_by_two, 0, 0, 0, 1)) == [["b", "a"], ["c", "d"]]
    with pytest.raises(EditError):
        move_update(two_by_two, 0, 0, 0, 2)


def test_move_update_between_supersteps(two_by_two: Script) -> None:
    assert nodes(move_update(two_by_two, 0, 1, 1, 2)) == [["a"], ["c", "d", "b"]]
    assert nodes(move_update(two_by_two, 1, 0, 0, 0)) == [["c", "a", "b"], ["d"]]
    with pytest.raises(EditError):
        move_update(two_by_two, 0, 0, 1, 3)
    with pytest.raises(EditError):
        move_update(two_by_two, 0, 0, 2, 0)


def test_move_update_up_and_down_cross_superstep_edges(two_by_two: Script) -> None:
    assert nodes(move_update_up(two_by_two, 0, 1)) == [["b", "a"], ["c", "d"]]
    assert nodes(move_update_up(two_by_two, 1, 0)) == [["a", "b", "c"], ["d"]]
    assert nodes(move_update_down(two_by_two, 0, 0)) == [["b", "a"], ["c", "d"]]
    assert nodes(move_update_down(two_by_two, 0, 1)) == [["a"], ["b", "c", "d"]]
    with pytest.raises(EditError, match="first update cannot move up"):
        move_update_up(two_by_two, 0, 0)
    with pytest.raises(EditError, match="last update cannot move down"):
        move_update_down(two_by_two, 1, 1)


def test_set_as_node_strips_and_blank_clears(seed: Script) -> None:
    assert set_as_node(seed, 2, 0, "  tools ").supersteps[2].updates[0].as_node == "tools"
    assert set_as_node(seed, 2, 0, "   ").supersteps[2].updates[0].as_node is None
    assert set_as_node(seed, 2, 0, None).supersteps[2].updates[0].as_node is None


def test_set_values_replaces_a_command_and_copies_the_input(seed: Script) -> None:
    commanded = set_command(seed, 2, 0, {"goto": "tools", "update": {"turns": 1}})
    values = {"turns": 2}

    edited = set_values(commanded, 2, 0, values)
    values["turns"] = 99

    update = edited.supersteps[2].updates[0]
    assert update.command is None
    assert update.values == {"turns": 2}


def test_set_values_rejects_non_json(seed: Script) -> None:
    with pytest.raises(EditError, match="values must be JSON data"):
        set_values(seed, 2, 0, {"when": object()})
    with pytest.raises(EditError):
        set_values(seed, 2, 0, {"x": float("nan")})


def test_set_command_replaces_values(seed: Script) -> None:
    edited = set_command(seed, 2, 0, Command(goto="tools"))

    update = edited.supersteps[2].updates[0]
    assert update.values is None
    assert update.to_body() == {"as_node": "call_model", "command": {"goto": "tools"}}


def test_set_messages_keeps_other_values(seed: Script) -> None:
    with_turns = set_values(seed, 2, 0, {"messages": [], "turns": 1})

    edited = set_messages(with_turns, 2, 0, [{"type": "ai", "content": "hi"}])

    assert edited.supersteps[2].updates[0].values == {
        "messages": [{"type": "ai", "content": "hi"}],
        "turns": 1,
    }


def test_set_messages_refuses_a_command_update(seed: Script) -> None:
    commanded = set_command(seed, 2, 0, {"goto": "tools"})

    with pytest.raises(EditError, match="command"):
        set_messages(commanded, 2, 0, [])


def test_replace_update(seed: Script) -> None:
    new = Update(as_node="tools", values={"turns": 3})

    assert replace_update(seed, 0, 0, new).supersteps[0].updates[0] is new


def test_set_metadata_and_graph_id(seed: Script) -> None:
    meta = {"graph_id": "other", "owner": "me"}
    edited = set_metadata(seed, meta)
    meta["owner"] = "changed"

    assert edited.metadata == {"graph_id": "other", "owner": "me"}
    assert set_graph_id(edited, " agent2 ").metadata == {"graph_id": "agent2", "owner": "me"}
    assert set_graph_id(edited, "").metadata == {"owner": "me"}
    assert set_graph_id(edited, None).graph_id is None
    assert seed.metadata == {"graph_id": "agent"}


# -- history ------------------------------------------------------------------------------------

EVERY_OP: list[tuple[str, Callable[[Script], Script]]] = [
    ("add_superstep", add_superstep),
    ("insert_superstep", lambda s: insert_superstep(s, 1)),
    ("duplicate_superstep", lambda s: duplicate_superstep(s, 0)),
    ("delete_superstep", lambda s: delete_superstep(s, 1)),
    ("move_superstep", lambda s: move_superstep(s, 0, 2)),
    ("move_superstep_up", lambda s: move_superstep_up(s, 2)),
    ("move_superstep_down", lambda s: move_superstep_down(s, 0)),
    ("add_update", lambda s: add_update(s, 1)),
    ("duplicate_update", lambda s: duplicate_update(s, 1, 0)),
    ("delete_update", lambda s: delete_update(s, 1, 0)),
    ("move_update", lambda s: move_update(s, 1, 0, 2, 1)),
    ("move_update_up", lambda s: move_update_up(s, 1, 0)),
    ("move_update_down", lambda s: move_update_down(s, 1, 0)),
    ("replace_update", lambda s: replace_update(s, 0, 0, Update(as_node="x"))),
    ("set_as_node", lambda s: set_as_node(s, 2, 0, "tools")),
    ("set_values", lambda s: set_values(s, 2, 0, {"turns": 1})),
    ("set_command", lambda s: set_command(s, 2, 0, {"goto": "tools"})),
    ("set_messages", lambda s: set_messages(s, 1, 0, [])),
    ("set_metadata", lambda s: set_metadata(s, {"graph_id": "b"})),
    ("set_graph_id", lambda s: set_graph_id(s, "b")),
]


@pytest.mark.parametrize(("name", "op"), EVERY_OP, ids=[name for name, _ in EVERY_OP])
def test_every_op_changes_the_script_and_undoes(
    seed: Script, name: str, op: Callable[[Script], Script]
) -> None:
    history = History(seed)

    edited = history.apply(op)

    assert edited != seed, f"{name} changed nothing"
    assert seed.to_body() == SEED_BODY, f"{name} mutated its input"
    assert history.undo() == seed
    assert history.current.to_body() == SEED_BODY
    assert history.redo() == edited


def test_history_starts_with_nothing_to_undo_or_redo(seed: Script) -> None:
    history = History(seed)

    assert (history.can_undo, history.can_redo) == (False, False)
    assert history.undo() is seed
    assert history.redo() is seed


def test_history_undo_redo_sequence(seed: Script) -> None:
    history = History(seed)
    one = history.apply(add_superstep)
    two = history.apply(set_graph_id, "other")

    assert history.undo() == one
    assert history.undo() == seed
    assert not history.can_undo
    assert history.redo() == one
    assert history.redo() == two
    assert not history.can_redo


def test_push_after_undo_forgets_the_redo_side(seed: Script) -> None:
    history = History(seed)
    history.apply(add_superstep)
    history.undo()

    branch = history.apply(set_graph_id, "other")

    assert not history.can_redo
    assert history.current == branch
    assert history.undo() == seed


def test_pushing_an_equal_script_records_nothing(seed: Script) -> None:
    history = History(seed)

    history.push(Script.from_body(SEED_BODY))

    assert not history.can_undo


def test_failed_op_records_nothing(seed: Script) -> None:
    history = History(seed)

    with pytest.raises(EditError):
        history.apply(delete_superstep, 10)

    assert not history.can_undo
    assert history.current is seed


def test_history_depth_is_bounded(seed: Script) -> None:
    history = History(seed, max_depth=3)
    states = [seed]
    for name in ("a", "b", "c", "d", "e"):
        states.append(history.apply(set_graph_id, name))

    assert history.undo_depth == 3
    undone = [history.undo() for _ in range(5)]
    assert [s.graph_id for s in undone] == ["d", "c", "b", "b", "b"]
    assert history.current == states[2]


def test_history_rejects_a_zero_depth(seed: Script) -> None:
    with pytest.raises(ValueError):
        History(seed, max_depth=0)


def test_reset_empties_both_stacks(seed: Script) -> None:
    history = History(seed)
    history.apply(add_superstep)
    history.apply(add_superstep)
    history.undo()
    fresh = Script(metadata={"graph_id": "x"})

    history.reset(fresh)

    assert history.current is fresh
    assert (history.can_undo, history.can_redo) == (False, False)


def test_history_amend_replaces_the_current_script_without_an_undo_step(seed: Script) -> None:
    history = History(seed)
    typed_a = history.apply(set_graph_id, "a")
    history.undo()
    history.redo()

    typed_ab = history.amend(set_graph_id(typed_a, "ab"))

    assert history.current is typed_ab and history.undo_depth == 1
    assert not history.can_redo
    assert history.amend(typed_ab) is typed_ab and history.undo_depth == 1
    assert history.undo() == seed
