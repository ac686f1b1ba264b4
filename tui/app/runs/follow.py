"""How the run panel talks to the server about runs: start and follow a stream, join a run in
progress, cancel one, and refresh what a run changed. :class:`RunFollower` is a plain object of
``RunPanel``'s (``panel.py``), which holds what is shown (the thread, the run, its interrupts,
the problem and note lines) and the layout, the composer and the keys; the follower's requests
run in workers of the panel's and change what it shows through it.

Workers: ``runs-join`` and ``runs-cancel`` are exclusive groups. Followers (one per run stream)
are not: a new run's follower replaces the current one only once the server has accepted the
run (its ``metadata`` event) — so a run refused with 409 (multitask ``reject``, the default)
leaves the run being followed untouched. A follower cancelled (thread closed, replaced, app
quitting) reports nothing: the run goes on on the server (streams are opened with
``on_disconnect="continue"``) and ``J`` joins it again. When a stream ends, the run's status is
read from the API — a stream that just stops is never taken for a success. The stream's fold,
the status and the refusal text are :mod:`tui.services.runs`, shared with ``threadloom run``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerState, get_current_worker

from tui.app.context import app_context
from tui.app.runs import sync
from tui.app.shared.workers import run_job
from tui.deployment import (
    Assistant,
    DeploymentClient,
    DeploymentError,
    StreamPart,
    Timeout,
    Unreachable,
)
from tui.services import runs as service
from tui.supersteps.run_input import RunRequest
from tui.supersteps.stream import LIVE, RunProgress

if TYPE_CHECKING:
    from tui.app.runs.panel import RunPanel

Source = Callable[[], AsyncIterator[StreamPart]]


class RunFollower:
    """The panel's run streams and the requests about runs (see the module)."""

    def __init__(self, panel: RunPanel) -> None:
        self.panel = panel
        self._follower: Worker[None] | None = None
        self._replaying: RunProgress | None = None
        self.assistants: list[Assistant] | None = None
        """The deployment's assistants (read once per client)."""
        self._assistants_of: DeploymentClient | None = None

    @property
    def following(self) -> bool:
        """A stream of the shown run is being read now."""
        if self._replaying is not None and self._replaying is self.panel.progress:
            return True
        worker = self._follower
        return worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def _client(self) -> DeploymentClient | None:
        return app_context(self.panel).client

    def stop(self) -> None:
        """Stop reading the stream followed (the run goes on on the server)."""
        worker, self._follower = self._follower, None
        if worker is not None:
            worker.cancel()

    def join(self, thread_id: str) -> None:
        """Follow the run in progress on ``thread_id`` (if there is one)."""
        run_job(self.panel, partial(self._join, thread_id), "runs-join")

    def cancel(self, thread_id: str, run_id: str | None, action: str) -> None:
        """Cancel ``run_id`` (None: the run in progress on the thread) with ``action``."""
        run_job(self.panel, partial(self._cancel, thread_id, run_id, action), "runs-cancel")

    def load_info(self, thread_id: str) -> None:
        """Read the thread (its status, what it waits on) and the assistants."""
        run_job(self.panel, partial(self._load_info, thread_id), "runs-info")

    async def _load_info(self, thread_id: str) -> None:
        panel = self.panel
        client = self._client()
        if client is None:
            return
        try:
            thread = await service.thread_info(client, thread_id)
            state = (await service.current_state(client, thread_id)
                     if thread is not None and thread.interrupts else None)
        except DeploymentError as exc:
            if panel.thread_id == thread_id:
                panel.say(problem=f"Reading thread {thread_id}: {exc}")
            return
        assistants = await self._load_assistants(client)
        if panel.thread_id != thread_id:
            return
        panel.thread = thread
        panel.show_assistants(assistants, thread.graph_id if thread else None)
        if not self.following:
            panel.take_interrupts(service.waiting_interrupts(thread, state))
        panel.paint()

    async def _load_assistants(self, client: DeploymentClient) -> list[Assistant]:
        if self.assistants is not None and self._assistants_of is client:
            return self.assistants
        try:
            found = await service.assistants(client)
        except DeploymentError as exc:
            self.panel.note = (f"Could not list the assistants ({exc}); runs use the thread's "
                               "graph.")
            return []
        self.assistants, self._assistants_of = found, client
        return found

    def _activity(self, thread_id: str, run_id: str | None, status: str, *,
                  live: bool) -> None:
        self.panel.post_message(self.panel.Activity(thread_id, run_id, status, live=live))

    async def _join(self, thread_id: str) -> None:
        panel, client = self.panel, self._client()
        if client is None:
            return
        panel.say(note="Looking for a run in progress…")
        try:
            run = await service.run_to_join(client, thread_id)
        except DeploymentError as exc:
            self._failed(exc, f"Looking for a run to join on thread {thread_id}")
            return
        if panel.thread_id != thread_id:
            return
        if run is None:
            panel.say(note="No run is in progress on this thread: nothing to join.")
            return
        if self.following and panel.progress is not None and panel.progress.run_id == run.run_id:
            panel.say(note=f"Already following run {run.run_id}.")
            return
        panel.say(note=f"Joined run {run.run_id} ({run.status or '?'}).")
        sync.prepare_chat(sync.viewer_of(panel), thread_id)
        self.start(thread_id, lambda: service.join_run(client, thread_id, run.run_id),
                   run_id=run.run_id)

    async def _cancel(self, thread_id: str, run_id: str | None, action: str) -> None:
        panel, client = self.panel, self._client()
        if client is None:
            return
        followed = run_id is not None
        try:
            if run_id is None:
                run_id = await service.live_run_id(client, thread_id)
                if run_id is None:
                    panel.say(note="No run is in progress on this thread: nothing to cancel.")
                    return
            panel.say(note=f"Cancelling run {run_id} ({action})…")
            await service.cancel_run(client, thread_id, run_id, wait=not followed,
                                     rollback=action == "rollback")
        except DeploymentError as exc:
            self._failed(exc, f"Cancelling run {run_id}")
            return
        if followed:
            return  # the follower sees the stream end and reports the run's final status
        outcome = await service.final_status(client, thread_id, run_id)
        kept = outcome == "rolled back" and await service.rollback_kept_progress(
            client, thread_id, run_id)
        panel.say(note=f"Run {run_id} cancelled: {outcome or 'status unknown'}.",
                  problem=service.kept_progress_text(run_id) if kept else None)
        self._activity(thread_id, run_id, outcome or "cancelled", live=False)
        await self._reload(client, thread_id)

    def start(self, thread_id: str, source: Source, *, run_id: str | None = None,
              sent: tuple[str, RunRequest] | None = None) -> None:
        """Follow the run ``source`` streams (the one shown once the server accepted it)."""
        run_job(self.panel, partial(self._follow, thread_id, source, run_id, sent),
                "runs-follow", exclusive=False, description="Following a run")

    async def _follow(self, thread_id: str, source: Source, run_id: str | None,
                      sent: tuple[str, RunRequest] | None) -> None:
        worker: Worker[None] = get_current_worker()
        panel, client = self.panel, self._client()
        if client is None:
            return
        progress = RunProgress(run_id=run_id)
        if run_id is not None:
            self._adopt(worker, progress, thread_id, sent)
        try:
            async for step in service.follow(source(), progress):
                if step.started:
                    self._adopt(worker, progress, thread_id, sent)
                if self._follower is not worker:
                    continue
                viewer = sync.viewer_of(panel)
                if step.ops and viewer is not None and sync.chat_follows(viewer, thread_id):
                    sync.apply_ops(viewer.chat, step.ops)
                panel.paint()
        except service.NotStarted as not_started:
            if panel.thread_id == thread_id:
                if not_started.error is not None:
                    self.refused(not_started.error)
                else:
                    panel.say(problem=str(not_started))
                self._give_back(sent)
            return
        if self._follower is not worker:
            return
        final = await service.settle(client, thread_id, progress)
        panel.problem = None
        if final == "rolled back" and progress.run_id and await service.rollback_kept_progress(
                client, thread_id, progress.run_id):
            panel.problem = service.kept_progress_text(progress.run_id)
        panel.note = "The run goes on on the server: J joins it again." if final in LIVE else None
        panel.paint()
        self._activity(thread_id, progress.run_id, final or "ended", live=final in LIVE)
        if self._follower is worker:
            await self._reload(client, thread_id)

    def _adopt(self, worker: Worker[None], progress: RunProgress, thread_id: str,
               sent: tuple[str, RunRequest] | None) -> None:
        """The server accepted the run: it becomes the one shown (and followed)."""
        panel = self.panel
        previous, self._follower = self._follower, worker
        if previous is not None and previous is not worker:
            previous.cancel()
        viewer = sync.viewer_of(panel)
        if sync.chat_follows(viewer, thread_id) and viewer is not None:
            progress.messages = viewer.chat.messages
        panel.progress = progress
        panel.interrupts = []
        panel.problem = None
        panel.note = None
        if sent is not None and sent[1].command is not None and panel.mode == "resume":
            panel.set_mode("message")
        panel.paint()
        self._activity(thread_id, progress.run_id, "running", live=True)

    async def _reload(self, client: DeploymentClient, thread_id: str) -> None:
        panel = self.panel
        try:
            thread, state = await sync.reload_after_run(panel, client, thread_id)
        except DeploymentError as exc:
            if panel.thread_id == thread_id:
                panel.problem = f"Reading thread {thread_id} after the run: {exc}"
                panel.paint()
            return
        if panel.thread_id != thread_id:
            return
        panel.thread = thread
        panel.take_interrupts(service.waiting_interrupts(thread, state))
        panel.paint()

    def _give_back(self, sent: tuple[str, RunRequest] | None) -> None:
        """A refused run: its text goes back into the composer, to edit or send again."""
        if sent is None:
            return
        field = self.panel.input
        if not field.value:
            field.value = sent[0]
        viewer = sync.viewer_of(self.panel)
        if viewer is not None and viewer.chat.has_focus:
            field.focus()

    def refused(self, exc: DeploymentError) -> None:
        """The server did not start the run (a 409 names the multitask choice)."""
        self._failed(exc, "The run was not started", refused=True)

    def _failed(self, exc: DeploymentError, context: str, *, refused: bool = False) -> None:
        refusal = service.refusal(exc, self.panel.strategy) if refused else None
        self.panel.say(problem=refusal or f"{context}: {exc}")
        if isinstance(exc, Unreachable | Timeout):
            app_context(self.panel).report(exc, context)

    # ------------------------------------------------------------------ recorded runs

    def replay(self, thread_id: str, events: Iterable[tuple[str, Any]]) -> RunProgress:
        """Show recorded events as if they were streaming now (for snapshots and demos)."""
        panel = self.panel
        panel.thread_id = thread_id
        viewer = sync.viewer_of(panel)
        start = sync.prepare_chat(viewer, thread_id)
        progress = RunProgress(messages=list(start))
        panel.progress = self._replaying = progress
        panel.interrupts = []
        for event, data in events:
            ops = progress.apply(event, data)
            if viewer is not None and sync.chat_follows(viewer, thread_id):
                sync.apply_ops(viewer.chat, ops)
        panel.paint()
        return progress
