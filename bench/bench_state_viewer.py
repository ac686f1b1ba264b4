"""Opening a 5 MB state (10,000 messages of ~500 bytes) in the state viewer, and how fast it
answers keys afterwards.

Baseline, same run, same server: a raw ``httpx`` ``GET /threads/{id}/state`` plus
``json.loads``. Ours: ``StateViewer.show_thread`` in a headless app, from the call until the
first frame that shows the conversation (the viewer fetches the thread record and the state,
validates them, lays out the chat and renders it). Then keystrokes: scrolling the chat, paging,
switching views, walking the tree; each is timed from the key until the last frame it caused
(the app's own frame output, not the test pilot's idle detection) until the first frame it
caused — what the user sees answer — and until the last (settled); compared with scrolling a
small text.

    .venv/bin/python bench/bench_state_viewer.py [--messages 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from bench.common import Row, median, table, write_json
from tui.app.context import AppContext
from tui.app.viewer import StateViewer
from tui.demo.server import LocalServer
from tui.deployment import DeploymentClient

KEYS = (
    ["down"] * 20 + ["pagedown"] * 20 + ["up"] * 10 + ["pageup"] * 10 + ["end", "home"]
    + ["t", "down", "space", "down", "down", "m", "j", "pagedown", "pagedown", "m", "v", "v"]
    + ["m"] + ["down"] * 10
)
LATENCY_BUDGET_MS = 50.0


def messages(n: int) -> list[dict[str, Any]]:
    filler = "lorem ipsum dolor sit amet " * 20  # ~540 bytes with the prefix
    return [{"type": "human" if i % 2 == 0 else "ai", "content": f"message {i}: {filler}"}
            for i in range(n)]


class Host(App[None]):
    """The viewer alone, with the bits of the app context it uses."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.client = DeploymentClient(url)
        self.context = AppContext(self, report=self.report_error)
        self.context.client = self.client
        self.frames: list[float] = []

    def compose(self) -> ComposeResult:
        yield StateViewer(id="viewer")

    def report_error(self, exc: BaseException, context: str) -> None:
        raise RuntimeError(f"{context}: {exc}")

    def _display(self, screen: Any, renderable: Any) -> None:
        if renderable is not None:
            self.frames.append(time.perf_counter())
        super()._display(screen, renderable)

    async def on_unmount(self) -> None:
        await self.client.aclose()


