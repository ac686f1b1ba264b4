"""What the thread list does to threads: create, copy, edit metadata, delete; and a row
brought from the server (a thread selected from elsewhere, a run started or ended).

Each action asks through a modal, sends one request in a worker, and changes the list only
after the server said yes — a failure leaves the list as it was and shows the server's detail.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from tui.app.context import app_context
from tui.app.shared.workers import run_job
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
    from tui.app.threads.modals import CreateRequest
    from tui.app.threads.thread_list import ThreadList
    from tui.deployment import DeploymentClient, Thread


class ThreadActions:
    """What the list's keys do to threads, as a plain object of the list's (see the module).
    Requests run in workers of the list's; its rows change through its own methods."""

    def __init__(self, pane: ThreadList) -> None:
        self.pane = pane

    def _notify(self, message: str, severity: str = "information", timeout: float = 4) -> None:
        self.pane.app.notify(notify_text(message), markup=False,
                             severity=severity, timeout=timeout)  # type: ignore[arg-type]

    def _need_thread(self) -> Thread | None:
        thread = self.pane.selected
        if thread is None:
            self._notify("Select a thread first.", "warning", 3)
        return thread

    def _need_client(self) -> DeploymentClient | None:
        client = self.pane.client
        if client is None:
            self._notify("Not connected to a deployment.", "warning", 3)
        return client

    def _show_new(self, thread: Thread, verb: str) -> None:
        """A thread made here: at the top of the list and opened (if the search shows it)."""
        if self.pane.search_query.matches(thread):
            self.pane.put_first(thread)
            self._notify(f"{verb} thread {thread.thread_id}")
        else:
            self._notify(f"{verb} thread {thread.thread_id} — the current search does not show it")
        app_context(self.pane).select_thread(thread.thread_id)

    # ------------------------------------------------------------------ create

    def create(self) -> None:
        if self._need_client() is None:
            return
        from tui.app.threads.modals import CreateThreadModal

        self.pane.app.push_screen(CreateThreadModal(), self._create_chosen)

    def _create_chosen(self, request: CreateRequest | None) -> None:
        if request is not None:
            run_job(self.pane, partial(self._create, request), "threads-action")

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
            self.pane.report(exc, "Creating the thread")
            return
        self.pane.connected()
        existed = request.if_exists == "do_nothing" and (
            thread.thread_id in self.pane.by_id or thread.metadata != request.metadata
        )
        self._show_new(thread, "Kept existing" if existed else "Created")

    # ------------------------------------------------------------------ copy

    def copy(self) -> None:
        thread = self._need_thread()
        if thread is not None and self._need_client() is not None:
            run_job(self.pane, partial(self._copy, thread.thread_id), "threads-action")

    async def _copy(self, thread_id: str) -> None:
        client = self._need_client()
        if client is None:
            return
        try:
            copy = await copy_thread(client, thread_id)
        except DeploymentError as exc:
            self.pane.report(exc, f"Copying thread {thread_id}")
            return
        self.pane.connected()
        self._show_new(copy, f"Copied {thread_id} into")

    # ------------------------------------------------------------------ metadata

    def edit_metadata(self) -> None:
        thread = self._need_thread()
        if thread is None or self._need_client() is None:
            return

        def chosen(patch: dict[str, Any] | None) -> None:
            if patch:
                run_job(self.pane, partial(self._update_metadata, thread.thread_id, patch),
                        "threads-action")

        from tui.app.threads.modals import EditMetadataModal

        self.pane.app.push_screen(EditMetadataModal(thread), chosen)

    async def _update_metadata(self, thread_id: str, patch: dict[str, Any]) -> None:
        client = self._need_client()
        if client is None:
            return
        try:
            thread = await set_metadata(client, thread_id, patch)
        except DeploymentError as exc:
            self.pane.report(exc, f"Updating the metadata of thread {thread_id}")
            return
        self.pane.connected()
        self.pane.update_thread(thread)
        self._notify(f"Saved the metadata of thread {thread_id}")

    # ------------------------------------------------------------------ delete

    def delete(self) -> None:
        thread = self._need_thread()
        if thread is None or self._need_client() is None:
            return

        def chosen(confirmed: bool | None) -> None:
            if confirmed:
                run_job(self.pane, partial(self._delete, thread.thread_id), "threads-action")

        from tui.app.threads.modals import ConfirmDeleteModal

        self.pane.app.push_screen(ConfirmDeleteModal(thread), chosen)

    async def _delete(self, thread_id: str) -> None:
        client = self._need_client()
        if client is None:
            return
        try:
            await delete_thread(client, thread_id)
        except NotFound:
            # Gone already (another client deleted it): the list now says what the server says.
            self._forget(thread_id)
            self._notify(f"Thread {thread_id} was already deleted", "warning", 5)
            return
        except DeploymentError as exc:
            self.pane.report(exc, f"Deleting thread {thread_id}")
            return
        self.pane.connected()
        self._forget(thread_id)
        self._notify(f"Deleted thread {thread_id}")

    def _forget(self, thread_id: str) -> None:
        self.pane.drop_thread(thread_id)
        self.pane.post_message(self.pane.Removed(thread_id))

    # ------------------------------------------------------------------ a row from the server

    def show_server_row(self, thread_id: str) -> None:
        """Show ``thread_id``'s row as the server has it now (a thread selected from elsewhere
        that the list has not loaded)."""
        run_job(self.pane, partial(self._place_server_row, thread_id), "select-thread",
                exclusive=False)

    def follow_run(self, thread_id: str, live: bool) -> None:
        """A run the app follows started (``live``) or ended on ``thread_id``: its row says
        ``busy`` at once, then shows the server's row (fetched once at each end)."""
        listed = self.pane.by_id.get(thread_id)
        if live and listed is not None:
            self.pane.update_thread(listed.model_copy(update={"status": "busy"}))
        run_job(self.pane, partial(self._place_server_row, thread_id, running=live), "run-row")

    async def _place_server_row(self, thread_id: str, *, running: bool = False) -> None:
        """In place when it is listed, else first (when the search would list it).
        ``running``: a run is live on it, so the row says ``busy`` even while the server still
        says ``idle`` (measured on the in-memory server: until its queue starts the run, which
        is the whole of a short one)."""
        client = self.pane.client
        if client is None:
            return
        try:
            thread = await thread_row(client, thread_id, select=ROW_COLUMNS, extract=ROW_EXTRACT)
        except DeploymentError as exc:
            self.pane.report(exc, "Showing the thread in the list")
            return
        if thread is None:
            return
        if running and thread.status == "idle":
            thread = thread.model_copy(update={"status": "busy"})
        if thread_id in self.pane.by_id:
            self.pane.update_thread(thread)
        elif self.pane.search_query.matches(thread):
            self.pane.put_first(thread)
