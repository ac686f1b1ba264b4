"""How the thread list gets its rows: a first page, the next pages, the total, the previews.

A plain object the list (:class:`~tui.app.threads.thread_list.ThreadList`) owns; it runs each
request in a worker of the list's (so a failure that escapes is forwarded like any other) and
tells the list's :class:`~tui.app.threads.thread_pager.ThreadPager` what happened. Every answer
carries the pager's generation it was asked in: one from an older generation (a search the user
has moved on from, a client being closed) is dropped.

The list asks the listing service (``tui.services.listing.row_page``) for one page at a time,
only for the columns it shows plus a preview of the last message, and loads the next page when
the cursor (or the scroll position) nears the end. The total comes from ``/threads/count`` after
the first page is on screen, so a slow count never delays it (the previews a page lacks are
read then too).
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

from tui.app.shared.workers import run_job
from tui.app.threads.thread_pager import PAGE_SIZE
from tui.app.threads.thread_previews import read_previews
from tui.app.threads.thread_table import PREFETCH_ROWS
from tui.deployment import DeploymentError, Unsupported
from tui.services.listing import count_rows, row_page, row_page_body

if TYPE_CHECKING:
    from tui.app.threads.thread_list import ThreadList
    from tui.deployment import DeploymentClient, Thread
    from tui.deployment.http import Http

GROUPS = ("threads-load", "threads-more", "threads-count")  # what stop() cancels


class ThreadLoader:
    """The list's paging requests (see the module)."""

    def __init__(self, pane: ThreadList) -> None:
        self.pane = pane
        self.page_client: DeploymentClient | None = None  # the client the rows came from

    def _search_args(self, limit: int, offset: int) -> dict[str, Any]:
        return {**self.pane.search_query.search_args(), "limit": limit, "offset": offset}

    # ------------------------------------------------------------------ starting over

    def reload(self, *, keep: str | None = None, client: DeploymentClient | None = None) -> None:
        """Start over from the first page (a new query, or the user asked).

        ``client``: the app's client before it is confirmed — the first page then travels
        together with the connection check instead of after it.
        """
        pane = self.pane
        generation = pane.pager.start()
        pane.workers.cancel_group(pane, "threads-more")
        pane.total = None
        pane.count_unknown = False
        pane.show_status()
        run_job(self.pane, partial(self._load, generation, PAGE_SIZE,
                                   keep or pane.rows.selected_id, client), "threads-load")

    def refresh(self, *, quiet: bool = False) -> None:
        """Reload what is shown (up to the server's largest page), keeping the selection."""
        pane = self.pane
        limit = pane.pager.refresh_limit(len(pane.threads))
        generation = pane.pager.start(refreshing=not quiet and bool(pane.threads))
        pane.workers.cancel_group(pane, "threads-more")
        if not quiet:
            pane.show_status()
        run_job(self.pane, partial(self._load, generation, limit, pane.rows.selected_id),
                "threads-load")

    def send_first_page_ahead(self, gateway: Http) -> asyncio.Event:
        """Ask ``gateway`` now for the first page :meth:`reload` will ask for (the request goes
        out before the client's models load; the event: it has gone out)."""
        body = row_page_body(**self._search_args(PAGE_SIZE, 0))
        return gateway.prefetch("POST", "/threads/search", what="Searching threads",
                                json_body=body)

    def stop(self) -> None:
        """Drop every request in flight (e.g. before the client they use is closed)."""
        self.pane.pager.stop()
        for group in GROUPS:
            self.pane.workers.cancel_group(self.pane, group)

    # ------------------------------------------------------------------ requests

    async def _load(self, generation: int, limit: int, keep: str | None,
                    client: DeploymentClient | None = None) -> None:
        pane, pager = self.pane, self.pane.pager
        client = client or pane.client
        if client is None:
            return
        try:
            page = await row_page(client, **self._search_args(limit, 0))
        except DeploymentError as exc:
            if pager.current(generation) and not get_current_worker().is_cancelled:
                pager.failed(str(exc))
                pane.show_status()
                if pane.client is not None:  # else the connect screen says it already
                    pane.report(exc, "Loading threads")
                pane.post_message(pane.FirstPage())
            return
        except Exception:
            if not pager.current(generation):
                return  # a request nobody waits for any more (its client may be closed)
            raise
        if not pager.current(generation) or get_current_worker().is_cancelled:
            return
        pane.connected()
        pager.first_page(page.next_offset)
        self.page_client = client
        pane.show_rows(page.items, keep=keep)
        if pane.search_query.ids:
            pane.total = len(page.items)
        else:
            # Counted once the page is on screen: on a big deployment the count competes with
            # the search on the server, and sending it took ~1 ms before the rows were painted.
            pane.call_after_refresh(self.count, generation, client)
        pane.show_status()
        self.maybe_load_more()  # a screen taller than the page asks for the next at once
        pane.post_message(pane.FirstPage())

    async def _load_more(self, generation: int, offset: int) -> None:
        pane, pager = self.pane, self.pane.pager
        client = pane.client
        if client is None:
            return
        try:
            page = await row_page(client, **self._search_args(PAGE_SIZE, offset))
        except DeploymentError as exc:
            if pager.current(generation):
                pager.more_done(arrived=False)
                pane.show_status()
                pane.report(exc, "Loading more threads")
            return
        except BaseException:
            if pager.current(generation):
                pager.more_done(arrived=False)
            raise
        if not pager.current(generation):
            return
        if get_current_worker().is_cancelled:
            pager.more_done(arrived=False)
            return
        pane.connected()
        pager.more_done(page.next_offset)
        pane.show_rows(page.items, append=True)
        pane.show_status()
        self.maybe_load_more()

    def count(self, generation: int, client: DeploymentClient | None = None) -> None:
        """Ask for the total (shown when it comes back in ``generation``); nothing once the
        list has moved on from ``generation``."""
        if self.pane.pager.current(generation):
            run_job(self.pane, partial(self._count, generation, client), "threads-count")

    async def _count(self, generation: int, client: DeploymentClient | None) -> None:
        pane, pager = self.pane, self.pane.pager
        client = client or pane.client
        if client is None or pane.search_query.ids:
            return
        try:
            total = await count_rows(client, **pane.search_query.count_args())
        except Unsupported:
            if pager.current(generation):
                pane.count_unknown = True
                pane.show_status()
            return
        except DeploymentError:
            return  # the list itself reports connection problems; the total stays "?"
        except Exception:
            if not pager.current(generation):
                return
            raise
        if pager.current(generation) and not get_current_worker().is_cancelled:
            pane.total = total

    def maybe_load_more(self) -> None:
        """Ask for the next page when the cursor or the scroll position nears the end."""
        pane, table = self.pane, self.pane.table
        near_cursor = table.cursor_row >= len(pane.threads) - PREFETCH_ROWS
        near_scroll = table.max_scroll_y - table.scroll_y <= PREFETCH_ROWS
        offset = pane.pager.next_page(near_cursor or near_scroll)
        if offset is not None:
            pane.show_status()
            run_job(self.pane, partial(self._load_more, pane.pager.generation, offset),
                    "threads-more")

    def fill_previews(self, threads: list[Thread], generation: int | None = None) -> None:
        """Read the previews ``threads`` came without (thread_previews), with the client that
        loaded them (the first page can arrive before the connection is confirmed); nothing
        once the list has moved on from ``generation`` (default: the current one)."""
        pane = self.pane
        if generation is None:
            generation = pane.pager.generation
        elif not pane.pager.current(generation):
            return
        client = pane.client or self.page_client
        ids = pane.previews.wanted(threads) if client and client.capabilities.search_projection \
            else []
        if client is None or not ids:
            return

        def current() -> bool:
            now = pane.client  # None while the connection is being confirmed
            return pane.pager.current(generation) and (now is None or now is client)

        run_job(self.pane, partial(read_previews, client, ids, pane.previews, row=pane.by_id.get,
                                   current=current, show=pane.update_thread),
                "threads-previews", exclusive=False)