class Tiny(App[None]):
    """The baseline for keys: a small scrollable text, the cheapest thing a key can redraw."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[float] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("\n".join(f"line {i}" for i in range(200)))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def _display(self, screen: Any, renderable: Any) -> None:
        if renderable is not None:
            self.frames.append(time.perf_counter())
        super()._display(screen, renderable)


async def key_latencies(app: Any, pilot: Any, keys: list[str]
                        ) -> tuple[list[float], list[float]]:
    """Seconds from each key to the first frame it produced (the answer the user sees) and
    to the last one (everything it set off has been drawn)."""
    first: list[float] = []
    last: list[float] = []
    for key in keys:
        app.frames.clear()
        start = time.perf_counter()
        await pilot.press(key)
        await pilot.pause()
        idle = time.perf_counter()
        first.append((app.frames[0] if app.frames else idle) - start)
        last.append((app.frames[-1] if app.frames else idle) - start)
    return first, last


async def raw_state(url: str, thread_id: str, repeat: int) -> tuple[float, int]:
    times: list[float] = []
    size = 0
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        await http.get("/ok")
        for _ in range(repeat):
            start = time.perf_counter()
            response = await http.get(f"/threads/{thread_id}/state")
            body = json.loads(response.content)
            times.append(time.perf_counter() - start)
            size = len(response.content)
            assert len(body["values"]["messages"]) > 0
    return median(times), size


async def open_in_viewer(url: str, thread_id: str, n: int, repeat: int
                         ) -> tuple[float, tuple[list[float], list[float]]]:
    app = Host(url)
    opens: list[float] = []
    async with app.run_test(size=(160, 48)) as pilot:
        viewer = app.query_one(StateViewer)
        for _ in range(repeat):
            viewer.show_thread(None)
            await pilot.pause()
            shown: list[float] = []
            original = viewer.show_data

            def timed(*args: Any, _original: Any = original, _shown: list[float] = shown,
                      **kwargs: Any) -> None:
                _original(*args, **kwargs)
                _shown.append(time.perf_counter())

            viewer.show_data = timed  # type: ignore[method-assign]
            app.frames.clear()
            start = time.perf_counter()
            viewer.show_thread(thread_id)
            while not (shown and app.frames and app.frames[-1] > shown[0]):
                await asyncio.sleep(0.001)
            first_frame = next(f for f in app.frames if f > shown[0])
            opens.append(first_frame - start)
            viewer.show_data = original  # type: ignore[method-assign]
            while viewer.data is None or not viewer.data.history_loaded:
                await asyncio.sleep(0.01)
            await pilot.pause()
            assert len(viewer.chat.messages) == n
        viewer.chat.focus()
        await pilot.pause()
        latencies = await key_latencies(app, pilot, list(KEYS))
    return median(opens), latencies


async def tiny_latencies() -> list[float]:
    app = Tiny()
    async with app.run_test(size=(160, 48)) as pilot:
        first, _ = await key_latencies(app, pilot, ["down", "up", "pagedown", "pageup"] * 10)
        return first


def _peak_rss_mb() -> float:
    """This process's peak RSS (the app under test plus the baseline's parsed copy)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with LocalServer() as server:
        created = httpx.post(f"{server.url}/threads", timeout=120, json={
            "metadata": {"graph_id": "agent", "bench": "state_viewer"},
            "supersteps": [
                {"updates": [{"values": {}, "as_node": "__input__"}]},
                {"updates": [{"values": {"messages": messages(args.messages)},
                              "as_node": "__start__"}]},
            ],
        }).json()
        thread_id = created["thread_id"]
        baseline, size = asyncio.run(raw_state(server.url, thread_id, args.repeat + 2))
        opened, (first, last) = asyncio.run(
            open_in_viewer(server.url, thread_id, args.messages, args.repeat))
    tiny = asyncio.run(tiny_latencies())
    ms = sorted(x * 1000 for x in first)
    settled = sorted(x * 1000 for x in last)
    key_median = median(ms)
    p90 = ms[int(len(ms) * 0.9)]
    slowest = sorted(zip((x * 1000 for x in first), KEYS, strict=True), reverse=True)[:3]
    rows = [
        Row(f"open a {size / 1e6:.1f} MB state ({args.messages:,} messages)", opened, baseline,
            "s", 2.0, rss_mb=_peak_rss_mb(), extra={"baseline": "httpx GET /state + json.loads",
                              "ours": "show_thread → first frame showing the chat"}),
        Row("keystroke → first frame (median)", key_median, median([x * 1000 for x in tiny]),
            "ms", None, extra={
                "keys": len(ms), "p90_ms": round(p90, 1), "max_ms": round(ms[-1], 1),
                "slowest": ", ".join(f"{k} {v:.0f} ms" for v, k in slowest),
                "settled_median_ms": round(median(settled), 1),
                "budget_ms": LATENCY_BUDGET_MS,
                "within_budget": key_median <= LATENCY_BUDGET_MS,
                "baseline": "scrolling keys on a 200-line scrollable text"}),
    ]
    print(table(rows))
    verdict = "ok" if key_median <= LATENCY_BUDGET_MS else "MISSED"
    print(f"open ratio {rows[0].ratio:.2f}x the raw GET+parse; keystroke median "
          f"{key_median:.1f} ms (budget {LATENCY_BUDGET_MS:.0f} ms: {verdict}), p90 {p90:.1f} ms")
    print(f"written: {write_json('state_viewer', rows, {'thread_bytes': size})}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
