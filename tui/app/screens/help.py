"""The help screen (F1, ?): every key that works where the user is, built from the live bindings.

Sections: the focused pane (and the widgets it sits in), keys that work everywhere, then the
other panes. Keys come from the bindings with the user's keymap applied, so the screen stays
true when the code or the config changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from tui.app import keys
from tui.app.commands import pane_label
from tui.safe import one_line


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[keys.KeyRow]


def _rows(nodes: Iterable[DOMNode], keymap: dict[str, str], app: object) -> list[keys.KeyRow]:
    seen: set[str] = set()
    rows: list[keys.KeyRow] = []
    for node in nodes:
        for row in keys.key_rows(node, keymap, app):
            ident = row.binding_id or row.description
            if ident not in seen:
                seen.add(ident)
                rows.append(row)
    return rows


def sections_for(screen: Screen[object]) -> list[Section]:
    """What the help screen lists for ``screen`` (the screen under the help)."""
    app = screen.app
    keymap = dict(getattr(app, "_keymap", {}))
    focused = screen.focused
    chain: list[DOMNode] = list(focused.ancestors_with_self) if focused else [screen, app]
    here = [n for n in chain if n is not app and n is not screen]
    sections: list[Section] = []
    if here:
        pane = next((n for n in here if getattr(n, "PALETTE_GROUP", None)), here[0])
        sections.append(Section(f"Here — {pane_label(pane)}", _rows(here, keymap, app)))
    sections.append(Section("Everywhere", _rows([screen, app], keymap, app)))
    others = [
        node for node in screen.query("*")
        if getattr(node, "PALETTE_GROUP", None) and node not in here
    ]
    for node in others:
        inner = [node, *(w for w in node.query("*") if isinstance(w, Widget))]
        rows = _rows(inner, keymap, app)
        if rows:
            sections.append(Section(f"In {pane_label(node)}", rows))
    return [s for s in sections if s.rows]


def render_sections(sections: list[Section]) -> Content:
    lines: list[Content] = []
    width = max((len(row.keys) for s in sections for row in s.rows), default=4) + 2
    for section in sections:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(section.title, "bold $accent"))
        for row in section.rows:
            lines.append(Content.assemble(
                (row.keys.ljust(width), "bold $secondary"),
                (row.description.ljust(16), "$foreground"),
                ("  " + one_line(row.tooltip, 70), "$text-muted"),
            ))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Lists the keys; Escape, F1, ? or q closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 110; max-width: 96%; height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    HelpScreen .title { text-style: bold; height: 1; margin-bottom: 1; }
    HelpScreen VerticalScroll { height: 1fr; }
    HelpScreen .hint { color: $text-muted; height: 1; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        keys.key("escape,f1,question_mark,q", "close", "Close", "Back to where you were",
                 id="help.close"),
        keys.key("down,j", "scroll_down", "Scroll", "Scroll the list of keys", id="help.down",
                 show=False),
        keys.key("up,k", "scroll_up", "Scroll up", "Scroll the list of keys", id="help.up",
                 show=False),
    ]

    def __init__(self, sections: list[Section]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Keys", classes="title")
            with VerticalScroll():
                yield Static(render_sections(self.sections), id="help-keys")
            yield Static(
                "ctrl+p finds any command by name · keys can be changed in config.toml [keys]",
                classes="hint", markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_scroll_down(self) -> None:
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one(VerticalScroll).scroll_up()

    def action_close(self) -> None:
        self.dismiss(None)
