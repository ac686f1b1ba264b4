"""The problems panel: what validation (or the server, after sending) found, one row each;
choosing a row jumps to its superstep/update in the outline."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.editor.outline import ICONS
from tui.app.text import line
from tui.supersteps.problems import Problem
from tui.words import plural


def problem_row(problem: Problem, from_server: bool) -> Text:
    icon, style = ICONS[problem.severity]
    text = Text(end="")
    text.append(icon, style=style)
    if from_server:
        text.append("server ", style="bold magenta")
    text.append_text(line(problem.location, 60, style="bold"))
    text.append(": ")
    text.append_text(line(problem.message, 300))
    return text


def summary(problems: Sequence[Problem], server: Sequence[Problem]) -> Text:
    errors = sum(1 for p in [*problems, *server] if p.severity == "error")
    warnings = len(problems) + len(server) - errors
    if server:
        return Text(f"✗ The server refused the script ({plural(len(server), 'problem')}); "
                    "enter on a row jumps to it",
                    style="bold red")
    if errors:
        text = Text(f"✗ {plural(errors, 'error')}", style="bold red")
        if warnings:
            text.append(f", {plural(warnings, 'warning')}", style="yellow")
        text.append(" — fix them to create the thread (enter on a row jumps to it)",
                    style="dim")
        return text
    if warnings:
        return Text(f"⚠ {plural(warnings, 'warning')} (the server accepts "
                    "them) — ctrl+r creates the thread", style="yellow")
    return Text("✓ No problems — ctrl+r creates the thread", style="green")


class ProblemsPanel(Vertical):
    DEFAULT_CSS = """
    ProblemsPanel { height: auto; max-height: 9; }
    ProblemsPanel > #problems-title { height: 1; background: $boost; padding: 0 1; }
    ProblemsPanel > OptionList { height: auto; max-height: 8; border: none; padding: 0; }
    ProblemsPanel.-none > OptionList { display: none; }
    """

    class Jump(Message):
        """The user chose a problem: show its place."""

        def __init__(self, problem: Problem) -> None:
            super().__init__()
            self.problem = problem

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.problems: list[Problem] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="problems-title")
        yield OptionList(id="problems-list")

    def show(self, problems: Sequence[Problem], server: Sequence[Problem] = ()) -> None:
        self.problems = [*server, *problems]
        self.query_one("#problems-title", Static).update(summary(problems, server))
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options([Option(problem_row(p, i < len(server)))
                             for i, p in enumerate(self.problems)])
        if highlighted is not None and self.problems:
            options.highlighted = min(highlighted, len(self.problems) - 1)
        self.set_class(not self.problems, "-none")

    @property
    def option_list(self) -> OptionList:
        return self.query_one(OptionList)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Jump(self.problems[event.option_index]))
