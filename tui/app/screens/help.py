"""The help screen (F1, ?): Threadloom's keys where the user is, built from the live bindings.

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
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from tui.app import keys
from tui.app.commands import pane_label
from tui.app.context import app_context
from tui.app.shared.dialog import Dialog
from tui.safe import one_line


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[keys.KeyRow]
    brief: bool = False  # another pane's keys: key and name only, several to a line


GENERIC_KEYS = (
    "…and the usual keys of text fields, lists and tables: arrows, home / end, page up / down, "
    "tab / shift+tab to the next field, ctrl+c to copy, ctrl+q to quit from anywhere."
)
"""Textual's own widget keys, behind one line: the listing is about Threadloom's keys."""


def _rows(nodes: Iterable[DOMNode], keymap: dict[str, str], app: object,
          seen: set[str]) -> list[keys.KeyRow]:
    """The app's own keys of ``nodes`` (Threadloom's bindings all have an id; Textual's generic
    widget keys have none), leaving out those already listed (``seen`` grows)."""
    rows: list[keys.KeyRow] = []
    for node in nodes:
        for row in keys.key_rows(node, keymap, app):
            if row.binding_id and row.binding_id not in seen:
                seen.add(row.binding_id)
                rows.append(row)
    return rows


def _pane_title(pane: Widget) -> str:
    """ "2 Editor" (the pane's border title) → "Editor (2)"."""
    number, _, name = str(pane.border_title or "").partition(" ")
    return f"{name} ({number})" if number.isdigit() and name else pane_label(pane)


def sections_for(screen: Screen[object]) -> list[Section]:
    """What the help screen lists for ``screen`` (the screen under the help): the focused pane
    first, then the keys that work everywhere, then each other pane once."""
    app = screen.app
    keymap = app_context(screen).keymap
    focused = screen.focused
    chain: list[DOMNode] = list(focused.ancestors_with_self) if focused else [screen, app]
    here = [n for n in chain if n is not app and n is not screen]
    seen: set[str] = set()
    sections: list[Section] = []
    panes = [w for w in screen.query("#threads, .pane") if isinstance(w, Widget)]
    if here:
        home = next((p for p in panes if p in here), None)
        named = next((n for n in here if getattr(n, "PALETTE_GROUP", None)), here[0])
        title = _pane_title(home) if home is not None else pane_label(named)
        rows = _rows(here, keymap, app, seen)
        if home is not None:  # the rest of the focused pane, after what works right here
            rows += _rows(home.query("*"), keymap, app, seen)
        sections.append(Section(f"Here — {title}", rows))
    sections.append(Section("Everywhere", _rows([screen, app], keymap, app, seen)))
    for pane in panes:
        if pane not in here:
            inner = [pane, *(w for w in pane.query("*") if isinstance(w, Widget))]
            sections.append(Section(f"In {_pane_title(pane)}", _rows(inner, keymap, app, seen),
                                    brief=True))
    return [s for s in sections if s.rows]


BRIEF_WIDTH = 100


def _brief(rows: list[keys.KeyRow]) -> list[Content]:
    """Another pane's keys, ``key name`` pairs filled into lines (F1 there gives the details)."""
    lines: list[Content] = []
    parts: list[Content] = []
    used = 0
    for row in rows:
        part = Content.assemble((row.keys, "bold $secondary"), " ", (row.description,
                                                                        "$foreground"))
        if parts and used + 3 + len(part.plain) > BRIEF_WIDTH:
            lines.append(Content("   ").join(parts))
            parts, used = [], 0
        parts.append(part)
        used += len(part.plain) + (3 if used else 0)
    if parts:
        lines.append(Content("   ").join(parts))
    return lines


def render_sections(sections: list[Section]) -> Content:
    lines: list[Content] = []
    width = max((len(row.keys) for s in sections for row in s.rows), default=4) + 2
    for section in sections:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(section.title, "bold $accent"))
        if section.brief:
            lines.extend(_brief(section.rows))
            continue
        for row in section.rows:
            lines.append(Content.assemble(
                (row.keys.ljust(width), "bold $secondary"),
                (row.description.ljust(16), "$foreground"),
                ("  " + one_line(row.tooltip, 70), "$text-muted"),
            ))
    return Content("\n").join(lines)


class HelpScreen(Dialog[None]):
    """Lists the keys; Escape, F1, ? or q closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 110; max-width: 96%; height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    HelpScreen .title { text-style: bold; height: 1; margin-bottom: 1; }
    HelpScreen VerticalScroll { height: 1fr; }
    HelpScreen #help-keys { text-wrap: nowrap; text-overflow: ellipsis; }
    HelpScreen .hint { color: $text-muted; height: auto; margin-top: 1; }
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
            yield Static(f"{GENERIC_KEYS}\n{keys.ESCAPE_RULE}\nctrl+p finds any command by "
                         "name · keys can be changed in config.toml [keys]",
                         classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_scroll_down(self) -> None:
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one(VerticalScroll).scroll_up()

    def action_close(self) -> None:
        self.dismiss(None)
