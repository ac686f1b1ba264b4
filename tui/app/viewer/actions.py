"""The viewer's bigger actions: diff two checkpoints, fork at one (export: ``export_flow``).

Each runs its requests in a worker of the viewer (``exit_on_error=False``); a
``DeploymentError`` is reported through the viewer, anything else reaches the app's one
failure handler.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from tui.app.commands import PaletteCommand
from tui.app.shared.workers import run_job
from tui.app.text import notify_text
from tui.app.viewer.fork import ForkRequest, ForkScreen
from tui.app.viewer.model import ViewerData, tail_id
from tui.deployment import DeploymentError, ThreadState
from tui.safe import one_line
from tui.services.graphs import graph_nodes
from tui.services.ids import short_id as list_id  # a thread as the list shows it
from tui.services.threads import fork
from tui.supersteps.diff import diff_states

if TYPE_CHECKING:
    from tui.app.viewer.viewer import StateViewer


def checkpoint_label(data: ViewerData, entry: ThreadState | None, *,
                     short: bool = False) -> str:
    """``step 1 · update · by call_model · <checkpoint id>`` (its last digits when short)."""
    if entry is None:
        return "(nothing: before the first loaded checkpoint)"
    parts = [data.step_label(entry)]
    if entry.source:
        parts.append(entry.source)
    parts.append(f"by {one_line(data.writer(entry), 24)}")
    parts.append(tail_id(entry.checkpoint_id) if short else entry.checkpoint_id or "?")
    return " · ".join(parts)


# ---------------------------------------------------------------- diff


def show_diff(viewer: StateViewer) -> None:
    data = viewer.data
    if data is None:
        return
    marks = viewer.history.marks
    a, b = data.by_id(marks.get("a")), data.by_id(marks.get("b"))
    if a is not None and b is None:
        b = viewer.viewing
    elif b is not None and a is None:
        a = data.parent_of(b)
    elif a is None and b is None:
        b = viewer.viewing
        a = data.parent_of(b) if b is not None else None
    if b is None:
        viewer.notify("No checkpoint to compare yet.", markup=False, timeout=3)
        return
    diff = diff_states(a.values if a is not None else None, b.values)
    viewer.diff_view.set_diff(diff, checkpoint_label(data, a), checkpoint_label(data, b))
    viewer.action_view("diff")


# ---------------------------------------------------------------- fork


def start_fork(viewer: StateViewer) -> None:
    data, entry = viewer.data, viewer.viewing
    if data is None or entry is None or entry.checkpoint_id is None or not viewer.thread_id:
        viewer.notify("Open a thread with a checkpoint first.", markup=False, timeout=3)
        return
    run_job(viewer, partial(_fork_flow, viewer, data, entry, viewer.thread_id), "viewer-fork")


def default_node(data: ViewerData, entry: ThreadState, names: list[str]) -> str | None:
    """The node that wrote the checkpoint (an edit "as if it had written this"), else the
    one due next."""
    candidates = [name.strip() for name in data.writer(entry).split(",")] + list(entry.next)
    for candidate in candidates:
        if candidate in names or candidate == "__start__":
            return candidate
    return names[0] if names else None


def fork_result(step: str, as_node: str, source: str, target: str,
                checkpoint: str | None) -> str:
    """What a fork did, naming the thread that got it (a new copy, or the same thread)."""
    if target != source:
        return (f"New thread {list_id(target)} (a copy of {list_id(source)}) holds the fork "
                f"at {step} as {as_node}; it is open now. {list_id(source)} is unchanged.")
    return (f"Thread {list_id(source)} has a new branch at {step} as {as_node} (checkpoint "
            f"{checkpoint or '?'}); its state is now the fork. No new thread was made.")


async def _fork_flow(viewer: StateViewer, data: ViewerData, entry: ThreadState,
                     thread_id: str) -> None:
    client = viewer.client
    if client is None:
        viewer.notify("Not connected.", markup=False, timeout=3)
        return
    graph = data.graph_id or ""
    names = viewer._node_names.get(graph)
    if names is None:
        names = await graph_nodes(client, graph)
        viewer._node_names[graph] = names
    title = f"Fork thread {list_id(thread_id)} at {checkpoint_label(data, entry)}"
    screen = ForkScreen(entry.values, title=title, node_names=names,
                        default_node=default_node(data, entry, names),
                        thread=list_id(thread_id))
    request: ForkRequest | None = await viewer.app.push_screen_wait(screen)
    if request is None:
        return
    try:
        target, checkpoint = await fork(client, thread_id, entry.checkpoint_id, request.values,
                                        request.as_node, copy_first=request.copy_first)
    except DeploymentError as exc:
        viewer.report(exc, f"Forking thread {thread_id}")
        return
    viewer.notify(notify_text(fork_result(data.step_label(entry), request.as_node, thread_id,
                                          target, checkpoint)),
                  title="Forked", markup=False, timeout=8)
    select = getattr(viewer.app, "select_thread", None)
    if callable(select):
        select(target)
    else:
        viewer.show_thread(target)


# ---------------------------------------------------------------- palette


def palette_commands(viewer: StateViewer) -> list[PaletteCommand]:
    """Keyless extras for the command palette (every keyed action is found by its binding)."""
    commands: list[PaletteCommand] = []
    if viewer.thread_id:
        thread_id = viewer.thread_id

        def copy_thread() -> None:
            viewer.app.copy_to_clipboard(thread_id)
            viewer.notify("Copied the thread id.", markup=False, timeout=2)

        commands.append(PaletteCommand("State: copy the thread id",
                                       "Copy the shown thread's id to the clipboard",
                                       copy_thread))
    checkpoint = viewer.viewing.checkpoint_id if viewer.viewing is not None else None
    if checkpoint:
        def copy_checkpoint() -> None:
            viewer.app.copy_to_clipboard(checkpoint)
            viewer.notify("Copied the checkpoint id.", markup=False, timeout=2)

        commands.append(PaletteCommand("State: copy the checkpoint id",
                                       "Copy the shown checkpoint's id to the clipboard",
                                       copy_checkpoint))
    return commands
