"""A failure as the user is shown it: one literal line, the API key and every header value
masked, its traceback to the log only (never the screen). The shell's ``report_error`` and the
failed-worker hook use these."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from tui.deployment import DeploymentError

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient
    from tui.spec import ConnectionSpec

log = logging.getLogger("threadloom.app")


def secrets_of(spec: ConnectionSpec, client: DeploymentClient | None) -> list[str]:
    """What must never be shown: the spec's key and header values, and the client's."""
    secrets = [spec.api_key() or "", *spec.resolved_headers().values()]
    if client is not None:
        secrets += client.connection.secrets()
    return secrets


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret masked (the longest first: one may contain another)."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, "•••")
    return text


def failure_line(exc: BaseException, context: str, secrets: Iterable[str]) -> str:
    """The masked message for ``exc``; logged, with the masked traceback when unexpected."""
    secrets = list(secrets)
    if isinstance(exc, DeploymentError):
        message = scrub(str(exc), secrets)
        log.info("%s: %s", context, message)
        return message
    # An unexpected failure may carry anything, the API key included: the message and the
    # logged traceback are masked like the client masks its own errors.
    message = scrub(f"{type(exc).__name__}: {exc}", secrets)
    trace = "".join(traceback.format_exception(exc))
    log.error("%s\n%s", context, scrub(trace.rstrip(), secrets))
    return message


def worker_failure(event: Worker.StateChanged) -> tuple[BaseException, str] | None:
    """A failed worker's error and what to call the failure ("Load page failed")."""
    worker = event.worker
    if event.state is not WorkerState.ERROR or worker.error is None:
        return None
    context = worker.description or worker.name or "A background task"
    name = (worker.name or "").strip("_").replace("_", " ")
    return worker.error, f"{name.capitalize() or context} failed"
