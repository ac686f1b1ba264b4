"""Reliability suite: fault injection against real server processes, hostile input, secrets.

At the end of a run that included this suite, one summary line reports the faults injected,
the hostile inputs tried and the failures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

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
def own_server() -> Iterator[LocalServer]:
    """A server only this test may kill and restart."""
    local = LocalServer().start()
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


def pytest_terminal_summary(terminalreporter):  # type: ignore[no-untyped-def]
    if STATS.ran:
        terminalreporter.write_line(
            f"reliability: {STATS.faults} faults injected, {STATS.hostile} hostile inputs "
            f"tried, {STATS.failures} failures"
        )
