"""The viewer's bigger actions: diff two checkpoints, fork at one, export a range.

Each runs its requests in a worker of the viewer (``exit_on_error=False``); a
``DeploymentError`` is reported through the viewer, anything else reaches the app's one
failure handler.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.app.commands import PaletteCommand
from tui.app.text import notify_text
from tui.app.widgets.state_viewer.export import ExportRequest, ExportScreen
from tui.app.widgets.state_viewer.fork import ForkRequest, ForkScreen
from tui.app.widgets.state_viewer.loader import fork, graph_nodes, load_all_history
from tui.app.widgets.state_viewer.model import ViewerData, short_id, tail_id
from tui.app.widgets.thread_rows import short_id as list_id  # a thread as the list shows it
from tui.deployment import DeploymentError, ThreadState
from tui.safe import one_line
from tui.supersteps.diff import diff_states
from tui.supersteps.files import save_script
from tui.supersteps.history_export import (
    HistoryExportError,
    checkpoint_lineage,
    script_from_history,
)

if TYPE_CHECKING:
    from tui.app.widgets.state_viewer.viewer import StateViewer


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
    viewer.run_worker(_fork_flow(viewer, data, entry, viewer.thread_id), group="viewer-fork",
                      exclusive=True, exit_on_error=False)


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
    client = viewer._client()
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


# ---------------------------------------------------------------- export


def start_export(viewer: StateViewer) -> None:
    data = viewer.data
    if data is None or not viewer.thread_id:
        viewer.notify("Open a thread first.", markup=False, timeout=3)
        return
    if not data.graph_id:
        viewer.notify("This thread has no graph_id in its metadata: a script needs one.",
                      severity="warning", markup=False, timeout=5)
        return
    viewer.run_worker(_export_flow(viewer, data, viewer.thread_id), group="viewer-export",
                      exclusive=True, exit_on_error=False)


def export_defaults(lineage: Sequence[Mapping[str, Any]], marks: dict[str, str]) -> tuple[int, int]:
    ids = [c.get("checkpoint_id") for c in lineage]
    picked = sorted(ids.index(marks[w]) for w in ("a", "b") if marks.get(w) in ids)
    if len(picked) == 2:
        return picked[0], picked[1]
    return 0, len(lineage) - 1


async def _export_flow(viewer: StateViewer, data: ViewerData, thread_id: str) -> None:
    client = viewer._client()
    if data.has_more and client is not None:
        try:
            history, has_more = await load_all_history(client, thread_id, data.history,
                                                       data.has_more, viewer._page_size)
        except DeploymentError as exc:
            viewer.report(exc, f"Reading the whole history of thread {thread_id}")
            return
        data.history, data.has_more = history, has_more
        viewer._render_history()
    checkpoints = data.checkpoint_dicts()
    lineage = checkpoint_lineage(checkpoints)
    if not lineage:
        viewer.notify("The thread has no checkpoints to export.", markup=False, timeout=4)
        return
    by_id = {entry.checkpoint_id: entry for entry in data.history}
    choices = [checkpoint_label(data, by_id.get(c.get("checkpoint_id")), short=True)
               for c in lineage]
    start, end = export_defaults(lineage, viewer.history.marks)
    screen = ExportScreen(choices, start=start, end=end,
                          default_path=f"thread-{thread_id[:8]}.json",
                          title=f"Export thread {short_id(thread_id)} as a superstep script")
    request: ExportRequest | None = await viewer.app.push_screen_wait(screen)
    if request is None:
        return
    save(viewer, data, checkpoints, request)


def save(viewer: StateViewer, data: ViewerData, checkpoints: list[dict[str, Any]],
         request: ExportRequest) -> Path | None:
    try:
        script = script_from_history(checkpoints, data.graph_id or "", request.start,
                                     request.end + 1, compact=request.compact)
        save_script(request.path, script)
    except HistoryExportError as exc:
        viewer.report(exc, "Exporting the history")
        return None
    except OSError as exc:
        viewer.report(exc, f"Writing {request.path}")
        return None
    count = len(script.supersteps)
    viewer.notify(notify_text(f"Saved {count} superstep{'s' if count != 1 else ''} to "
                              f"{request.path}"), title="Exported", markup=False, timeout=6)
    forks = forks_in_range(data, checkpoints, request.start, request.end)
    if forks:
        viewer.notify(notify_text(
            f"{', '.join(forks)} came from update_state (a fork): the history does not record "
            "what it wrote, so the script replays the other branch there."),
            title="The script may differ", severity="warning", markup=False, timeout=12)
    return request.path


def forks_in_range(data: ViewerData, checkpoints: list[dict[str, Any]], start: int,
                   end: int) -> list[str]:
    """Step labels of the checkpoints in the range (after its first) that are forks."""
    lineage = checkpoint_lineage(checkpoints)[start:end + 1]
    found: list[str] = []
    for item in lineage[1:]:
        entry = data.by_id(item.get("checkpoint_id"))
        if entry is not None and data.writer(entry).endswith("(fork)"):
            found.append(data.step_label(entry))
    return found


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
