"""Where the thread list's paging stands, as a plain object (no Textual): which generation of
requests counts, what is in flight, where the next page starts, and the status line that says
so. The list (:class:`~tui.app.threads.thread_list.ThreadList`) runs the requests in workers
and tells the pager what happened; every answer carries the generation it was asked in, and an
answer from an older generation (a search the user has moved on from) is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_SIZE = 100
MAX_LIMIT = 1000  # the server's largest page


@dataclass
class ThreadPager:
    generation: int = 0
    next_offset: int | None = None
    fetching: bool = False  # a first page (or a refresh of what is shown) is in flight
    loading_more: bool = False  # the next page is in flight
    refreshing: bool = False  # a refresh the user asked for (the rows stay shown meanwhile)
    error: str | None = None  # why the last first page failed

    def start(self, *, refreshing: bool = False) -> int:
        """A new first page (or a refresh): answers to earlier requests no longer count."""
        self.generation += 1
        self.loading_more = False
        self.fetching = True
        self.refreshing = refreshing
        self.error = None
        return self.generation

    def stop(self) -> None:
        """Nothing in flight counts any more; the rows shown stay."""
        self.generation += 1
        self.fetching = self.loading_more = self.refreshing = False

    def current(self, generation: int) -> bool:
        return generation == self.generation

    def first_page(self, next_offset: int | None) -> None:
        self.fetching = self.refreshing = False
        self.error = None
        self.next_offset = next_offset

    def failed(self, message: str) -> None:
        self.fetching = self.refreshing = False
        self.error = message

    def next_page(self, near_end: bool) -> int | None:
        """The offset of the next page to ask for now (and it counts as in flight), or None:
        not near the end, nothing more, or a page already in flight."""
        if not near_end or self.next_offset is None or self.fetching or self.loading_more:
            return None
        self.loading_more = True
        return self.next_offset

    def more_done(self, next_offset: int | None = None, *, arrived: bool = True) -> None:
        """The next page came (``arrived``, with where the one after starts) or failed."""
        self.loading_more = False
        if arrived:
            self.next_offset = next_offset

    @property
    def stoppable(self) -> bool:
        """Something the user waits for is in flight (esc stops it)."""
        return (self.refreshing and self.fetching) or self.loading_more

    @property
    def busy(self) -> bool:
        return self.fetching or self.loading_more or self.refreshing

    def refresh_limit(self, shown: int) -> int:
        """How many rows a refresh asks for: what is shown, within the server's page sizes."""
        return min(max(PAGE_SIZE, shown), MAX_LIMIT)

    def status(self, *, shown: int, total: int | None, count_unknown: bool, query: str,
               status_filter: str | None, refresh_every: float) -> str:
        """The list's status line: how many of how many, the search, what is in flight."""
        if self.error:
            return f"✗ {self.error}"
        if self.fetching and not shown:
            where = "loading…"
        elif total is None and count_unknown:
            where = f"{shown} of ? (this server cannot count threads)"
        elif total is None:
            where = f"{shown} shown" + (" · counting…" if self.fetching or shown else "")
        else:
            where = f"{shown} of {total}"
        parts = [where, query]
        if status_filter:
            parts.append(f"status: {status_filter}")
        if self.loading_more:
            parts.append("loading more… (esc stops)")
        elif self.refreshing and self.fetching:
            parts.append("refreshing… (esc stops)")
        if refresh_every:
            parts.append(f"auto-refresh {refresh_every:g}s")
        return " · ".join(parts)
