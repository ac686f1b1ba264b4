"""The editor's session as a plain object (no Textual): the script and its undo history, the
row the user is on, the text typed into fields that does not parse yet, and which update is
which across edits.

An edit replaces the :class:`~tui.supersteps.model.Update` it changes with a new one (updates
are immutable), while a form keeps saying which update it edits. The session remembers each
replacement, so the form's update is still found after edits that replaced it (a key in
:meth:`locate`'s chain stays valid), and is not found once the update is gone (deleted, or
undone meanwhile). Keystrokes into one field close together are one undo step.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tui.app.editor.state import SCRIPT_ROW, Address, PendingTexts
from tui.supersteps.model import Script, Update
from tui.supersteps.ops import History

COALESCE_SECONDS = 2.0
"""Keystrokes into one field this close together are one undo step."""
TYPED_FIELDS = frozenset({"as_node", "values", "command.update", "command.goto",
                          "command.resume", "metadata", "thread_id", "ttl"})
"""Fields edited by typing (coalesced); other edits (a message added, the kind switched, a
graph picked) are one undo step each."""
SUCCESSORS_KEPT = 500


class EditorSession:
    def __init__(self, script: Script | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.history = History(script if script is not None else Script())
        self.pending = PendingTexts()
        self.address: Address = SCRIPT_ROW
        self._clock = clock
        self._coalesce: tuple[Any, ...] | None = None
        self._coalesce_at = 0.0
        self._successors: dict[int, tuple[Update, Update]] = {}

    @property
    def script(self) -> Script:
        return self.history.current

    def commit(self, new: Script, coalesce: tuple[Any, ...] | None = None) -> bool:
        """Make ``new`` the script (one undo step, or part of the last one when ``coalesce``
        names the same field typed into moments ago); False when it is the script already."""
        if new == self.script:
            return False
        now = self._clock()
        if (coalesce is not None and coalesce == self._coalesce
                and now - self._coalesce_at < COALESCE_SECONDS):
            self.history.amend(new)
        else:
            self.history.push(new)
        self._coalesce, self._coalesce_at = coalesce, now
        return True

    def move_to(self, address: Address) -> bool:
        """The user is on another row: typing there starts a new undo step."""
        if address == self.address:
            return False
        self.address = address
        self._coalesce = None
        return True

    def undo(self) -> bool:
        if not self.history.can_undo:
            return False
        self.history.undo()
        self._coalesce = None
        return True

    def redo(self) -> bool:
        if not self.history.can_redo:
            return False
        self.history.redo()
        self._coalesce = None
        return True

    def replaced(self, old: Update, new: Update) -> None:
        """``new`` is what ``old`` became: its pending texts and its identity move over."""
        if new is old:
            return
        self.pending.transfer(old, new)
        self._successors[id(old)] = (old, new)
        if len(self._successors) > SUCCESSORS_KEPT:
            self._successors.pop(next(iter(self._successors)))

    def locate(self, owner: Update) -> tuple[int, int] | None:
        """Where ``owner`` (or what it became) is in the script now; None when it is gone."""
        for _ in range(len(self._successors) + 1):
            for s, u, update in self.script.iter_updates():
                if update is owner:
                    return s, u
            found = self._successors.get(id(owner))
            if found is None or found[0] is not owner:
                return None
            owner = found[1]
        return None

    def current(self, owner: Update | None) -> Update | None:
        """What ``owner`` is now (None when it is gone, or for the script's own fields)."""
        if owner is None:
            return None
        where = self.locate(owner)
        return None if where is None else self.script.update_at(*where)
