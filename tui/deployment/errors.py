"""Typed errors of the Agent Server client.

Every failure the client can meet is one of these; the UI catches :class:`DeploymentError`
only. Each message is one line a user can act on. Messages never contain the API key.
"""

from __future__ import annotations

import re

from tui.safe import one_line
from tui.words import plural

_CREATED_WITH_PROBLEMS = re.compile(
    r"Thread (?P<thread_id>[0-9a-fA-F-]{32,36}) was created, but there were problems updating "
    r"the state: (?P<problem>.*)",
    re.DOTALL,
)


DETAIL_LIMIT = 300
"""How much of a server's detail an error message quotes."""


def detail_line(text: str, limit: int = DETAIL_LIMIT) -> str:
    """A server's detail text as one safe line: whitespace collapsed, long text cut
    (:func:`tui.safe.one_line`)."""
    return one_line(text, limit, collapse=True)


class DeploymentError(Exception):
    """Base class: anything that went wrong talking to a deployment."""

    def __init__(self, message: str, *, status: int | None = None, detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class Unreachable(DeploymentError):
    """No connection could be made (server down, wrong URL, DNS, TLS)."""


class Timeout(DeploymentError):
    """The server did not answer in time."""


class AuthError(DeploymentError):
    """401 / 403: the API key or auth headers were refused."""


class NotFound(DeploymentError):
    """404: the thread, assistant or run does not exist."""


class Conflict(DeploymentError):
    """409: e.g. a thread with that id already exists."""


class InvalidRequest(DeploymentError):
    """400 / 422: the server refused the request; ``detail`` is its text."""


class ServerError(DeploymentError):
    """5xx, including plain-text crash pages."""


class BadResponse(DeploymentError):
    """The server answered with something that is not what the API promises."""


class ThreadCreatedWithProblems(InvalidRequest):
    """The thread row was created but its supersteps failed: an empty thread was left behind.

    The server answers this with 201 and only ``{"detail": ...}``.
    """

    def __init__(self, thread_id: str | None, problem: str, *, status: int | None = 201):
        where = f"thread {thread_id}" if thread_id else "an empty thread"
        message = (
            f"The supersteps were rejected: {detail_line(problem)} "
            f"(the server left {where} behind, empty)"
        )
        super().__init__(message, status=status, detail=problem)
        self.thread_id = thread_id
        self.problem = problem

    @classmethod
    def from_detail(cls, detail: str, fallback_thread_id: str | None) -> ThreadCreatedWithProblems:
        match = _CREATED_WITH_PROBLEMS.match(detail.strip())
        if match:
            return cls(match.group("thread_id"), match.group("problem"))
        return cls(fallback_thread_id, detail)


class SuperstepsRejected(InvalidRequest):
    """The server refused the supersteps of a create and no thread exists (checked).

    The Postgres runtime applies them in the thread's transaction, so a failure leaves nothing
    behind, even when its 201 answer says the thread "was created, but"."""

    def __init__(self, problem: str, *, status: int | None):
        message = f"The supersteps were rejected: {detail_line(problem)} (no thread was created)"
        super().__init__(message, status=status, detail=problem)
        self.problem = problem


class Unsupported(DeploymentError):
    """The deployment does not offer this (an API route it lacks, a field it refuses).

    Learned once per connection (see :mod:`tui.deployment.capabilities`); later calls fail
    at once, before anything is sent."""


class SuperstepsIgnored(Unsupported):
    """The server made the thread but dropped its ``supersteps``: the thread is empty.

    ``deleted`` says whether the empty thread was removed again (it is, when this call made
    it); otherwise ``thread_id`` names the thread that was left."""

    def __init__(self, thread_id: str | None, *, deleted: bool, reason: str = ""):
        if thread_id is None:
            message = ("This server ignores supersteps (found on an earlier create): nothing "
                       "was sent, no thread was created")
        elif deleted:
            message = (f"This server ignored the supersteps: thread {thread_id} was created "
                       "empty, so it was deleted again")
        else:
            message = (f"This server ignored the supersteps: thread {thread_id} was created "
                       f"empty and is left as it is{reason}")
        super().__init__(message)
        self.thread_id = thread_id
        self.deleted = deleted


class SuperstepsIncomplete(DeploymentError):
    """The new thread has fewer checkpoints than its script has supersteps (it is kept)."""

    def __init__(self, thread_id: str, step: int, count: int):
        super().__init__(
            f"The server applied only part of the supersteps: thread {thread_id} ends at step "
            f"{step}, but {plural(count, 'superstep')} end at step {count - 2} or later (the "
            "thread is left as it is)"
        )
        self.thread_id = thread_id


def error_for_status(status: int, detail: str, what: str) -> DeploymentError:
    """Map an HTTP error status and the server's detail text to a typed error."""
    text = detail_line(detail) if detail else ""
    if status in (401, 403):
        hint = "check the API key variable and auth headers of this profile"
        return AuthError(
            f"{what}: access denied ({status}){': ' + text if text else ''} — {hint}",
            status=status,
            detail=detail,
        )
    if status == 404:
        return NotFound(text or f"{what}: not found", status=status, detail=detail)
    if status == 409:
        return Conflict(text or f"{what}: conflict", status=status, detail=detail)
    if status in (400, 422):
        return InvalidRequest(
            f"{what} was refused: {text or 'invalid request'}", status=status, detail=detail
        )
    if status >= 500:
        return ServerError(
            f"{what}: the server failed ({status}){': ' + text if text else ''}",
            status=status,
            detail=detail,
        )
    return BadResponse(
        f"{what}: unexpected status {status}{': ' + text if text else ''}",
        status=status,
        detail=detail,
    )
