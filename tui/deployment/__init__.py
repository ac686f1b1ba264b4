"""The Agent Server client: async httpx, pydantic models and typed errors. No Textual here."""

from tui.deployment.client import DeploymentClient
from tui.deployment.errors import (
    AuthError,
    BadResponse,
    Conflict,
    DeploymentError,
    InvalidRequest,
    NotFound,
    ServerError,
    ThreadCreatedWithProblems,
    Timeout,
    Unreachable,
)
from tui.deployment.http import API_KEY_ENV_VARS, Connection, Timeouts, api_key_from_env
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

__all__ = [
    "API_KEY_ENV_VARS",
    "SPECIAL_NODES",
    "Assistant",
    "AuthError",
    "BadResponse",
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
    "Thread",
    "ThreadCreatedWithProblems",
    "ThreadState",
    "Timeout",
    "Timeouts",
    "Unreachable",
    "api_key_from_env",
]
