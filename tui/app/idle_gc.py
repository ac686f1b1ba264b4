"""Full garbage collections while the user is idle, not while they type.

CPython runs a full (generation 2) collection every so often, and it walks every tracked
object: with tens of thousands of thread rows loaded, one such pause took ~0.4 s, measured in
the middle of typing into the search field while pages streamed in. While the app runs,
:class:`IdleCollector` keeps the young generations automatic (they are cheap) and runs the full
collection itself: once enough young collections have happened since the last full one, as soon
as no key or mouse event has come for ``idle`` seconds — or after ``overdue`` seconds at the
latest, so memory held by reference cycles stays bounded even for a user who never pauses.

What existed when the app started (the imported modules, Textual's and the app's own objects:
most of the heap until rows are loaded) is frozen (``gc.freeze``) and skipped by every
collection after that; what the app makes later is collected as before. That makes a full
collection cheap enough (~70 ms with 20,000 rows loaded, measured as the longest key while
typing) for ``overdue`` to be 15 s: with 60 s, the garbage cycles of the pages loaded meanwhile
took the peak from ~170 MB to ~207 MB (bench/bench_thread_list.py, 20,000 rows). The previous
thresholds are restored, and the frozen objects handed back to the collector, when the app
stops.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

NEVER = 1_000_000_000  # a generation-2 threshold CPython never reaches by itself


class IdleCollector:
    def __init__(
        self,
        *,
        idle: float = 1.0,
        overdue: float = 15.0,
        young_collections: int = 10,
        clock: Callable[[], float] = time.monotonic,
        collect: Callable[[], object] = gc.collect,
    ) -> None:
        self.idle = idle
        self.overdue = overdue
        self.young_collections = young_collections  # CPython's own cadence (threshold2 = 10)
        self._clock = clock
        self._collect = collect
        self._saved: tuple[int, int, int] | None = None
        self.last_input = clock()
        self._last_full = clock()
        self._young_at_last_full = self._young()
        self.full_collections = 0

    @staticmethod
    def _young() -> int:
        return int(gc.get_stats()[1]["collections"])

    def start(self) -> None:
        if self._saved is None:
            self._saved = gc.get_threshold()
            first, second, _ = self._saved
            gc.set_threshold(first, second, NEVER)
            gc.freeze()

    def stop(self) -> None:
        if self._saved is not None:
            gc.unfreeze()
            gc.set_threshold(*self._saved)
            self._saved = None

    def input_seen(self) -> None:
        """A key or mouse event: the user is here; a full collection would be felt."""
        self.last_input = self._clock()

    def due(self) -> bool:
        """Enough has been allocated since the last full collection to run one."""
        return self._young() - self._young_at_last_full >= self.young_collections

    def tick(self) -> bool:
        """Run a full collection if one is due and the user is idle (or it is overdue)."""
        if self._saved is None or not self.due():
            return False
        now = self._clock()
        if now - self.last_input < self.idle and now - self._last_full < self.overdue:
            return False
        self._collect()
        self._last_full = self._clock()
        self._young_at_last_full = self._young()
        self.full_collections += 1
        return True
