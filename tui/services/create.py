"""Creating a thread from a superstep script, the one way the command line and the editor do it.

The script's body is sent whole: it is "exactly the body ``POST /threads`` takes"
(``tui.supersteps.model``), so what the models do not name — unknown top-level keys,
``ttl.strategy`` — reaches the server as written and the server judges it. What the client
adds on the way is its own: a chosen thread id (so a retry never makes a second thread) and the
checks that the supersteps were applied (``tui.deployment.thread_create``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tui.deployment import InvalidRequest
from tui.supersteps.validate import ttl_problems

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient, Thread

__all__ = ["create_from_script"]

WHAT = "Creating the thread"


async def create_from_script(client: DeploymentClient, body: Mapping[str, Any]) -> Thread:
    """``POST /threads`` with ``body`` (a script's :meth:`~tui.supersteps.model.Script.to_body`)
    sent whole.

    The TTL is checked here, as the validator checks it (``ttl_problems``): a ``ttl`` the
    validator refuses is never sent (:class:`InvalidRequest`, nothing sent). Every other
    failure is the client's typed error: ``Conflict``, ``InvalidRequest``,
    ``ThreadCreatedWithProblems``, ``SuperstepsRejected``, ``SuperstepsIgnored``, ...
    """
    problems = ttl_problems(body.get("ttl"))
    if problems:
        field, message = problems[0]
        raise InvalidRequest(f"{WHAT}: the request cannot be sent: {message}",
                             detail=f"{field}: {message}")
    return await client.threads.create_body(body)
