"""Run the real Agent Server (``langgraph dev``, in-memory runtime) on a free loopback port.

Used by the test fixture and by ``threadloom demo``. Each server gets a fresh temporary
directory (it persists to ``./.langgraph_api/`` there), its own process group, an environment
that makes no outside connection, and is stopped by group. The server silently moves to another
port when the asked one is taken, so the port is confirmed from its log line.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import httpx

from tui.demo.dev_server import DIR_VAR

GRAPH_DIR = Path(__file__).parent / "graph"
INSTALL_HINT = 'pip install "threadloom[demo]"'

_API_LINE = re.compile(r"API:\s*(?:\x1b\[[0-9;]*m)*http://127\.0\.0\.1:(\d+)")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_QUIET_ENV = {
    "LANGGRAPH_CLI_NO_ANALYTICS": "1",
    "LANGGRAPH_NO_VERSION_CHECK": "true",
    "LANGSMITH_TRACING": "false",
    "LANGCHAIN_TRACING_V2": "false",
    "LANGSMITH_TRACING_V2": "false",
    "PYTHONUNBUFFERED": "1",
}
# Keys that would make the server talk to LangSmith; the local server needs none.
_DROPPED_ENV = (
    "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY", "LANGGRAPH_API_KEY", "LANGSMITH_ENDPOINT",
    "LANGGRAPH_CLOUD_LICENSE_KEY", "LANGSMITH_CONTROL_PLANE_API_KEY",
)


class LocalServerError(RuntimeError):
    """The local server could not be started; the message says why (and how to fix it)."""


def demo_extra_installed() -> bool:
    names = ("langgraph_api", "langgraph_cli")
    return all(importlib.util.find_spec(name) is not None for name in names)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def own_session(death_signal: int = signal.SIGTERM) -> Callable[[], None]:
    """A ``preexec_fn``: the child leads its own process group (so it is stopped by group) and
    gets ``death_signal`` when its parent dies (no orphan if we are killed hard)."""

    def preexec() -> None:  # pragma: no cover - runs in the child before exec
        os.setsid()
        with contextlib.suppress(Exception):
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, death_signal)  # PR_SET_PDEATHSIG

    return preexec


def server_env() -> dict[str, str]:
    """The environment for a local Agent Server: ours, minus LangSmith keys, plus the variables
    that keep it from making any outside connection (analytics, version check, tracing)."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env.update(_QUIET_ENV)
    return env


class LocalServer:
    """One ``langgraph dev`` process. Use as a context manager, or ``start()`` / ``stop()``."""

    def __init__(self, graph_dir: Path = GRAPH_DIR, *, ready_timeout: float = 90.0) -> None:
        self.graph_dir = graph_dir
        self.ready_timeout = ready_timeout
        self.workdir: Path | None = None
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._log_path: Path | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise LocalServerError("the server is not running")
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def log(self) -> str:
        if self._log_path and self._log_path.exists():
            return _ANSI.sub("", self._log_path.read_text(errors="replace"))
        return ""

    def start(self, port: int | None = None) -> LocalServer:
        """Start on ``port`` (a free one when None). Starting again after :meth:`kill` reuses
        the same directory, so the restarted server keeps the same (persisted) data."""
        if not demo_extra_installed():
            raise LocalServerError(f"the local Agent Server is not installed: run {INSTALL_HINT}")
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="threadloom-server-"))
            for name in ("agent.py", "langgraph.json"):
                shutil.copy(self.graph_dir / name, self.workdir / name)
        if port is not None:
            self._launch(port)
            return self
        last_error = "no attempt"
        for _ in range(3):
            try:
                self._launch(free_port())
                return self
            except _PortMoved as moved:
                last_error = str(moved)
                self._kill()
        self.stop()
        raise LocalServerError(f"the local server kept changing ports: {last_error}")

    def _launch(self, port: int) -> None:
        assert self.workdir is not None
        env = {**server_env(), DIR_VAR: str(self.workdir)}  # the one it may remove (dev_server)
        self._log_path = self.workdir / f"server-{port}.log"
        cmd = [
            sys.executable, "-m", "tui.demo.dev_server", "dev", "--no-browser", "--no-reload",
            "--host", "127.0.0.1", "--port", str(port),
        ]
        with open(self._log_path, "wb") as log:
            self.process = subprocess.Popen(
                cmd, cwd=self.workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, preexec_fn=own_session(),
            )
        self.port = port
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = "\n".join(self.log().strip().splitlines()[-15:])
                code = self.process.returncode
                raise LocalServerError(f"the local server exited with {code}:\n{tail}")
            match = _API_LINE.search(self.log())
            if match and int(match.group(1)) != port:
                raise _PortMoved(f"asked for {port}, server took {match.group(1)}")
            if match and self._ok():
                return
            time.sleep(0.1)
        self._kill()
        raise LocalServerError(
            f"the local server did not become ready in {self.ready_timeout:.0f} s:\n"
            + "\n".join(self.log().strip().splitlines()[-15:])
        )

    def _ok(self) -> bool:
        from tui.deployment.tls import tls_context

        try:  # plain http, yet httpx would build (and load the CA bundle into) a TLS context
            response = httpx.get(f"{self.url}/ok", timeout=1.0, verify=tls_context(False))
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def _kill(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Kill the server abruptly (for fault tests); the directory stays for a restart."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        process.wait(timeout=10)

    def stop(self) -> None:
        """Stop the process group and remove the temporary directory. Safe to call twice."""
        self._kill()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _PortMoved(Exception):
    pass
