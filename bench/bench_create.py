"""Creating a thread from a 1,000-message superstep script: Threadloom's path (parse the
script, validate it against the graph, send it with tui.deployment) against the official
``langgraph_sdk`` sending the same body. Interleaved, median of N, same server.

The script is a replayed conversation: one superstep per message after the ``__input__`` one
(the shape an exported history has), human turns as ``__start__``, AI turns as ``call_model``.

    .venv/bin/python bench/bench_create.py [--messages 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Row, median, table, write_json
from tui.demo.server import LocalServer
from tui.deployment import DeploymentClient
from tui.supersteps import Script, validate


def conversation(n: int) -> dict[str, Any]:
    steps: list[dict[str, Any]] = [{"updates": [{"values": {}, "as_node": "__input__"}]}]
    for i in range(n):
        human = i % 2 == 0
        steps.append({"updates": [{
            "values": {"messages": [{"type": "human" if human else "ai",
                                     "content": f"turn {i}: " + "lorem ipsum " * 8}]},
            "as_node": "__start__" if human else "call_model",
        }]})
    return {"metadata": {"graph_id": "agent", "bench": "create"}, "supersteps": steps}


async def measure(url: str, n: int, repeat: int) -> Row:
    from langgraph_sdk import get_client

    body = conversation(n)
    ours: list[float] = []
    theirs: list[float] = []
    sdk = get_client(url=url, api_key=None)
    async with DeploymentClient(url) as client:
        nodes = (await client.assistants.graph("agent")).node_names
        warm = conversation(2)  # first calls pay for connection set-up: not measured
        await sdk.threads.create(metadata=warm["metadata"], supersteps=warm["supersteps"])
        await client.threads.create(metadata=warm["metadata"], supersteps=warm["supersteps"])
        for _ in range(repeat):
            start = time.perf_counter()
            await sdk.threads.create(metadata=body["metadata"], supersteps=body["supersteps"])
            theirs.append(time.perf_counter() - start)

            start = time.perf_counter()
            script = Script.from_body(body)
            problems = [p for p in validate(script, nodes) if p.severity == "error"]
            assert not problems, problems
            sent = script.to_body()
            created = await client.threads.create(
                metadata=sent["metadata"], supersteps=sent["supersteps"]
            )
            ours.append(time.perf_counter() - start)
        state = await client.threads.get_state(created.thread_id)
        assert len(state.values["messages"]) == n
    await sdk.aclose()
    return Row(
        f"create a thread from a {n}-message script", median(ours), median(theirs), "s", 1.05,
        extra={"runs": repeat, "supersteps": len(body["supersteps"])},
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with LocalServer() as server:
        rows = [asyncio.run(measure(server.url, args.messages, args.repeat))]
    print(table(rows))
    print(f"written: {write_json('create', rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
