"""Finding threads: ``POST /threads/search`` (one page, and the real next offset) and
``POST /threads/count``, with what servers that lack a feature need (Aegra: no ``select``
projection, an ``ids`` filter silently ignored, no count).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tui.deployment.by_id import read_by_ids
from tui.deployment.capabilities import COUNT_MISSING, project, route_missing
from tui.deployment.errors import BadResponse, DeploymentError, InvalidRequest, Unsupported
from tui.deployment.http import Http
from tui.deployment.models import (
    SearchPage,
    SortBy,
    SortOrder,
    ThreadCount,
    ThreadSearch,
    ThreadStatus,
)
from tui.deployment.thread_records import parse_thread

__all__ = ["count_threads", "search_threads"]


async def search_threads(
    http: Http,
    *,
    ids: Sequence[str] | None = None,
    metadata: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
    status: ThreadStatus | None = None,
    sort_by: SortBy | None = None,
    sort_order: SortOrder | None = None,
    limit: int = 10,
    offset: int = 0,
    select: Sequence[str] | None = None,
    extract: dict[str, str] | None = None,
) -> SearchPage:
    """One page of threads and the real next offset (``X-Pagination-Next``).

    ``X-Pagination-Total`` is not a total on this server; use :func:`count_threads`.
    """
    capabilities = http.capabilities
    if ids and not capabilities.search_ids:
        return await _search_by_ids(
            http, ids, metadata, status, limit=limit, offset=offset, select=select,
            extract=extract,
        )
    projected = bool(select or extract) and capabilities.search_projection
    request = ThreadSearch(
        ids=list(ids) if ids else None, metadata=metadata or None, values=values or None,
        status=status, sort_by=sort_by, sort_order=sort_order, limit=limit, offset=offset,
        select=list(select) if projected and select else None,
        extract=extract if projected and extract else None,
    )
    what = "Searching threads"
    try:
        body, response = await http.request(
            "POST", "/threads/search", what=what, json_body=request.body()
        )
    except InvalidRequest:
        if not projected:
            raise
        # Aegra: 422 "select projection is not supported". Ask plainly; when that is
        # refused too, its reason (without the projection's) is the one to show.
        plain = request.model_copy(update={"select": None, "extract": None})
        body, response = await http.request(
            "POST", "/threads/search", what=what, json_body=plain.body()
        )
        capabilities.search_projection = projected = False
    if not isinstance(body, list):
        raise BadResponse(f"{what}: the server's answer is not a list of threads")
    if ids and any(isinstance(i, dict) and i.get("thread_id") not in ids for i in body):
        capabilities.search_ids = False  # Aegra: the filter is silently ignored
        return await _search_by_ids(
            http, ids, metadata, status, limit=limit, offset=offset, select=select,
            extract=extract,
        )
    if (select or extract) and not projected:
        body = [project(item, select, extract) for item in body]
    items = [parse_thread(item, what) for item in body]
    header = response.headers.get("X-Pagination-Next")
    next_offset: int | None
    if header is not None and header.strip().isdigit():
        next_offset = int(header)
    elif header is None and len(items) == limit:
        next_offset = offset + limit  # servers without the header: guess on full pages
    else:
        next_offset = None
    return SearchPage(items=items, offset=offset, next_offset=next_offset)

async def _search_by_ids(
    http: Http,
    ids: Sequence[str],
    metadata: dict[str, Any] | None,
    status: str | None,
    *,
    limit: int,
    offset: int,
    select: Sequence[str] | None,
    extract: dict[str, str] | None,
) -> SearchPage:
    items, next_offset = await read_by_ids(http, ids, metadata, status, limit=limit,
                                           offset=offset, select=select, extract=extract)
    return SearchPage(items=[parse_thread(item, "Searching threads") for item in items],
                      offset=offset, next_offset=next_offset)

async def count_threads(
    http: Http,
    *,
    metadata: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
    status: ThreadStatus | None = None,
) -> int:
    """How many threads match; :class:`Unsupported` on servers that cannot count."""
    capabilities = http.capabilities
    if not capabilities.count:
        raise Unsupported(COUNT_MISSING)
    request = ThreadCount(metadata=metadata or None, values=values or None, status=status)
    what = "Counting threads"
    try:
        body, _ = await http.request(
            "POST", "/threads/count", what=what, json_body=request.body()
        )
    except DeploymentError as exc:
        if not route_missing(exc):
            raise
        capabilities.count = False  # Aegra: 405
        raise Unsupported(COUNT_MISSING, status=exc.status, detail=exc.detail) from None
    if isinstance(body, bool) or not isinstance(body, int):
        raise BadResponse(f"{what}: the server's answer is not a number")
    return body
