"""The one place HTTP happens: an ``httpx.AsyncClient``, error mapping and safe retries."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import httpx_sse

from tui.deployment.capabilities import Capabilities
from tui.deployment.env import API_KEY_ENV_VARS, api_key_from_env
from tui.deployment.errors import (
    BadResponse,
    DeploymentError,
    InvalidRequest,
    Timeout,
    Unreachable,
    detail_line,
    error_for_status,
)
from tui.deployment.tls import tls_context

__all__ = ["API_KEY_ENV_VARS", "LIMITS", "Connection", "Http", "Timeouts", "api_key_from_env", "q"]

USER_AGENT = "threadloom"

# Errors where the request never reached the server: always safe to send again.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Errors where a kept-alive connection died under us (e.g. after a 500): safe for idempotent calls.
_DROPPED = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
# An idle connection is let go after this long, before the server does: uvicorn (the Agent
# Server's, Aegra's) closes one after 5 s, httpx's own default. At equal times a request after
# a pause of ~5 s could go out just as the server closed the connection and be lost unseen; a
# copy, a fork or a run is not sent again (it may have been applied), so the user read "cannot
# reach" (tests/reliability/test_client_faults.py). A transport passed in instead of httpx's
# own (the tests') takes these limits itself: httpx applies them only to its own.
LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20,  # httpx's defaults
                      keepalive_expiry=4.0)


def q(segment: str) -> str:
    """A path segment (a thread, run or assistant id) quoted so it cannot change the path."""
    return quote(segment, safe="")


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 5.0

    def httpx(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect, read=self.read, write=self.write, pool=self.pool
        )


@dataclass(frozen=True)
class Connection:
    """Where a deployment is and how to authenticate; the key is never printed."""

    url: str
    api_key: str | None = field(default=None, repr=False)
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    timeouts: Timeouts = field(default_factory=Timeouts)
    retries: int = 2
    verify: bool | str = True

    @property
    def base_url(self) -> str:
        return self.url.rstrip("/")

    def request_headers(self) -> dict[str, str]:
        headers = {"User-Agent": USER_AGENT}
        if self.api_key:
            headers["x-api-key"] = self.api_key
        headers.update(self.headers)
        return headers

    def secrets(self) -> list[str]:
        """Values that must never be shown: the key and every custom header value."""
        values = [self.api_key] if self.api_key else []
        values.extend(v for v in self.headers.values() if v)
        return values


def _detail(response: httpx.Response) -> str:
    """The server's reason: ``{"detail": "..."}`` (the Agent Server), a FastAPI field-error
    list (its messages), or ``{"error": ..., "message": "..."}`` (Aegra)."""
    text = response.text
    try:
        body = json.loads(text)
    except ValueError:
        return text.strip()
    if isinstance(body, dict) and "detail" in body:
        detail = body["detail"]
        if isinstance(detail, str):
            return detail
        if isinstance(detail, list) and detail and all(
            isinstance(e, dict) and isinstance(e.get("msg"), str) for e in detail
        ):
            return "; ".join(e["msg"] for e in detail)
        return json.dumps(detail)
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return text.strip()


class Http:
    """Sends requests, decodes JSON and turns every failure into a :class:`DeploymentError`."""

    def __init__(
        self, connection: Connection, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.connection = connection
        self.capabilities = Capabilities()  # what this server was found not to do
        # Requests sent ahead (prefetch), each answered once to the same request made later.
        self._ahead: dict[tuple[str, str, str], asyncio.Task[tuple[Any, httpx.Response]]] = {}
        self._client = httpx.AsyncClient(
            base_url=connection.base_url,
            headers=connection.request_headers(),
            timeout=connection.timeouts.httpx(),
            transport=transport,
            verify=tls_context(connection.verify),  # made once per process (tls.py)
            follow_redirects=True,
            limits=LIMITS,
        )

    async def aclose(self) -> None:
        """Close the connections; a request sent ahead that nobody took is cancelled, and its
        end awaited: nothing of this gateway is left running after it."""
        ahead = list(self._ahead.values())
        self._ahead.clear()
        for task in ahead:
            task.cancel()
        await asyncio.gather(*ahead, return_exceptions=True)
        await self._client.aclose()

    def prefetch(self, method: str, path: str, *, what: str, json_body: Any) -> asyncio.Event:
        """Send a request now whose answer is wanted later: the first identical
        :meth:`request` (same method, path and body) gets its outcome — the answer, or the same
        error — instead of sending again. The event is set once the request has gone out (or
        failed): a caller can then do slow work (loading the client's models) while the server
        answers."""
        sent = asyncio.Event()

        async def trace(event: str, info: Mapping[str, Any]) -> None:
            if event.endswith("send_request_body.complete"):
                sent.set()

        async def send() -> tuple[Any, httpx.Response]:
            try:
                return await self._send(method, path, what=what, json_body=json_body,
                                        trace=trace)
            finally:
                sent.set()

        self._ahead[_ahead_key(method, path, json_body)] = asyncio.ensure_future(send())
        return sent

    def _scrub(self, text: str) -> str:
        for secret in self.connection.secrets():
            text = text.replace(secret, "•••")
        return text

    def _transport_error(self, exc: Exception, what: str) -> DeploymentError:
        where = self.connection.base_url
        if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout):
            return Timeout(f"{what}: {where} did not answer in time ({type(exc).__name__})")
        reason = detail_line(self._scrub(str(exc))) or type(exc).__name__
        return Unreachable(f"{what}: cannot reach {where} — {reason}")

    async def request(
        self,
        method: str,
        path: str,
        *,
        what: str,
        json_body: Any = None,
        params: Mapping[str, Any] | None = None,
        idempotent: bool = True,
        expect_json: bool = True,
        trace: Any = None,
    ) -> tuple[Any, httpx.Response]:
        """Send one request; returns the decoded JSON (or None) and the response.

        Retries a request that never reached the server, and (when ``idempotent``) one whose
        kept-alive connection was reset; never anything else. A request sent ahead
        (:meth:`prefetch`) is answered by that one. ``trace``: httpcore's trace hook.
        """
        if self._ahead and params is None and expect_json:
            ahead = self._ahead.pop(_ahead_key(method, path, json_body), None)
            if ahead is not None:
                return await ahead
        return await self._send(method, path, what=what, json_body=json_body, params=params,
                                idempotent=idempotent, expect_json=expect_json, trace=trace)

    async def _send(
        self, method: str, path: str, *, what: str, json_body: Any = None,
        params: Mapping[str, Any] | None = None, idempotent: bool = True,
        expect_json: bool = True, trace: Any = None,
    ) -> tuple[Any, httpx.Response]:
        attempts = self.connection.retries + 1
        extensions = {"trace": trace} if trace is not None else None
        for attempt in range(attempts):
            try:
                response = await self._client.request(
                    method, path, json=json_body, params=params, extensions=extensions
                )
            except _NOT_SENT as exc:
                if attempt + 1 < attempts:
                    await asyncio.sleep(0.1 * (attempt + 1))
                    continue
                raise self._transport_error(exc, what) from None
            except _DROPPED as exc:
                if idempotent and attempt + 1 < attempts:
                    await asyncio.sleep(0.05)
                    continue
                raise self._transport_error(exc, what) from None
            except httpx.TimeoutException as exc:
                raise self._transport_error(exc, what) from None
            except httpx.InvalidURL as exc:
                raise InvalidRequest(f"{what}: not a valid request address ({exc})") from None
            except (ValueError, TypeError, RecursionError) as exc:
                # The body could not be encoded (e.g. nested deeper than JSON encoders allow).
                reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
                raise InvalidRequest(f"{what}: the request cannot be sent: {detail_line(reason)}") \
                    from None
            except httpx.HTTPError as exc:
                raise self._transport_error(exc, what) from None
            return self._decode(response, what, expect_json), response
        raise AssertionError("unreachable")  # pragma: no cover

    def _decode(self, response: httpx.Response, what: str, expect_json: bool) -> Any:
        if response.status_code >= 400:
            raise error_for_status(response.status_code, self._scrub(_detail(response)), what)
        if not expect_json or response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except RecursionError:
            raise BadResponse(
                f"{what}: the server's answer is nested too deeply to read",
                status=response.status_code,
            ) from None
        except ValueError:
            snippet = detail_line(self._scrub(response.text), 80)
            raise BadResponse(
                f"{what}: the server sent something that is not JSON ({snippet!r})",
                status=response.status_code,
            ) from None

    @asynccontextmanager
    async def sse(
        self, method: str, path: str, *, what: str, json_body: Any = None
    ) -> AsyncIterator[httpx_sse.EventSource]:
        """Open a server-sent-event stream; HTTP errors become typed errors before iteration."""
        try:
            async with httpx_sse.aconnect_sse(
                self._client,
                method,
                path,
                json=json_body,
                timeout=httpx.Timeout(
                    connect=self.connection.timeouts.connect,
                    read=None,
                    write=self.connection.timeouts.write,
                    pool=self.connection.timeouts.pool,
                ),
            ) as source:
                response = source.response
                if response.status_code >= 400:
                    await response.aread()
                    raise error_for_status(
                        response.status_code, self._scrub(_detail(response)), what
                    )
                yield source
        except DeploymentError:
            raise
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, what) from None


def _ahead_key(method: str, path: str, json_body: Any) -> tuple[str, str, str]:
    return method, path, json.dumps(json_body, sort_keys=True, default=str)


def make_gateway(
    url: str,
    *,
    api_key: str | None = None,
    api_key_env: str | None = None,
    headers: Mapping[str, str] | None = None,
    timeouts: Timeouts | None = None,
    retries: int = 2,
    verify: bool | str = True,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Http:
    """The HTTP gateway a client talks through (httpx only: no models loaded)."""
    key = api_key if api_key is not None else api_key_from_env(name=api_key_env)
    connection = Connection(url=url, api_key=key, headers=dict(headers or {}),
                            timeouts=timeouts or Timeouts(), retries=retries, verify=verify)
    return Http(connection, transport=transport)
