"""Drafts glue: the editor's script (and the JSON still being typed) is saved atomically to the
XDG state directory half a second after the last edit and when the app closes, and restored at
the next start — also after a crash or a kill, which loses at most that half second."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from textual.timer import Timer
from textual.widget import Widget

from tui import paths
from tui.app.editor.session import EditorSession
from tui.app.editor.state import Address, clamp_address
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


class DraftsMixin(Widget):
    """What the editor puts in its draft and takes back from it."""

    if TYPE_CHECKING:
        session: EditorSession
        @property
        def address(self) -> Address: ...
        path: str | None
        drafts: DraftKeeper

        @property
        def script(self) -> Script: ...

    def _draft_snapshot(self) -> tuple[Script, dict[str, Any]]:
        s, u = self.address
        return self.script, {"address": [s, u], "pending": self.session.pending.to_ui(self.script),
                             "path": self.path}

    def _restore_draft(self) -> None:
        draft = self.drafts.load()
        if draft is None:
            return
        self.session.history.reset(draft.script)
        self.session.pending.restore(draft.script, draft.ui_state.get("pending") or [])
        address = draft.ui_state.get("address")
        if isinstance(address, list) and len(address) == 2:
            s, u = address
            if (s is None or isinstance(s, int)) and (u is None or isinstance(u, int)):
                self.session.address = clamp_address(draft.script, (s, u))
        path = draft.ui_state.get("path")
        self.path = path if isinstance(path, str) else None
        steps = len(draft.script.supersteps)
        self.notify(f"Restored the editor's draft ({steps} superstep{'s' if steps != 1 else ''}"
                    f"{', unsaved JSON kept' if len(self.session.pending) else ''}).", markup=False,
                    timeout=4)
