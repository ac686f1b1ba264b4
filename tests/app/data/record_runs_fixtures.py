"""Record run streams from the real Agent Server, for the run panel's snapshots and the stream
fold's unit tests.

    .venv/bin/python tests/app/data/record_runs_fixtures.py

Starts the bundled demo server, creates each thread (fixed ids), records what the viewer shows
before the run (thread record without values, ``GET /state``, ``POST /history``), then every
server-sent event of one run started the way the app starts it (``RUN_STREAM_MODES``), and the
thread record and state after it. Written verbatim to ``tests/app/data/runs_<name>.json``.
Re-run it (and the snapshot update) after a server upgrade.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from tests.scripts import GREETING, meta  # noqa: E402
from tests.support import fixed_id  # noqa: E402
from tui.demo.server import LocalServer  # noqa: E402
from tui.deployment import DeploymentClient  # noqa: E402
from tui.supersteps.run_input import human_input  # noqa: E402
from tui.supersteps.stream import RUN_STREAM_MODES  # noqa: E402

OUT = Path(__file__).parent

HOSTILE_MESSAGE = "[bold red]x[/] [/] [@click=app.quit]boom[/] \x1b[31mred\x1b]0;title\x07"


async def snapshot(client: DeploymentClient, thread_id: str) -> dict[str, Any]:
    thread = (await client.threads.get(thread_id)).model_dump(mode="json", exclude_none=True)
    thread.pop("values", None)
    state = (await client.threads.get_state(thread_id)).model_dump(mode="json")
    history = [h.model_dump(mode="json") for h in await client.threads.history(thread_id,
                                                                                limit=100)]
    return {"thread": thread, "state": state, "history": history}


async def record(client: DeploymentClient, name: str, note: str, *,
                 supersteps: list[dict[str, Any]] | None, message: str | None = None,
                 command: dict[str, Any] | None = None, before: str | None = None,
                 raw_input: Any = None) -> None:
    thread_id = fixed_id(f"runs/{name}")
    await client.threads.create(thread_id=thread_id, metadata=meta(), supersteps=supersteps)
    if before is not None:  # an earlier run that leaves the thread where this one starts
        async for _ in client.runs.stream(thread_id, "agent", input=human_input(before)):
            pass
    data: dict[str, Any] = {"note": note, "before": await snapshot(client, thread_id)}
    events = [
        {"event": part.event, "data": part.data}
        async for part in client.runs.stream(
            thread_id, "agent",
            input=human_input(message) if message is not None else raw_input,
            command=command, stream_mode=RUN_STREAM_MODES,  # type: ignore[arg-type]
        )
    ]
    data["request"] = {"message": message, "command": command, "input": raw_input}
    data["events"] = events
    data["after"] = await snapshot(client, thread_id)
    runs = await client.runs.list(thread_id, limit=1)
    data["run_status"] = runs[0].status if runs else None
    path = OUT / f"runs_{name}.json"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=True) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({len(events)} events)")


async def main() -> None:
    with LocalServer() as server:
        async with DeploymentClient(server.url, api_key=None) as client:
            await record(client, "tool_call", "The seed's greeting continued with a question "
                         "the calculator answers.", supersteps=GREETING, message="what is 6*7?")
            await record(client, "interrupt", "A request that stops at human_review's "
                         "interrupt (send_email approval).", supersteps=GREETING,
                         message="send an email to bob@example.com")
            await record(client, "resume", "Resuming that interrupt with yes.",
                         supersteps=GREETING, before="send an email to bob@example.com",
                         command={"resume": "yes"})
            await record(client, "hostile", "Streamed tokens holding markup and escapes.",
                         supersteps=GREETING, message=HOSTILE_MESSAGE)
            # (A failing reducer would do too, but then GET /state answers 500 on that thread.)
            await record(client, "error", "A command that sends the run to human_review with "
                         "no tool call to review: the node raises.", supersteps=GREETING,
                         command={"goto": "human_review"})


if __name__ == "__main__":
    asyncio.run(main())
