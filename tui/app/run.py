"""Start the Textual app for a resolved connection."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tui import paths

if TYPE_CHECKING:
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
    from tui.app.app import ThreadloomApp

    log_to_file()
    app = ThreadloomApp(spec, script=script, settings=settings)
    app.run()
    return app.return_code or 0
