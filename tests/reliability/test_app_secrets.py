"""Secrets at the app level: the API key (from an environment variable, with a recognisable
value) never reaches the screen, a screenshot, a saved script, generated code, an error message,
the log or a traceback; TLS is verified by default and a bad certificate is a clear reason on
the connect screen.
"""

from __future__ import annotations

import logging
import ssl
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from tests.reliability.conftest import Stats
from tests.reliability.faultproxy import FaultProxy
from tests.reliability.test_app_support import (
    SIZE,
    assert_terminal_safe,
    isolated_home,
    loaded,
    make_app,
    notes,
    port_of,
    screen_text,
    until,
)
from tests.support import DISPLAY_URL, PortRewrite
from tui.app.editor import SuperstepEditor
from tui.app.editor.code_view import snippets
from tui.app.screens.connect import ConnectScreen
from tui.config import Profile, Settings, load_settings, resolve_connection, save_settings
from tui.supersteps.model import Script

__all__ = ["isolated_home"]

SECRET = "lsv2_sk_TOPSECRET_9f8e7d6c5b4a"


@pytest.fixture
def key_in_env(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MY_DEPLOYMENT_KEY", SECRET)
    monkeypatch.setenv("MY_BEARER", f"Bearer {SECRET}")
    return SECRET


@pytest.fixture
def captured_log() -> Iterator[list[str]]:
    """Everything the app logs, formatted as the log file would hold it (tracebacks too)."""
    lines: list[str] = []
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(formatter.format(record))

    handler = Keep(level=logging.DEBUG)
    logger = logging.getLogger("threadloom")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


async def test_the_key_never_shows_anywhere(
    server_url: str, key_in_env: str, captured_log: list[str], tmp_path: Path, stats: Stats
) -> None:
    spec = resolve_connection(Settings(), url=DISPLAY_URL, api_key_env="MY_DEPLOYMENT_KEY",
                              headers=["Authorization: $MY_BEARER"])
    app = make_app(DISPLAY_URL, spec=spec, transport=PortRewrite(server_url))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        assert app.client is not None and app.client.connection.api_key == SECRET  # it is used
        editor = app.main_screen.query_one("#editor", SuperstepEditor)
        await until(pilot, lambda: editor.catalog.graphs is not None, "the graphs")

        # Screenshots: the main screen and the code view.
        assert SECRET not in app.export_screenshot()
        await pilot.press("2", "x")  # the editor's "show as code"
        await until(pilot, lambda: "curl" in screen_text(app), "the code view")
        assert SECRET not in app.export_screenshot() and SECRET not in screen_text(app)
        for snippet in snippets(editor.script, spec.url, spec.api_key_env, spec.headers):
            assert SECRET not in snippet.code
            assert "MY_DEPLOYMENT_KEY" in snippet.code  # a reference to the variable instead
        await pilot.press("escape")

        # Saved scripts.
        saved = tmp_path / "script.json"
        editor.sender.save_to(str(saved))
        assert saved.exists() and SECRET not in saved.read_text()

        # An unexpected failure in a worker whose message carries the key (a fault a real
        # server cannot produce: a bug on our side).
        async def broken(**_: Any) -> Any:
            raise RuntimeError(f"boom while sending x-api-key: {SECRET}")

        app.client.threads.search = broken  # type: ignore[method-assign]
        app.threads.focus()
        await pilot.press("r")
        await until(pilot, lambda: any("RuntimeError" in n for n in notes(app)), "the message")
        await pilot.pause(0.2)
        assert SECRET not in " ".join(notes(app))
        assert SECRET not in screen_text(app) and SECRET not in app.export_screenshot()
        assert app.is_running
    logged = "\n".join(captured_log)
    assert "RuntimeError" in logged and "Traceback" in logged  # the log has the details…
    assert SECRET not in logged  # …but not the key
    stats.faults += 1


def test_every_config_write_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The only writers of config files are save_settings (0600, tested at client level) and
    drafts (0600): check both land private even with a permissive umask."""
    import os

    from tui.supersteps.drafts import DraftStore

    old = os.umask(0o000)
    try:
        config = tmp_path / "config" / "config.toml"
        save_settings(Settings(profiles={"p": Profile(url="http://x.test",
                                                      api_key_env="K")}), config)
        store = DraftStore(tmp_path / "drafts")
        store.save(Script(), {})
    finally:
        os.umask(old)
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert load_settings(config).profiles["p"].api_key_env == "K"


@pytest.fixture
def tls_proxy(server_url: str) -> Iterator[FaultProxy]:
    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(server_ctx)
    with FaultProxy(port_of(server_url), tls=server_ctx) as proxy:
        yield proxy


async def test_untrusted_certificate_is_a_clear_reason_on_the_connect_screen(
    tls_proxy: FaultProxy, monkeypatch: pytest.MonkeyPatch, stats: Stats
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    app = make_app(tls_proxy.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: "Press r to retry" in screen_text(app), "the connect screen")
        assert isinstance(app.screen, ConnectScreen)
        shown = assert_terminal_safe(app)
        assert f"cannot reach {tls_proxy.url}" in shown
        assert "certificate" in shown.lower()  # says why: the certificate is not trusted
        assert app.client is None  # nothing was sent over the untrusted connection
    stats.faults += 1
