"""Shared benchmark helpers: a result row, timing, a real terminal (pty) runner, JSON output."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import platform
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
PYTHON = sys.executable


@dataclass
class Row:
    """One line of the benchmark table: ours against a raw baseline measured in the same run."""

    name: str
    ours: float
    baseline: float
    unit: str
    target: float | None  # the ratio we aim for (ours / baseline), None when only reported
    rss_mb: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    bound: float | None = None  # an absolute limit on ``ours`` (its unit), None when none

    RSS_LIMIT_MB = 200.0  # every app process stays under this (peak RSS)

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")

    @property
    def verdict(self) -> str:
        checks = []
        if self.target is not None:
            checks.append(self.ratio <= self.target)
        if self.bound is not None:
            checks.append(self.ours <= self.bound)
        if self.rss_mb is not None:
            checks.append(self.rss_mb <= self.RSS_LIMIT_MB)
        if not checks:
            return "-"
        return "ok" if all(checks) else "MISSED"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "verdict": self.verdict}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Row:
        return cls(name=raw["name"], ours=raw["ours"], baseline=raw["baseline"],
                   unit=raw["unit"], target=raw["target"], rss_mb=raw.get("rss_mb"),
                   extra=raw.get("extra") or {}, bound=raw.get("bound"))


def compile_project() -> None:
    """Write the project's bytecode before timing a process start.

    An installed package gets its ``.pyc`` files at install time, like the bare apps' Textual
    does; an editable checkout run with ``PYTHONDONTWRITEBYTECODE`` (set on some machines)
    would otherwise compile all of ``tui`` from source in every timed run.
    """
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "tui"), quiet=1,
                           force=False)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(rows: list[Row]) -> str:
    head = f"{'benchmark':<44} {'ours':>10} {'baseline':>10} {'ratio':>7} {'target':>7} " \
           f"{'peak RSS':>9}  verdict"
    lines = [head, "-" * len(head)]
    for r in rows:
        target = f"≤{r.target:g}x" if r.target is not None else (
            f"≤{r.bound:g}{r.unit}" if r.bound is not None else "-")
        rss = f"{r.rss_mb:.0f} MB" if r.rss_mb is not None else "-"
        lines.append(
            f"{r.name:<44} {r.ours:>8.3f}{r.unit:<2} {r.baseline:>8.3f}{r.unit:<2} "
            f"{r.ratio:>6.2f}x {target:>7} {rss:>9}  {r.verdict}"
        )
        for key, value in r.extra.items():
            lines.append(f"    {key}: {value}")
    return "\n".join(lines)


def write_json(name: str, rows: list[Row], meta: dict[str, Any] | None = None) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    payload = {
        "when": stamp,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "meta": meta or {},
        "rows": [r.as_dict() for r in rows],
    }
    path = RESULTS / f"{name}-{stamp}.json"
    path.write_text(json.dumps(payload, indent=2) + "\n")
    (RESULTS / f"{name}-latest.json").write_text(json.dumps(payload, indent=2) + "\n")
    return path


@dataclass
class PtyRun:
    seconds_to_marker: float
    peak_rss_mb: float
    output_tail: str


def run_in_terminal(
    argv: list[str],
    marker: bytes,
    *,
    cols: int = 160,
    rows: int = 48,
    timeout: float = 30.0,
    env: dict[str, str] | None = None,
    quit_keys: bytes = b"\x11",  # ctrl+q
    after_marker: float = 0.0,
) -> PtyRun:
    """Run ``argv`` in a real pseudo-terminal; time from spawn until ``marker`` is on screen.

    Then quit it with ``quit_keys`` and report the process's peak RSS: ``VmHWM`` from
    ``/proc`` just before quitting (wait4's ``ru_maxrss`` is not used where /proc exists: on
    Linux a child spawned with vfork/exec starts its maximum at the *parent's* RSS, so a bench
    process holding a big seed would be reported as the app's memory).
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", **(env or {})}
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    found_at: float | None = None
    deadline = started + timeout
    try:
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                seen += chunk
                if found_at is None and marker in seen:
                    found_at = time.perf_counter() - started
                    break
            if proc.poll() is not None:
                break
        if found_at is not None and after_marker:
            end = time.perf_counter() + after_marker
            while time.perf_counter() < end:
                ready, _, _ = select.select([master], [], [], 0.05)
                if ready:
                    try:
                        seen += os.read(master, 65536)
                    except OSError:
                        break
        peak_kb = _peak_rss_kb(proc.pid)
        if proc.poll() is None:
            os.write(master, quit_keys)
        rss_kb = _wait_rss(proc, master)
        if peak_kb is not None:
            rss_kb = peak_kb
    finally:
        os.close(master)
    if found_at is None:
        tail = seen[-2000:].decode(errors="replace")
        raise RuntimeError(f"{argv!r}: marker {marker!r} never appeared; last output:\n{tail}")
    return PtyRun(found_at, rss_kb / 1024.0, seen[-500:].decode(errors="replace"))


def _peak_rss_kb(pid: int) -> float | None:
    """The process's peak resident set so far (VmHWM, kB), or None without /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return float(line.split()[1])
    return None


def _wait_rss(proc: subprocess.Popen[bytes], master: int) -> float:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        # keep draining the terminal so the app can finish writing and exit
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            with contextlib.suppress(OSError):
                os.read(master, 65536)
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return float(usage.ru_maxrss)
    os.killpg(proc.pid, signal.SIGTERM)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return float(usage.ru_maxrss)
