"""Export a range of checkpoints as a superstep script (a small dialog for range and path)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Select, Static

from tui.app.keys import key
from tui.app.shared.dialog import Dialog
from tui.app.shared.tickbox import TickBox
from tui.app.text import line
from tui.safe import one_line


@dataclass(frozen=True)
class RangeExportRequest:
    start: int
    """Index into the lineage (oldest first) of the first checkpoint."""
    end: int
    """Index of the last checkpoint, inclusive."""
    path: Path
    compact: bool
    lossy: bool = False
    """Write the script even when it would not recreate the range exactly."""


class RangeExportScreen(Dialog[RangeExportRequest | None]):
    """Which checkpoints of the viewed thread to export as a script, and to which file."""

    DEFAULT_CSS = """
    RangeExportScreen { align: center middle; }
    RangeExportScreen > #export-dialog {
        width: 84;
        height: auto;
        border: thick $accent;
        background: $panel;
        padding: 0 1;
    }
    RangeExportScreen #export-title { text-style: bold; }
    RangeExportScreen #export-help { color: $text-muted; }
    RangeExportScreen .export-row { height: 3; }
    RangeExportScreen .export-row > Static { width: 8; padding: 1 1 0 0; }
    RangeExportScreen .export-row > Select { width: 1fr; }
    RangeExportScreen .export-row > Input { width: 1fr; }
    RangeExportScreen #export-note { height: auto; }
    RangeExportScreen #export-where { color: $text-muted; padding-left: 8; }
    RangeExportScreen #export-buttons { height: 3; align-horizontal: right; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "cancel", "Cancel", "Close without exporting", id="viewer.export.cancel"),
        key("ctrl+s", "submit", "Save", "Write the script file", id="viewer.export.submit"),
    ]

    def __init__(self, choices: Sequence[str], *, start: int, end: int,
                 default_path: str, title: str) -> None:
        super().__init__()
        self._choices = list(choices)
        self._start = start
        self._end = end
        self._default_path = default_path
        self._title = title
        self._confirmed_overwrite: Path | None = None

    def compose(self) -> ComposeResult:
        options = [(line(label, 70), index) for index, label in enumerate(self._choices)]
        with Vertical(id="export-dialog"):
            yield Static(line(self._title, 80), id="export-title")
            yield Static("The script replays these checkpoints (oldest first) as supersteps: "
                         "create a thread from it to get the same state. It is checked by "
                         "replaying it on a temporary thread first.", id="export-help",
                         markup=False)
            with Horizontal(classes="export-row"):
                yield Static("from", markup=False)
                yield Select(options, value=self._start, allow_blank=False, id="export-start")
            with Horizontal(classes="export-row"):
                yield Static("to", markup=False)
                yield Select(options, value=self._end, allow_blank=False, id="export-end")
            with Horizontal(classes="export-row"):
                yield Static("file", markup=False)
                yield Input(self._default_path, id="export-path")
            yield Static(self._where(self._default_path), id="export-where", markup=False)
            yield TickBox("Compact: leave out the fields the server fills in", value=True,
                           id="export-compact", compact=True)
            yield TickBox("Lossy: write it even if the replay would differ", value=False,
                           id="export-lossy", compact=True)
            yield Static("", id="export-note", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="export-submit")
                yield Button("Cancel (esc)", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @staticmethod
    def _where(raw: str) -> Text:
        if not raw.strip():
            return Text("Writes: (type a path)", style="#ff8787")
        return Text(f"Writes: {one(Path(raw.strip()).expanduser().absolute())}")

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        self.query_one("#export-where", Static).update(self._where(event.value))
        self._confirmed_overwrite = None

    def _note(self, text: str, style: str = "#ff8787") -> None:
        self.query_one("#export-note", Static).update(Text(text, style=style))

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#export-submit")
    def action_submit(self) -> None:
        start = self.query_one("#export-start", Select).value
        end = self.query_one("#export-end", Select).value
        raw = self.query_one("#export-path", Input).value.strip()
        if not isinstance(start, int) or not isinstance(end, int):
            return
        if start > end:
            self._note("“from” must not come after “to”.")
            return
        if not raw:
            self._note("Type the path of the file to write.")
            return
        path = Path(raw).expanduser().absolute()
        if path.is_dir():
            self._note(f"{one(path)} is a directory: add a file name.")
            return
        if path.exists() and self._confirmed_overwrite != path:
            self._confirmed_overwrite = path
            self._note(f"{one_line(path.name, 60)} exists: save again to replace it.", "#ffd75f")
            return
        compact = self.query_one("#export-compact", Checkbox).value
        lossy = self.query_one("#export-lossy", Checkbox).value
        self.dismiss(RangeExportRequest(start, end, path, compact, lossy))

    @on(Button.Pressed, "#export-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


def one(path: Path) -> str:
    return one_line(str(path), 120)
