"""Record the state viewer's snapshot fixtures from the real Agent Server.

    .venv/bin/python tests/app/data/record_viewer_fixtures.py

Starts the bundled demo server, creates each thread (fixed ids), and writes what the viewer
fetches — the thread record (without values, as the viewer asks for it), ``GET /state`` and
``POST /history`` — verbatim to ``tests/app/data/viewer_<name>.json``. Server-made ids and
timestamps are frozen in these files, so the snapshots built from them are deterministic.
Re-run it (and ``pytest tests/app/test_viewer_snapshots.py --snapshot-update``) after a server
upgrade.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from tests.scripts import GREETING, TOOL_CALL, meta  # noqa: E402
from tests.support import fixed_id  # noqa: E402
from tui.demo.server import LocalServer  # noqa: E402

OUT = Path(__file__).parent

HOSTILE_TEXTS = [
    "[bold red]x[/]",
    "[/]",
    "[@click=app.quit]boom[/]",
    "\x1b[31mred\x1b]0;title\x07 and \x9b2J",
]
HOSTILE: list[dict[str, Any]] = [
    {"updates": [{"values": {}, "as_node": "__input__"}]},
    {"updates": [{"values": {"messages": [
        {"type": "human", "content": " · ".join(HOSTILE_TEXTS), "name": "[b]name[/b]"},
        {"type": "system", "content": "multi\nline [i]markup[/i]\ttab \x00nul \u202eevil"},
    ]}, "as_node": "__start__"}]},
    {"updates": [{"values": {"messages": [
        {"type": "ai", "content": "[/]", "tool_calls": [
            {"name": "[red]calculator[/red]", "args": {"[key]": "\x1b[2J[@click=app.quit]x[/]"},
             "id": "call_[x]", "type": "tool_call"}],
         "additional_kwargs": {"[bold]odd key[/]": "\x1b]0;title\x07"}},
    ]}, "as_node": "call_model"}]},
    {"updates": [{"values": {"messages": [
        {"type": "tool", "content": "[@click=app.quit]boom[/]", "tool_call_id": "call_[x]",
         "name": "[red]calculator[/red]"},
    ]}, "as_node": "tools"}]},
]


def create(client: httpx.Client, name: str, body: dict[str, Any]) -> str:
    thread_id = fixed_id(f"viewer/{name}")
    response = client.post("/threads", json={"thread_id": thread_id, **body})
    response.raise_for_status()
    assert response.json().get("thread_id") == thread_id, response.text
    return thread_id


def record(client: httpx.Client, name: str, thread_id: str, note: str) -> None:
    thread = client.get(f"/threads/{thread_id}").json()
    thread.pop("values", None)
    state = client.get(f"/threads/{thread_id}/state").json()
    history = client.post(f"/threads/{thread_id}/history", json={"limit": 100}).json()
    data = {"note": note, "thread": thread, "state": state, "history": history}
    path = OUT / f"viewer_{name}.json"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=True) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({len(history)} checkpoints)")


def main() -> None:
    with LocalServer() as server, httpx.Client(base_url=server.url, timeout=60) as client:
        thread_id = create(client, "greeting", {"metadata": meta(), "supersteps": GREETING})
        record(client, "greeting", thread_id, "The seed page's greeting (3 supersteps).")

        thread_id = create(client, "tool_call", {"metadata": meta(), "supersteps": TOOL_CALL})
        record(client, "tool_call", thread_id, "A calculator tool call and its result.")

        thread_id = create(client, "empty", {"metadata": {}})
        record(client, "empty", thread_id, "An empty thread (no supersteps, no runs).")

        thread_id = create(client, "interrupted", {"metadata": meta()})
        assistant = client.post("/assistants/search", json={"graph_id": "agent"}).json()[0]
        response = client.post(f"/threads/{thread_id}/runs/wait", json={
            "assistant_id": assistant["assistant_id"],
            "input": {"messages": [{"type": "human", "content": "send an email to x@y.z"}]},
        })
        response.raise_for_status()
        record(client, "interrupted", thread_id,
               "A run stopped by human_review's interrupt (send_email approval).")

        thread_id = create(client, "hostile", {
            "metadata": meta(title="[bold red]x[/] \x1b[31mred\x1b]0;title\x07",
                             **{"[@click=app.quit]k[/]": "[/]"}),
            "supersteps": HOSTILE,
        })
        record(client, "hostile", thread_id,
               "Values and metadata holding markup, ANSI/OSC escapes and control characters.")


if __name__ == "__main__":
    main()
