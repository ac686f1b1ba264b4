"""The thread list's pager on its own (a plain object: no app, no server)."""

from __future__ import annotations

from tui.app.threads.thread_pager import MAX_LIMIT, PAGE_SIZE, ThreadPager


def status(pager: ThreadPager, **kwargs: object) -> str:
    values: dict[str, object] = {"shown": 0, "total": None, "count_unknown": False,
                                 "query": "newest first", "status_filter": None,
                                 "refresh_every": 0.0}
    return pager.status(**{**values, **kwargs})  # type: ignore[arg-type]


def test_an_answer_from_an_older_search_does_not_count() -> None:
    pager = ThreadPager()
    first = pager.start()
    second = pager.start()
    assert not pager.current(first) and pager.current(second)
    pager.stop()
    assert not pager.current(second) and not pager.fetching


def test_the_next_page_is_asked_once_and_only_near_the_end() -> None:
    pager = ThreadPager()
    pager.start()
    assert pager.next_page(near_end=True) is None  # the first page is still in flight
    pager.first_page(next_offset=100)
    assert pager.next_page(near_end=False) is None
    assert pager.next_page(near_end=True) == 100
    assert pager.next_page(near_end=True) is None  # in flight already
    assert pager.stoppable and pager.busy
    pager.more_done(200)
    assert pager.next_page(near_end=True) == 200
    pager.more_done(arrived=False)  # failed: the same page can be asked again
    assert pager.next_page(near_end=True) == 200
    pager.more_done(None)  # the last page
    assert pager.next_page(near_end=True) is None and not pager.busy


def test_a_failed_first_page_is_the_status_line() -> None:
    pager = ThreadPager()
    pager.start()
    assert status(pager) == "loading… · newest first"
    pager.failed("Searching threads: connection refused")
    assert status(pager, shown=3) == "✗ Searching threads: connection refused"
    pager.start(refreshing=True)
    assert pager.error is None and pager.stoppable
    assert status(pager, shown=3, total=7) == "3 of 7 · newest first · refreshing… (esc stops)"


def test_the_status_line_says_what_is_known() -> None:
    pager = ThreadPager()
    pager.start()
    pager.first_page(100)
    assert status(pager, shown=100) == "100 shown · counting… · newest first"
    assert status(pager, shown=100, count_unknown=True) == (
        "100 of ? (this server cannot count threads) · newest first")
    assert status(pager, shown=100, total=250, status_filter="idle", refresh_every=5.0) == (
        "100 of 250 · newest first · status: idle · auto-refresh 5s")
    pager.next_page(near_end=True)
    assert status(pager, shown=100, total=250).endswith("loading more… (esc stops)")


def test_a_refresh_asks_for_what_is_shown_within_the_servers_page_sizes() -> None:
    pager = ThreadPager()
    assert pager.refresh_limit(3) == PAGE_SIZE
    assert pager.refresh_limit(450) == 450
    assert pager.refresh_limit(50_000) == MAX_LIMIT
