"""Short thread ids: what the app shows of an id, and which thread a part of one names.

What is shown: the **last 8 hex digits** of the id (``short_id``). Server-made ids are UUIDv7,
whose first digits are the creation time (threads made together share them); the end is
random, so the end tells threads apart.

What is accepted (the app's search and palette, and every CLI command taking THREAD): the full
id, or any **prefix or suffix** of it — at least one hex digit, case-insensitive, dashes
anywhere or nowhere (``1A2B-3C4D`` is ``1a2b3c4d``). A part must name exactly one thread;
several → :class:`AmbiguousId` (naming them), none → :class:`IdNotFound`.

Cost. The API cannot search by part of an id: its ``ids`` filter takes full ids only (Aegra
ignores it), and ``metadata`` filters cannot help (the id is not in the metadata). So a part
is looked up by scanning the deployment's thread ids, newest first, one ``POST /threads/search``
per :data:`PAGE` (1,000, the server's largest page) threads, asking only for ``thread_id``
(``select``), and stopping early once more than :data:`MOST_MATCHES` threads match. At most
:data:`SCAN_LIMIT` threads are read (20 requests; measured: a deployment of 5,000 threads
is scanned in 0.1–0.2 s on the in-memory server); past that a part of fewer than 8 digits
is not trusted to be unique (the message says so), 8 or more are (a second match among the
unread threads is unlikely: 1 in 4·10⁹ per thread). A full id costs nothing here: it is
used as typed and the server answers for it. On a server that refuses ``select`` (Aegra)
the client's fallback asks plainly (full records: a heavier scan, the same answer).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the list draws short ids before pydantic and httpx are loaded
    from tui.deployment import DeploymentClient

SHOWN = 8
"""How many characters of an id the thread list shows: its last ones."""

PAGE = 1000
SCAN_LIMIT = 20_000
MOST_MATCHES = 20
"""More matches than this: the part is ambiguous without reading further."""

_HEX = re.compile(r"[0-9a-f]+")


def short_id(thread_id: str) -> str:
    """The last :data:`SHOWN` hex digits of an id (dashes left out)."""
    return thread_id.replace("-", "")[-SHOWN:]


def compact(text: str) -> str | None:
    """``text`` as lowercase hex digits without dashes and spaces, or None when it holds
    anything else (then it is not an id, nor part of one)."""
    digits = text.strip().lower().replace("-", "")
    return digits if _HEX.fullmatch(digits) and len(digits) <= 32 else None


def full_id(text: str) -> str | None:
    """The canonical id when ``text`` is a whole UUID (any case, with or without dashes)."""
    digits = compact(text)
    if digits is None or len(digits) != 32:
        return None
    return str(uuid.UUID(digits))


def matches(thread_id: str, part: str) -> bool:
    """Does ``part`` (from :func:`compact`) start or end the id?"""
    digits = thread_id.lower().replace("-", "")
    return digits.startswith(part) or digits.endswith(part)


class IdLookupError(LookupError):
    """A part of an id that names no thread, or several."""

    def __init__(self, message: str, part: str, found: tuple[str, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.part = part
        self.found = found


class IdNotFound(IdLookupError):
    """No thread's id starts or ends with the part."""


class AmbiguousId(IdLookupError):
    """Several threads' ids start or end with the part (``found``: those read, newest first)."""


@dataclass(frozen=True)
class Lookup:
    """The threads whose id starts or ends with ``part`` (newest first), and whether every
    thread of the deployment was read (``complete``) or the scan stopped early."""

    part: str
    found: tuple[str, ...]
    complete: bool
    scanned: int

    @property
    def unique(self) -> str | None:
        """The one thread the part names, when it surely names one."""
        if len(self.found) != 1:
            return None
        return self.found[0] if self.complete or len(self.part) >= SHOWN else None

    def problem(self, typed: str) -> IdLookupError | None:
        """Why ``typed`` does not name one thread (None when it does)."""
        shown = repr(typed.strip())
        if self.unique is not None:
            return None
        if not self.found:
            where = "" if self.complete else f" among the newest {self.scanned:,} threads"
            return IdNotFound(f"no thread id starts or ends with {shown}{where}", self.part, ())
        if len(self.found) == 1:
            return AmbiguousId(
                f"{shown} matches thread {self.found[0]} among the newest {self.scanned:,} "
                "threads, but the deployment has more: type more of the id",
                self.part, self.found,
            )
        count = f"more than {MOST_MATCHES}" if len(self.found) > MOST_MATCHES else \
            f"{len(self.found)}"
        listed = ", ".join(self.found[:MOST_MATCHES])
        return AmbiguousId(f"{shown} matches {count} threads: {listed} (type more of the id)",
                           self.part, self.found[:MOST_MATCHES])


async def look_up(client: DeploymentClient, text: str, *, scan_limit: int = SCAN_LIMIT,
                  page: int = PAGE) -> Lookup:
    """The threads ``text`` (all or part of an id) may name. A full id is returned as is,
    without a request; otherwise the deployment's ids are scanned (see the module's cost)."""
    part = compact(text)
    if part is None:
        raise ValueError(f"{text.strip()!r} is not a thread id, nor part of one (hex digits)")
    whole = full_id(text)
    if whole is not None:
        return Lookup(part, (whole,), complete=True, scanned=0)
    found: list[str] = []
    offset = 0
    while True:
        limit = min(page, scan_limit - offset)
        result = await client.threads.search(limit=limit, offset=offset, select=["thread_id"],
                                             sort_by="created_at", sort_order="desc")
        found.extend(t.thread_id for t in result.items
                     if matches(t.thread_id, part) and t.thread_id not in found)
        offset += len(result.items)
        if result.next_offset is None or not result.items:
            return Lookup(part, tuple(found), complete=True, scanned=offset)
        if len(found) > MOST_MATCHES or offset >= scan_limit:
            return Lookup(part, tuple(found), complete=False, scanned=offset)
        offset = result.next_offset


async def resolve_thread_id(client: DeploymentClient, text: str, **scan: int) -> str:
    """The one thread ``text`` names; :class:`IdNotFound` / :class:`AmbiguousId` otherwise
    (``ValueError`` when it is not hex at all)."""
    lookup = await look_up(client, text, **scan)
    problem = lookup.problem(text)
    if problem is not None:
        raise problem
    assert lookup.unique is not None
    return lookup.unique
