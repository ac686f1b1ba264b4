"""Full garbage collections wait for an idle moment (they took ~0.4 s with ~28,000 rows loaded,
in the middle of typing): the policy with a fake clock, and the app installing and removing it
against the real server."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from tests.support import FROZEN_NOW
from tui.app.app import ThreadloomApp
from tui.app.idle_gc import NEVER, IdleCollector
from tui.config import ConnectionSpec, Settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def churn() -> None:
    """Enough allocation for CPython to run its young collections (at least 10 of gen 1)."""
    for _ in range(20):
        gc.collect(1)


def test_full_collections_wait_for_the_user_to_pause() -> None:
    clock, runs = Clock(), []
    collector = IdleCollector(idle=1.0, overdue=60.0, clock=clock, collect=lambda: runs.append(1))
    saved = gc.get_threshold()
    collector.start()
    try:
        assert gc.get_threshold()[2] == NEVER  # CPython no longer starts one by itself
        assert gc.get_threshold()[:2] == saved[:2]  # the young generations stay automatic
        assert not collector.tick()  # nothing allocated yet: nothing due
        churn()
        collector.input_seen()
        clock.now += 0.5
        assert collector.due() and not collector.tick()  # typing: not now
        clock.now += 0.6  # 1.1 s without a key
        assert collector.tick() and runs == [1]
        assert not collector.tick()  # done: not due again until more is allocated
        churn()
        for _ in range(130):  # a user who never pauses: at the latest after `overdue`
            collector.input_seen()
            clock.now += 0.5
            collector.tick()
        assert len(runs) == 2
    finally:
        collector.stop()
    assert gc.get_threshold() == saved


def test_what_existed_at_the_start_is_skipped_until_the_stop() -> None:
    collector = IdleCollector(clock=Clock())
    gc.unfreeze()
    collector.start()
    try:
        assert gc.get_freeze_count() > 10_000  # the modules, pytest, this test: not walked again
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0  # handed back to the collector


def test_cycles_are_still_collected_when_idle() -> None:
    clock = Clock()
    collector = IdleCollector(idle=1.0, clock=clock)

    class Node:
        other: Any = None

    collector.start()
    try:
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        gc.collect(1)  # survivors of a generation-1 collection move to the oldest generation
        del a, b  # now garbage that only a full collection finds
        churn()
        assert gone() is not None  # the young collections kept running, and left it
        clock.now += 2
        assert collector.tick()
        assert gone() is None
    finally:
        collector.stop()


async def test_the_app_holds_full_collections_while_it_runs(server_url: str) -> None:
    saved = gc.get_threshold()
    app = ThreadloomApp(ConnectionSpec(url=server_url), settings=Settings(),
                        clock=lambda: FROZEN_NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert gc.get_threshold()[2] == NEVER
        assert gc.get_freeze_count() > 0
        before = app.idle_gc.last_input
        await pilot.press("down")
        assert app.idle_gc.last_input > before  # keys count as the user being there
    assert gc.get_threshold() == saved  # restored when the app stops
    assert gc.get_freeze_count() == 0
