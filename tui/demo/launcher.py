"""``threadloom demo``: the real local Agent Server, seeded, with the app on it — and no orphans.

The server (``langgraph dev`` on the bundled graph, a free loopback port, a temporary
directory) is stopped however the demo ends:
- the app exits normally, or crashes (``try``/``finally``);
- SIGINT (Ctrl+C with ``--no-app``; in the app Ctrl+C is a key): asyncio cancels the app,
  which exits cleanly; outside the app it is a ``KeyboardInterrupt``; exit code 0 (130 when
  it cuts the start-up short);
- SIGTERM, or SIGHUP when the terminal closes: a handler stops the server first, then lets
  the app exit the way SIGINT does (see :class:`ServerGuard`); exit code 128 + signal;
- interpreter exit by any other path (``atexit``);
- this process killed with SIGKILL: the server was started with ``PR_SET_PDEATHSIG``.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from tui.config import ConnectionSpec
from tui.demo.seed import Seeded, SeedError, seed
from tui.demo.server import INSTALL_HINT, LocalServer, LocalServerError, demo_extra_installed
from tui.deployment import DeploymentClient, DeploymentError

OK, FAILED, USAGE, INTERRUPTED = 0, 1, 2, 130
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
EXIT_GRACE_SECONDS = 5.0

AppRunner = Callable[..., int]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fail(message: str) -> None:
    from tui.safe import one_line

    print(f"threadloom demo: {one_line(message, 1000)}", file=sys.stderr, flush=True)


class ServerGuard:
    """Stops the server on leaving the block, on SIGTERM/SIGHUP, and at interpreter exit.

    On SIGTERM/SIGHUP the server is stopped at once (the terminal may already be gone), then
    the signal is turned into a SIGINT to ourselves: asyncio's own SIGINT handling cancels the
    running app, which restores the terminal and returns, and outside the app it is a
    ``KeyboardInterrupt``. (Raising from the handler instead can land inside one of the app's
    tasks, where it is swallowed and printed.) ``signalled`` tells which signal ended the demo.
    """

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.signalled: int | None = None
        self._previous: dict[signal.Signals, Any] = {}

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.signalled is not None:
            return
        self.signalled = signum
        self.server.stop()
        # The app may hang on its way out when the terminal is gone (measured: Textual's
        # writer thread can deadlock after SIGHUP); the server is already stopped, so a stuck
        # exit is cut short.
        watchdog = threading.Timer(EXIT_GRACE_SECONDS, os._exit, args=(128 + signum,))
        watchdog.daemon = True
        watchdog.start()
        os.kill(os.getpid(), signal.SIGINT)

    def __enter__(self) -> ServerGuard:
        for sig in _STOP_SIGNALS:
            self._previous[sig] = signal.signal(sig, self._on_signal)
        atexit.register(self.server.stop)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()
        atexit.unregister(self.server.stop)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def exit_code(self, otherwise: int) -> int:
        """``128 + signal`` when a signal ended the demo (the shell convention)."""
        return 128 + self.signalled if self.signalled is not None else otherwise


def start_server(server: LocalServer, port: int | None) -> LocalServer:
    """Start ``server`` (on ``port``, else a free one); :class:`LocalServerError` says why not."""
    from tui.demo.server import port_is_free

    if port is None:
        return server.start()
    if not port_is_free(port):
        raise LocalServerError(
            f"port {port} is in use (another `langgraph dev`?): stop it, or leave out --port "
            "to use a free one"
        )
    try:
        return server.start(port)
    except LocalServerError:
        server.stop()
        raise
    except Exception as exc:  # e.g. the server moved to another port after all
        server.stop()
        raise LocalServerError(f"the local server could not use port {port}: {exc}") from None


async def _seed(url: str) -> list[Seeded]:
    async with DeploymentClient(url, api_key=None) as client:
        return await seed(client)


def run_demo(
    *,
    open_app: bool = True,
    port: int | None = None,
    seed_threads: bool = True,
    script: str | None = None,
    as_json: bool = False,
    app_runner: AppRunner | None = None,
) -> int:
    """The whole ``threadloom demo``; returns the exit code. ``app_runner`` is for tests."""
    if not demo_extra_installed():
        _fail(f"the demo needs the local Agent Server, which is not installed. Install it with: "
              f"{INSTALL_HINT}")
        return USAGE
    server = LocalServer()
    guard = ServerGuard(server)
    try:
        with guard:
            _say("Starting the local Agent Server…")
            start_server(server, port)
            seeded = asyncio.run(_seed(server.url)) if seed_threads else []
            if not open_app:
                return guard.exit_code(_serve(server, seeded, as_json))
            return guard.exit_code(_open_app(server, script, app_runner))
    except KeyboardInterrupt:
        return guard.exit_code(INTERRUPTED)
    except LocalServerError as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        _fail(" … ".join(lines[:1] + lines[1:][-1:]) or "the local server failed")
        return FAILED
    except (SeedError, DeploymentError) as exc:
        _fail(f"seeding the demo threads failed: {exc}")
        return FAILED
    finally:
        server.stop()


def _open_app(server: LocalServer, script: str | None, app_runner: AppRunner | None) -> int:
    spec = ConnectionSpec(url=server.url)
    try:
        if app_runner is None:
            from tui.app.run import run_app

            app_runner = run_app
        code = app_runner(spec, script=script)
    except Exception as exc:  # the app crashed: the server still stops (finally), one line here
        _log_crash(exc)
        _fail(f"the app failed: {type(exc).__name__}: {exc}")
        return FAILED
    server.stop()
    _say("Stopped the local Agent Server.")
    return int(code or 0)


def _serve(server: LocalServer, seeded: list[Seeded], as_json: bool) -> int:
    """``--no-app``: say where the server is, then keep it up until Ctrl+C or a signal."""
    threads = [
        {"name": s.conversation.name, "title": s.conversation.title,
         "thread_id": s.thread.thread_id, "status": s.thread.status or ""}
        for s in seeded
    ]
    info = {"url": server.url, "pid": server.pid, "threads": threads}
    if as_json:
        from tui.commands.common import safe_json

        print(safe_json(info, indent=None), flush=True)
    else:
        print(f"Local Agent Server: {server.url} (pid {server.pid})")
        for item in threads:
            print(f"  {item['thread_id']}  {item['status']:<11}  {item['title']}")
        print(f"Open it with: threadloom --url {server.url}")
        print("Press Ctrl+C to stop it.", flush=True)
    try:
        while server.process is not None and server.process.poll() is None:
            time.sleep(0.2)
    except KeyboardInterrupt:
        _say("Stopped the local Agent Server.")
        return OK
    _fail("the local server stopped unexpectedly")
    return FAILED


def _log_crash(exc: BaseException) -> None:
    """The traceback goes to the log file, never to the screen."""
    import traceback

    from tui import paths

    with contextlib.suppress(OSError):
        path = paths.log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- threadloom demo: the app failed at {time.ctime()}\n")
            handle.write("".join(traceback.format_exception(exc)))
