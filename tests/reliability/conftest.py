"""Reliability suite: fault injection against real server processes, hostile input, secrets.

At the end of a run that included this suite, one summary line reports the faults injected,
the hostile inputs tried and the failures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass

import pytest

from tui.demo.server import LocalServer


@dataclass
class Stats:
    faults: int = 0
    hostile: int = 0
    failures: int = 0
    ran: bool = False


STATS = Stats()


@pytest.fixture
def stats() -> Stats:
    STATS.ran = True
    return STATS


@pytest.fixture
def own_server(reserved_port: int) -> Iterator[LocalServer]:
    """A server only this test may kill and restart (on its port, reserved for the test)."""
    local = LocalServer().start(reserved_port)
    try:
        yield local
    finally:
        local.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "reliability" in str(item.fspath):
        STATS.failures += 1


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On a parallel worker (pytest-xdist), hand this worker's counts to the main process,
    which adds them up (``merge_worker_stats``, from tests/conftest.py) and prints the line."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["reliability_stats"] = asdict(STATS)


def merge_worker_stats(output: dict[str, object]) -> None:
    counts = output.get("reliability_stats")
    if isinstance(counts, dict):
        STATS.faults += counts["faults"]
        STATS.hostile += counts["hostile"]
        STATS.failures += counts["failures"]
        STATS.ran = STATS.ran or counts["ran"]


def summary_line() -> str | None:
    """The summary line (printed by tests/conftest.py, which the main process always loads)."""
    if not STATS.ran:
        return None
    return (f"reliability: {STATS.faults} faults injected, {STATS.hostile} hostile inputs "
            f"tried, {STATS.failures} failures")
