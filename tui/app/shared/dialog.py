"""The one base of the app's dialogs (modal screens): centred over the app, a bordered box
(class ``dialog``) with a title, labels, notes, field statuses and buttons, and a cancel that
closes it with :attr:`Dialog.CANCELLED` (None, or False for a yes/no question)."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from textual.screen import ModalScreen
from textual.widgets import Button

ResultType = TypeVar("ResultType")


def dialog_css(name: str, *, width: int = 76, buttons_height: str = "auto") -> str:
    """The dialog look, scoped to the screen class ``name`` (DEFAULT_CSS is scoped)."""
    return f"""
{name} {{ align: center middle; }}
{name} > .dialog {{
    width: {width}; max-width: 95%; height: auto; max-height: 95%;
    border: thick $accent; background: $surface; padding: 0 1;
}}
{name} .dialog > .title {{ text-style: bold; color: $accent; height: auto; margin-bottom: 1; }}
{name} .dialog Label {{ height: 1; color: $text-muted; }}
{name} .dialog .field-status {{ height: 1; color: $text-muted; }}
{name} .dialog .field-status.-invalid {{ color: $error; }}
{name} .dialog .note {{ color: $text-muted; height: auto; }}
{name} .dialog .error {{ height: auto; color: $error; }}
{name} .dialog .buttons {{ height: {buttons_height}; align-horizontal: right; margin-top: 1; }}
{name} .dialog .buttons Button {{ margin-left: 2; }}
"""


class Dialog(ModalScreen[ResultType]):
    """A modal dialog; ``cancel`` (its escape key) closes it with :attr:`CANCELLED`."""

    CANCELLED: ClassVar[Any] = None

    def action_cancel(self) -> None:
        self.dismiss(self.CANCELLED)


class SubmitDialog(Dialog[ResultType]):
    """A dialog whose ``#submit`` button runs ``action_submit`` (its enter key) and whose other
    button cancels."""

    def action_submit(self) -> None:
        """Each form's own: it checks what was entered, and dismisses with its result."""
        raise NotImplementedError

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.action_submit()
        else:
            self.action_cancel()
