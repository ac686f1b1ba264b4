"""Test helpers shared by the app tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx

DISPLAY_URL = "http://127.0.0.1:2024"


class PortRewrite(httpx.AsyncBaseTransport):
    """Sends every request to the real test server while the app believes it talks to
    ``DISPLAY_URL`` — so screenshots do not change with the test server's random port.
    Nothing is faked: the requests and answers are the real server's."""

    def __init__(self, real_url: str) -> None:
        self._real = httpx.URL(real_url)
        self._transport = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self._real.scheme, host=self._real.host, port=self._real.port
        )
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self._transport.aclose()


def fixed_id(name: str) -> str:
    """A stable thread id for deterministic screens."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"threadloom-test/{name}"))


FROZEN_NOW = datetime(2026, 1, 2, 12, 0, 0, tzinfo=UTC)
