"""The viewer's export (``x``): pick a range and a file, then the script is checked by a replay.

The script comes from :func:`tui.services.export.export_thread`, which replays it on a
temporary thread of the same deployment and compares: when it would not recreate the range
exactly, nothing is written unless the user ticked "lossy", and the notification names the
checkpoint and what differs. Without a connection (recorded data) the loaded history is
exported unchecked, with the steps the server does not record counted as losses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.app.shared.workers import run_job
from tui.app.text import notify_text
from tui.app.viewer.export import RangeExportRequest, RangeExportScreen
from tui.app.viewer.model import ViewerData, short_id
from tui.deployment import DeploymentError
from tui.services.history import full_history
from tui.supersteps.files import save_script
from tui.supersteps.history_export import HistoryExportError, checkpoint_lineage, plan_export

if TYPE_CHECKING:
    from tui.app.viewer.viewer import StateViewer
    from tui.supersteps.model import Script

__all__ = [
    "export_defaults", "replay_commands", "replay_to_profile", "save", "start_export", "write",
]


def start_export(viewer: StateViewer) -> None:
    data = viewer.data
    if data is None or not viewer.thread_id:
        viewer.notify("Open a thread first.", markup=False, timeout=3)
        return
    if not data.graph_id:
        viewer.notify("This thread has no graph_id in its metadata: a script needs one.",
                      severity="warning", markup=False, timeout=5)
        return
    run_job(viewer, partial(_export_flow, viewer, data, viewer.thread_id), "viewer-export")


def export_defaults(lineage: Sequence[Mapping[str, Any]], marks: dict[str, str]) -> tuple[int, int]:
    ids = [c.get("checkpoint_id") for c in lineage]
    picked = sorted(ids.index(marks[w]) for w in ("a", "b") if marks.get(w) in ids)
    if len(picked) == 2:
        return picked[0], picked[1]
    return 0, len(lineage) - 1


async def _export_flow(viewer: StateViewer, data: ViewerData, thread_id: str) -> None:
    from tui.app.viewer.actions import checkpoint_label

    client = viewer.client
    if data.has_more and client is not None:
        try:
            history, has_more = await full_history(client, thread_id, data.history,
                                                   page_size=viewer.loader.page_size), False
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
    default = Path.cwd() / f"thread-{thread_id[:8]}.json"
    screen = RangeExportScreen(choices, start=start, end=end, default_path=str(default),
                          title=f"Export thread {short_id(thread_id)} as a superstep script")
    request: RangeExportRequest | None = await viewer.app.push_screen_wait(screen)
    if request is None:
        return
    if client is None:
        save(viewer, data, checkpoints, request)
        return
    await _checked_save(viewer, data, thread_id, request)


async def _checked_save(viewer: StateViewer, data: ViewerData, thread_id: str,
                        request: RangeExportRequest) -> None:
    from tui.services.export import NoGraph, export_thread

    client = viewer.client
    if client is None:
        return
    viewer.notify("Checking the script: replaying it on a temporary thread…", markup=False,
                  timeout=3)
    try:
        outcome = await export_thread(
            client, thread_id, graph_id=data.graph_id, compact=request.compact,
            lossy=request.lossy, start=request.start, end=request.end + 1,
        )
    except (DeploymentError, HistoryExportError, NoGraph) as exc:
        viewer.report(exc, "Exporting the history")
        return
    lines = [loss.line() for loss in outcome.losses]
    if lines and not request.lossy:
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        viewer.notify(notify_text(
            f"Nothing was written: the script would not recreate the thread exactly. "
            f"{lines[0]}{more}. Tick “lossy” to write it anyway."),
            title="Not exported", severity="error", markup=False, timeout=15)
        return
    notes = [] if outcome.checked else outcome.notes
    write(viewer, outcome.script, request.path, losses=lines,
          notes=[*notes, *outcome.warnings])


def save(viewer: StateViewer, data: ViewerData, checkpoints: list[dict[str, Any]],
         request: RangeExportRequest) -> Path | None:
    """Export the loaded history without a replay to check it (no connection)."""
    try:
        plan = plan_export(checkpoints, data.graph_id or "", request.start, request.end + 1,
                           compact=request.compact)
    except HistoryExportError as exc:
        viewer.report(exc, "Exporting the history")
        return None
    lines = [f"{t.checkpoint_id or 'a checkpoint'}: {t.note}" for _, t in plan.uncertain]
    if lines and not request.lossy:
        viewer.notify(notify_text(
            f"Nothing was written: without a connection the script cannot be checked, and "
            f"the server did not record what made {lines[0]}. Tick “lossy” to write it "
            "anyway."), title="Not exported", severity="error", markup=False, timeout=15)
        return None
    return write(viewer, plan.script(), request.path, losses=lines,
                 notes=["not checked by a replay (no connection)"] if lines else [])


def write(viewer: StateViewer, script: Script, path: Path, *, losses: Sequence[str] = (),
          notes: Sequence[str] = ()) -> Path | None:
    """Write ``script`` to ``path`` and say so, naming the whole path."""
    target = path.expanduser().absolute()
    try:
        save_script(target, script)
    except OSError as exc:
        viewer.report(exc, f"Writing {target}")
        return None
    count = len(script.supersteps)
    viewer.notify(notify_text(f"Saved {count} superstep{'s' if count != 1 else ''} to "
                              f"{target}"), title="Exported", markup=False, timeout=8)
    if losses:
        viewer.notify(notify_text("Lossy: " + "; ".join(losses)), title="The replay will differ",
                      severity="warning", markup=False, timeout=15)
    for note in notes:
        viewer.notify(notify_text(note), markup=False, timeout=8)
    return target


# ---------------------------------------------------------------- replay to another profile


def replay_commands(viewer: StateViewer) -> list[Any]:
    """"State: replay this thread to profile NAME" for every other profile of the config."""
    from tui.app.commands import PaletteCommand

    settings = getattr(viewer.app, "settings", None)
    spec = getattr(viewer.app, "spec", None)
    thread_id = viewer.thread_id
    if settings is None or not thread_id:
        return []
    active = getattr(spec, "profile", None)
    commands = []
    for name in sorted(settings.profiles):
        if name == active:
            continue

        def replay(name: str = name) -> None:
            run_job(viewer, partial(replay_to_profile, viewer, thread_id, name), "viewer-replay")

        commands.append(PaletteCommand(
            f"State: replay this thread to profile {name}",
            "Recreate the thread on that deployment, built and compared there", replay))
    return commands


async def replay_to_profile(viewer: StateViewer, thread_id: str, profile: str) -> None:
    """Recreate ``thread_id`` on the deployment of ``profile``, checked there; say what came
    of it (a replay that differs is removed from the target)."""
    from tui.config import resolve_connection
    from tui.services.export import NoGraph, replay_thread
    from tui.spec import ConfigError

    source = viewer.client
    settings = getattr(viewer.app, "settings", None)
    if source is None or settings is None:
        viewer.notify("Not connected.", markup=False, timeout=3)
        return
    try:
        spec = resolve_connection(settings, profile=profile)
    except (ConfigError, ValueError) as exc:
        viewer.report(exc, f"Replaying to profile {profile}")
        return
    viewer.notify(notify_text(f"Replaying thread {short_id(thread_id)} to {spec.describe()}…"),
                  markup=False, timeout=4)
    try:
        async with spec.client() as target:
            outcome = await replay_thread(source, thread_id, target)
    except (DeploymentError, HistoryExportError, NoGraph) as exc:
        viewer.report(exc, f"Replaying thread {thread_id} to profile {profile}")
        return
    if outcome.losses or outcome.thread is None:
        lines = "; ".join(loss.line() for loss in outcome.losses)
        viewer.notify(notify_text(f"Not replayed: the copy on {profile} would differ ({lines}); "
                                  "nothing was left there."),
                      title="Replay refused", severity="error", markup=False, timeout=15)
        return
    viewer.notify(notify_text(f"Replayed thread {thread_id} to profile {profile} as thread "
                              f"{outcome.thread.thread_id}: compared equal, checkpoint by "
                              "checkpoint."), title="Replayed", markup=False, timeout=12)
    for warning in outcome.warnings:
        viewer.notify(notify_text(warning), markup=False, timeout=10)
