"""Seed the Postgres-backed Agent Server with many threads, honestly and in minutes.

Through the API alone the pg server makes ~370 empty threads a second (16 in flight): 45 minutes
for 1,000,000, more with supersteps. So, as bench_thread_list.py does for the in-memory store:

1. ``through_api`` threads are created through the API with varied metadata (``user``,
   ``team``, ``kind``); one in three is prepopulated from a bundled demo script (greeting,
   tool call, approval) so the server wrote values, checkpoints and blobs for it and the list
   has previews to show.
2. Inside Postgres, ``INSERT … SELECT`` copies those server-made rows: ``threads`` with a new
   uuid, older times and new metadata values, and for a copy of a prepopulated thread its
   ``checkpoints``, ``checkpoint_blobs`` and ``checkpoint_writes`` rows under the new id (the
   runtime keys them by ``thread_id`` as text; the checkpoint bodies hold no thread id). No
   other table refers to a thread (``runs`` only for runs, and none are copied).
3. ``POST /threads/count`` confirms the total, and one copied prepopulated thread's
   ``/state`` is read back through the API.

The SQL goes through ``psql`` (Debian's client, next to the server binaries), so the bench venv
needs no Postgres driver.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import time
from typing import Any

import httpx

from tests.servers.postgres import postgres_bin_dir
from tui.demo.seed import script_text

SCRIPTS = ("greeting", "tool_call", "approval")
TEAMS = ("red", "green", "blue", "amber")
KINDS = ("support", "sales", "ops", "research", "billing")


def metadata(i: int) -> dict[str, Any]:
    """Varied metadata for the i-th thread: ``user`` has 100 values, ``team`` 4, ``kind`` 5."""
    return {"graph_id": "agent", "bench": "thread_list", "i": i, "user": f"user-{i % 100:03d}",
            "team": TEAMS[i % len(TEAMS)], "kind": KINDS[i % len(KINDS)]}


async def api_seed(url: str, count: int, concurrency: int = 8) -> float:
    """Create ``count`` threads through the API; every third is prepopulated. Seconds taken."""
    started = time.perf_counter()
    bodies = []
    for i in range(count):
        body: dict[str, Any] = {"metadata": metadata(i)}
        if i % 3 == 0:
            script = json.loads(script_text(SCRIPTS[(i // 3) % len(SCRIPTS)]))
            body["supersteps"] = script["supersteps"]
        bodies.append(body)
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

        async def worker() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                response = await client.post("/threads", json=body)
                response.raise_for_status()
                if "thread_id" not in response.json():
                    raise RuntimeError(f"create failed: {response.text[:300]}")

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


# One statement per step; :total and :batch are filled in by copy_sql(). The copies get ids from
# gen_random_uuid(), created_at spread over the past (1 s apart, older than every template),
# updated_at a little later, and metadata whose i/user/team/kind vary with the copy's number.
_SQL = """
\\set ON_ERROR_STOP on
CREATE TEMP TABLE tpl AS
  SELECT row_number() OVER (ORDER BY created_at) - 1 AS k, thread_id,
         EXISTS (SELECT 1 FROM checkpoints c WHERE c.thread_id = t.thread_id::text) AS has_state
  FROM threads t;
CREATE TEMP TABLE copies AS
  SELECT g AS n, gen_random_uuid() AS new_id, tpl.thread_id AS src, tpl.has_state
  FROM generate_series(0, {missing} - 1) AS g
  JOIN tpl ON tpl.k = g % (SELECT count(*) FROM tpl);
CREATE INDEX ON copies (n);
SELECT min(created_at) AS oldest FROM threads \\gset
{batches}
INSERT INTO checkpoints
  SELECT c.new_id::text, k.checkpoint_ns, k.checkpoint_id, k.parent_checkpoint_id, k.type,
         k.checkpoint, k.metadata
  FROM copies c JOIN checkpoints k ON k.thread_id = c.src::text WHERE c.has_state;
INSERT INTO checkpoint_blobs
  SELECT c.new_id::text, b.checkpoint_ns, b.channel, b.version, b.type, b.blob
  FROM copies c JOIN checkpoint_blobs b ON b.thread_id = c.src::text WHERE c.has_state;
INSERT INTO checkpoint_writes
  SELECT c.new_id::text, w.checkpoint_ns, w.checkpoint_id, w.task_id, w.idx, w.channel, w.type,
         w.blob, w.task_path
  FROM copies c JOIN checkpoint_writes w ON w.thread_id = c.src::text WHERE c.has_state;
