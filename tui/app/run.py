"""Start the Textual app for a resolved connection."""

from __future__ import annotations

from tui.config import ConnectionSpec, Settings


def run_app(
    spec: ConnectionSpec, *, script: str | None = None, settings: Settings | None = None
) -> int:
    """Run Threadloom on ``spec`` until the user quits; returns the exit code."""
    from tui.app.app import ThreadloomApp

    app = ThreadloomApp(spec, script=script, settings=settings)
    app.run()
    return app.return_code or 0
