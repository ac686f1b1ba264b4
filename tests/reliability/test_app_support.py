"""Shared helpers for the app-level reliability tests (``test_app_*.py``); no tests here.

- ``isolated_home``: config, drafts and the log in a temporary THREADLOOM_HOME (import it into a
  test module to make it autouse there);
- ``make_app``: the whole ``ThreadloomApp`` on a URL (optionally through a transport);
- ``until`` / ``screen_text`` / ``notes``: wait for and read what the user sees;
- ``assert_terminal_safe``: nothing on screen a terminal would interpret.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.app import App

from tests.support import FROZEN_NOW, said, screen_text, until
from tui.app.app import ThreadloomApp
from tui.config import ConnectionSpec, Settings
from tui.safe import is_safe

SIZE = (160, 48)
__all__ = ["SIZE", "assert_terminal_safe", "isolated_home", "loaded", "make_app", "notes",
           "port_of", "screen_text", "until"]


@pytest.fixture(autouse=True)
def isolated_home(isolated_home: Path) -> Path:
    """Every test here runs in the suite's isolated home (tests/conftest.py)."""
    return isolated_home


def make_app(url: str, *, transport: httpx.AsyncBaseTransport | None = None,
             spec: ConnectionSpec | None = None,
             settings: Settings | None = None) -> ThreadloomApp:
    return ThreadloomApp(spec or ConnectionSpec(url=url), settings=settings or Settings(),
                         clock=lambda: FROZEN_NOW, transport=transport)


def assert_terminal_safe(app: App[Any]) -> str:
    """Every character the app would send to the terminal for this frame is printable: no ESC,
    BEL, C1 or bidi override (the app's own colours travel as styles, not as text)."""
    text = screen_text(app)
    assert is_safe(text), [hex(ord(c)) for c in text if not is_safe(c)][:10]
    return text


def notes(app: App[Any]) -> list[str]:
    return [f"{n.title}: {n.message}" for n in said(app)]


def loaded(app: ThreadloomApp) -> bool:
    """Connected, the first page and its total shown, and every pane mounted."""
    return (app.connection.state == "connected" and not app.threads.pager.fetching
            and app.threads.total is not None and app.panes_ready)


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])
