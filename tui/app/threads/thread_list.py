"""The thread list pane: a page-by-page view of the deployment's threads, searchable and sortable.

The widget holds the layout, the status line and the keys; the work is done by plain objects
it owns: the requests by ``ThreadLoader`` (:mod:`thread_loading`), where paging stands by
``ThreadPager``, the rows by ``ThreadRows`` (:mod:`thread_store`), what the keys do to threads
by ``ThreadActions`` and the search bar and sort keys by ``ThreadSearch``. Keys: :mod:`list_keys`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.css.scalar import Unit
from textual.message import Message
from textual.reactive import reactive

from tui.app.context import app_context
from tui.app.failures import ForwardWorkerFailures
from tui.app.keys import nothing_to_leave
from tui.app.shared.header import LineText
from tui.app.threads.filters import FilterBar, ThreadQuery
from tui.app.threads.list_keys import THREAD_LIST_BINDINGS
from tui.app.threads.thread_actions import ThreadActions
from tui.app.threads.thread_loading import ThreadLoader
from tui.app.threads.thread_pager import ThreadPager
from tui.app.threads.thread_previews import PreviewReads
from tui.app.threads.thread_search import ThreadSearch
from tui.app.threads.thread_store import ThreadRows, list_height
from tui.app.threads.thread_table import ThreadTable

if TYPE_CHECKING:
    import asyncio

    from tui.deployment import DeploymentClient, Thread
    from tui.deployment.http import Http

EMPTY_DEPLOYMENT = "No threads on this deployment yet — press n to create an empty one."
NO_MATCH = "No thread matches this search."


class ThreadList(ForwardWorkerFailures, Vertical):
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

    class Removed(Message, namespace="thread_list"):
        """A thread left the deployment (deleted here)."""

        def __init__(self, thread_id: str) -> None:
            super().__init__()
            self.thread_id = thread_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._table = ThreadTable(id="threads-table")
        self.rows = ThreadRows(self._table, self.now)
        self.pager = ThreadPager()
        self.previews = PreviewReads()
        self.loader = ThreadLoader(self)
        self.actions = ThreadActions(self)
        self.search = ThreadSearch(self)
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
        self.show_status()

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

    def show_rows(self, threads: list[Thread], *, keep: str | None = None,
                  append: bool = False) -> None:
        """A page arrived: it replaces the rows shown (``keep``: the cursor stays on it), or
        comes after them."""
        fresh = self.rows.append(threads) if append else self.rows.replace(threads, keep)
        # The previews missing from the page are read once its rows are painted (their
        # requests took ~1.5 ms before the paint, measured).
        self.call_after_refresh(self.loader.fill_previews, fresh, self.pager.generation)
        self.fit_height()

    def put_first(self, thread: Thread) -> None:
        """Show a thread made in the app at the top (a refresh puts it where the sort says)."""
        if self.rows.put_first(thread) and self.total is not None:
            self.total += 1
        self.loader.fill_previews([thread])  # a copy's record has no values: it is read
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
            self.loader.count(self.pager.generation)
        self.show_status()

    def watch_search_query(self) -> None:
        self.reload()

    def watch_total(self) -> None:
        self.show_status()

    def watch_refresh_every(self, seconds: float) -> None:
        if self._auto_timer is not None:
            self._auto_timer.stop()
        self._auto_timer = self.set_interval(seconds, self._auto_tick) if seconds > 0 else None
        self.show_status()

    def _auto_tick(self) -> None:
        if not self.pager.fetching and self.client is not None and self.app.screen is self.screen:
            self.refresh_list(quiet=True)

    def show_status(self) -> None:
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
        """Start over from the first page (:meth:`ThreadLoader.reload`)."""
        self.loader.reload(keep=keep, client=client)

    def refresh_list(self, *, quiet: bool = False) -> None:
        """Reload what is shown, keeping the selection (:meth:`ThreadLoader.refresh`)."""
        self.loader.refresh(quiet=quiet)

    def send_first_page_ahead(self, gateway: Http) -> asyncio.Event:
        return self.loader.send_first_page_ahead(gateway)

    def stop_loading(self) -> None:
        """Drop every request in flight (e.g. before the client they use is closed)."""
        self.loader.stop()

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
        self.show_status()
        self.app.notify("Stopped loading: the list shows what it had.", timeout=3)

    # ------------------------------------------------------------------ keys

    def action_search(self) -> None:
        self.filter_bar.input.focus()

    def action_refresh(self) -> None:
        self.refresh_list()

    def action_cycle_sort(self) -> None:
        self.search.step(self.search_query.next_sort())

    def action_flip_order(self) -> None:
        self.search.step(self.search_query.flipped())

    def action_cycle_status(self) -> None:
        self.search.step(self.search_query.next_status())

    def action_toggle_auto_refresh(self) -> None:
        self.search.toggle_auto_refresh()

    def action_copy_id(self) -> None:
        self.search.copy_id()

    def action_create(self) -> None:
        self.actions.create()

    def action_copy(self) -> None:
        self.actions.copy()

    def action_edit_metadata(self) -> None:
        self.actions.edit_metadata()

    def action_delete(self) -> None:
        self.actions.delete()

    def show_server_row(self, thread_id: str) -> None:
        """Show ``thread_id``'s row as the server has it now (selected from elsewhere)."""
        self.actions.show_server_row(thread_id)

    def follow_run(self, thread_id: str, live: bool) -> None:
        """A run the app follows started (``live``) or ended on ``thread_id``."""
        self.actions.follow_run(thread_id, live)

    # ------------------------------------------------------------------ events

    @on(FilterBar.Applied)
    def _apply_search(self, event: FilterBar.Applied) -> None:
        event.stop()
        self.search.apply(event.text)

    @on(FilterBar.Leave)
    def _leave_search(self, event: FilterBar.Leave) -> None:
        event.stop()
        self.table.focus()

    @on(ThreadTable.NearEnd)
    def _near_end(self, event: ThreadTable.NearEnd) -> None:
        event.stop()
        self.loader.maybe_load_more()

    @on(ThreadTable.RowHighlighted)
    def _highlighted(self, event: ThreadTable.RowHighlighted) -> None:
        event.stop()
        self.loader.maybe_load_more()

    @on(ThreadTable.RowSelected)
    def _selected(self, event: ThreadTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Opened(event.row_key))

    def connected(self) -> None:
        """The server answered: the connection is confirmed (if it was not yet)."""
        app_context(self).reached()

    def report(self, exc: Exception, context: str) -> None:
        app_context(self).report(exc, context)
