"""The thread list with many threads on the server, each action against its raw call.

In the same run, against the same server holding ``--threads`` threads (``--server inmem``:
``langgraph dev``, default 100,000; ``--server pg``: the Agent Server on Postgres + Redis,
default 1,000,000, seeded inside Postgres by bench/seed_pg.py):

1. first page — time from process start to the first thread row on a real terminal (pty):
   (a) a bare Textual app that makes the raw httpx ``POST /threads/search`` for one page (same
   ``select``, ``extract`` and ``limit`` as the thread list) and shows it in a plain DataTable,
   (b) ``threadloom --url URL``. Interleaved, median of ``--repeat``; the ratio is printed.
   The raw search call alone (no UI) is timed too, for reference.
2. in the running app (bench/thread_list_app.py, headless, a process of its own): a new first
   page ("o"), a sort change ("s") and a metadata search typed into the search field (Enter),
   each key → rows painted against the raw search call for the same query; the cursor moving
   down while pages load; typing into the search field while pages stream in back to back
   until ``--deep`` rows are loaded (p95 against a 50 ms bound), and the app's peak RSS.

No assertions on time: it prints a table and writes JSON to bench/results/.

    .venv/bin/python bench/bench_thread_list.py [--server inmem|pg] [--threads N] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import pickle
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from bench.common import (
    PYTHON,
    Row,
    compile_project,
    median,
    run_in_terminal,
    table,
    write_json,
)
from bench.seed_pg import metadata
from tui.app.threads.thread_pager import PAGE_SIZE
from tui.app.threads.thread_rows import short_id
from tui.demo.server import LocalServer
from tui.services.listing import ROW_COLUMNS as SELECT
from tui.services.listing import ROW_EXTRACT as EXTRACT

HERE = Path(__file__).resolve().parent

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
                body = {"metadata": metadata(i)}
                response = await client.post("/threads", json=body)
                response.raise_for_status()
                done += 1
                if done % 10000 == 0:
                    rate = done / (time.perf_counter() - started)
                    print(f"  seeded {done}/{missing} ({rate:.0f}/s)", flush=True)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return missing, time.perf_counter() - started


def bulk_seed(server: LocalServer, total: int, through_api: int = 500) -> tuple[int, float]:
    """Bring the local server to ``total`` threads quickly; returns (created, seconds).

    The in-memory runtime keeps threads in one list and scans it on every create, so seeding
    100,000 through the API slows to ~20 a second (over an hour). Instead: ``through_api``
    threads are created through the API, the server is stopped gracefully (the runtime then
    writes its store to ``.langgraph_api/.langgraph_ops.pckl``), the store gets copies of
    those server-made threads with new ids, timestamps and metadata, and the server starts
    again on the same directory. The run then checks ``/threads/count``.
    """
    started = time.perf_counter()
    created, _ = asyncio.run(seed(server.url, min(total, through_api)))
    with httpx.Client(base_url=server.url, timeout=60) as client:
        have = int(client.post("/threads/count", json={}).json())
    if have >= total or server.workdir is None:
        return created, time.perf_counter() - started
    server.kill(signal.SIGTERM)
    store = server.workdir / ".langgraph_api" / ".langgraph_ops.pckl"
    data = pickle.loads(store.read_bytes())  # the file this bench's own server just wrote
    threads = data["threads"]
    template = threads[-1]
    oldest = min(t["created_at"] for t in threads)
    for i in range(len(threads), total):
        when = oldest - timedelta(milliseconds=i)
        threads.append({
            **copy.deepcopy(template), "thread_id": uuid.uuid4(), "created_at": when,
            "updated_at": when, "state_updated_at": when,
            "metadata": metadata(i),
        })
    store.write_bytes(pickle.dumps(data))
    server.start()
    return created + total - have, time.perf_counter() - started


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
        Row("first page visible (process start → row)", median(ours), median(bare), "s", 1.2,
            rss_mb=max(rss),
            extra={"runs": repeat, "raw search call alone (median)":
                   f"{median([r[0] for r in raw]) * 1000:.0f} ms",
                   "page size": PAGE_SIZE}),
    ]


# ---------------------------------------------------------------- 2. in a running app


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def in_app_rows(url: str, keys: int, reloads: int, deep: int) -> list[Row]:
    """bench/thread_list_app.py in a process of its own (its peak RSS is the app's)."""
    with tempfile.TemporaryDirectory(prefix="threadloom-bench-") as tmp:
        out = Path(tmp) / "in_app.json"
        subprocess.run([PYTHON, str(HERE / "thread_list_app.py"), url, str(keys), str(reloads),
                        str(deep), str(out)], check=True)
        m = json.loads(out.read_text())

    def ms(values: list[float]) -> str:
        return f"median {median(values) * 1000:.1f} / p95 {p95(values) * 1000:.1f} / " \
               f"max {max(values) * 1000:.1f} ms"

    def page_row(name: str, ours: str, what: str) -> Row:
        return Row(name, median(m[ours]), median(m[f"{ours}_raw"]), "s", 1.2,
                   extra={"runs": len(m[ours]), "ours": ms(m[ours]),
                          f"baseline ({what})": ms(m[f"{ours}_raw"])})

    return [
        page_row("new first page in the running app (key → painted)", "reload",
                 "raw search call, same query"),
        page_row("metadata search (Enter → painted)", "search", "raw search call, same filter"),
        page_row("sort change (key → painted)", "sort", "raw search call, same sort"),
        Row("cursor down while pages load on the way", median(m["scroll_loading"]) * 1000,
            median(m["scroll_loaded"]) * 1000, "ms", None,
            extra={"while loading": ms(m["scroll_loading"]),
                   "baseline (up, all loaded)": ms(m["scroll_loaded"]),
                   "pages loaded during the keys": m["pages_while_scrolling"]}),
        Row("typing p95 while paging deep", p95(m["typing_loading"]) * 1000,
            p95(m["typing_idle"]) * 1000, "ms", None, bound=50.0, rss_mb=m["peak_rss_mb"],
            extra={"while loading": ms(m["typing_loading"]),
                   "baseline (idle)": ms(m["typing_idle"]),
                   "keys typed while paging": len(m["typing_loading"]),
                   "rows loaded during the keys": m.get("rows_while_typing", 0),
                   "deepest offset": m.get("deepest_offset", 0),
                   "peak RSS": "the app process after every step above, rows loaded "
                               f"{m.get('deepest_offset', 0)}"}),
    ]


# ---------------------------------------------------------------- main

SERVERS = {"inmem": 100_000, "pg": 1_000_000}  # default threads per server
LABELS = {"inmem": "inmem", "pg": "pg"}


def run(url: str, args: argparse.Namespace, meta: dict[str, Any]) -> int:
    if not args.no_seed:
        print(f"seeding {args.threads} threads at {url} …", flush=True)
        created, seconds = asyncio.run(seed(url, args.threads))
        meta["seeded"] = created
        meta["seed_seconds"] = round(seconds, 1)
        print(f"  created {created} threads in {seconds:.1f} s "
              f"({created / seconds if seconds else 0:.0f}/s)", flush=True)
    return measure(url, args, meta)


def measure(url: str, args: argparse.Namespace, meta: dict[str, Any]) -> int:
    with httpx.Client(base_url=url, timeout=300) as client:
        started = time.perf_counter()
        meta["threads_on_server"] = client.post("/threads/count", json={}).json()
        meta["count_ms"] = round((time.perf_counter() - started) * 1000)
    rows = first_page(url, args.repeat) + in_app_rows(url, args.keys, args.repeat * 2,
                                                          args.deep)
    where = f"{args.server} {human(int(meta['threads_on_server']))}"
    for row in rows:
        row.name = f"[{where}] {row.name}"
    meta["load"] = load_average()
    print(table(rows))
    print(json.dumps(meta))
    print(f"written: {write_json(result_name(args.server), rows, meta)}")
    return 0


def result_name(server: str) -> str:
    return "thread_list" if server == "inmem" else f"thread_list_{server}"


def human(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else (
        f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n))


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", choices=sorted(SERVERS), default="inmem",
                        help="inmem: `langgraph dev` (default 100,000 threads); pg: the Agent "
                        "Server on Postgres + Redis (tests/servers/agent_pg.py; default "
                        "1,000,000 threads)")
    parser.add_argument("--threads", type=int,
                        help="threads on the server (a local server is seeded in seconds to "
                        "minutes, an existing one (--url) through the API only, which the "
                        "in-memory server slows to ~20 a second as it fills)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keys", type=int, default=300,
                        help="keys per latency measurement (300 downs cross ~3 pages)")
    parser.add_argument("--deep", type=int, default=20_000,
                        help="rows the list loads while typing is timed (default 20000)")
    parser.add_argument("--url", help="an existing server (default: start a local one)")
    parser.add_argument("--no-seed", action="store_true", help="use the threads already there")
    args = parser.parse_args()
    if args.threads is None:
        args.threads = SERVERS[args.server]
    compile_project()
    meta: dict[str, Any] = {"server": args.server, "threads_asked": args.threads,
                            "page_size": PAGE_SIZE, "load_at_start": load_average()}
    if args.url:
        return run(args.url, args, meta)
    if args.server == "pg":
        return run_pg(args, meta)
    with LocalServer() as server:
        if args.no_seed:
            return measure(server.url, args, meta)
        print(f"seeding {args.threads} threads (500 through the API, the rest copied into "
              "the server's store while it is stopped) …", flush=True)
        created, seconds = bulk_seed(server, args.threads)
        meta["seeded"] = created
        meta["seed_seconds"] = round(seconds, 1)
        meta["seeding"] = "500 through the API, the rest copied into the stopped server's store"
        print(f"  {created} threads in {seconds:.1f} s", flush=True)
        return measure(server.url, args, meta)


def run_pg(args: argparse.Namespace, meta: dict[str, Any]) -> int:
    """The Postgres + Redis Agent Server in temp dirs (removed on stop), seeded in Postgres."""
    from bench import seed_pg
    from tests.servers.agent_pg import PgAgentServer

    with PgAgentServer() as server:
        assert server.postgres is not None
        if not args.no_seed:
            print(f"seeding {args.threads} threads (300 through the API, the rest copied "
                  "inside Postgres) …", flush=True)
            meta.update(seed_pg.seed(server.url, server.postgres.url, args.threads))
            meta["database_size"] = seed_pg.data_size(server.postgres.url)
            print(f"  database: {meta['database_size']}", flush=True)
        return measure(server.url, args, meta)


if __name__ == "__main__":
    raise SystemExit(main())
