"""One TLS context per setting for the process (tui/deployment/tls.py): made once and shared
by every client, made again when what it was made from changed, and the warm-up thread's
context is the one the first client gets. (TLS against a real TLS endpoint is tested in
tests/reliability/test_secrets_tls.py.)"""

from __future__ import annotations

import os
import ssl
import time
from pathlib import Path

import pytest
import trustme

from tui.deployment import tls
from tui.deployment.http import Connection, Http


def test_clients_share_one_context_per_setting() -> None:
    verifying, insecure = tls.tls_context(True), tls.tls_context(False)
    assert verifying is tls.tls_context(True)
    assert verifying.verify_mode is ssl.CERT_REQUIRED and verifying.check_hostname
    assert insecure.verify_mode is ssl.CERT_NONE and insecure is not verifying


async def test_the_client_uses_the_shared_context() -> None:
    made = []
    real = tls._make

    def counting(verify: bool | str) -> ssl.SSLContext:
        made.append(verify)
        return real(verify)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tls, "_make", counting)
        patch.setattr(tls, "_contexts", {})
        for _ in range(3):
            await Http(Connection(url="http://127.0.0.1:9")).aclose()
    assert made == [True]


def test_a_changed_ca_bundle_makes_a_new_context(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(bundle))
    first = tls.tls_context(str(bundle))
    assert tls.tls_context(str(bundle)) is first
    trustme.CA().cert_pem.write_to_path(str(bundle))  # the user fixed the bundle: F5
    later = time.time() + 5
    os.utime(bundle, (later, later))
    assert tls.tls_context(str(bundle)) is not first

    default = tls.tls_context(True)
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    assert tls.tls_context(True) is not default  # SSL_CERT_FILE is honoured, as httpx does


def test_the_warm_up_makes_the_context_the_first_client_gets(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tls, "_contexts", {})
    tls.warm_up(True)
    deadline = time.monotonic() + 10
    while not tls._contexts and time.monotonic() < deadline:
        time.sleep(0.01)
    [warmed] = tls._contexts.values()
    assert tls.tls_context(True) is warmed


def test_a_missing_ca_file_fails_where_the_client_is_made(tmp_path: Path) -> None:
    tls.warm_up(str(tmp_path / "missing.pem"))  # the thread swallows it: nothing raised here
    with pytest.raises(OSError):
        tls.tls_context(str(tmp_path / "missing.pem"))
