"""The shell's command palette providers, each loaded when the palette first opens (the
palette's module and what it imports are not needed for the first frame)."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import Provider


def _commands() -> type[Provider]:
    """Every key of the screen and each pane's ``palette_commands()``."""
    from tui.app.commands import ThreadloomCommands

    return ThreadloomCommands


def _thread_ids() -> type[Provider]:
    """Open a thread by (part of) its id."""
    from tui.app.commands import ThreadIdCommands

    return ThreadIdCommands


PROVIDERS: set[Callable[[], type[Provider]]] = {_commands, _thread_ids}
