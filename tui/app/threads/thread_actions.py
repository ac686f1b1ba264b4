"""What the thread list does to threads: create, copy, edit metadata, delete; and a row
brought from the server (a thread selected from elsewhere, a run started or ended).

Each action asks through a modal, sends one request in a worker, and changes the list only
after the server said yes — a failure leaves the list as it was and shows the server's detail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message

from tui.app.context import app_context
from tui.app.failures import ForwardWorkerFailures
from tui.app.text import notify_text
from tui.deployment import DeploymentError, NotFound
from tui.services.listing import (
    ROW_COLUMNS,
    ROW_EXTRACT,
    copy_thread,
    create_empty,
    delete_thread,
    set_metadata,
)
from tui.services.threads import thread_row

if TYPE_CHECKING:
    # The modals load when first opened: the list is drawn before they are needed.
    from tui.app.threads.filters import ThreadQuery
    from tui.app.threads.modals import CreateRequest
    from tui.deployment import DeploymentClient, Thread


class ThreadActions(ForwardWorkerFailures):
    """Mixin for :class:`~tui.app.threads.thread_list.ThreadList` (kept apart for size)."""

    if TYPE_CHECKING:
        @property
        def by_id(self) -> dict[str, Thread]: ...
        search_query: ThreadQuery

        @property
        def client(self) -> DeploymentClient | None: ...
        @property
        def selected(self) -> Thread | None: ...
        def put_first(self, thread: Thread) -> None: ...
        def update_thread(self, thread: Thread) -> None: ...
        def drop_thread(self, thread_id: str) -> None: ...
        def _report(self, exc: Exception, context: str) -> None: ...
        def _connected(self) -> None: ...

    class Removed(Message, namespace="thread_list"):
        """A thread left the deployment (deleted here)."""

        def __init__(self, thread_id: str) -> None:
            super().__init__()
            self.thread_id = thread_id

    def _need_thread(self) -> Thread | None:
        thread = self.selected
        if thread is None:
            self.app.notify("Select a thread first.", severity="warning", timeout=3)
        return thread

    def _need_client(self) -> DeploymentClient | None:
        client = self.client
        if client is None:
            self.app.notify("Not connected to a deployment.", severity="warning", timeout=3)
        return client

    def _done(self, message: str) -> None:
        self.app.notify(notify_text(message), markup=False, timeout=4)

    def _show_new(self, thread: Thread, verb: str) -> None:
        """A thread made here: at the top of the list and opened (if the search shows it)."""
        if self.search_query.matches(thread):
            self.put_first(thread)
            self._done(f"{verb} thread {thread.thread_id}")
        else:
            self._done(f"{verb} thread {thread.thread_id} — the current search does not show it")
        app_context(self).select_thread(thread.thread_id)

    # ------------------------------------------------------------------ create

    def action_create(self) -> None:
        if self._need_client() is None:
            return
        from tui.app.threads.modals import CreateThreadModal

        self.app.push_screen(CreateThreadModal(), self._create_chosen)

    def _create_chosen(self, request: CreateRequest | None) -> None:
        if request is not None:
            self._create(request)

    @work(exclusive=True, group="threads-action", exit_on_error=False)
    async def _create(self, request: CreateRequest) -> None:
        client = self._need_client()
        if client is None:
            return
        try:
            thread = await create_empty(
                client, thread_id=request.thread_id, metadata=request.metadata,
                if_exists=request.if_exists, ttl_minutes=request.ttl_minutes,
            )
        except DeploymentError as exc:
            self._report(exc, "Creating the thread")
            return
        self._connected()
        existed = request.if_exists == "do_nothing" and (
            thread.thread_id in self.by_id or thread.metadata != request.metadata
        )
        self._show_new(thread, "Kept existing" if existed else "Created")

    # ------------------------------------------------------------------ copy

    def action_copy(self) -> None:
        thread = self._need_thread()
        if thread is not None and self._need_client() is not None:
            self._copy(thread.thread_id)

    @work(exclusive=True, group="threads-action", exit_on_error=False)
    async def _copy(self, thread_id: str) -> None:
        client = self._need_client()
        if client is None:
            return
        try:
            copy = await copy_thread(client, thread_id)
        except DeploymentError as exc:
            self._report(exc, f"Copying thread {thread_id}")
            return
        self._connected()
        self._show_new(copy, f"Copied {thread_id} into")

    # ------------------------------------------------------------------ metadata

    def action_edit_metadata(self) -> None:
        thread = self._need_thread()
        if thread is None or self._need_client() is None:
            return

        def chosen(patch: dict[str, Any] | None) -> None:
            if patch:
                self._update_metadata(thread.thread_id, patch)

        from tui.app.threads.modals import EditMetadataModal

        self.app.push_screen(EditMetadataModal(thread), chosen)

    @work(exclusive=True, group="threads-action", exit_on_error=False)
    async def _update_metadata(self, thread_id: str, patch: dict[str, Any]) -> None:
        client = self._need_client()
        if client is None:
            return
        try:
            thread = await set_metadata(client, thread_id, patch)
        except DeploymentError as exc:
            self._report(exc, f"Updating the metadata of thread {thread_id}")
            return
        self._connected()
        self.update_thread(thread)
        self._done(f"Saved the metadata of thread {thread_id}")

    # ------------------------------------------------------------------ delete

    def action_delete(self) -> None:
        thread = self._need_thread()
        if thread is None or self._need_client() is None:
            return

        def chosen(confirmed: bool | None) -> None:
            if confirmed:
                self._delete(thread.thread_id)

        from tui.app.threads.modals import ConfirmDeleteModal

        self.app.push_screen(ConfirmDeleteModal(thread), chosen)

    @work(exclusive=True, group="threads-action", exit_on_error=False)
    async def _delete(self, thread_id: str) -> None:
        client = self._need_client()
        if client is None:
            return
        try:
            await delete_thread(client, thread_id)
        except NotFound:
            # Gone already (another client deleted it): the list now says what the server says.
            self._forget(thread_id)
            self.app.notify(notify_text(f"Thread {thread_id} was already deleted"),
                            markup=False, severity="warning", timeout=5)
            return
        except DeploymentError as exc:
            self._report(exc, f"Deleting thread {thread_id}")
            return
        self._connected()
        self._forget(thread_id)
        self._done(f"Deleted thread {thread_id}")

    def _forget(self, thread_id: str) -> None:
        self.drop_thread(thread_id)
        self.post_message(self.Removed(thread_id))

    # ------------------------------------------------------------------ a row from the server

    @work(group="select-thread", exit_on_error=False)
    async def show_server_row(self, thread_id: str) -> None:
        """Show ``thread_id``'s row as the server has it now (a thread selected from elsewhere
        that the list has not loaded)."""
        await self._place_server_row(thread_id)

    def follow_run(self, thread_id: str, live: bool) -> None:
        """A run the app follows started (``live``) or ended on ``thread_id``: its row says
        ``busy`` at once, then shows the server's row (fetched once at each end)."""
        listed = self.by_id.get(thread_id)
        if live and listed is not None:
            self.update_thread(listed.model_copy(update={"status": "busy"}))
        self._fetch_run_row(thread_id, live)

    @work(exclusive=True, group="run-row", exit_on_error=False)
    async def _fetch_run_row(self, thread_id: str, running: bool) -> None:
        await self._place_server_row(thread_id, running=running)

    async def _place_server_row(self, thread_id: str, *, running: bool = False) -> None:
        """In place when it is listed, else first (when the search would list it).
        ``running``: a run is live on it, so the row says ``busy`` even while the server still
        says ``idle`` (measured on the in-memory server: until its queue starts the run, which
        is the whole of a short one)."""
        client = self.client
        if client is None:
            return
        try:
            thread = await thread_row(client, thread_id, select=ROW_COLUMNS, extract=ROW_EXTRACT)
        except DeploymentError as exc:
            self._report(exc, "Showing the thread in the list")
            return
        if thread is None:
            return
        if running and thread.status == "idle":
            thread = thread.model_copy(update={"status": "busy"})
        if thread_id in self.by_id:
            self.update_thread(thread)
        elif self.search_query.matches(thread):
            self.put_first(thread)
