"""How one thread looks as a row of the thread list (pure formatting, no I/O).

Relative times use coarse buckets ("just now", "3m ago", "2h ago", "5d ago", then the date) so
a screen taken with a frozen clock does not change from one run to the next.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text

from tui.app.text import line
from tui.services.ids import short_id

if TYPE_CHECKING:
    from tui.deployment.models import Thread

PREVIEW_PATH = "values.messages[-1].content"
SELECT = ["thread_id", "status", "metadata", "created_at", "updated_at"]
EXTRACT = {"preview": PREVIEW_PATH}

STATUS_STYLE = {
    "idle": "green",
    "busy": "bold yellow",
    "interrupted": "bold magenta",
    "error": "bold red",
}

COLUMNS: list[tuple[str, str, int | None]] = [
    # (key, label, width: None = auto)
    ("id", "id", 8),
    ("status", "status", 11),
    ("graph", "graph", 12),
    ("created", "created", 10),
    ("updated", "updated", 10),
    ("preview", "preview", None),
]
FIXED_WIDTH = sum(w for _, _, w in COLUMNS if w) + 2 * len(COLUMNS)
"""Columns taken by every column but the preview's text (the padding of all of them)."""
MIN_PREVIEW = 8


def relative(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "—"
    if when.tzinfo is None or now.tzinfo is None:
        when, now = when.replace(tzinfo=None), now.replace(tzinfo=None)
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h ago"
    if seconds < 7 * 86400:
        return f"{int(seconds // 86400)}d ago"
    local = when.astimezone(now.tzinfo) if now.tzinfo else when
    return local.strftime("%Y-%m-%d")


def preview_text(value: Any) -> str:
    """The last message's content as one plain string.

    Measured on the server: ``extract`` returns the content as stored — a string, a list of
    content parts (``[{"type": "text", "text": …}, {"type": "image_url", …}]``), or ``None``
    for a thread without messages (and for a copy, whose record holds no values).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts: list[str] = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif isinstance(part, dict) and part.get("type"):
                parts.append(f"‹{part['type']}›")
            else:
                parts.append(json.dumps(part, ensure_ascii=False, default=str))
        return " ".join(p for p in parts if p)
    return json.dumps(value, ensure_ascii=False, default=str)


def thread_preview(thread: Thread) -> str:
    extracted = thread.extracted or {}
    return preview_text(extracted.get("preview"))


def cells(thread: Thread, now: datetime, preview_width: int = 200) -> list[Text]:
    status = thread.status or "?"
    graph = thread.graph_id or ""
    preview = line(thread_preview(thread), max(preview_width, MIN_PREVIEW),
                   style="dim" if not graph else "")
    preview.overflow = "ellipsis"  # cut at the column's width, and seen to be cut
    return [
        line(short_id(thread.thread_id), style="bold"),
        line(status, 11, style=STATUS_STYLE.get(status, "")),
        line(graph, 12, style="cyan"),
        line(relative(thread.created_at, now), 10),
        line(relative(thread.updated_at, now), 10),
        preview,
    ]
