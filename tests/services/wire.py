"""What reaches the wire: a transport in front of the real test server that keeps every
``POST /threads`` body it forwards. Nothing is faked — the answers are the server's."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tui.deployment.http import LIMITS
from tui.deployment.tls import tls_context


class CreateBodies(httpx.AsyncBaseTransport):
    """Forwards every request to ``real_url`` (whatever host the client believes it talks to)
    and records the JSON body of each ``POST /threads``."""

    def __init__(self, real_url: str) -> None:
        self._real = httpx.URL(real_url)
        self._transport = httpx.AsyncHTTPTransport(verify=tls_context(), limits=LIMITS)
        self.bodies: list[dict[str, Any]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self._real.scheme, host=self._real.host, port=self._real.port
        )
        if request.method == "POST" and request.url.path == "/threads":
            self.bodies.append(json.loads(request.content))
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self._transport.aclose()


async def server_answer(real_url: str, body: dict[str, Any]) -> int:
    """The status the server gives ``body`` sent straight to it (no client in between)."""
    async with httpx.AsyncClient(base_url=real_url) as raw:
        return (await raw.post("/threads", json=body)).status_code
