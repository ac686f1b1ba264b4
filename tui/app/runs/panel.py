"""``RunPanel``: continue the open thread's conversation — the composer (a human message, any
input JSON, or a resume value), the assistant and the multitask strategy, and the run's status
line, node, error and interrupts.

A run streams into the state viewer's chat as it arrives (``runs.stream``: values, updates,
tokens, task starts); when it is over the viewer and the thread's list row are fetched again.
``J`` follows a run already in progress (``runs.join_stream``); ``X`` cancels the active run
(``runs.cancel``, action interrupt; the palette also offers rollback). The server talk is the
panel's ``RunFollower`` (``follow.py``); what the panel says is built in ``status.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from functools import partial
from typing import Any, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Select, Static

from tui.app.commands import PaletteCommand
from tui.app.context import app_context
from tui.app.failures import ForwardWorkerFailures
from tui.app.keys import key
from tui.app.runs import status, sync
from tui.app.runs.follow import RunFollower
from tui.app.text import line, plain
from tui.deployment import Assistant, DeploymentError, StreamPart, Thread
from tui.deployment.models import MultitaskStrategy
from tui.services import runs as service
from tui.supersteps.run_input import (
    DEFAULT_MULTITASK,
    MULTITASK_HELP,
    MULTITASK_STRATEGIES,
    InputMode,
    InputProblem,
    build_request,
)
from tui.supersteps.stream import RunProgress
from tui.supersteps.stream_parts import PendingInterrupt

MODES: tuple[InputMode, ...] = ("message", "json", "resume")
MODE_LABELS = {"message": "message", "json": "input JSON", "resume": "resume"}
PLACEHOLDERS = {
    "message": "A message from the human — enter runs the graph (ctrl+t: input JSON)",
    "json": 'Input JSON, e.g. {"messages": [{"type": "human", "content": "hi"}]} — '
            "empty: no input",
    "resume": "Resume value — JSON when it parses, else text (e.g. yes) — enter resumes",
}


class RunPanel(ForwardWorkerFailures, Vertical):
    """``#runs``: below the state viewer. Entry point: :meth:`show_thread`."""

    PALETTE_GROUP = "Run"

    DEFAULT_CSS = """
    RunPanel {
        height: auto;
        max-height: 20;
        border-top: hkey $panel-lighten-2;
        padding: 0 1;
    }
    RunPanel #run-status { height: 1; }
    RunPanel #run-problem { height: auto; max-height: 4; display: none; }
    RunPanel #run-interrupt {
        height: auto; max-height: 8; display: none;
        background: $boost; padding: 0 1;
    }
    RunPanel #run-problem.-shown, RunPanel #run-interrupt.-shown { display: block; }
    RunPanel #run-composer, RunPanel #run-options { height: 1; }
    RunPanel #run-mode { width: 16; }
    RunPanel #run-input { width: 1fr; }
    RunPanel .run--label { width: auto; color: $text-muted; padding: 0 1 0 0; }
    RunPanel #run-assistant { width: 1fr; max-width: 34; margin: 0 2 0 0; }
    RunPanel #run-strategy { width: 22; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("ctrl+t", "cycle_mode", "Mode",
            "Switch what enter sends: a human message, input JSON, or a resume value",
            id="runs.mode"),
        key("escape", "leave", "Back to chat", "Leave the composer for the chat",
            id="runs.leave", show=False),
    ]

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
        self.follower = RunFollower(self)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(status.status_line(None, thread_status=None, assistant=None,
                                        following=False, thread_open=False), id="run-status")
        yield Static("", id="run-problem")
        yield Static("", id="run-interrupt")
        with Horizontal(id="run-composer"):
            yield Select([(Text(MODE_LABELS[m]), m) for m in MODES], value="message",
                         allow_blank=False, compact=True, id="run-mode",
                         tooltip="What enter sends (ctrl+t switches)")
            yield Input(placeholder="Open a thread to run its graph", compact=True,
                        id="run-input", disabled=True)
        with Horizontal(id="run-options"):
            yield Static("assistant", classes="run--label")
            yield Select([], prompt="(graph of the thread)", compact=True,
                         id="run-assistant", tooltip="The assistant (graph) that runs")
            yield Static("if busy", classes="run--label")
            yield Select(
                [(Text(f"{s} (default)" if s == DEFAULT_MULTITASK else s), s)
                 for s in MULTITASK_STRATEGIES],
                value=DEFAULT_MULTITASK, allow_blank=False, compact=True, id="run-strategy",
                tooltip="When a run is already active on the thread: "
                        + "; ".join(f"{k}: {v}" for k, v in MULTITASK_HELP.items()),
            )

    def on_mount(self) -> None:
        self._show_options(False)

    def on_descendant_focus(self) -> None:
        self._show_options(True)

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(lambda: self._show_options(self.has_focus_within))

    def _show_options(self, shown: bool) -> None:
        """The assistant and multitask choices show while the panel has the focus."""
        self.query_one("#run-options").display = shown

    @property
    def input(self) -> Input:
        return self.query_one("#run-input", Input)

    @property
    def strategy(self) -> MultitaskStrategy:
        value = self.query_one("#run-strategy", Select).value
        return cast(MultitaskStrategy, value if value in MULTITASK_STRATEGIES
                    else DEFAULT_MULTITASK)

    # ------------------------------------------------------------------ rendering

    def paint(self) -> None:
        """Show what the panel holds now."""
        self.query_one("#run-status", Static).update(status.status_line(
            self.progress, thread_status=self.thread.status if self.thread else None,
            assistant=self._assistant_label(), following=self.follower.following,
            thread_open=self.thread_id is not None))
        problems = [self.problem] if self.problem else []
        progress = self.progress
        if progress is not None and progress.error:
            problems.insert(0, f"The run failed: {progress.error}"
                            if progress.status == "error" else progress.error)
        shown = Text(end="")
        if problems:
            shown.append_text(status.problem_text("\n".join(problems)))
        if self.note is not None:
            shown.append("\n" if problems else "")
            shown.append_text(plain(self.note, "dim italic"))
        box = self.query_one("#run-problem", Static)
        box.update(shown)
        box.set_class(bool(shown.plain), "-shown")
        waiting = self.interrupts and not (self.progress is not None and self.progress.live)
        panel = self.query_one("#run-interrupt", Static)
        if waiting:
            panel.update(status.interrupt_text(self.interrupts))
        panel.set_class(bool(waiting), "-shown")
        field = self.input
        field.disabled = self.thread_id is None
        field.placeholder = (PLACEHOLDERS[self.mode] if self.thread_id is not None
                             else "Open a thread to run its graph")

    def _assistant_label(self) -> str | None:
        value = self.query_one("#run-assistant", Select).value
        for assistant in self.follower.assistants or []:
            if assistant.assistant_id == value:
                return assistant.name or assistant.graph_id
        return value if isinstance(value, str) else (self.thread.graph_id if self.thread
                                                      else None)

    def say(self, *, problem: str | None = None, note: str | None = None) -> None:
        """Show ``problem`` and ``note`` (None: nothing) under the status line."""
        self.problem, self.note = problem, note
        self.paint()

    def take_interrupts(self, interrupts: list[PendingInterrupt]) -> None:
        """The thread waits on ``interrupts``: the composer offers the resume (or no more)."""
        self.interrupts = interrupts
        if interrupts:
            self.set_mode("resume")
        elif self.mode == "resume":
            self.set_mode("message")

    def set_mode(self, mode: InputMode) -> None:
        self.mode = mode
        select = self.query_one("#run-mode", Select)
        if select.value != mode:
            select.value = mode
        self.paint()

    @on(Select.Changed, "#run-mode")
    def _mode_chosen(self, event: Select.Changed) -> None:
        event.stop()
        if event.value in MODES and event.value != self.mode:
            self.set_mode(cast(InputMode, event.value))

    @on(Select.Changed, "#run-assistant")
    def _assistant_chosen(self, event: Select.Changed) -> None:
        event.stop()
        self.paint()

    # ------------------------------------------------------------------ the thread

    def show_thread(self, thread_id: str | None) -> None:
        """Follow the thread the viewer shows (None: no thread). A run being followed on the
        previous thread goes on on the server; ``J`` joins it again."""
        if thread_id == self.thread_id:
            if thread_id is not None and not self.follower.following:
                self.follower.load_info(thread_id)
            return
        self.follower.stop()
        self.thread_id = thread_id
        self.thread = None
        self.progress = None
        self.interrupts = []
        self.problem = self.note = None
        if self.mode == "resume":
            self.set_mode("message")
        self.paint()
        if thread_id is not None:
            self.follower.load_info(thread_id)

    def show_assistants(self, assistants: list[Assistant], graph_id: str | None) -> None:
        """Offer ``assistants``; choose the one of ``graph_id`` (the user's choice is kept
        while it runs that graph)."""
        select: Select[str] = self.query_one("#run-assistant", Select)
        options: list[tuple[Any, str]] = []
        for assistant in assistants:
            label = Text(end="")
            label.append_text(line(assistant.name or assistant.graph_id, 30))
            if assistant.name and assistant.name != assistant.graph_id:
                label.append_text(line(f" ({assistant.graph_id})", 30, "dim"))
            options.append((label, assistant.assistant_id))
        ids = [value for _, value in options]
        if graph_id and not any(a.graph_id == graph_id for a in assistants):
            options.append((line(f"{graph_id} (graph id)", 40), graph_id))
        current = select.value
        select.set_options(options)
        preferred = service.default_assistant(assistants, graph_id)
        if isinstance(current, str) and current in ids and self._kept_choice(current, graph_id):
            select.value = current
        elif preferred is not None:
            select.value = preferred
        elif graph_id:
            select.value = graph_id

    def _kept_choice(self, current: str, graph_id: str | None) -> bool:
        """Keep the user's assistant when it runs the thread's graph."""
        return any(a.assistant_id == current and a.graph_id == graph_id
                   for a in self.follower.assistants or [])

    def _assistant_id(self) -> str | None:
        value = self.query_one("#run-assistant", Select).value
        if isinstance(value, str) and value:
            return value
        return self.thread.graph_id if self.thread is not None else None

    # ------------------------------------------------------------------ actions

    def command(self, what: str) -> None:
        """For the app-wide keys: ``compose``, ``cancel``, ``rollback``, ``join``."""
        if what == "compose":
            self.action_focus_composer()
        elif what == "cancel":
            self.action_cancel_run()
        elif what == "rollback":
            self.action_cancel_run(rollback=True)
        elif what == "join":
            self.action_join_run()

    def action_focus_composer(self) -> None:
        if self.thread_id is None:
            self.say(note="Open a thread first (select it in the thread list).")
            return
        self.input.focus()

    def action_cycle_mode(self) -> None:
        self.set_mode(MODES[(MODES.index(self.mode) + 1) % len(MODES)])

    def action_leave(self) -> None:
        viewer = sync.viewer_of(self)
        if viewer is not None:
            viewer.current_view().focus()

    @on(Input.Submitted, "#run-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.send(event.value)

    def send(self, text: str) -> None:
        """Run the graph on the open thread with ``text`` read in the current mode."""
        client = app_context(self).client
        thread_id = self.thread_id
        if thread_id is None or client is None:
            self.say(problem="Open a thread of a connected deployment first.")
            return
        try:
            request = build_request(self.mode, text)
        except InputProblem as exc:
            self.say(problem=str(exc))
            return
        assistant = self._assistant_id()
        if assistant is None:
            self.say(problem="Choose an assistant: this thread has no graph_id in its "
                              "metadata.")
            return
        strategy = self.strategy
        label = self._assistant_label() or assistant
        self.say(note=f"Starting a run of {label} (if busy: {strategy})…")
        sync.prepare_chat(sync.viewer_of(self), thread_id)

        def source() -> AsyncIterator[StreamPart]:
            return service.start_run(client, thread_id, assistant, input=request.input,
                                     command=request.command, strategy=strategy,
                                     on_disconnect="continue")

        self.follower.start(thread_id, source, sent=(text, request))
        # Watch it in the chat (where X cancels); a refused run brings the text back.
        self.input.value = ""
        viewer = sync.viewer_of(self)
        if viewer is not None and viewer.thread_id == thread_id:
            viewer.chat.focus()

    def action_join_run(self) -> None:
        if self.thread_id is None:
            self.say(note="Open a thread first: J joins a run in progress on it.")
            return
        self.follower.join(self.thread_id)

    def action_cancel_run(self, rollback: bool = False) -> None:
        if self.thread_id is None:
            self.say(note="Open a thread first: X cancels its active run.")
            return
        progress = self.progress
        run_id = progress.run_id if progress is not None and progress.live else None
        self.follower.cancel(self.thread_id, run_id, "rollback" if rollback else "interrupt")

    @property
    def following(self) -> bool:
        """A stream of the shown run is being read now."""
        return self.follower.following

    def refused(self, exc: DeploymentError) -> None:
        """The server did not start the run (a 409 names the multitask choice)."""
        self.follower.refused(exc)

    def replay(self, thread_id: str, events: Iterable[tuple[str, Any]]) -> RunProgress:
        """Show recorded events as if they were streaming now (for snapshots and demos)."""
        return self.follower.replay(thread_id, events)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand(
            "Run: cancel the active run and roll it back",
            "Cancel the run in progress on the open thread and delete it with its progress",
            lambda: self.action_cancel_run(rollback=True),
        )
        for mode in MODES:
            yield PaletteCommand(f"Run: compose {MODE_LABELS[mode]}", PLACEHOLDERS[mode],
                                 partial(self.compose_in, mode))

    def compose_in(self, mode: InputMode) -> None:
        """Switch the composer to ``mode`` and put the cursor there."""
        self.set_mode(mode)
        self.action_focus_composer()

