"""``StateViewer``: the selected thread — chat, values tree, raw JSON, diff — its history, and
the facts beside them (status, next, tasks, interrupts, checkpoint, metadata).

Data down: ``show_thread(thread_id)`` fetches (in workers, with the app context's client) the
thread record and state, then its history page by page, and hands them to ``show_data`` which only
renders — so snapshot tests feed recorded data to ``show_data`` directly. Choosing a checkpoint
in the history shows the state as it was there. Actions: diff two marked checkpoints, fork at
the shown one (``fork``), export a range as a superstep script (``export``), find (``/``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Static

from tui.app.context import app_context
from tui.app.failures import ForwardWorkerFailures
from tui.app.keys import nothing_to_leave
from tui.app.shared.chat import ChatView
from tui.app.text import line
from tui.app.viewer import actions, export_flow
from tui.app.viewer.diff_view import DiffView
from tui.app.viewer.find import Findable, FindBar, Finder
from tui.app.viewer.history import HistoryTable
from tui.app.viewer.json_view import JsonView
from tui.app.viewer.loading import ViewerLoader, history_page_size
from tui.app.viewer.model import (
    ViewerData,
    messages_in,
)
from tui.app.viewer.summary import SummaryPanel, summary_text, title_text
from tui.app.viewer.tabs import ViewTabs
from tui.app.viewer.values_tree import ValuesTree
from tui.app.viewer.viewer_keys import VIEWER_BINDINGS
from tui.deployment import DeploymentClient, Thread, ThreadState

__all__ = ["StateViewer", "history_page_size"]

VIEWS = ("chat", "tree", "json", "diff")
VIEW_LABELS = {"chat": "Chat m", "tree": "Values t", "json": "JSON j", "diff": "Diff d"}
HIGHLIGHT_DELAY = 0.12
"""Seconds the history cursor rests on a big checkpoint before the views switch to it."""
BIG_STATE = 500
"""Messages from which a checkpoint counts as big (small ones are shown at once)."""


class StateViewer(ForwardWorkerFailures, Vertical):
    """``#viewer``. Entry point: :meth:`show_thread`; for recorded data: :meth:`show_data`."""

    PALETTE_GROUP = "State"
    VIEWS = VIEWS

    DEFAULT_CSS = """
    StateViewer { height: 1fr; }
    StateViewer > #viewer-title { height: 1; padding: 0 1; background: $boost; }
    StateViewer > #viewer-body { height: 1fr; }
    StateViewer #viewer-main { width: 3fr; min-width: 30; }
    StateViewer #viewer-side { width: 2fr; min-width: 30; border-left: vkey $panel-lighten-2; }
    StateViewer #viewer-views { height: 1fr; }
    StateViewer .viewer--heading { height: 1; padding: 0 1; text-style: bold;
                                   color: $text-muted; }
    StateViewer #viewer-history-box { height: 2fr; min-height: 6; }
    StateViewer #viewer-summary-box { height: 3fr; }
    /* A narrow pane (the app's default split): views on top, history | state below. */
    StateViewer.-narrow #viewer-body { layout: vertical; }
    StateViewer.-narrow #viewer-main { width: 1fr; height: 3fr; }
    StateViewer.-narrow #viewer-side {
        layout: horizontal; width: 1fr; height: 2fr; min-height: 8;
        border-left: none; border-top: hkey $panel-lighten-2;
    }
    StateViewer.-narrow #viewer-history-box { width: 1fr; height: 1fr; }
    StateViewer.-narrow #viewer-summary-box {
        width: 1fr; height: 1fr; border-left: vkey $panel-lighten-2;
    }
    """
    NARROW = 120
    """Below this width the history and the state go under the views."""
    history_page_size = staticmethod(history_page_size)

    BINDINGS: ClassVar[list[BindingType]] = VIEWER_BINDINGS

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.thread_id: str | None = None
        self.data: ViewerData | None = None
        self.viewing: ThreadState | None = None
        self.view = "chat"
        self._view_chosen = False
        self._highlight_timer: Timer | None = None
        self.loader = ViewerLoader(self)
        self.finder = Finder(current=self._findable,
                             views=lambda: [self._findable(v) for v in VIEWS])
        self._node_names: dict[str, list[str]] = {}

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(Text("Select a thread to see its state.", style="dim"), id="viewer-title")
        with Horizontal(id="viewer-body"):
            with Vertical(id="viewer-main"):
                yield ViewTabs([(v, VIEW_LABELS[v]) for v in VIEWS], id="viewer-tabs")
                with ContentSwitcher(initial="viewer-chat", id="viewer-views"):
                    yield ChatView(id="viewer-chat", empty_text="No messages.")
                    yield ValuesTree(id="viewer-tree")
                    yield JsonView(id="viewer-json")
                    yield DiffView(id="viewer-diff")
                yield FindBar(self.finder, focus_view=lambda: self.current_view().focus(),
                              id="viewer-find")
            with Vertical(id="viewer-side"):
                with Vertical(id="viewer-history-box"):
                    yield Static("History", classes="viewer--heading",
                                 id="viewer-history-heading")
                    yield HistoryTable(id="viewer-history")
                with Vertical(id="viewer-summary-box"):
                    yield Static("State", classes="viewer--heading")
                    yield SummaryPanel(id="viewer-summary")

    def on_resize(self) -> None:
        self.set_class(self.size.width < self.NARROW, "-narrow")

    @property
    def chat(self) -> ChatView:
        return self.query_one("#viewer-chat", ChatView)

    @property
    def values_tree(self) -> ValuesTree:
        return self.query_one("#viewer-tree", ValuesTree)

    @property
    def json_view(self) -> JsonView:
        return self.query_one("#viewer-json", JsonView)

    @property
    def diff_view(self) -> DiffView:
        return self.query_one("#viewer-diff", DiffView)

    @property
    def history(self) -> HistoryTable:
        return self.query_one("#viewer-history", HistoryTable)

    @property
    def find_bar(self) -> FindBar:
        return self.query_one("#viewer-find", FindBar)

    def current_view(self) -> Widget:
        return self.query_one(f"#viewer-{self.view}", Widget)

    def _findable(self, view: str | None = None) -> Findable:
        found: Any = self.query_one(f"#viewer-{view or self.view}")
        return found  # type: ignore[no-any-return]  # each view implements Findable

    # ------------------------------------------------------------------ find

    def action_find(self) -> None:
        self.find_bar.open()

    def action_close_find(self) -> None:
        """Esc in the viewer after enter moved the focus to the hits: the bar is still the
        innermost thing open, so it closes (with nothing open the key goes on: un-zoom)."""
        if not self.find_bar.is_open:
            nothing_to_leave()
        self.find_bar.action_close()

    def close_find(self) -> None:
        """Close the find bar without moving the focus (another thread is being opened)."""
        if self.find_bar.is_open:
            self.find_bar.close()

    def action_find_next(self) -> None:
        self.find_bar.step(True)

    def action_find_previous(self) -> None:
        self.find_bar.step(False)

    def _now(self) -> datetime | None:
        """The app's "now" (None when the host has no clock: times are shown as they are)."""
        context = app_context(self)
        return context.now() if context.clock is not None else None

    @property
    def client(self) -> DeploymentClient | None:
        return app_context(self).client

    def report(self, exc: BaseException, context: str) -> None:
        """A failure: one line in the title, and wherever the app shows errors."""
        self.set_title(Text.assemble(("⚠ ", "bold red"), line(f"{context}: {exc}", 300)))
        app_context(self).report(exc, context)

    def set_title(self, text: Text) -> None:
        self.query_one("#viewer-title", Static).update(text)

    # ------------------------------------------------------------------ rendering

    def show_data(self, thread: Thread | None, state: ThreadState | None,
                  history: Sequence[ThreadState] | None, *, has_more: bool = False) -> None:
        """Render a thread from data in hand (``history=None``: not loaded yet)."""
        if thread is not None:
            self.thread_id = thread.thread_id
        self.data = ViewerData(thread, state, list(history or []), has_more=has_more,
                               history_loaded=history is not None)
        # An empty thread answers a state without checkpoint: there is nothing to show yet.
        has_state = state is not None and (state.checkpoint_id is not None or bool(state.values))
        self.viewing = state if has_state else None
        self.history.marks.clear()
        self.diff_view.set_diff(None)
        if self.view == "diff":  # the diff was of the previous data
            self._view_chosen = False
        if not self._view_chosen:
            has_chat = state is not None and messages_in(state.values) is not None
            self._switch(self.view if self.view == "chat" and has_chat else
                         ("chat" if has_chat else "tree"))
        self._render_all()

    def show_thread(self, thread_id: str | None) -> None:
        """Open ``thread_id`` (None clears the viewer). A find bar open on the previous thread
        closes: its query was about that thread."""
        if thread_id != self.thread_id:
            self.close_find()
        self.thread_id = thread_id
        if thread_id is None:
            self.loader.stop()
            self.data = self.viewing = None
            self._render_all()
            self.set_title(Text("Select a thread to see its state.", style="dim"))
            return
        self.set_title(Text.assemble(("Loading thread ", "dim"), line(thread_id, 60),
                                     ("…", "dim")))
        self.loader.load(thread_id)

    def action_reload(self) -> None:
        if self.thread_id is not None:
            self.loader.load(self.thread_id, self._viewing_id())

    def add_history(self, page: Sequence[ThreadState], page_size: int, *,
                    keep: str | None = None) -> None:
        """Older checkpoints arrived (``keep``: the one to show, once it is among them)."""
        if self.data is None:
            return
        self.data.add_page(list(page), page_size)
        self._render_history()
        self._render_summary()  # "written by" needs the parent checkpoint
        if keep is not None and keep != self._viewing_id():
            self.show_checkpoint(keep)

    @on(HistoryTable.NeedMore)
    def _need_more(self, event: HistoryTable.NeedMore) -> None:
        event.stop()
        self.loader.more()

    def _viewing_id(self) -> str | None:
        return self.viewing.checkpoint_id if self.viewing is not None else None

    def _render_all(self) -> None:
        self._render_views()
        self._render_history()

    def _render_views(self) -> None:
        entry = self.viewing
        values = entry.values if entry is not None else None
        messages = messages_in(values)
        self.chat.empty_text = ("No messages." if messages is not None or entry is None
                                else "This state has no messages list (see values or JSON).")
        self.chat.set_messages(messages or [])
        self.values_tree.set_values(values, present=entry is not None)
        self.json_view.set_value(values, present=entry is not None)
        self._render_summary()
        self._render_title()
        self.find_bar.refind()

    def _render_summary(self) -> None:
        if self.data is None:
            self.query_one(SummaryPanel).show(Text(""))
            return
        self.query_one(SummaryPanel).show(summary_text(self.data, self.viewing, self._now()))

    def _render_history(self) -> None:
        table = self.history
        table.viewing = self._viewing_id()
        heading = self.query_one("#viewer-history-heading", Static)
        if self.data is None:
            table.clear()
            heading.update("History")
            return
        table.show(self.data, self._now())
        count = len(self.data.history)
        more = "+" if self.data.has_more else ""
        heading.update(Text(f"History · {count}{more} checkpoint{'s' if count != 1 else ''}"
                            " · newest first"))
        if self._viewing_id() is not None and not table.has_focus:
            table.move_to(self._viewing_id())

    def _render_title(self) -> None:
        if self.data is not None:
            self.set_title(title_text(self.data, self.viewing, self.history.marks))

    def show_checkpoint(self, checkpoint_id: str | None) -> None:
        """Show the state as it was at ``checkpoint_id`` (one of the loaded checkpoints)."""
        if self.data is None:
            return
        entry = self.data.by_id(checkpoint_id)
        if entry is None or entry is self.viewing:
            return
        self.viewing = entry
        self._render_views()
        self.history.viewing = self._viewing_id()
        self.history.refresh_marks()

    @on(DataTable.RowHighlighted, "#viewer-history")
    def _history_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if not self.history.has_focus:
            return
        checkpoint = event.row_key.value
        if self._highlight_timer is not None:
            self._highlight_timer.stop()
            self._highlight_timer = None
        entry = self.data.by_id(checkpoint) if self.data is not None else None
        if entry is None:
            return
        if len(messages_in(entry.values) or []) < BIG_STATE:
            self.show_checkpoint(checkpoint)
            return
        # Big states take a moment to lay out: wait until the cursor rests.
        self._highlight_timer = self.set_timer(
            HIGHLIGHT_DELAY, lambda: self.show_checkpoint(checkpoint))

    @on(DataTable.RowSelected, "#viewer-history")
    def _history_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self._highlight_timer is not None:
            self._highlight_timer.stop()
        self.show_checkpoint(event.row_key.value)
        self.current_view().focus()

    @on(HistoryTable.Marked)
    def _marked(self, event: HistoryTable.Marked) -> None:
        event.stop()
        self._render_title()

    # ------------------------------------------------------------------ views

    def _switch(self, view: str) -> None:
        self.view = view
        self.query_one(ContentSwitcher).current = f"viewer-{view}"
        self.query_one(ViewTabs).active = view

    def action_view(self, view: str) -> None:
        if view not in VIEWS:
            return
        focused_here = self.app.focused is not None and self.app.focused in (
            self.query_one(f"#viewer-{v}") for v in VIEWS)
        self._view_chosen = True
        self._switch(view)
        self.find_bar.refind()
        if focused_here or self.app.focused is None:
            self.current_view().focus()

    def action_next_view(self) -> None:
        self.action_view(VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)])

    @on(ViewTabs.Chosen)
    def _tab_chosen(self, event: ViewTabs.Chosen) -> None:
        event.stop()
        self.action_view(event.view)

    def action_focus_history(self) -> None:
        self.history.focus()

    def action_latest(self) -> None:
        if self.data is not None and self.data.state is not None:
            self.viewing = None
            self.show_checkpoint(self.data.state.checkpoint_id)
            if self.viewing is None:
                self.viewing = self.data.state
                self._render_views()

    # ------------------------------------------------------------------ diff, fork, export

    def action_diff(self) -> None:
        actions.show_diff(self)

    def action_fork(self) -> None:
        actions.start_fork(self)

    def action_export(self) -> None:
        export_flow.start_export(self)

    def palette_commands(self) -> Iterable[Any]:
        return [*actions.palette_commands(self), *export_flow.replay_commands(self)]
