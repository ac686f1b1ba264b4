"""The footer: Textual's ``Footer``, rebuilt at most once per refresh, and held back at start-up.

Textual's footer queues a full recompose (~15 ms) for every "bindings changed" signal, and several
arrive in a row at start-up (the terminal's focus event, the first focus, the user's keymap, the
panes being mounted). Here a signal that arrives while a rebuild is queued joins it, and a footer
made with ``hold=True`` stays empty until :meth:`release` — the app releases it once the first
page of threads is on screen, so the keys do not compete with what the user waits for.
"""

from __future__ import annotations

from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self, *, hold: bool = False) -> None:
        super().__init__()
        self._held = hold
        self._rebuild_queued = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if self._held or not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_queued:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    class Release(Message):
        """Handled by the footer itself: it must compose in its own context, not the app's."""

    def release(self) -> None:
        """Show the keys from now on (a footer made with ``hold=True``)."""
        self.post_message(self.Release())

    def on_key_footer_release(self, event: Release) -> None:
        event.stop()
        if self._held:
            self._held = False
            self.bindings_changed(self.screen)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        await self.recompose()
