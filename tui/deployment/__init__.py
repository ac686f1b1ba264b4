"""The Agent Server client: async httpx, pydantic models and typed errors. No Textual here.

Names are loaded on first use (PEP 562): ``from tui.deployment import DeploymentError`` costs
only the errors module, so the app can draw its first frame before httpx and pydantic load.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

# httpx imports its command-line client (click, rich.progress: ~15 ms) when those happen to be
# installed; nothing here runs it. Marking that module absent makes httpx skip it.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    from tui.deployment.capabilities import Capabilities
    from tui.deployment.client import DeploymentClient
    from tui.deployment.env import API_KEY_ENV_VARS, api_key_from_env
    from tui.deployment.errors import (
        AuthError,
        BadResponse,
        Conflict,
        DeploymentError,
        InvalidRequest,
        NotFound,
        ServerError,
        SuperstepsIgnored,
        SuperstepsIncomplete,
        SuperstepsRejected,
        ThreadCreatedWithProblems,
        Timeout,
        Unreachable,
        Unsupported,
    )
    from tui.deployment.http import Connection, Timeouts
    from tui.deployment.models import (
        SPECIAL_NODES,
        Assistant,
        GraphInfo,
        GraphSchemas,
        Run,
        SearchPage,
        ServerInfo,
        StreamPart,
        Thread,
        ThreadState,
    )

_HOME = {
    "Capabilities": "capabilities",
    "DeploymentClient": "client",
    **dict.fromkeys(
        ("AuthError", "BadResponse", "Conflict", "DeploymentError", "InvalidRequest", "NotFound",
         "ServerError", "SuperstepsIgnored", "SuperstepsIncomplete", "SuperstepsRejected",
         "ThreadCreatedWithProblems", "Timeout", "Unreachable", "Unsupported"), "errors"),
    **dict.fromkeys(("API_KEY_ENV_VARS", "api_key_from_env"), "env"),
    **dict.fromkeys(("Connection", "Timeouts"), "http"),
    **dict.fromkeys(
        ("SPECIAL_NODES", "Assistant", "GraphInfo", "GraphSchemas", "Run", "SearchPage",
         "ServerInfo", "StreamPart", "Thread", "ThreadState"), "models"),
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "API_KEY_ENV_VARS",
    "SPECIAL_NODES",
    "Assistant",
    "AuthError",
    "BadResponse",
    "Capabilities",
    "Conflict",
    "Connection",
    "DeploymentClient",
    "DeploymentError",
    "GraphInfo",
    "GraphSchemas",
    "InvalidRequest",
    "NotFound",
    "Run",
    "SearchPage",
    "ServerError",
    "ServerInfo",
    "StreamPart",
    "SuperstepsIgnored",
    "SuperstepsIncomplete",
    "SuperstepsRejected",
    "Thread",
    "ThreadCreatedWithProblems",
    "ThreadState",
    "Timeout",
    "Timeouts",
    "Unreachable",
    "Unsupported",
    "api_key_from_env",
]
