"""``DeploymentClient``: one Agent Server, over one ``httpx.AsyncClient``."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

import httpx
from pydantic import ValidationError

from tui.deployment.assistants import Assistants
from tui.deployment.capabilities import Capabilities
from tui.deployment.errors import BadResponse
from tui.deployment.http import Http, Timeouts, make_gateway
from tui.deployment.models import ServerInfo
from tui.deployment.runs import Runs
from tui.deployment.threads import Threads


class DeploymentClient:
    """Async client for the Agent Server HTTP API (``langgraph dev``, self-hosted, LangSmith).

    ``api_key`` defaults to the environment variables the official SDK reads. ``transport``
    is for tests that must fake a fault a real server cannot produce.
    """

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        api_key_env: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeouts: Timeouts | None = None,
        retries: int = 2,
        verify: bool | str = True,
        transport: httpx.AsyncBaseTransport | None = None,
        gateway: Http | None = None,
    ) -> None:
        """``gateway``: an HTTP gateway made before (``tui.deployment.http.make_gateway``),
        with the requests it sent ahead; the other arguments are then its own."""
        if gateway is None:
            gateway = make_gateway(url, api_key=api_key, api_key_env=api_key_env,
                                   headers=headers, timeouts=timeouts, retries=retries,
                                   verify=verify, transport=transport)
        self.connection = gateway.connection
        self._http = gateway
        self.threads = Threads(self._http)
        self.assistants = Assistants(self._http)
        self.runs = Runs(self._http)

    @property
    def url(self) -> str:
        return self.connection.base_url

    @property
    def capabilities(self) -> Capabilities:
        """What this server was found not to do (so far, on this connection)."""
        return self._http.capabilities

    def __repr__(self) -> str:
        return f"DeploymentClient(url={self.url!r})"

    async def ok(self) -> bool:
        """``GET /ok``: True when the server answers that it is up."""
        body, _ = await self._http.request("GET", "/ok", what="Checking the server")
        return isinstance(body, dict) and body.get("ok") is True

    async def info(self) -> ServerInfo:
        what = "Reading the server info"
        body, _ = await self._http.request("GET", "/info", what=what)
        try:
            return ServerInfo.model_validate(body)
        except ValidationError:
            raise BadResponse(f"{what}: the server's answer is not an info object") from None

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> DeploymentClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def scrub(self, text: Any) -> str:
        """``text`` with the API key and header values masked (for logs and messages)."""
        return self._http._scrub(str(text))
