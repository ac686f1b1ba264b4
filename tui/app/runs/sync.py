"""Where a run shows up besides the panel: the state viewer's chat (live), then — once the run
is over — the viewer (state, history). The thread's row and the header follow the run through
``RunPanel.Activity``, which the app shell handles (start and end).

The run panel does not import the viewer's pane: what it may ask of it is :class:`RunView`
(the state viewer is one), handed over by the shell through the app context
(``AppContext.run_view``); it fetches through the services (``tui.services``) as the viewer
does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from textual.dom import DOMNode
from textual.widget import Widget

from tui.app.context import app_context
from tui.app.shared.chat import ChatView
from tui.deployment import DeploymentClient, Thread, ThreadState
from tui.services.history import history_page
from tui.services.threads import thread_and_state
from tui.supersteps.stream import AppendText, ChatOp, Replace, Upsert


class RunView(Protocol):
    """What the run panel asks of the viewer that shows the thread it runs."""

    thread_id: str | None
    data: Any  # what the viewer knows of the thread: ``state`` is its latest state
    viewing: ThreadState | None  # the state on screen (an older checkpoint, or the latest)
    view: str

    @property
    def chat(self) -> ChatView: ...
    def action_latest(self) -> None: ...
    def action_view(self, view: str) -> None: ...
    def current_view(self) -> Widget: ...
    def show_data(self, thread: Thread | None, state: ThreadState | None,
                  history: Sequence[ThreadState] | None, *, has_more: bool = False) -> None: ...
    def history_page_size(self, state: ThreadState | None) -> int: ...


def viewer_of(node: DOMNode) -> RunView | None:
    """The viewer the shell handed over (None before it is mounted, or in a host without)."""
    return app_context(node).run_view


def chat_follows(viewer: RunView | None, thread_id: str) -> bool:
    """True when the viewer shows ``thread_id`` at its latest state (so a run's messages
    belong in its chat); not while the user looks at an older checkpoint or another thread."""
    if viewer is None or viewer.thread_id != thread_id:
        return False
    data = viewer.data
    if data is None or data.state is None or viewer.viewing is None:
        return True
    return bool(viewer.viewing.checkpoint_id == data.state.checkpoint_id)


def prepare_chat(viewer: RunView | None, thread_id: str) -> list[Any]:
    """Show the latest state's chat and go to its end; returns the messages shown."""
    if viewer is None or viewer.thread_id != thread_id:
        return []
    viewer.action_latest()
    if viewer.view != "chat":
        viewer.action_view("chat")
    viewer.chat.action_last_message()
    return viewer.chat.messages


def apply_ops(chat: ChatView, ops: Sequence[ChatOp]) -> None:
    for op in ops:
        if isinstance(op, AppendText):
            chat.append_token(op.message_id, op.text, role=op.role)
        elif isinstance(op, Upsert):
            chat.upsert_message(dict(op.message))
        elif isinstance(op, Replace):
            chat.set_messages(list(op.messages))
            chat.action_last_message()


async def reload_after_run(node: DOMNode, client: DeploymentClient, thread_id: str) -> tuple[
        Thread, ThreadState]:
    """Fetch the thread again and show it in the viewer at its end."""
    thread, state = await thread_and_state(client, thread_id)
    viewer = viewer_of(node)
    if viewer is not None and viewer.thread_id == thread_id:
        size = viewer.history_page_size(state)
        history = await history_page(client, thread_id, before=None, limit=size)
        if viewer.thread_id == thread_id:
            viewer.show_data(thread, state, history, has_more=len(history) >= size)
            viewer.chat.action_last_message()
    return thread, state
