"""How the run panel talks to the server about runs: start and follow a stream, join a run in
progress, cancel one, and refresh what a run changed. ``RunPanel`` (``panel.py``) adds the
layout, the composer and the keys on top of this.

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
from typing import TYPE_CHECKING, Any

from textual import work
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from tui.app.context import app_context
from tui.app.failures import ForwardWorkerFailures
from tui.app.runs import sync
from tui.deployment import (
    Assistant,
    DeploymentClient,
    DeploymentError,
    StreamPart,
    Thread,
    Timeout,
    Unreachable,
)
from tui.deployment.models import MultitaskStrategy
from tui.services import runs as service
from tui.supersteps.run_input import InputMode, RunRequest
from tui.supersteps.stream import LIVE, RunProgress
from tui.supersteps.stream_parts import PendingInterrupt

Source = Callable[[], AsyncIterator[StreamPart]]


class RunFollower(ForwardWorkerFailures, Vertical):
    """The run state of the panel and the workers that change it."""

    class Activity(Message):
        """A run on ``thread_id`` started (``live``, status ``running``) or ended (its final
        status): the app shell shows it in the header and the thread's row."""

        def __init__(self, thread_id: str, run_id: str | None, status: str,
                     *, live: bool) -> None:
            super().__init__()
            self.thread_id = thread_id
            self.run_id = run_id
            self.status = status
            self.live = live

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.thread_id: str | None = None
        self.thread: Thread | None = None
        self.progress: RunProgress | None = None
        """The run shown (being followed, or the last one)."""
        self.interrupts: list[PendingInterrupt] = []
        """What the thread waits on (shown with a resume input)."""
        self.problem: str | None = None
        self.note: str | None = None
        self.mode: InputMode = "message"
        self._follower: Worker[None] | None = None
        self._replaying: RunProgress | None = None
        self._assistants: list[Assistant] | None = None
        self._assistants_of: DeploymentClient | None = None

    if TYPE_CHECKING:  # the panel's (RunPanel)
        @property
        def input(self) -> Input: ...
        @property
        def strategy(self) -> MultitaskStrategy: ...
        def _paint(self) -> None: ...
        def set_mode(self, mode: InputMode) -> None: ...

    # Shared.
    @property
    def following(self) -> bool:
        """A stream of the shown run is being read now."""
        if self._replaying is not None and self._replaying is self.progress:
            return True
        worker = self._follower
        return worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def _client(self) -> DeploymentClient | None:
        return app_context(self).client

    def _say(self, *, problem: str | None = None, note: str | None = None) -> None:
        self.problem, self.note = problem, note
        self._paint()

    def take_interrupts(self, interrupts: list[PendingInterrupt]) -> None:
        self.interrupts = interrupts
        if interrupts:
            self.set_mode("resume")
        elif self.mode == "resume":
            self.set_mode("message")

    def _stop_following(self) -> None:
        worker, self._follower = self._follower, None
        if worker is not None:
            worker.cancel()

    @work(exclusive=True, group="runs-join", exit_on_error=False)
    async def _join(self, thread_id: str) -> None:
        client = self._client()
        if client is None:
            return
        self._say(note="Looking for a run in progress…")
        try:
            run = await service.run_to_join(client, thread_id)
        except DeploymentError as exc:
            self._failed(exc, f"Looking for a run to join on thread {thread_id}")
            return
        if self.thread_id != thread_id:
            return
        if run is None:
            self._say(note="No run is in progress on this thread: nothing to join.")
            return
        if self.following and self.progress is not None and self.progress.run_id == run.run_id:
            self._say(note=f"Already following run {run.run_id}.")
            return
        self._say(note=f"Joined run {run.run_id} ({run.status or '?'}).")
        sync.prepare_chat(sync.viewer_of(self), thread_id)
        self._start(thread_id, lambda: service.join_run(client, thread_id, run.run_id),
                    run_id=run.run_id)

    @work(exclusive=True, group="runs-cancel", exit_on_error=False)
    async def _cancel(self, thread_id: str, run_id: str | None, action: str) -> None:
        client = self._client()
        if client is None:
            return
        followed = run_id is not None
        try:
            if run_id is None:
                run_id = await service.live_run_id(client, thread_id)
                if run_id is None:
                    self._say(note="No run is in progress on this thread: nothing to cancel.")
                    return
            self._say(note=f"Cancelling run {run_id} ({action})…")
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
        self._say(note=f"Run {run_id} cancelled: {outcome or 'status unknown'}.",
                  problem=service.kept_progress_text(run_id) if kept else None)
        self.post_message(self.Activity(thread_id, run_id, outcome or "cancelled", live=False))
        await self._reload(client, thread_id)

    def _start(self, thread_id: str, source: Source, *, run_id: str | None = None,
               sent: tuple[str, RunRequest] | None = None) -> None:
        self.run_worker(self._follow(thread_id, source, run_id, sent), group="runs-follow",
                        exit_on_error=False, description="Following a run")

    async def _follow(self, thread_id: str, source: Source, run_id: str | None,
                      sent: tuple[str, RunRequest] | None) -> None:
        worker: Worker[None] = get_current_worker()
        client = self._client()
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
                viewer = sync.viewer_of(self)
                if step.ops and viewer is not None and sync.chat_follows(viewer, thread_id):
                    sync.apply_ops(viewer.chat, step.ops)
                self._paint()
        except service.NotStarted as not_started:
            if self.thread_id == thread_id:
                if not_started.error is not None:
                    self.refused(not_started.error)
                else:
                    self._say(problem=str(not_started))
                self._give_back(sent)
            return
        if self._follower is not worker:
            return
        final = await service.settle(client, thread_id, progress)
        self.problem = None
        if final == "rolled back" and progress.run_id and await service.rollback_kept_progress(
                client, thread_id, progress.run_id):
            self.problem = service.kept_progress_text(progress.run_id)
        self.note = ("The run goes on on the server: J joins it again." if final in LIVE
                     else None)
        self._paint()
        self.post_message(self.Activity(thread_id, progress.run_id, final or "ended",
                                        live=final in LIVE))
        if self._follower is worker:
            await self._reload(client, thread_id)

    def _adopt(self, worker: Worker[None], progress: RunProgress, thread_id: str,
               sent: tuple[str, RunRequest] | None) -> None:
        """The server accepted the run: it becomes the one shown (and followed)."""
        previous, self._follower = self._follower, worker
        if previous is not None and previous is not worker:
            previous.cancel()
        viewer = sync.viewer_of(self)
        if sync.chat_follows(viewer, thread_id) and viewer is not None:
            progress.messages = viewer.chat.messages
        self.progress = progress
        self.interrupts = []
        self.problem = None
        self.note = None
        if sent is not None and sent[1].command is not None and self.mode == "resume":
            self.set_mode("message")
        self._paint()
        self.post_message(self.Activity(thread_id, progress.run_id, "running", live=True))

    async def _reload(self, client: DeploymentClient, thread_id: str) -> None:
        try:
            thread, state = await sync.reload_after_run(self, client, thread_id)
        except DeploymentError as exc:
            if self.thread_id == thread_id:
                self.problem = f"Reading thread {thread_id} after the run: {exc}"
                self._paint()
            return
        if self.thread_id != thread_id:
            return
        self.thread = thread
        self.take_interrupts(service.waiting_interrupts(thread, state))
        self._paint()

    def _give_back(self, sent: tuple[str, RunRequest] | None) -> None:
        """A refused run: its text goes back into the composer, to edit or send again."""
        if sent is None:
            return
        if not self.input.value:
            self.input.value = sent[0]
        viewer = sync.viewer_of(self)
        if viewer is not None and viewer.chat.has_focus:
            self.input.focus()

    def refused(self, exc: DeploymentError) -> None:
        """The server did not start the run (a 409 names the multitask choice)."""
        self._failed(exc, "The run was not started", refused=True)

    def _failed(self, exc: DeploymentError, context: str, *, refused: bool = False) -> None:
        message = (service.refusal(exc, self.strategy) if refused else None) or f"{context}: {exc}"
        self._say(problem=message)
        if isinstance(exc, Unreachable | Timeout):
            app_context(self).report(exc, context)

    # ------------------------------------------------------------------ recorded runs

    def replay(self, thread_id: str, events: Iterable[tuple[str, Any]]) -> RunProgress:
        """Show recorded events as if they were streaming now (for snapshots and demos)."""
        self.thread_id = thread_id
        viewer = sync.viewer_of(self)
        start = sync.prepare_chat(viewer, thread_id)
        progress = RunProgress(messages=list(start))
        self.progress = self._replaying = progress
        self.interrupts = []
        for event, data in events:
            ops = progress.apply(event, data)
            if viewer is not None and sync.chat_follows(viewer, thread_id):
                sync.apply_ops(viewer.chat, ops)
        self._paint()
        return progress
