"""Drafts: the editor's script (and the JSON still being typed) is saved atomically to the
XDG state directory half a second after the last edit and when the app closes, and restored at
the next start — also after a crash or a kill, which loses at most that half second."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from textual.timer import Timer
from textual.widget import Widget

from tui import paths
from tui.app.editor.session import EditorSession
from tui.app.editor.state import clamp_address
from tui.app.text import notify_text
from tui.supersteps.drafts import Draft, DraftStore
from tui.supersteps.model import Script

log = logging.getLogger("threadloom.editor")

SAVE_DELAY = 0.5
"""Seconds after the last edit before the draft is written."""


class DraftKeeper:
    """Debounced saving for one widget. ``snapshot`` gives what to save right now."""

    def __init__(self, widget: Widget, snapshot: Callable[[], tuple[Script, Mapping[str, Any]]],
                 store: DraftStore | None = None, delay: float = SAVE_DELAY) -> None:
        self.widget = widget
        self.snapshot = snapshot
        self.store = store or DraftStore(paths.drafts_dir())
        self.delay = delay
        self._timer: Timer | None = None
        self._failed = False
        self.saves = 0

    def load(self) -> Draft | None:
        return self.store.load()

    def schedule(self) -> None:
        """An edit happened: save after a quiet ``delay``."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.widget.set_timer(self.delay, self.save_now, name="draft-save")

    @property
    def pending(self) -> bool:
        return self._timer is not None

    def save_now(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        script, ui_state = self.snapshot()
        try:
            self.store.save(script, ui_state)
        except (OSError, TypeError, ValueError) as exc:
            log.warning("draft not saved: %s", exc)
            if not self._failed and self.widget.is_attached:
                self.widget.notify(
                    notify_text(f"The draft could not be saved ({self.store.path}): {exc}"),
                    severity="warning", markup=False, timeout=8)
            self._failed = True
            return
        self._failed = False
        self.saves += 1


def draft_of(session: EditorSession, path: str | None) -> tuple[Script, dict[str, Any]]:
    """What the editor's draft holds: the script, and where the user was (the outline row, the
    JSON still being typed, the file the script came from)."""
    s, u = session.address
    script = session.script
    return script, {"address": [s, u], "pending": session.pending.to_ui(script), "path": path}


def restore_draft(session: EditorSession, draft: Draft) -> str | None:
    """Put ``draft`` back into ``session`` (a hand-edited draft's odd parts are left out);
    returns the file path it had (None: an unsaved script)."""
    session.history.reset(draft.script)
    session.pending.restore(draft.script, draft.ui_state.get("pending") or [])
    address = draft.ui_state.get("address")
    if isinstance(address, list) and len(address) == 2:
        s, u = address
        if (s is None or isinstance(s, int)) and (u is None or isinstance(u, int)):
            session.address = clamp_address(draft.script, (s, u))
    path = draft.ui_state.get("path")
    return path if isinstance(path, str) else None


def restored_note(session: EditorSession) -> str:
    steps = len(session.script.supersteps)
    kept = ", unsaved JSON kept" if len(session.pending) else ""
    return f"Restored the editor's draft ({steps} superstep{'s' if steps != 1 else ''}{kept})."
