"""The connect screen: shown when the deployment cannot be reached at start (or on reconnect).

It says where the app tried, why it failed (the client's one-line reason), and what to do:
retry, pick another profile, or quit. Never a traceback.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from tui.app.keys import key
from tui.app.shared.footer import KeyFooter
from tui.safe import one_line

HINT = (
    "Is the Agent Server running? `langgraph dev` listens on http://127.0.0.1:2024; "
    "`threadloom demo` starts one with example threads. Other deployments: "
    "threadloom --url URL [--api-key-env NAME] [--header 'Name: value'] [--profile NAME]."
)


class ConnectScreen(Screen[None]):
    """Cannot connect: the reason, and keys to retry, switch profile or quit. Retrying and
    switching are the shell's: the screen asks with a message (``Retry``, ``SwitchProfile``)."""

    class Retry(Message):
        """r: connect again with the same spec."""

    class SwitchProfile(Message):
        """p: pick another profile from the config file."""

    DEFAULT_CSS = """
    ConnectScreen { align: center middle; }
    ConnectScreen Vertical#connect-box {
        width: 90; max-width: 96%; height: auto;
        border: thick $error; background: $surface; padding: 1 2;
    }
    ConnectScreen #connect-title { text-style: bold; color: $error; height: 1; }
    ConnectScreen #connect-where { margin-top: 1; height: auto; }
    ConnectScreen #connect-reason { margin-top: 1; height: auto; color: $warning; }
    ConnectScreen #connect-hint { margin-top: 1; height: auto; color: $text-muted; }
    ConnectScreen #connect-state { margin-top: 1; height: 1; text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("r,enter", "retry", "Retry", "Try to connect again", id="connect.retry"),
        key("p,f2", "profiles", "Profiles", "Connect with another profile from the config file",
            id="connect.profiles"),
        key("q,escape", "quit", "Quit", "Leave Threadloom", id="connect.quit"),
    ]

    reason: reactive[str] = reactive("")
    retrying: reactive[bool] = reactive(False)

    def __init__(self, where: str, reason: str) -> None:
        super().__init__()
        self.where = where
        self.set_reactive(ConnectScreen.reason, reason)

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="connect-box"):
            yield Static("Cannot connect to the deployment", id="connect-title", markup=False)
            yield Static(Content.assemble(("Tried: ", "$text-muted"), one_line(self.where, 200)),
                         id="connect-where")
            yield Static(self._reason(), id="connect-reason", markup=False)
            yield Static(HINT, id="connect-hint", markup=False)
            yield Static(self._state(), id="connect-state", markup=False)
        yield KeyFooter()

    def _reason(self) -> Content:
        return Content(one_line(self.reason, 600))

    def _state(self) -> Content:
        if self.retrying:
            return Content("Connecting…")
        return Content("Press r to retry, p to pick a profile, q to quit.")

    def watch_reason(self) -> None:
        self._show()

    def watch_retrying(self) -> None:
        self._show()

    def _show(self) -> None:
        if self.is_mounted:
            self.query_one("#connect-reason", Static).update(self._reason())
            self.query_one("#connect-state", Static).update(self._state())

    def action_retry(self) -> None:
        if self.retrying:
            return
        self.retrying = True
        self.post_message(self.Retry())

    def action_profiles(self) -> None:
        self.post_message(self.SwitchProfile())

    def action_quit(self) -> None:
        self.app.exit()
