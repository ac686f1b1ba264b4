"""The diff of two checkpoints, readable at a glance: + added, − removed, ~ changed."""

from __future__ import annotations

import json
from typing import Any

from rich.style import Style
from rich.text import Text

from tui.app.shared.chat import content_text, role_of
from tui.app.viewer.lines import LinesView
from tui.safe import one_line
from tui.supersteps.diff import MessageChange, StateDiff

ADDED = Style(color="#87d787")
REMOVED = Style(color="#ff8787")
CHANGED = Style(color="#ffd75f")
HEADING = Style(bold=True, underline=True)
DIM = Style(dim=True)
SIGNS = {"added": ("+", ADDED), "removed": ("−", REMOVED), "changed": ("~", CHANGED)}
PREVIEW = 90

HINT = ("No diff yet. In the history, mark a checkpoint with a and another with b, then press "
        "d. Pressing d with nothing marked shows what the viewed checkpoint changed.")


def preview(value: Any, limit: int = PREVIEW) -> str:
    if isinstance(value, str):
        return one_line(json.dumps(value, ensure_ascii=False), limit)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return one_line(text, limit)


def _call_names(message: Any) -> str:
    calls = message.get("tool_calls") if isinstance(message, dict) else None
    if not isinstance(calls, list):
        return ""
    return ", ".join(str(c.get("name", "?")) for c in calls if isinstance(c, dict))


def _message_line(change: MessageChange) -> Text:
    sign, style = SIGNS[change.kind]
    message = change.message
    index = change.before_index if change.kind == "removed" else change.after_index
    line = Text(end="")
    line.append(f"  {sign} ", style=style + Style(bold=True))
    line.append(f"#{(index or 0) + 1:<4}", style=DIM)
    line.append(f"{one_line(role_of(message), 10):<7}", style=style)
    if change.kind == "changed":
        fields = change.changed_fields
        line.append(one_line(", ".join(fields), 40), style=style)
        if "content" in fields:
            before = content_text(change.before)
            after = content_text(change.after)
            line.append("  ")
            line.append(preview(before, 40), style=REMOVED)
            line.append(" → ", style=DIM)
            line.append(preview(after, 40), style=ADDED)
    else:
        text = one_line(content_text(message), PREVIEW)
        calls = _call_names(message)
        if calls:
            text = (text + "  " if text else "") + f"calls {one_line(calls, 60)}"
        line.append(text or "(no text)")
    if change.id:
        line.append(f"  id {one_line(change.id, 40)}", style=DIM)
    return line


def diff_lines(diff: StateDiff, label_a: str, label_b: str) -> list[Text]:
    lines: list[Text] = []
    for name, label in (("A", label_a), ("B", label_b)):
        head = Text(end="")
        head.append(f"{name}  ", style=Style(bold=True, color="#ffd75f"))
        head.append(one_line(label, 160))
        lines.append(head)
    lines.append(Text(diff.summary(), style=Style(bold=True), end=""))
    if diff.is_empty:
        lines.append(Text("The two states are the same.", style=DIM, end=""))
        return lines
    changes = list(diff.changes)
    if changes or diff.messages_key in diff.keys_changed:
        lines.append(Text(""))
        lines.append(Text("Keys", style=HEADING, end=""))
        keys = [c.key for c in changes] + [one_line(diff.messages_key or "", 40)]
        width = min(max(len(k) for k in keys), 40)
        if diff.messages_key in diff.keys_changed:
            line = Text(end="")
            line.append("  ~ ", style=CHANGED + Style(bold=True))
            line.append(f"{one_line(diff.messages_key or '', 40):<{width}}  ", style=CHANGED)
            added, removed, changed = (diff.count(k) for k in ("added", "removed", "changed"))
            line.append(f"{added} added, {removed} removed, {changed} changed (below)",
                        style=DIM)
            lines.append(line)
        for change in changes:
            sign, style = SIGNS[change.kind]
            line = Text(end="")
            line.append(f"  {sign} ", style=style + Style(bold=True))
            line.append(f"{one_line(change.key, 40):<{width}}  ", style=style)
            if change.kind == "changed":
                line.append(preview(change.before, 40), style=REMOVED)
                line.append(" → ", style=DIM)
                line.append(preview(change.after, 40), style=ADDED)
            else:
                line.append(preview(change.after if change.kind == "added" else change.before))
            lines.append(line)
        if diff.truncated:
            lines.append(Text(f"  … more changes than the {len(changes)} shown", style=DIM))
    if diff.messages_key is not None:
        lines.append(Text(""))
        title = Text(f"Messages ({one_line(diff.messages_key, 40)})", style=HEADING, end="")
        lines.append(title)
        if not diff.messages:
            lines.append(Text("  no messages added, removed or changed", style=DIM, end=""))
        lines.extend(_message_line(change) for change in diff.messages)
    return lines


class DiffView(LinesView):
    empty_text = HINT

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: list[Text] = []
        self.diff: StateDiff | None = None

    def set_diff(self, diff: StateDiff | None, label_a: str = "", label_b: str = "") -> None:
        self.diff = diff
        self._lines = diff_lines(diff, label_a, label_b) if diff is not None else []
        self.clear_find()
        self.update_size()
        self.scroll_to(0, 0, animate=False, immediate=True, force=True)

    def line_count(self) -> int:
        return len(self._lines)

    def plain_line(self, index: int) -> str:
        return self._lines[index].plain

    def styled_line(self, index: int) -> Text:
        return self._lines[index].copy()
