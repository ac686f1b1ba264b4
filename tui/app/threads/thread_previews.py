"""Previews the thread search cannot give: a copied thread's.

Measured (langgraph-api 0.16.7): a copy's record has no ``values`` until its first run or state
update — its ``/state`` has them — so the search's ``extract`` finds no last message and the
row's preview stays empty, refresh or not. Rows that come without a preview are therefore read
from ``/state`` in the background, one at a time: at most :data:`READS_PER_LOAD` per page, and a
thread found to have no preview there either (an empty thread, a graph without ``messages``) is
remembered with its ``updated_at``, so a refresh asks again only after it changed. Skipped on a
server that sends no values in its searches at all (Aegra: every preview is blank there).

Plain parts (no Textual): :class:`PreviewReads` decides what to read, :func:`read_previews`
reads it; the list runs the reading in a worker and shows what comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from tui.services.listing import row_preview

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient, Thread

READS_PER_LOAD = 20


@dataclass
class PreviewReads:
    """Which rows' previews to read, and the threads known to have none (with the
    ``updated_at`` they had then)."""

    per_load: int = READS_PER_LOAD
    empty: set[tuple[str, datetime | None]] = field(default_factory=set)

    def wanted(self, threads: list[Thread]) -> list[str]:
        """The ids of ``threads`` whose preview is worth reading now (at most ``per_load``)."""
        missing = [t.thread_id for t in threads
                   if (t.extracted or {}).get("preview") is None
                   and (t.thread_id, t.updated_at) not in self.empty]
        return missing[:self.per_load]


async def read_previews(client: DeploymentClient, ids: list[str], reads: PreviewReads, *,
                        row: Callable[[str], Thread | None], current: Callable[[], bool],
                        show: Callable[[Thread], None]) -> None:
    """Read each thread's preview from its state, one at a time, and ``show`` the row with
    it; stop when ``current()`` turns false (the user moved on to another search or server).
    ``row(id)``: the thread as the list holds it now (None: no longer shown, skipped); a
    failed read leaves its row as it was."""
    from tui.deployment import DeploymentError

    for thread_id in ids:
        if not current():
            return
        try:
            preview = await row_preview(client, thread_id)
        except DeploymentError:
            continue
        thread = row(thread_id)
        if thread is None or not current():
            continue
        if preview is None:
            reads.empty.add((thread_id, thread.updated_at))
            continue
        extracted = {**(thread.extracted or {}), "preview": preview}
        show(thread.model_copy(update={"extracted": extracted}))
