"""The few Textual internals Threadloom needs because Textual's public API offers nothing that
does the same; everything else in ``tui/app`` uses the public API only.

Checked against Textual 8.2.8. On an upgrade, compare each of these with Textual's source first
(a private name may change or go without notice); tests/app/test_shell.py covers both.
"""

from __future__ import annotations

from typing import TypeVar

from textual.app import App
from textual.widgets._footer import FooterKey

__all__ = ["FooterKey", "ShutdownHook"]

# ``FooterKey`` (one key of the footer) is not exported by ``textual.widgets``; the footer
# (tui.app.shared.footer) needs it to find and shorten the keys ``Footer.compose`` yields.

ReturnType = TypeVar("ReturnType")


class ShutdownHook(App[ReturnType]):
    """Runs :meth:`before_shutdown` when Textual starts to shut the app down, before it removes
    a widget.

    Why private: however the app ends — ``exit()``, the end of ``App.run_test``, the main task
    cancelled by Ctrl+C — Textual goes through ``App._shutdown``, which removes every widget
    before the app's own ``Unmount``; no public event comes first."""

    async def before_shutdown(self) -> None:
        """Called once, before any widget is removed."""

    async def _shutdown(self) -> None:
        await self.before_shutdown()
        await super()._shutdown()
