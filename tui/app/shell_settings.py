"""The config file's settings as the shell holds them: read before the first frame only when
there is a file (pydantic costs ~0.1 s), the defaults made when first asked for otherwise; a
broken file is reported once the app runs and its defaults are used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui import paths
from tui.app import keys
from tui.spec import ConfigError

if TYPE_CHECKING:
    from tui.config import Settings


class ShellSettings:
    def __init__(self, given: Settings | None) -> None:
        self.problem: str | None = None  # why the config file was ignored
        if given is None and paths.config_file().exists():
            from tui.config import load_settings

            try:
                given = load_settings()
            except ConfigError as exc:
                self.problem = str(exc)
        self.read: Settings | None = given  # None: nothing given, no (usable) config file

    @property
    def settings(self) -> Settings:
        """The settings in force (the defaults when there is no config file, or it is
        broken)."""
        if self.read is None:
            from tui.config import Settings

            self.read = Settings()
        return self.read

    def keymap(self) -> tuple[dict[str, str], list[str]] | None:
        """The user's key overrides for the keys known now, and what cannot be used; None
        when there are none."""
        if self.read is None or not self.read.keys:
            return None
        return keys.user_keymap(self.read.keys, keys.all_binding_ids())
