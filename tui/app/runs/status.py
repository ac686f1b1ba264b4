"""What the run panel says, as literal renderables (pure: no widgets, no I/O).

Every string from the deployment (run ids, node names, error details, interrupt payloads) goes
through :mod:`tui.app.text` / :mod:`tui.safe`, so markup and escapes are shown, never obeyed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.style import Style
from rich.text import Text

from tui.app.text import line
from tui.safe import sanitize
from tui.supersteps.stream import RunProgress
from tui.supersteps.stream_parts import PendingInterrupt
from tui.words import plural

STATUS_LOOK: dict[str, tuple[str, str]] = {
    # status: (icon, colour)
    "pending": ("◌", "#8a8a8a"),
    "running": ("●", "#5fafff"),
    "success": ("✓", "#87d787"),
    "error": ("✗", "#ff8787"),
    "timeout": ("✗", "#ff8787"),
    "interrupted": ("■", "#ffd75f"),
    "rolled back": ("↶", "#ffd75f"),
    "unknown": ("?", "#8a8a8a"),
}
PAYLOAD_LINES = 6
DIM = Style(dim=True)


def short(value: str, length: int = 8) -> str:
    return value if len(value) <= length else value[:length] + "…"


def status_line(progress: RunProgress | None, *, thread_status: str | None,
                assistant: str | None, following: bool, thread_open: bool = True) -> Text:
    """The panel's first line: the run being shown, or what the thread is doing."""
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    if progress is None:
        if not thread_open:
            text.append("Open a thread to continue its conversation here (R types a message)",
                        style=DIM)
        elif thread_status == "busy":
            text.append("● ", style="#5fafff")
            text.append("A run is in progress on this thread", style="bold")
            text.append(" · J joins it · X cancels it", style=DIM)
        else:
            text.append("No run yet", style=DIM)
            target = f" runs {assistant}" if assistant else " runs the graph"
            text.append(" · enter", style=DIM)
            text.append_text(line(target, 40, DIM))
            text.append(" on this thread · J joins a run in progress", style=DIM)
        return text
    icon, colour = STATUS_LOOK.get(progress.status, ("•", "#bcbcbc"))
    text.append(f"{icon} ", style=colour)
    text.append_text(line(progress.status, 20, Style(color=colour, bold=True)))
    if progress.live and progress.node:
        text.append(" · node ", style=DIM)
        text.append_text(line(progress.node, 40, Style(bold=True)))
    elif progress.live:
        text.append(" · waiting for the server" if progress.status == "pending"
                    else " · between nodes", style=DIM)
    if progress.run_id:
        text.append(" · run ", style=DIM)
        text.append_text(line(short(progress.run_id), 12))
    if progress.tokens:
        text.append(f" · {progress.tokens} token{'s' if progress.tokens != 1 else ''}",
                    style=DIM)
    if progress.nodes_done and not progress.live:
        count = len(progress.nodes_done)
        text.append(f" · {plural(count, 'node')} ran", style=DIM)
    if progress.live:
        text.append(" · X cancels" if following else " · not followed: J joins it", style=DIM)
    return text


def problem_text(message: str) -> Text:
    """An error where the user looks: red, literal, wrapped."""
    text = Text(end="")
    text.append("⚠ ", style="bold #ff8787")
    text.append(sanitize(message), style="#ff8787")
    return text


def interrupt_text(interrupts: Sequence[PendingInterrupt]) -> Text:
    """The interrupts waiting for a resume value, with their payloads."""
    text = Text(end="")
    count = len(interrupts)
    nodes = sorted({i.node for i in interrupts if i.node})
    text.append("⏸ ", style="bold #ffd75f")
    text.append(f"Waiting for a resume value{' at ' if nodes else ''}", style="bold #ffd75f")
    if nodes:
        text.append_text(line(", ".join(nodes), 60, Style(color="#ffd75f", bold=True)))
    if count > 1:
        text.append(f" · {count} interrupts: resume with {{\"<interrupt id>\": value, …}}",
                    style=DIM)
    for interrupt in interrupts:
        if count > 1 and interrupt.id:
            text.append("\n  id ", style=DIM)
            text.append_text(line(interrupt.id, 60))
        for payload_line in _payload_lines(interrupt.value):
            text.append("\n  ")
            text.append(payload_line, style="#d7d7af")
    return text


def _compact(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _payload_lines(value: Any) -> list[str]:
    """A payload in few lines: an object as ``key: value`` lines (values compact), anything
    else as its text; at most ``PAYLOAD_LINES`` (the state pane has it all)."""
    if isinstance(value, dict) and value:
        raw = [f"{key}: {_compact(item)}" for key, item in value.items()]
    else:
        raw = _compact(value).split("\n")
    lines = [sanitize(item) for item in raw[:PAYLOAD_LINES]]
    if len(raw) > PAYLOAD_LINES:
        lines.append(f"… {len(raw) - PAYLOAD_LINES} more (see the state pane)")
    return lines
