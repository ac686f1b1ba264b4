"""Secrets and TLS: keys never shown, config private, TLS verified by default, custom CA works.

The TLS endpoint is a loopback TLS-terminating proxy in front of the real server (the Agent
Server itself speaks plain HTTP), with a throwaway CA from trustme.
"""

from __future__ import annotations

import ssl
import stat
from pathlib import Path

import pytest
import trustme

from tests.reliability.conftest import Stats
from tests.reliability.faultproxy import FaultProxy
from tui.config import Profile, Settings, load_settings, resolve_connection, save_settings
from tui.deployment import DeploymentError, Unreachable


@pytest.fixture
def tls_proxy(server_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    port = int(server_url.rsplit(":", 1)[1])
    with FaultProxy(port, tls=server_ctx) as proxy:
        yield proxy, ca_file


async def test_tls_verified_by_default_and_custom_ca_bundle_works(
    tls_proxy, monkeypatch: pytest.MonkeyPatch, stats: Stats  # type: ignore[no-untyped-def]
) -> None:
    proxy, ca_file = tls_proxy
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    spec = resolve_connection(Settings(), url=proxy.url)
    async with spec.client() as untrusting:
        with pytest.raises(Unreachable) as info:
            await untrusting.ok()
    assert "certificate" in str(info.value).lower()
    stats.faults += 1

    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    async with spec.client() as trusting:
        assert await trusting.ok()

    monkeypatch.delenv("SSL_CERT_FILE")
    insecure = resolve_connection(
        Settings(profiles={"lab": Profile(url=proxy.url, verify_tls=False)}), profile="lab"
    )
    async with insecure.client() as opted_out:
        assert await opted_out.ok()


def test_config_written_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "config.toml"
    settings = Settings(
        default_profile="prod",
        profiles={"prod": Profile(url="https://example.test", api_key_env="PROD_KEY",
                                  headers={"Authorization": "$PROD_BEARER"})},
    )
    save_settings(settings, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings(path) == settings
    # references to secrets are stored, never values
    assert "PROD_KEY" in path.read_text() and "$PROD_BEARER" in path.read_text()


async def test_api_key_never_in_errors_repr_or_headers_shown(
    monkeypatch: pytest.MonkeyPatch, stats: Stats
) -> None:
    secret = "lsv2_sk_supersecret_0123456789"
    monkeypatch.setenv("MY_KEY", secret)
    monkeypatch.setenv("MY_BEARER", f"Bearer {secret}")
    spec = resolve_connection(
        Settings(), url="http://127.0.0.1:9", api_key_env="MY_KEY",
        headers=["Authorization: $MY_BEARER"],
    )
    assert secret not in repr(spec) and secret not in spec.describe()
    async with spec.client() as client:
        assert client.connection.api_key == secret
        assert secret not in repr(client) and secret not in repr(client.connection)
        with pytest.raises(DeploymentError) as info:
            await client.threads.search()
        assert secret not in str(info.value)
        assert secret not in client.scrub(f"echo {secret}")
    stats.faults += 1
