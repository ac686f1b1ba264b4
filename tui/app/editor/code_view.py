"""Show as code: the current create call as curl, Python (``langgraph_sdk``) and JavaScript
(``@langchain/langgraph-sdk``), like the seed page's three tabs. The API key is always an
environment-variable reference (``tui.supersteps.codegen``), never its value. ``c`` copies the
shown snippet to the clipboard (OSC 52), ``s`` saves it to a file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane, TextArea

from tui.app.editor.file_dialogs import PathScreen
from tui.app.keys import key
from tui.app.shared.dialog import Dialog
from tui.app.text import line
from tui.safe import sanitize
from tui.supersteps.codegen import to_curl, to_js, to_python
from tui.supersteps.files import atomic_write_text
from tui.supersteps.model import Script

DEFAULT_KEY_ENV = "LANGGRAPH_API_KEY"


@dataclass(frozen=True)
class Snippet:
    tab: str
    title: str
    code: str
    filename: str


def snippets(script: Script, url: str, api_key_env: str | None,
             headers: Mapping[str, str] | None) -> list[Snippet]:
    """The three snippets; header values stay env references (``$NAME``) or are hidden."""
    env = api_key_env or DEFAULT_KEY_ENV
    return [
        Snippet("curl", "curl", to_curl(script, url, env, headers), "create_thread.sh"),
        Snippet("python", "Python", to_python(script, url, env, headers), "create_thread.py"),
        Snippet("js", "JavaScript", to_js(script, url, env, headers), "create_thread.mjs"),
    ]


class CodeScreen(Dialog[None]):
    DEFAULT_CSS = """
    CodeScreen { align: center middle; }
    CodeScreen > #code-dialog {
        width: 95%; height: 95%; border: thick $accent; background: $surface; padding: 0 1;
    }
    CodeScreen #code-title { height: 1; text-style: bold; color: $accent; }
    CodeScreen #code-help { height: 1; color: $text-muted; }
    CodeScreen TabbedContent { height: 1fr; }
    CodeScreen TabPane { padding: 0; height: 1fr; }
    CodeScreen TextArea { height: 1fr; border: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "close", "Close", "Back to the editor", id="code.close"),
        key("c", "copy", "Copy", "Copy the shown snippet to the clipboard (OSC 52)",
            id="code.copy"),
        key("s", "save", "Save", "Save the shown snippet to a file", id="code.save"),
        key("left", "tab(-1)", "Prev tab", "Show the previous language", id="code.prev",
            show=False),
        key("right", "tab(1)", "Next tab", "Show the next language", id="code.next",
            show=False),
    ]

    def __init__(self, script: Script, url: str, api_key_env: str | None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.snippets = snippets(script, url, api_key_env, headers)
        self.env_name = api_key_env or DEFAULT_KEY_ENV

    def compose(self) -> ComposeResult:
        with Vertical(id="code-dialog"):
            yield Static("Show as code — the create call for this script", id="code-title",
                         markup=False)
            yield Static(line(f"c copy · s save · ←/→ language · esc close · the API key is "
                              f"read from ${self.env_name}, never shown", 200), id="code-help")
            with TabbedContent(id="code-tabs"):
                for snippet in self.snippets:
                    with TabPane(snippet.title, id=f"code-{snippet.tab}"):
                        yield TextArea(sanitize(snippet.code), read_only=True, soft_wrap=True,
                                       show_line_numbers=False, id=f"code-text-{snippet.tab}")

    def on_mount(self) -> None:
        self.query_one("#code-tabs", TabbedContent).query_one("Tabs").focus()

    @property
    def current(self) -> Snippet:
        active = self.query_one("#code-tabs", TabbedContent).active
        return next((s for s in self.snippets if f"code-{s.tab}" == active), self.snippets[0])

    def show_tab(self, tab: str) -> None:
        self.query_one("#code-tabs", TabbedContent).active = f"code-{tab}"

    def action_tab(self, step: int) -> None:
        tabs = [f"code-{s.tab}" for s in self.snippets]
        content = self.query_one("#code-tabs", TabbedContent)
        index = tabs.index(content.active) if content.active in tabs else 0
        content.active = tabs[(index + step) % len(tabs)]

    def action_copy(self) -> None:
        snippet = self.current
        self.app.copy_to_clipboard(snippet.code)
        self.notify(f"{snippet.title} snippet copied to the clipboard ({len(snippet.code)} "
                    "characters).", markup=False, timeout=4)

    def action_save(self) -> None:
        snippet = self.current

        def chosen(path: str | None) -> None:
            if not path:
                return
            try:
                atomic_write_text(Path(path).expanduser(), snippet.code)
            except OSError as exc:
                self.notify(line(f"Cannot write {path}: {exc.strerror or exc}", 300).plain,
                            severity="error", markup=False)
                return
            self.notify(line(f"Saved the {snippet.title} snippet to {path}", 300).plain,
                        markup=False, timeout=4)

        self.app.push_screen(PathScreen(f"Save the {snippet.title} snippet", snippet.filename,
                                        action="Save"), chosen)

    @on(TabbedContent.TabActivated)
    def _activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()

    def action_close(self) -> None:
        self.dismiss(None)
