"""Where the API key comes from: the environment, as the official SDK looks for it.

Kept apart from :mod:`tui.deployment.http` so that resolving a connection (the command line,
the config file) does not import httpx before the app's first frame.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

API_KEY_ENV_VARS = ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY")


def api_key_from_env(env: Mapping[str, str] | None = None, name: str | None = None) -> str | None:
    """The API key as the official SDK finds it, or from the one variable ``name``."""
    source = os.environ if env is None else env
    names = (name,) if name else API_KEY_ENV_VARS
    for var in names:
        value = source.get(var, "").strip()
        if value:
            return value
    return None
