"""App start to the first interactive frame, in a real terminal (pty), against a bare Textual
app that shows one widget. Both run as fresh processes, interleaved, median of N.

    .venv/bin/python bench/bench_startup.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PYTHON,
    Row,
    compile_project,
    median,
    run_in_terminal,
    table,
    write_json,
)
from tui.demo.server import LocalServer

BARE_APP = """
from textual.app import App, ComposeResult
from textual.widgets import Static
class Bare(App):
    def compose(self) -> ComposeResult:
        yield Static("BARE-APP-READY")
Bare().run()
"""


def measure(url: str, repeat: int) -> Row:
    ours: list[float] = []
    bare: list[float] = []
    rss: list[float] = []
    bare_rss: list[float] = []
    marker = url.split("//", 1)[1].encode()
    for _ in range(repeat):
        b = run_in_terminal([PYTHON, "-c", BARE_APP], b"BARE-APP-READY")
        bare.append(b.seconds_to_marker)
        bare_rss.append(b.peak_rss_mb)
        o = run_in_terminal([PYTHON, "-m", "tui", "--url", url], marker, after_marker=1.0)
        ours.append(o.seconds_to_marker)
        rss.append(o.peak_rss_mb)
    return Row(
        "app start → first interactive frame", median(ours), median(bare), "s", 1.5,
        rss_mb=max(rss),
        extra={"runs": repeat, "bare app peak RSS": f"{max(bare_rss):.0f} MB"},
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", help="an existing server (default: start a local one)")
    args = parser.parse_args()
    compile_project()
    if args.url:
        rows = [measure(args.url, args.repeat)]
    else:
        with LocalServer() as server:
            rows = [measure(server.url, args.repeat)]
    print(table(rows))
    print(f"written: {write_json('startup', rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
