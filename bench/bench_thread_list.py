"""The thread list with many threads on the server: first page, and typing while pages load.

In the same run, against the same server holding ``--threads`` threads (default 100,000):

1. first page — time from process start to the first thread row on a real terminal (pty):
   (a) a bare Textual app that makes the raw httpx ``POST /threads/search`` for one page (same
   ``select``, ``extract`` and ``limit`` as the thread list) and shows it in a plain DataTable,
   (b) ``threadloom --url URL``. Interleaved, median of ``--repeat``; the ratio is printed.
   The raw search call alone (no UI) is timed too, for reference.
2. responsiveness while further pages load (in-process, headless pilot): per-key latency of
   typing into the search field and of moving the cursor, while the list keeps loading pages,
   against the same keys on an idle list.

No assertions on time: it prints a table and writes JSON to bench/results/.

    .venv/bin/python bench/bench_thread_list.py [--threads 100000] [--repeat 5] [--url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from bench.common import PYTHON, Row, median, run_in_terminal, table, write_json
from tui.app.widgets.thread_list import PAGE_SIZE
from tui.app.widgets.thread_rows import EXTRACT, SELECT, short_id
from tui.demo.server import LocalServer

BARE_APP = f"""
import sys, httpx
from textual.app import App, ComposeResult
from textual.widgets import DataTable
URL, LIMIT, SELECT, EXTRACT = sys.argv[1], int(sys.argv[2]), {SELECT!r}, {EXTRACT!r}
class Bare(App):
    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")
    async def on_mount(self) -> None:
        self.run_worker(self.load())
    async def load(self) -> None:
        async with httpx.AsyncClient(base_url=URL) as client:
            response = await client.post("/threads/search", json={{
                "limit": LIMIT, "select": SELECT, "extract": EXTRACT,
                "sort_by": "created_at", "sort_order": "desc"}})
        table = self.query_one(DataTable)
        table.add_columns("id", "status", "created", "updated", "preview")
        for t in response.json():
            table.add_row(t["thread_id"].replace("-", "")[-8:], t.get("status"),
                          t.get("created_at"), t.get("updated_at"),
                          str((t.get("extracted") or {{}}).get("preview") or ""))
