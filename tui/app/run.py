"""Start the Textual app for a resolved connection (placeholder until the app shell lands)."""

from __future__ import annotations

from tui.config import ConnectionSpec


def run_app(spec: ConnectionSpec, *, script: str | None = None) -> int:
    from tui.app.app import ThreadloomApp

    app = ThreadloomApp(spec, script=script)
    app.run()
    return app.return_code or 0
