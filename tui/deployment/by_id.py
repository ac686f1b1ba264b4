"""A search by thread ids on a server that ignores the ``ids`` filter (Aegra): one GET per id.

A search by id names a few threads (the app and the CLI ask for one), so reading each is
cheap; the search's other filters are applied here, and ``select`` / ``extract`` as a server
that honours them would have.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tui.deployment.capabilities import matches, project
from tui.deployment.errors import NotFound
from tui.deployment.http import Http, q


async def read_by_ids(
    http: Http,
    ids: Sequence[str],
    metadata: dict[str, Any] | None,
    status: str | None,
    *,
    limit: int,
    offset: int,
    select: Sequence[str] | None,
    extract: dict[str, str] | None,
) -> tuple[list[Any], int | None]:
    """The raw thread records of one page, and the next page's offset (or None)."""
    found: list[Any] = []
    for thread_id in dict.fromkeys(ids):
        what = f"Reading thread {thread_id}"
        try:
            body, _ = await http.request("GET", f"/threads/{q(thread_id)}", what=what)
        except NotFound:
            continue
        if matches(body, metadata, status):
            found.append(project(body, select, extract))
    more = offset + limit < len(found)
    return found[offset:offset + limit], offset + limit if more else None