ANALYZE threads; ANALYZE checkpoints; ANALYZE checkpoint_blobs; ANALYZE checkpoint_writes;
SELECT new_id FROM copies WHERE has_state ORDER BY n DESC LIMIT 1;
"""

_THREADS_BATCH = """
INSERT INTO threads (thread_id, status, metadata, config, "values", interrupts, error,
                     created_at, updated_at, state_updated_at)
  SELECT c.new_id, t.status,
         t.metadata || jsonb_build_object(
           'i', {through_api} + c.n,
           'user', 'user-' || lpad((({through_api} + c.n) % 100)::text, 3, '0'),
           'team', (ARRAY{teams})[({through_api} + c.n) % {n_teams} + 1],
           'kind', (ARRAY{kinds})[({through_api} + c.n) % {n_kinds} + 1]),
         t.config, t."values", t.interrupts, t.error,
         :'oldest'::timestamptz - (c.n + 1) * interval '1 second',
         :'oldest'::timestamptz - (c.n + 1) * interval '1 second' + interval '2 seconds',
         CASE WHEN t.state_updated_at IS NULL THEN NULL
              ELSE :'oldest'::timestamptz - (c.n + 1) * interval '1 second'
                   + interval '2 seconds' END
  FROM copies c JOIN threads t ON t.thread_id = c.src
  WHERE c.n >= {lo} AND c.n < {hi};
"""


def copy_sql(missing: int, through_api: int, batch: int = 200_000) -> str:
    def array(values: tuple[str, ...]) -> str:
        return "[" + ", ".join(f"'{v}'" for v in values) + "]"

    batches = "".join(
        _THREADS_BATCH.format(through_api=through_api, teams=array(TEAMS), kinds=array(KINDS),
                              n_teams=len(TEAMS), n_kinds=len(KINDS), lo=lo,
                              hi=min(lo + batch, missing))
        for lo in range(0, missing, batch)
    )
    return _SQL.format(missing=missing, batches=batches)


def psql() -> str:
    bin_dir = postgres_bin_dir()
    found = (bin_dir / "psql") if bin_dir and (bin_dir / "psql").exists() else None
    return str(found) if found else (shutil.which("psql") or "psql")


def pg_copy(dsn: str, missing: int, through_api: int) -> str:
    """Run the copy; returns the id of one copied prepopulated thread (for a read-back)."""
    done = subprocess.run(
        [psql(), dsn, "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-f", "-"],
        input=copy_sql(missing, through_api), capture_output=True, text=True, check=False,
        timeout=3600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"psql failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1].strip()


def seed(url: str, dsn: str, total: int, through_api: int = 300) -> dict[str, Any]:
    """Bring the pg server at ``url`` (database ``dsn``) to ``total`` threads; what it took."""
    started = time.perf_counter()
    first = min(total, through_api)
    api_seconds = asyncio.run(api_seed(url, first))
    print(f"  {first} threads through the API in {api_seconds:.1f} s", flush=True)
    copy_started = time.perf_counter()
    sample = pg_copy(dsn, total - first, first) if total > first else None
    copy_seconds = time.perf_counter() - copy_started
    with httpx.Client(base_url=url, timeout=300) as client:
        counted = int(client.post("/threads/count", json={}).json())
        if sample:
            state = client.get(f"/threads/{sample}/state")
            state.raise_for_status()
            messages = len((state.json().get("values") or {}).get("messages") or [])
            if not messages:
                raise RuntimeError(f"copied thread {sample} has no messages in its state")
    if counted != total:
        raise RuntimeError(f"/threads/count says {counted}, expected {total}")
    seconds = time.perf_counter() - started
    print(f"  {total - first} copied in Postgres in {copy_seconds:.1f} s; /threads/count: "
          f"{counted}; total {seconds:.1f} s", flush=True)
    return {"seeded": total, "through_api": first, "api_seconds": round(api_seconds, 1),
            "copy_seconds": round(copy_seconds, 1), "seed_seconds": round(seconds, 1),
            "count_confirmed": counted,
            "seeding": f"{first} through the API (1 in 3 prepopulated), the rest copied in "
                       "Postgres from those rows (threads + checkpoints/blobs/writes)"}


def data_size(dsn: str) -> str:
    done = subprocess.run([psql(), dsn, "-t", "-A", "-c",
                           "SELECT pg_size_pretty(pg_database_size(current_database()))"],
                          capture_output=True, text=True, check=False)
    return done.stdout.strip()


