"""Beside the views: status, next, tasks, interrupts (with their payload), checkpoint, metadata."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.app.text import line
from tui.app.viewer.model import ViewerData, format_time
from tui.deployment import ThreadState
from tui.safe import one_line, sanitize

LABEL = Style(color="#8a8a8a")
VALUE = Style()
STATUS = {
    "idle": Style(color="#87d787", bold=True),
    "busy": Style(color="#5fafff", bold=True),
    "interrupted": Style(color="#ffd75f", bold=True),
    "error": Style(color="#ff8787", bold=True),
}
PAYLOAD_LINES = 24


class _Builder:
    """Label/value rows in a grid (values wrap in their own column), headings and blocks."""

    def __init__(self) -> None:
        self.parts: list[RenderableType] = []
        self._grid: Table | None = None

    def row(self, label: str, value: str | Text, style: Style = VALUE) -> None:
        if self._grid is None:
            self._grid = Table.grid(padding=(0, 1))
            self._grid.add_column(style=LABEL, no_wrap=True)
            self._grid.add_column(ratio=1, overflow="fold")
            self.parts.append(self._grid)
        self._grid.add_row(Text(label, style=LABEL),
                           value if isinstance(value, Text) else Text(value, style=style))

    def text(self, text: Text) -> None:
        self._grid = None
        self.parts.append(text)

    def heading(self, title: str, style: Style | str = "bold") -> None:
        self.text(Text("\n" + title, style=style))

    def json_block(self, value: Any, indent: str = "  ") -> None:
        try:
            dumped = json.dumps(value, indent=2, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            dumped = repr(value)
        lines = dumped.split("\n")
        block = Text(end="")
        for number, line_text in enumerate(lines[:PAYLOAD_LINES]):
            if number:
                block.append("\n")
            block.append(indent + sanitize(line_text), style=Style(color="#d7d7af"))
        if len(lines) > PAYLOAD_LINES:
            more = len(lines) - PAYLOAD_LINES
            block.append(f"\n{indent}… {more} more lines (see the JSON view)", style="dim italic")
        self.text(block)

    def metadata(self, title: str, metadata: Mapping[str, Any] | None) -> None:
        self.heading(title)
        if not metadata:
            self.text(Text("  (none)", style="dim"))
            return
        for key, value in metadata.items():
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                                    default=str)
            self.row(" " + one_line(str(key), 24), one_line(shown, 300))


def summary_text(data: ViewerData, entry: ThreadState | None,
                 now: datetime | None) -> RenderableType:
    out = _Builder()
    thread = data.thread
    if thread is not None:
        status = thread.status or "—"
        out.row("Status", one_line(status, 30), STATUS.get(status, VALUE))
    graph = data.graph_id
    if graph:
        out.row("Graph", one_line(graph, 60))
    if entry is None:
        out.text(Text("\nNo checkpoint: the thread has no state yet.", style="dim italic"))
        if thread is not None:
            out.metadata("Thread metadata", thread.metadata)
        return Group(*out.parts)
    latest = data.state is not None and entry.checkpoint_id == data.state.checkpoint_id
    where = Text(end="")
    where.append(data.step_label(entry))
    if latest:
        where.append(" (latest)", style=Style(color="#87d787", bold=True))
    out.row("Checkpoint", where)
    out.row("", one_line(entry.checkpoint_id or "—", 60))
    out.row("Source", one_line(entry.source or "—", 20))
    out.row("Written by", one_line(data.writer(entry), 60))
    out.row("Time (UTC)", format_time(entry.created_at, now))
    if entry.parent_checkpoint_id:
        out.row("Parent", one_line(entry.parent_checkpoint_id, 60), Style(dim=True))
    out.row("Next", one_line(", ".join(entry.next), 80) if entry.next else "— (done)")
    if entry.tasks:
        for number, task in enumerate(entry.tasks):
            task_line = Text(one_line(task.name, 40), end="")
            if task.error:
                task_line.append(f"  error: {one_line(str(task.error), 80)}", style="#ff8787")
            elif task.interrupts:
                task_line.append("  interrupted", style="#ffd75f")
            elif task.result is not None:
                task_line.append("  done", style="dim")
            else:
                task_line.append("  pending", style="dim")
            out.row("Tasks" if number == 0 else "", task_line)
    else:
        out.row("Tasks", "—")
    interrupts = list(entry.interrupts)
    for task in entry.tasks:
        interrupts.extend(i for i in task.interrupts if i.id not in {x.id for x in interrupts})
    if interrupts:
        out.heading(f"Interrupts ({len(interrupts)})", Style(color="#ffd75f", bold=True))
        owners = {i.id: task.name for task in entry.tasks for i in task.interrupts}
        for interrupt in interrupts:
            head = f"  {one_line(owners.get(interrupt.id, '?'), 40)}"
            if interrupt.id:
                head += f" · id {one_line(interrupt.id, 40)}"
            out.text(Text(head, style=LABEL))
            out.json_block(interrupt.value, "    ")
    out.metadata("Checkpoint metadata", entry.metadata)
    if thread is not None:
        out.metadata("Thread metadata", thread.metadata)
    return Group(*out.parts)


def title_text(data: ViewerData, entry: ThreadState | None, marks: Mapping[str, str]) -> Text:
    """The viewer's title line: the thread, its status, the checkpoint shown (the latest, or
    how to get back to it) and the checkpoints marked A / B for a diff."""
    title = Text(end="")
    title.append("Thread ", style="dim")
    title.append_text(line(data.thread_id or "?", 40))
    if data.thread is not None and data.thread.status:
        title.append(" · ")
        title.append_text(line(data.thread.status, 20, Style(bold=True)))
    if entry is not None and entry.checkpoint_id is not None:
        latest = data.state is not None and entry.checkpoint_id == data.state.checkpoint_id
        title.append(" · viewing ", style="dim")
        title.append(data.step_label(entry))
        title.append(" (latest)" if latest else " (l: back to latest)",
                     style="dim" if latest else "bold #ffd75f")
    for which in ("a", "b"):
        marked = marks.get(which)
        if marked:
            title.append(f" · {which.upper()} ", style="bold #ffd75f")
            title.append(data.step_label(data.by_id(marked)))
    return title


class SummaryPanel(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    SummaryPanel { height: 1fr; padding: 0 1; }
    SummaryPanel > Static { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", markup=False, id="summary-text")

    def show(self, renderable: RenderableType) -> None:
        self.query_one("#summary-text", Static).update(renderable)
