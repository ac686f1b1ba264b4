"""The thread list pane: a page-by-page view of the deployment's threads, searchable and sortable.

Data flow: the list asks the listing service (``tui.services.listing.row_page``) for one page
at a time, only for the columns it shows plus a preview of the last message, and loads the
next page when the cursor (or the scroll position) nears the end. The total comes from
``/threads/count`` in a separate worker, so a slow count never delays the first page.
Actions: :mod:`thread_actions`; rows: ``ThreadRows`` (:mod:`thread_store`); keys: :mod:`list_keys`.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.css.scalar import Unit
from textual.message import Message
from textual.reactive import reactive
from textual.worker import get_current_worker

from tui.app.context import app_context
from tui.app.keys import nothing_to_leave
from tui.app.shared.header import LineText
from tui.app.threads.filters import FilterBar, ThreadQuery
from tui.app.threads.list_keys import THREAD_LIST_BINDINGS
from tui.app.threads.thread_actions import ThreadActions
from tui.app.threads.thread_pager import PAGE_SIZE, ThreadPager
from tui.app.threads.thread_previews import PreviewReads, read_previews
from tui.app.threads.thread_search import ThreadSearch
from tui.app.threads.thread_store import ThreadRows, list_height
from tui.app.threads.thread_table import PREFETCH_ROWS, ThreadTable
from tui.deployment import DeploymentError, Unsupported
from tui.services.listing import count_rows, row_page, row_page_body

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient, Thread
    from tui.deployment.http import Http

EMPTY_DEPLOYMENT = "No threads on this deployment yet — press n to create an empty one."
NO_MATCH = "No thread matches this search."


class ThreadList(ThreadActions, ThreadSearch, Vertical):
    """``#threads``: search bar, table, and a status line (shown / total, sort, refresh)."""

    PALETTE_GROUP = "Threads"
    DEFAULT_CSS = """
    ThreadList { height: 1fr; }
    ThreadList > #threads-empty { height: 3; padding: 1 2; color: $text-muted; display: none; }
    ThreadList.-empty > #threads-empty { display: block; }
    ThreadList > #threads-status {
        height: 1; padding: 0 1; color: $text-muted; background: $boost;
    }
    ThreadList > #threads-status.-error { color: $error; }
    """

    BINDINGS: ClassVar[list[BindingType]] = THREAD_LIST_BINDINGS

    search_query: reactive[ThreadQuery] = reactive(ThreadQuery, init=False)
    total: reactive[int | None] = reactive(None, init=False)
    count_unknown = False  # the server cannot count threads (Aegra): the total shows as "?"
    refresh_every: reactive[float] = reactive(0.0, init=False)

    class Opened(Message):
        """The user opened a thread (Enter / click)."""

        def __init__(self, thread_id: str) -> None:
            super().__init__()
            self.thread_id = thread_id

    class FirstPage(Message):
        """A first page (of the deployment, or of a new search) was shown, or failed to load."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._table = ThreadTable(id="threads-table")
        self.rows = ThreadRows(self._table, self.now)
        self.pager = ThreadPager()
        self.previews = PreviewReads()
        self.page_client: DeploymentClient | None = None  # the client the rows came from
        self._auto_timer: Any = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield FilterBar()
        yield self._table
        yield LineText(EMPTY_DEPLOYMENT, id="threads-empty")
        yield LineText(id="threads-status")

    @property
    def table(self) -> ThreadTable:
        return self._table

    @property
    def threads(self) -> list[Thread]:
        return self.rows.threads

    @property
    def by_id(self) -> dict[str, Thread]:
        return self.rows.by_id

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    def on_mount(self) -> None:
        self.border_title = "1 Threads"
        self.watch(self.screen, "maximized", lambda _: self.fit_height(), init=False)
        self.fit_height()
        self._show_status()

    def fit_height(self) -> None:
        """As tall as the rows it shows, up to a share of the screen; zoomed, all of it."""
        if not self.is_mounted:
            return
        if self.screen.maximized is self:
            self.styles.height = None  # the stylesheet's zoomed height
            return
        height = list_height(len(self.threads), self.app.size.height)
        current = self.styles.inline.height  # set only when it changes: a height lays out all
        if current is None or current.unit is not Unit.CELLS or current.value != height:
            self.styles.height = height

    def focus(self, scroll_visible: bool = True) -> ThreadList:
        self.table.focus(scroll_visible)
        return self

    # ------------------------------------------------------------------ state

    @property
    def client(self) -> DeploymentClient | None:
        return app_context(self).client

    def now(self) -> datetime:
        return app_context(self).now()

    @property
    def selected(self) -> Thread | None:
        return self.rows.selected

    # ------------------------------------------------------------------ rows

    def _show_rows(self, threads: list[Thread], *, keep: str | None = None,
                   append: bool = False) -> None:
        fresh = self.rows.append(threads) if append else self.rows.replace(threads, keep)
        self._fill_previews(fresh)
        self.fit_height()

    def put_first(self, thread: Thread) -> None:
        """Show a thread made in the app at the top (a refresh puts it where the sort says)."""
        if self.rows.put_first(thread) and self.total is not None:
            self.total += 1
        self._fill_previews([thread])  # a copy's record has no values: its preview is read
        self._rows_changed()

    def update_thread(self, thread: Thread) -> None:
        self.rows.update(thread)

    def drop_thread(self, thread_id: str) -> None:
        if self.rows.drop(thread_id):
            self.total = self.total - 1 if self.total else self.total
            self._rows_changed()

    def select_thread(self, thread_id: str) -> bool:
        """Move the cursor to ``thread_id`` when it is loaded; False when it is not."""
        return self.rows.select(thread_id)

    def _rows_changed(self) -> None:
        self.fit_height()
        # A count sent before this change would come back wrong by one: ask again.
        if self.total is None and not self.pager.fetching and not self.search_query.ids:
            self._count(self.pager.generation)
        self._show_status()

    def watch_search_query(self) -> None:
        self.reload()

    def watch_total(self) -> None:
        self._show_status()

    def watch_refresh_every(self, seconds: float) -> None:
        if self._auto_timer is not None:
            self._auto_timer.stop()
        self._auto_timer = self.set_interval(seconds, self._auto_tick) if seconds > 0 else None
        self._show_status()

    def _auto_tick(self) -> None:
        if not self.pager.fetching and self.client is not None and self.app.screen is self.screen:
            self.refresh_list(quiet=True)

    def _show_status(self) -> None:
        if not self.is_mounted:
            return
        status = self.query_one("#threads-status", LineText)
        status.set_class(self.pager.error is not None, "-error")
        status.text = self.pager.status(
            shown=len(self.threads), total=self.total, count_unknown=self.count_unknown,
            query=self.search_query.describe(), status_filter=self.search_query.status,
            refresh_every=self.refresh_every,
        )
        if self.pager.error:
            return
        self.set_class(not self.threads and not self.pager.fetching, "-empty")
        self.query_one("#threads-empty", LineText).text = (
            NO_MATCH if self.search_query.filtered else EMPTY_DEPLOYMENT
        )

    # ------------------------------------------------------------------ loading

    def reload(self, *, keep: str | None = None, client: DeploymentClient | None = None) -> None:
        """Start over from the first page (a new query, or the user asked).

        ``client``: the app's client before it is confirmed — the first page then travels
        together with the connection check instead of after it.
        """
        generation = self.pager.start()
        self.workers.cancel_group(self, "threads-more")
        self.total = None
        self.count_unknown = False
        self._show_status()
        self._load(generation, PAGE_SIZE, keep or self.rows.selected_id, client)

    def send_first_page_ahead(self, gateway: Http) -> asyncio.Event:
        """Ask ``gateway`` now for the first page :meth:`reload` will ask for (the request goes
        out before the client's models load; the event: it has gone out)."""
        body = row_page_body(**self._search_args(PAGE_SIZE, 0))
        return gateway.prefetch("POST", "/threads/search", what="Searching threads",
                                json_body=body)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_loading":  # esc does nothing here (and passes on) when idle
            return self.pager.stoppable
        return True

    def action_stop_loading(self) -> None:
        """Esc: stop a refresh (or the next page) in flight; the rows shown stay as they are.
        With nothing in flight there is nothing to leave (the key goes on: un-zoom)."""
        if not self.pager.busy:
            nothing_to_leave()
        self.stop_loading()
        self._show_status()
        self.app.notify("Stopped loading: the list shows what it had.", timeout=3)

    def stop_loading(self) -> None:
        """Drop every request in flight (e.g. before the client they use is closed)."""
        self.pager.stop()
        for group in ("threads-load", "threads-more", "threads-count"):
            self.workers.cancel_group(self, group)

    def refresh_list(self, *, quiet: bool = False) -> None:
        """Reload what is shown (up to the server's largest page), keeping the selection."""
        limit = self.pager.refresh_limit(len(self.threads))
        generation = self.pager.start(refreshing=not quiet and bool(self.threads))
        self.workers.cancel_group(self, "threads-more")
        if not quiet:
            self._show_status()
        self._load(generation, limit, self.rows.selected_id)

    def _search_args(self, limit: int, offset: int) -> dict[str, Any]:
        return {**self.search_query.search_args(), "limit": limit, "offset": offset}

    @work(exclusive=True, group="threads-load", exit_on_error=False)
    async def _load(
        self, generation: int, limit: int, keep: str | None,
        client: DeploymentClient | None = None,
    ) -> None:
        client = client or self.client
        if client is None:
            return
        try:
            page = await row_page(client, **self._search_args(limit, 0))
        except DeploymentError as exc:
            if self.pager.current(generation) and not get_current_worker().is_cancelled:
                self.pager.failed(str(exc))
                self._show_status()
                if self.client is not None:  # else the connect screen says it already
                    self._report(exc, "Loading threads")
                self.post_message(self.FirstPage())
            return
        except Exception:
            if not self.pager.current(generation):
                return  # a request nobody waits for any more (its client may be closed)
            raise
        if not self.pager.current(generation) or get_current_worker().is_cancelled:
            return
        self._connected()
        self.pager.first_page(page.next_offset)
        self.page_client = client
        self._show_rows(page.items, keep=keep)
        if self.search_query.ids:
            self.total = len(page.items)
        else:
            # Counted after the page arrived: on a big deployment the count competes with the
            # search on the server, and the page is what the user waits for.
            self._count(generation, client)
        self._show_status()
        self._maybe_load_more()  # a screen taller than the page asks for the next at once
        self.post_message(self.FirstPage())

    @work(exclusive=True, group="threads-more", exit_on_error=False)
    async def _load_more(self, generation: int, offset: int) -> None:
        client = self.client
        if client is None:
            return
        try:
            page = await row_page(client, **self._search_args(PAGE_SIZE, offset))
        except DeploymentError as exc:
            if self.pager.current(generation):
                self.pager.more_done(arrived=False)
                self._show_status()
                self._report(exc, "Loading more threads")
            return
        except BaseException:
            if self.pager.current(generation):
                self.pager.more_done(arrived=False)
            raise
        if not self.pager.current(generation):
            return
        if get_current_worker().is_cancelled:
            self.pager.more_done(arrived=False)
            return
        self._connected()
        self.pager.more_done(page.next_offset)
        self._show_rows(page.items, append=True)
        self._show_status()
        self._maybe_load_more()

    @work(exclusive=True, group="threads-count", exit_on_error=False)
    async def _count(self, generation: int, client: DeploymentClient | None = None) -> None:
        client = client or self.client
        if client is None or self.search_query.ids:
            return
        try:
            total = await count_rows(client, **self.search_query.count_args())
        except Unsupported:
            if self.pager.current(generation):
                self.count_unknown = True
                self._show_status()
            return
        except DeploymentError:
            return  # the list itself reports connection problems; the total stays "?"
        except Exception:
            if not self.pager.current(generation):
                return
            raise
        if self.pager.current(generation) and not get_current_worker().is_cancelled:
            self.total = total

    def _maybe_load_more(self) -> None:
        table = self.table
        near_cursor = table.cursor_row >= len(self.threads) - PREFETCH_ROWS
        near_scroll = table.max_scroll_y - table.scroll_y <= PREFETCH_ROWS
        offset = self.pager.next_page(near_cursor or near_scroll)
        if offset is not None:
            self._show_status()
            self._load_more(self.pager.generation, offset)

    def _fill_previews(self, threads: list[Thread]) -> None:
        """Read the previews ``threads`` came without (thread_previews), with the client that
        loaded them (the first page can arrive before the connection is confirmed)."""
        client = self.client or self.page_client
        ids = self.previews.wanted(threads) if client and client.capabilities.search_projection \
            else []
        if client is None or not ids:
            return
        generation = self.pager.generation

        def current() -> bool:
            now = self.client  # None while the connection is being confirmed
            return self.pager.current(generation) and (now is None or now is client)

        self.run_worker(read_previews(client, ids, self.previews, row=self.by_id.get,
                                      current=current, show=self.update_thread),
                        group="threads-previews", exit_on_error=False)

    @on(ThreadTable.NearEnd)
    def _near_end(self, event: ThreadTable.NearEnd) -> None:
        event.stop()
        self._maybe_load_more()

    @on(ThreadTable.RowHighlighted)
    def _highlighted(self, event: ThreadTable.RowHighlighted) -> None:
        event.stop()
        self._maybe_load_more()

    @on(ThreadTable.RowSelected)
    def _selected(self, event: ThreadTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Opened(event.row_key))

    def _connected(self) -> None:
        app_context(self).reached()

    def _report(self, exc: Exception, context: str) -> None:
        app_context(self).report(exc, context)