Bare().run()
"""


# ---------------------------------------------------------------- seeding


async def seed(url: str, total: int, concurrency: int = 6) -> tuple[int, float]:
    """Create threads until the server holds ``total``; returns (created, seconds)."""
    started = time.perf_counter()
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        have = (await client.post("/threads/count", json={})).json()
        missing = max(total - int(have), 0)
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(missing):
            queue.put_nowait(i)
        done = 0

        async def worker() -> None:
            nonlocal done
            while True:
                try:
                    i = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                body = {"metadata": {"graph_id": "agent", "bench": "thread_list", "i": i}}
                response = await client.post("/threads", json=body)
                response.raise_for_status()
                done += 1
                if done % 10000 == 0:
                    rate = done / (time.perf_counter() - started)
                    print(f"  seeded {done}/{missing} ({rate:.0f}/s)", flush=True)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return missing, time.perf_counter() - started


async def raw_search(url: str) -> tuple[float, str]:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        started = time.perf_counter()
        response = await client.post("/threads/search", json={
            "limit": PAGE_SIZE, "select": SELECT, "extract": EXTRACT,
            "sort_by": "created_at", "sort_order": "desc"})
        elapsed = time.perf_counter() - started
    first = response.json()[0]["thread_id"]
    return elapsed, first


# ---------------------------------------------------------------- 1. first page


def first_page(url: str, repeat: int) -> list[Row]:
    raw = [asyncio.run(raw_search(url)) for _ in range(repeat)]
    marker = short_id(raw[-1][1]).encode()
    bare: list[float] = []
    ours: list[float] = []
    rss: list[float] = []
    for _ in range(repeat):
        b = run_in_terminal([PYTHON, "-c", BARE_APP, url, str(PAGE_SIZE)], marker, timeout=120)
        bare.append(b.seconds_to_marker)
        o = run_in_terminal([PYTHON, "-m", "tui", "--url", url], marker, timeout=120)
        ours.append(o.seconds_to_marker)
        rss.append(o.peak_rss_mb)
    return [
        Row("first page visible (process start → row)", median(ours), median(bare), "s", 1.5,
            rss_mb=max(rss),
            extra={"runs": repeat, "raw search call alone (median)":
                   f"{median([r[0] for r in raw]) * 1000:.0f} ms",
                   "page size": PAGE_SIZE}),
    ]


# ---------------------------------------------------------------- 2. typing while paging


async def key_latencies(url: str, keys: int, paging: bool) -> dict[str, Any]:
    """Post keys as the terminal driver does (not ``pilot.press``, which waits for an idle
    app — never, while pages stream in) and time each until its effect is visible."""
    from textual import events

    from tui.app.app import ThreadloomApp
    from tui.config import ConnectionSpec, Settings

    app = ThreadloomApp(ConnectionSpec(url=url), settings=Settings())
    typing: list[float] = []
    moving: list[float] = []
    async with app.run_test(size=(160, 48)) as pilot:
        deadline = time.monotonic() + 120
        while not (app.threads.threads and not app.threads.fetching):
            assert time.monotonic() < deadline, "no first page"
            await pilot.pause(0.02)
        threads = app.threads
        stop = asyncio.Event()

        async def keep_paging() -> None:
            # Keep the cursor at the last loaded row: each arriving page asks for the next.
            while not stop.is_set():
                if not threads.loading_more and threads.next_offset is not None:
                    threads.table.move_cursor(row=len(threads.threads) - 1, animate=False)
                await asyncio.sleep(0.01)

        async def key(name: str, char: str | None, done: Any) -> float:
            started = time.perf_counter()
            app.post_message(events.Key(name, char))
            while not done():
                await asyncio.sleep(0.001)
            return time.perf_counter() - started

        await pilot.press("slash")
        field = threads.filter_bar.input
        pager = asyncio.create_task(keep_paging()) if paging else None
        rows_before = len(threads.threads)
        for i in range(keys):
            char = "abcdefghij"[i % 10]
            length = len(field.value)
            typing.append(await key(char, char, lambda n=length: len(field.value) > n))
            await asyncio.sleep(0.03)  # a fast typist: ~30 keys a second
        with field.prevent(field.Changed):
            field.value = ""
        await pilot.press("escape")
        for _ in range(keys):
            row = threads.table.cursor_row
            moving.append(await key("down", None, lambda r=row: threads.table.cursor_row != r))
            await asyncio.sleep(0.03)
        stop.set()
        if pager is not None:
            await pager
        loaded = len(threads.threads) - rows_before
    return {"typing": typing, "moving": moving, "rows_loaded_meanwhile": loaded}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def responsiveness(url: str, keys: int) -> list[Row]:
    idle = asyncio.run(key_latencies(url, keys, paging=False))
    busy = asyncio.run(key_latencies(url, keys, paging=True))
    rows = []
    for kind, label in (("typing", "typing in the search field"), ("moving", "cursor down")):
        rows.append(Row(
            f"{label}: key latency while pages load", median(busy[kind]) * 1000,
            median(idle[kind]) * 1000, "ms", None,
            extra={"95th percentile while loading / idle":
                   f"{p95(busy[kind]) * 1000:.1f} / {p95(idle[kind]) * 1000:.1f} ms",
                   "max while loading / idle":
                   f"{max(busy[kind]) * 1000:.1f} / {max(idle[kind]) * 1000:.1f} ms",
                   "rows loaded during the keys": busy["rows_loaded_meanwhile"]},
        ))
    return rows


# ---------------------------------------------------------------- main


def run(url: str, args: argparse.Namespace, meta: dict[str, Any]) -> int:
    if not args.no_seed:
        print(f"seeding {args.threads} threads at {url} …", flush=True)
        created, seconds = asyncio.run(seed(url, args.threads))
        meta["seeded"] = created
        meta["seed_seconds"] = round(seconds, 1)
        print(f"  created {created} threads in {seconds:.1f} s "
              f"({created / seconds if seconds else 0:.0f}/s)", flush=True)
    with httpx.Client(base_url=url, timeout=120) as client:
        meta["threads_on_server"] = client.post("/threads/count", json={}).json()
    rows = first_page(url, args.repeat) + responsiveness(url, args.keys)
    print(table(rows))
    print(json.dumps(meta))
    print(f"written: {write_json('thread_list', rows, meta)}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=100_000,
                        help="threads on the server (default 100000; seeding runs at a few "
                        "hundred a second on 2 cores, about 5 minutes for 100k)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keys", type=int, default=40, help="keys per latency measurement")
    parser.add_argument("--url", help="an existing server (default: start a local one)")
    parser.add_argument("--no-seed", action="store_true", help="use the threads already there")
    args = parser.parse_args()
    meta: dict[str, Any] = {"threads_asked": args.threads, "page_size": PAGE_SIZE}
    if args.url:
        return run(args.url, args, meta)
    with LocalServer() as server:
        return run(server.url, args, meta)


if __name__ == "__main__":
    raise SystemExit(main())
