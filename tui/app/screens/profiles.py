"""The profile switcher: pick a profile from the config file; the app reconnects with it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.keys import key
from tui.app.shared.dialog import Dialog
from tui.config import Settings
from tui.safe import one_line


class ProfileSwitcher(Dialog[str | None]):
    """Lists ``settings.profiles`` (name and URL); the active one is marked."""

    DEFAULT_CSS = """
    ProfileSwitcher { align: center middle; }
    ProfileSwitcher > Vertical {
        width: 80; max-width: 95%; height: auto; max-height: 80%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    ProfileSwitcher .title { text-style: bold; color: $accent; height: 1; margin-bottom: 1; }
    ProfileSwitcher OptionList { height: auto; max-height: 20; }
    ProfileSwitcher .note { color: $text-muted; height: auto; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "cancel", "Cancel", "Stay on the current connection", id="modal.cancel"),
    ]

    def __init__(self, settings: Settings, active: str | None) -> None:
        super().__init__()
        self.settings = settings
        self.active = active

    def compose(self) -> ComposeResult:
        names = sorted(self.settings.profiles)
        with Vertical():
            yield Static("Connect with a profile", classes="title", markup=False)
            if names:
                options = []
                for name in names:
                    profile = self.settings.profiles[name]
                    mark = "● " if name == self.active else "  "
                    options.append(Option(
                        Content.assemble(
                            (mark, "$success"), (one_line(name, 40), "bold"),
                            ("  " + one_line(profile.url, 100), "$text-muted"),
                        ),
                        id=name,
                    ))
                yield OptionList(*options, id="profiles")
            else:
                yield Static("No profiles yet.", markup=False)
            yield Static(
                "Profiles live in config.toml under [profiles.NAME] (url, api_key_env, headers).",
                classes="note", markup=False,
            )

    def on_mount(self) -> None:
        if self.active in self.settings.profiles:
            options = self.query_one(OptionList)
            options.highlighted = sorted(self.settings.profiles).index(self.active)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

