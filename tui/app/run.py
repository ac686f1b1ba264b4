"""Start the Textual app for a resolved connection."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from tui import paths

if TYPE_CHECKING:
    from tui.app.app import ThreadloomApp
    from tui.config import Settings
    from tui.spec import ConnectionSpec


def log_to_file() -> None:
    """Warnings and failures (with tracebacks) go to the log file, never to the screen."""
    try:
        path = paths.log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("threadloom")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def run_app(
    spec: ConnectionSpec, *, script: str | None = None, settings: Settings | None = None
) -> int:
    """Run Threadloom on ``spec`` until the user quits; returns the exit code."""
    from tui.app.app import ThreadloomApp as App

    log_to_file()
    app = App(spec, script=script, settings=settings)
    with sigint_quits(app):
        app.run()
    return app.return_code or 0


@contextlib.contextmanager
def sigint_quits(app: ThreadloomApp) -> Iterator[None]:
    """While the app runs, SIGINT (``kill -INT``; the demo turns SIGTERM/SIGHUP into it) quits
    it the way ``q`` does. asyncio's own SIGINT handling cancels the app's main task instead,
    which stops Textual's message loop under whatever is being mounted at that moment (the
    editor and viewer mount just after the first page): Textual's widgets then run on_mount
    without their children and the exit prints a traceback. A second SIGINT interrupts."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_sigint(signum: int, frame: Any) -> None:
        if not app.exit_from_signal():
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
