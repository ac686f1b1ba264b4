"""What a new run does when the thread already has one active (``multitask_strategy``): the
choices, the default and what each means, for the run panel and ``threadloom run``.

Pure stdlib and tiny, so that ``threadloom``'s argument parser can offer the choices before the
app's first frame without loading the domain (pydantic); ``tui.supersteps.run_input``
re-exports these names.
"""

from __future__ import annotations

MULTITASK_STRATEGIES: tuple[str, ...] = ("reject", "enqueue", "interrupt", "rollback")
DEFAULT_MULTITASK = "reject"
"""The server's default too: a second run on a busy thread is refused with 409."""

MULTITASK_HELP = {
    "reject": "refuse the new run (409) while another one is active — the server's default",
    "enqueue": "start the new run when the active one has finished",
    "interrupt": "stop the active run (its progress is kept) and start the new one",
    "rollback": "stop the active run, delete it and its progress, and start the new one",
}

__all__ = ["DEFAULT_MULTITASK", "MULTITASK_HELP", "MULTITASK_STRATEGIES"]
