"""The thread list in a running app (in-process, headless), each action against its raw call.

Run by bench_thread_list.py as a process of its own::

    python bench/thread_list_app.py URL KEYS RELOADS DEEP OUT.json

(DEEP: the rows the typing-while-paging phase loads), so the peak RSS it reports (VmHWM) is
the app's alone: the seeding process holds a big store in memory.

Keys are posted as the terminal driver does (``pilot.press`` waits for an idle app — never,
while pages stream in) and each is timed until its effect is painted or on the widget. Before
every raw baseline call the app is idle (its count and preview reads done), so the two never
share the server.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from tui.app.threads.thread_pager import PAGE_SIZE
from tui.services.listing import ROW_COLUMNS as SELECT
from tui.services.listing import ROW_EXTRACT as EXTRACT

# metadata searches typed into the search field (the seeders' metadata: bench/seed_pg.py)
SEARCHES = ("team=red", "user=user-007", "kind=ops team=blue", "user=user-042")


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return float(line.split()[1]) / 1024.0
    return float("nan")


async def _until(check: Any, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out")
        await asyncio.sleep(0.001)


def previews_reading(app: Any) -> bool:
    """The list still reads previews from /state (requests that share the server)."""
    return any(w.group == "threads-previews" and not w.is_finished for w in app.workers)


async def in_app(url: str, keys: int, reloads: int, deep: int) -> dict[str, Any]:
    from textual import events

    from tui.app.app import ThreadloomApp
    from tui.config import ConnectionSpec, Settings

    app = ThreadloomApp(ConnectionSpec(url=url), settings=Settings())
    out: dict[str, Any] = {name: [] for name in (
        "reload", "reload_raw", "search", "search_raw", "sort", "sort_raw", "scroll_loading",
        "scroll_loaded", "typing_loading", "typing_idle")}
    async with app.run_test(size=(160, 48)) as pilot, \
            httpx.AsyncClient(base_url=url, timeout=300) as raw:
        threads = app.threads
        # Steady state: the other panes mount once the first page is shown (start-up, timed by
        # bench_startup.py); a key pressed meanwhile waits for them (0.3-0.8 s measured).
        await _until(lambda: threads.threads and not threads.pager.fetching and threads.total
                     and app.panes_ready and not previews_reading(app))
        table = threads.table

        async def key(name: str, char: str | None, done: Any) -> float:
            started = time.perf_counter()
            app.post_message(events.Key(name, char))
            await _until(done)
            return time.perf_counter() - started

        async def painted() -> None:
            event = asyncio.Event()
            app.call_after_refresh(event.set)
            await event.wait()

        async def new_page(name: str, char: str | None) -> tuple[float, float]:
            """A key that makes a new first page: key → rows painted, then the raw call."""
            generation = threads.pager.generation
            pager, rows, shown = threads.pager, threads.rows, asyncio.Event()
            replace = rows.replace

            def replaced(*args: Any, **kwargs: Any) -> Any:
                # The refresh after the new page went into the table: the frame with its rows.
                # (Probed here, not after the pager settles: the list's own after-paint work —
                # the count, the previews — is queued behind that frame and is not waited for.)
                result = replace(*args, **kwargs)
                if pager.generation > generation:
                    app.call_after_refresh(shown.set)
                return result

            rows.replace = replaced  # type: ignore[method-assign]
            started = time.perf_counter()
            app.post_message(events.Key(name, char))
            await shown.wait()
            elapsed = time.perf_counter() - started
            rows.replace = replace  # type: ignore[method-assign]
            await _until(lambda g=generation: pager.generation > g and not pager.fetching)
            if not threads.threads:
                raise RuntimeError(f"{threads.search_query!r} found no threads")
            await _until(lambda: threads.total is not None or bool(threads.search_query.ids))
            await _until(lambda: not previews_reading(app))
            body = {**threads.search_query.search_args(), "limit": PAGE_SIZE,
                    "select": SELECT, "extract": EXTRACT}
            body = {k: v for k, v in body.items() if v is not None}
            started_raw = time.perf_counter()
            (await raw.post("/threads/search", json=body)).raise_for_status()
            raw_elapsed = time.perf_counter() - started_raw
            return elapsed, raw_elapsed

        # a) a new first page ("o" flips the order) vs the raw search call
        for _ in range(reloads):
            ours, base = await new_page("o", "o")
            out["reload"].append(ours)
            out["reload_raw"].append(base)
        # b) a sort change ("s": created → updated → state updated → created)
        for _ in range(reloads):
            ours, base = await new_page("s", "s")
            out["sort"].append(ours)
            out["sort_raw"].append(base)
        # c) a metadata search typed into the search field: Enter → rows painted
        await pilot.press("slash")
        field = threads.filter_bar.input
        for i in range(reloads):
            with field.prevent(field.Changed):
                field.value = SEARCHES[i % len(SEARCHES)]
            await painted()  # the typed text's own repaint comes before the clock starts
            ours, base = await new_page("enter", None)
            out["search"].append(ours)
            out["search_raw"].append(base)
        with field.prevent(field.Changed):
            field.value = ""
        await new_page("enter", None)
        threads.table.focus()
        await _until(lambda: not threads.pager.fetching and threads.total)
        # d) cursor down, pages loading on the way, then back up (loaded)
        start_rows = len(threads.threads)
        for _ in range(keys):
            row = table.cursor_row
            out["scroll_loading"].append(
                await key("down", None, lambda r=row: table.cursor_row != r))
            await asyncio.sleep(0.02)  # key repeat: ~30 keys a second
        out["pages_while_scrolling"] = (len(threads.threads) - start_rows) // PAGE_SIZE
        await _until(lambda: not threads.pager.loading_more)
        for _ in range(keys):
            row = table.cursor_row
            out["scroll_loaded"].append(await key("up", None, lambda r=row: table.cursor_row != r))
            await asyncio.sleep(0.02)
        # e) typing into the search field, idle and while pages stream in back to back (deeper
        #    and deeper: each page asks a larger offset)
        await pilot.press("slash")
        for phase in ("typing_idle", "typing_loading"):
            stop = asyncio.Event()

            async def keep_paging(stop: asyncio.Event = stop) -> None:
                while not stop.is_set():
                    if not threads.pager.loading_more and threads.pager.next_offset is not None:
                        table.move_cursor(row=len(threads.threads) - 1, animate=False)
                    await asyncio.sleep(0.01)

            pager = asyncio.create_task(keep_paging()) if phase == "typing_loading" else None
            before = len(threads.threads)
            deadline = time.monotonic() + 180
            i = 0
            # at least ``keys`` keys; while paging, until ``deep`` rows are loaded (or 3 min)
            while i < keys or (pager is not None and len(threads.threads) < deep
                               and threads.pager.next_offset is not None
                               and time.monotonic() < deadline):
                i += 1
                char = "abcdefghij"[i % 10]
                length = len(field.value)
                out[phase].append(await key(char, char, lambda n=length: len(field.value) > n))
                await asyncio.sleep(0.03)
            stop.set()
            if pager is not None:
                await pager
                out["rows_while_typing"] = len(threads.threads) - before
                out["deepest_offset"] = len(threads.threads)
            with field.prevent(field.Changed):
                field.value = ""
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def main() -> int:
    url, keys, reloads, deep = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    Path(sys.argv[5]).write_text(json.dumps(asyncio.run(in_app(url, keys, reloads, deep))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
