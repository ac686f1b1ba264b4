"""Where a run shows up besides the panel: the state viewer's chat (live), then — once the run
is over — the viewer (state, history). The thread's row and the header follow the run through
``RunFollower.Activity``, which the app shell handles (start and end).

This module only uses the viewer's public entry points (``ChatView``'s incremental API,
``StateViewer.show_data``) and fetches through the services (``tui.services``) like it does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tui.app.widgets.chat import ChatView
from tui.app.widgets.state_viewer import StateViewer
from tui.app.widgets.state_viewer.viewer import history_page_size
from tui.deployment import DeploymentClient, Thread, ThreadState
from tui.services.history import history_page
from tui.services.threads import thread_and_state
from tui.supersteps.stream import AppendText, ChatOp, Replace, Upsert


def viewer_of(app: Any) -> StateViewer | None:
    viewer = getattr(app, "viewer", None)
    return viewer if isinstance(viewer, StateViewer) else None


def chat_follows(viewer: StateViewer | None, thread_id: str) -> bool:
    """True when the viewer shows ``thread_id`` at its latest state (so a run's messages
    belong in its chat); not while the user looks at an older checkpoint or another thread."""
    if viewer is None or viewer.thread_id != thread_id:
        return False
    data = viewer.data
    if data is None or data.state is None or viewer.viewing is None:
        return True
    return viewer.viewing.checkpoint_id == data.state.checkpoint_id


def prepare_chat(viewer: StateViewer | None, thread_id: str) -> list[Any]:
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


async def reload_after_run(app: Any, client: DeploymentClient, thread_id: str) -> tuple[
        Thread, ThreadState]:
    """Fetch the thread again and show it in the viewer at its end."""
    thread, state = await thread_and_state(client, thread_id)
    viewer = viewer_of(app)
    if viewer is not None and viewer.thread_id == thread_id:
        size = history_page_size(state)
        history = await history_page(client, thread_id, before=None, limit=size)
        if viewer.thread_id == thread_id:
            viewer.show_data(thread, state, history, has_more=len(history) >= size)
            viewer.chat.action_last_message()
    return thread, state
