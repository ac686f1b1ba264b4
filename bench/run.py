"""All benchmarks in one command: each starts its own real local Agent Server, loads the data
it needs, and measures Threadloom against a raw baseline in the same run. Prints one table of
ratios (with peak RSS) and writes it as JSON to bench/results/all-<time>.json (and
all-latest.json) so a later run can be compared with an earlier one.

    .venv/bin/python bench/run.py            # the full set, both servers (~12 minutes)
    .venv/bin/python bench/run.py --server pg --only thread_list_pg   # 1,000,000 on Postgres
    .venv/bin/python bench/run.py --server inmem   # the in-memory server only (~4 minutes)
    .venv/bin/python bench/run.py --quick    # smaller data, for a smoke run
    .venv/bin/python bench/run.py --compare bench/results/all-<earlier>.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, RESULTS, Row, table, write_json

HERE = Path(__file__).resolve().parent

# (result name, script, full arguments, quick arguments)
SUITE: list[tuple[str, str, list[str], list[str]]] = [
    # Process starts vary by ±10% on a busy 2-core machine: 9 interleaved runs, median.
    ("startup", "bench_startup.py", ["--repeat", "9"], ["--repeat", "2"]),
    ("thread_list", "bench_thread_list.py", ["--repeat", "9"], ["--threads", "5000"]),
    # The Postgres + Redis Agent Server (tests/servers/agent_pg.py, needs .venv-pg), seeded to
    # 1,000,000 threads inside Postgres (~3 minutes, ~5 GB in a temp dir removed after).
    ("thread_list_pg", "bench_thread_list.py", ["--server", "pg", "--repeat", "7"],
     ["--server", "pg", "--threads", "20000", "--repeat", "2"]),
    ("state_viewer", "bench_state_viewer.py", [], ["--messages", "2000", "--repeat", "1"]),
    ("create", "bench_create.py", ["--messages", "1000", "--repeat", "5"],
     ["--messages", "200", "--repeat", "2"]),
]


def _rows(name: str) -> list[Row]:
    data = json.loads((RESULTS / f"{name}-latest.json").read_text())
    return [Row.from_dict(raw) for raw in data["rows"]]


def _compare(rows: list[Row], earlier_path: Path) -> str:
    earlier = {r["name"]: r for r in json.loads(earlier_path.read_text())["rows"]}
    lines = [f"compared with {earlier_path.name}:"]
    for row in rows:
        before = earlier.get(row.name)
        if before:
            lines.append(f"  {row.name:<44} ratio {before['ratio']:.2f}x → {row.ratio:.2f}x")
    return "\n".join(lines)


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller data sets")
    parser.add_argument("--only", nargs="*", help="run only these (e.g. startup create)")
    parser.add_argument("--compare", type=Path, help="an earlier all-*.json to compare with")
    parser.add_argument("--threads", type=int, help="threads on the server for the thread "
                        "list (default 100,000 in memory, 1,000,000 on Postgres: see "
                        "bench_thread_list.py)")
    parser.add_argument("--server", choices=("inmem", "pg", "both"), default="both",
                        help="which Agent Server the thread-list bench runs on (the other "
                        "benches always use the in-memory one); default both")
    args = parser.parse_args()
    rows: list[Row] = []
    failed: list[str] = []
    started = time.monotonic()
    load_before = _load()
    for name, script, full, quick in SUITE:
        if args.only and name not in args.only:
            continue
        if name == "thread_list" and args.server == "pg":
            continue
        if name == "thread_list_pg" and args.server == "inmem":
            continue
        argv = [PYTHON, str(HERE / script), *(quick if args.quick else full)]
        if name.startswith("thread_list") and args.threads:
            argv += ["--threads", str(args.threads)]
        print(f"== {name}: {' '.join(argv[1:])}", flush=True)
        done = subprocess.run(argv, check=False)
        if done.returncode != 0:
            failed.append(name)
            continue
        rows.extend(_rows(name))
    print()
    print(table(rows))
    meta: dict[str, Any] = {"quick": args.quick, "threads": args.threads or "default",
                            "server": args.server, "load_before": load_before,
                            "load_after": _load(),
                            "seconds": round(time.monotonic() - started)}
    if failed:
        meta["failed"] = failed
        print(f"FAILED to run: {', '.join(failed)}")
    missed = [r.name for r in rows if r.verdict == "MISSED"]
    over_rss = [r.name for r in rows if r.rss_mb is not None and r.rss_mb > 200]
    print(f"targets missed: {', '.join(missed) if missed else 'none'}; "
          f"peak RSS over 200 MB: {', '.join(over_rss) if over_rss else 'none'}")
    print(f"written: {write_json('all', rows, meta)}")
    if args.compare:
        print(_compare(rows, args.compare))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
