"""The editor's session on its own (a plain object: no app), with a clock the test moves."""

from __future__ import annotations

from tui.app.editor.drafts import draft_of, restore_draft, restored_note
from tui.app.editor.session import COALESCE_SECONDS, EditorSession
from tui.supersteps.drafts import Draft
from tui.supersteps.model import Script, Superstep, Update
from tui.supersteps.ops import replace_update


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def script(*nodes: str) -> Script:
    return Script(supersteps=[Superstep(updates=[Update(as_node=n, values={}) for n in nodes])])


def test_typing_into_one_field_is_one_undo_step_until_a_pause() -> None:
    clock = Clock()
    session = EditorSession(clock=clock)
    field = (0, 0, "as_node")
    for name in ("a", "ag", "age"):
        assert session.commit(script(name), coalesce=field)
        clock.now += COALESCE_SECONDS / 4
    clock.now += COALESCE_SECONDS  # a pause: the next keystroke is a new step
    assert session.commit(script("agent"), coalesce=field)
    assert session.undo() and session.script == script("age")
    assert session.undo() and session.script == Script()
    assert not session.undo()
    assert session.redo() and session.script == script("age")


def test_moving_to_another_row_starts_a_new_step() -> None:
    session = EditorSession(clock=Clock())
    field = (0, 0, "as_node")
    session.commit(script("a"), coalesce=field)
    assert session.move_to((0, 0)) and not session.move_to((0, 0))
    session.commit(script("ab"), coalesce=field)
    assert session.undo() and session.script == script("a")


def test_an_unchanged_script_is_not_a_step() -> None:
    session = EditorSession(script("a"), clock=Clock())
    assert not session.commit(script("a"))
    assert not session.history.can_undo


def test_an_update_is_found_after_edits_replaced_it_and_not_once_it_is_gone() -> None:
    session = EditorSession(script("a", "b"), clock=Clock())
    first = session.script.update_at(0, 0)
    edited = replace_update(session.script, 0, 0, Update(as_node="a2", values={}))
    session.commit(edited)
    session.replaced(first, edited.update_at(0, 0))
    again = replace_update(edited, 0, 0, Update(as_node="a3", values={}))
    session.commit(again)
    session.replaced(edited.update_at(0, 0), again.update_at(0, 0))
    assert session.locate(first) == (0, 0)  # two replacements on
    assert session.current(first) == Update(as_node="a3", values={})
    session.commit(Script(supersteps=[Superstep(updates=[Update(as_node="b", values={})])]))
    assert session.locate(first) is None and session.current(first) is None


def test_a_draft_gives_the_session_back_and_leaves_out_what_it_cannot_read() -> None:
    session = EditorSession(script("call_model", "tools"))
    session.address = (0, 1)
    saved, ui_state = draft_of(session, "conversation.json")
    fresh = EditorSession()
    assert restore_draft(fresh, Draft(saved, ui_state)) == "conversation.json"
    assert fresh.script == saved and fresh.address == (0, 1)
    assert restored_note(fresh) == "Restored the editor's draft (1 superstep)."
    odd = EditorSession()  # a hand-edited draft: a row that is no row, a path that is no path
    assert restore_draft(odd, Draft(saved, {"address": ["x", 1], "path": 5})) is None
    assert odd.script == saved and odd.address == EditorSession().address
    far = EditorSession()  # a row past the end is brought back into the script
    restore_draft(far, Draft(saved, {"address": [7, 9]}))
    assert far.address == (0, 1)
