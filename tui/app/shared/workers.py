"""Background work for the panes: one way to start it.

A pane's request runs on a Textual worker, with ``exit_on_error=False`` so a failure becomes a
message (``tui.app.reporting``, which titles it after the worker: "Load failed"), and in a
group, most of them exclusive: a newer request cancels the one before.

The worker is handed a function (a ``functools.partial``), not a coroutine. The coroutine is
then made only when the worker starts, so a worker cancelled before it starts — a newer request
in its group in the same moment, or the app quitting — leaves nothing behind: a coroutine made
up front would be collected never awaited, and Python would warn.
"""

from __future__ import annotations

from collections.abc import Coroutine
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.worker import WorkType


def run_job(host: DOMNode, job: partial[Coroutine[Any, Any, None]], group: str, *,
            exclusive: bool = True, name: str | None = None, description: str = "") -> None:
    """Run ``job()`` on ``host``'s worker in ``group``, named ``name`` or after the function."""
    work: WorkType[None] = job
    host.run_worker(work, name=name or job.func.__name__, group=group, exclusive=exclusive,
                    exit_on_error=False, description=description)
