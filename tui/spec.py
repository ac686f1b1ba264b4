"""A resolved connection (:class:`ConnectionSpec`) and the flag rules that make one.

No pydantic and no httpx here: the command line resolves ``--url`` with this module alone, so the
app can draw its first frame before the client's libraries are loaded. Profiles from the config
file are resolved by :func:`tui.config.resolve_connection`, which ends here too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.deployment.env import api_key_from_env

if TYPE_CHECKING:
    import httpx

    from tui.deployment import DeploymentClient
    from tui.deployment.http import Http

DEFAULT_URL = "http://127.0.0.1:2024"


class ConfigError(Exception):
    """The config file cannot be used; the message says which file and what is wrong."""


@dataclass(frozen=True)
class ConnectionSpec:
    """A resolved connection: what the command line and the profile together ask for."""

    url: str
    profile: str | None = None
    api_key_env: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    timeout_seconds: float = 30.0
    verify_tls: bool = True

    def api_key(self, env: dict[str, str] | None = None) -> str | None:
        return api_key_from_env(env, name=self.api_key_env)

    def resolved_headers(self, env: dict[str, str] | None = None) -> dict[str, str]:
        """Header values; ``$NAME`` values are read from the environment."""
        source = os.environ if env is None else env
        out: dict[str, str] = {}
        for name, value in self.headers.items():
            if value.startswith("$") and len(value) > 1:
                value = source.get(value[1:], "")
            if value:
                out[name] = value
        return out

    def gateway(self, transport: httpx.AsyncBaseTransport | None = None) -> Http:
        """The HTTP gateway for this connection (httpx only: the client's models are not
        loaded); ``transport`` only for tests."""
        from tui.deployment.http import Timeouts, make_gateway

        # TLS is verified by default; httpx honours SSL_CERT_FILE / SSL_CERT_DIR for a custom CA.
        return make_gateway(
            self.url,
            api_key=self.api_key(),
            headers=self.resolved_headers(),
            timeouts=Timeouts(read=self.timeout_seconds, write=self.timeout_seconds),
            verify=self.verify_tls,
            transport=transport,
        )

    def client(self, transport: httpx.AsyncBaseTransport | None = None, *,
               gateway: Http | None = None) -> DeploymentClient:
        """A client for this connection (over ``gateway`` when one was made already);
        ``transport`` only for tests."""
        from tui.deployment import DeploymentClient

        return DeploymentClient(self.url, gateway=gateway or self.gateway(transport))

    def describe(self) -> str:
        """For the header line: the URL and profile, never a secret."""
        return f"{self.url} ({self.profile})" if self.profile else self.url


def parse_header(text: str) -> tuple[str, str]:
    """``"Name: value"`` → (name, value); raises ValueError with a clear message."""
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise ValueError(f"header {text!r} must look like 'Name: value'")
    return name.strip(), value.strip()


def check_url(url: str) -> str:
    """``url`` without a trailing slash; ValueError unless it is http(s)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return url.rstrip("/")


def spec_from_flags(
    url: str | None,
    *,
    profile: str | None = None,
    api_key_env: str | None = None,
    headers: list[str] | None = None,
    base_headers: Mapping[str, str] | None = None,
    timeout_seconds: float = 30.0,
    verify_tls: bool = True,
) -> ConnectionSpec:
    """The command-line flags over a profile's values (the defaults when there is none)."""
    merged_headers = dict(base_headers or {})
    for text in headers or []:
        key, value = parse_header(text)
        merged_headers[key] = value
    final_url = (url or DEFAULT_URL).rstrip("/")
    try:
        check_url(final_url)
    except ValueError:
        raise ConfigError(f"URL {final_url!r} must start with http:// or https://") from None
    return ConnectionSpec(
        url=final_url,
        profile=profile,
        api_key_env=api_key_env,
        headers=merged_headers,
        timeout_seconds=timeout_seconds,
        verify_tls=verify_tls,
    )
