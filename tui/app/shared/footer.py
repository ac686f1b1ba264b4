"""The footer: Textual's ``Footer``, rebuilt at most once per refresh, and held back at start-up.

Textual's footer queues a full recompose (~15 ms) for every "bindings changed" signal, and several
arrive in a row at start-up (the terminal's focus event, the first focus, the user's keymap, the
panes being mounted). Here a signal that arrives while a rebuild is queued joins it, a signal
after which the keys would come out the same (focus moving between widgets with the same keys)
rebuilds nothing, and a footer made with ``hold=True`` stays empty until :meth:`release` — the
app releases it once the first page of threads is on screen, so the keys do not compete with
what the user waits for.

Every key a pane has is in the footer; when they do not fit the width, the footer first drops
its padding (``compact``), then shortens the descriptions ("Metadata" → "Meta") until they fit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

PALETTE_WIDTH = 14  # "▏^p Commands " docked on the right


def shortened(description: str, cut: int | None) -> str:
    """``description`` for a footer short of room: its first word, abbreviated with a dot past
    ``cut`` characters ("Refresh" → "Ref."); ``None``: as it is; ``0``: nothing (key only)."""
    if cut is None or not description:
        return description
    if cut == 0:
        return ""
    word = description.split()[0]
    return word if len(word) <= cut else word[: cut - 1] + "."


@dataclass(frozen=True)
class Form:
    """How the footer draws its keys: padding, the pane's descriptions, the app-wide ones."""

    compact: bool = False
    cut: int | None = None  # the pane's keys
    app_cut: int | None = None  # keys that work everywhere (help lists them)
    palette: bool = True  # ctrl+p docked on the right (help lists it too)

    def width(self, keys: Iterable[tuple[str, str, bool]]) -> int:
        """Columns taken by ``(key, description, app-wide)`` (Textual's footer pads key and
        description by one column each side and after; compact: one column between)."""
        total = 0
        for key, description, app_wide in keys:
            text = shortened(description, self.app_cut if app_wide else self.cut)
            if self.compact:
                total += len(key) + (len(text) + 1 if text else 0) + 1
            else:
                total += len(key) + len(text) + 3
        return total


FORMS = [Form(), Form(compact=True),
         *(Form(compact=True, cut=cut, app_cut=cut) for cut in range(8, 3, -1)),
         Form(compact=True, cut=4, app_cut=0),
         Form(compact=True, cut=4, app_cut=0, palette=False),
         Form(compact=True, cut=3, app_cut=0, palette=False)]


def fit(keys: list[tuple[str, str, bool]], width: int, palette: int) -> Form:
    """The roomiest form of ``keys`` that fits ``width`` columns, ``palette`` of them taken by
    the docked ctrl+p while it is shown (else the tightest form)."""
    return next((form for form in FORMS
                 if form.width(keys) <= width - (palette if form.palette else 0)), FORMS[-1])


COMPACT = frozenset({"-compact"})


def is_key(widget: Widget) -> bool:
    """One key of the footer, as ``Footer.compose`` yields it for a binding: told by its public
    attributes (Textual's ``FooterKey`` is not exported by ``textual.widgets``: no private
    import). Not a group's label (``FooterLabel``), which has none of them."""
    return all(isinstance(getattr(widget, name, None), str)
               for name in ("key", "key_display", "description", "action"))


class KeyFooter(Footer):
    def __init__(self, *, hold: bool = False) -> None:
        super().__init__()
        self._held = hold
        self._keys_on = False  # Textual's own bindings_changed has run once
        self._rebuild_queued = False
        self._composed_width = 0
        self._composed: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._held:
            return
        if not self._keys_on:  # Textual's first: compose yields the keys from now on, and it
            self._keys_on = True  # queues the first build (when the app has focus)
            super().bindings_changed(screen)
            return
        if not screen.app.app_focus:
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

    def compose(self) -> ComposeResult:
        items: list[Widget] = list(super().compose())
        found: list[Any] = [w for w in items if is_key(w)]  # Any: FooterKey is not importable
        keys = [k for k in found if not k.has_class("-command-palette") and k.description]
        # App-wide keys (help lists them) are the first to give up their names, except Help.
        app_wide = {b.action for node, b, _, _ in self.screen.active_bindings.values()
                    if node is self.app and b.action != "help"}
        palettes = [w for w in items if w.has_class("-command-palette")]
        self._composed_width = self.size.width or self.app.size.width
        self._composed = self.shown() if items else None
        form = fit([(k.key_display, k.description, k.action in app_wide) for k in keys],
                   self._composed_width, PALETTE_WIDTH if palettes else 0)
        if not form.palette:
            items = [w for w in items if w not in palettes]
        self.compact = form.compact
        for key in keys:
            key.description = shortened(key.description,
                                        form.app_cut if key.action in app_wide else form.cut)
        for item in items:
            # A key starts compact (Textual's default) and takes the footer's form once mounted:
            # two restyles per key, ~24 ms per build measured. Born in the footer's form, none.
            if is_key(item) and item not in palettes:
                item.set_reactive(type(item).compact, form.compact)  # type: ignore[attr-defined]
                item.set_class(form.compact, "-compact", update=False)
        yield from items

    def on_resize(self, event: Resize) -> None:
        """Another width may need another form of the keys."""
        if event.size.width != self._composed_width:
            self.bindings_changed(self.screen)

    def shown(self) -> tuple[object, ...]:
        """What the keys are drawn from: the width and the screen's active bindings (key, action,
        description, shown, group, enabled, tooltip, the app's or not)."""
        return (self.size.width or self.app.size.width, self.show_command_palette,
                tuple((binding.key, binding.action, binding.description, binding.show,
                       id(binding.group), enabled, tooltip, node is self.app)
                      for node, binding, enabled, tooltip in self.screen.active_bindings.values()))

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        if self.is_attached and self._composed is not None and self.shown() == self._composed:
            return
        if not self._retext():
            await self.recompose()

    def _retext(self) -> bool:
        """Give the keys on screen the new keys' text, when the footer keeps its shape: as many
        keys, each with the classes of the one it takes over (disabled, compact, the palette's).
        (The compact form is not the shape: the keys follow the footer's, bound to it.) A key
        is drawn from its attributes, so that is all a new one would change; a recompose
        removes and mounts every key, styles each, and lays the screen out twice — at every
        move of the focus to a widget with other keys. False: the shape changed."""
        if not self.is_attached:
            return False
        old: list[Any] = list(self.children)
        new: list[Any] = list(self.compose())
        if len(old) != len(new) or not all(is_key(a) and is_key(b) and a.classes - COMPACT
                                           == b.classes - COMPACT
                                           for a, b in zip(old, new, strict=True)):
            return False
        for key, fresh in zip(old, new, strict=True):
            text = (fresh.key, fresh.key_display, fresh.description, fresh.action)
            if (key.key, key.key_display, key.description, key.action) != text:
                key.key, key.key_display, key.description, key.action = text
                key.refresh(layout=True)  # its width follows its text
            if key.tooltip != fresh.tooltip:
                key.tooltip = fresh.tooltip
        return True
