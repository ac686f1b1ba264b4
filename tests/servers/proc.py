"""What the test servers' starters share: one child process in its own process group with its
log in a file, stopped by group (politely first, then SIGKILL), and :class:`TempServer`, a
server in a temporary directory of its own on a free loopback port."""

from __future__ import annotations

import abc
import contextlib
import fcntl
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from tui.demo.server import free_port, own_session


class StartError(RuntimeError):
    """A test server could not be started; the message says why, with its log's tail."""


@contextlib.contextmanager
def exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (made if missing): one process at a time makes a
    shared cache (Aegra's venv, the JS SDK) while parallel test workers wait their turn."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def like_a_terminal() -> None:
    """``preexec_fn`` for a child that must have SIGINT as at a terminal. A suite started as a
    background job (a shell starts those with SIGINT ignored, and children inherit that) would
    otherwise test an ignored Ctrl+C (measured: a run then went on for its whole 60 s)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def unprivileged_user() -> str | None:
    """Postgres refuses to run as root: when we are root, the user to run it as, else None."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise StartError("running as root and there is no 'postgres' or 'nobody' user to run as")


def give_to(path: Path, user: str | None) -> None:
    """Make ``path`` (a directory we created) owned by ``user`` (no-op when None)."""
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def run_checked(cmd: Sequence[str], *, user: str | None = None,
                env: Mapping[str, str] | None = None, timeout: float = 120.0) -> None:
    """Run a short command (initdb, createdb) to completion; its output is in the error."""
    done = subprocess.run(
        list(cmd), user=user, env=dict(env) if env is not None else None, capture_output=True,
        stdin=subprocess.DEVNULL, timeout=timeout, check=False,
    )
    if done.returncode != 0:
        output = (done.stdout + done.stderr).decode(errors="replace").strip()
        raise StartError(f"{cmd[0]} exited with {done.returncode}:\n{output[-2000:]}")


class Child:
    """A long-running child in its own session; ``death_signal`` reaches it if we die."""

    def __init__(self, name: str, cmd: Sequence[str], log_path: Path, *,
                 env: Mapping[str, str] | None = None, cwd: Path | None = None,
                 user: str | None = None, death_signal: int = signal.SIGTERM,
                 stop_signal: int = signal.SIGTERM) -> None:
        self.name = name
        self.log_path = log_path
        self.stop_signal = stop_signal
        with open(log_path, "ab") as log:
            self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
                list(cmd), cwd=cwd, env=dict(env) if env is not None else None, user=user,
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=own_session(death_signal),
            )

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        if self.log_path.exists():
            return self.log_path.read_text(errors="replace")
        return ""

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.log().strip().splitlines()[-lines:])

    def wait_ready(self, ready: Callable[[], bool], timeout: float) -> None:
        """Poll ``ready`` until it holds; raise (and stop) if the child exits or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                code = self.process.returncode if self.process else None
                raise StartError(f"{self.name} exited with {code}:\n{self.tail()}")
            if ready():
                return
            time.sleep(0.05)
        self.stop()
        raise StartError(f"{self.name} was not ready in {timeout:.0f} s:\n{self.tail()}")

    def stop(self, timeout: float = 15.0) -> None:
        """``stop_signal`` to the group, then SIGKILL to the group. Safe to call twice."""
        self.kill(self.stop_signal, timeout=timeout)

    def kill(self, sig: int = signal.SIGKILL, timeout: float = 15.0) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is not None:
            return
        # The leader is not reaped yet, so its group id cannot have been reused.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class TempServer(abc.ABC):
    """A server process started in a temporary directory of its own, on a free 127.0.0.1
    port: what the Postgres, Redis, Agent Server (pg) and Aegra starters share. A subclass says
    how to start (``start``: make the directory, start what it needs, then :meth:`launch`) and
    what its URL is; stopping ends the process, then the services it owns
    (``service_attributes``, in reverse order), then removes the directory. Safe to call
    twice; a context manager too."""

    name = "the server"
    workdir_prefix = "threadloom-server-"
    service_attributes: tuple[str, ...] = ()  # attributes holding the servers it owns

    def __init__(self, *, ready_timeout: float) -> None:
        self.ready_timeout = ready_timeout
        self.workdir: Path | None = None
        self.port: int | None = None
        self._child: Child | None = None
        self._log_path: Path | None = None

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child else None

    def log(self) -> str:
        """The process's log (ANSI colours removed)."""
        if self._log_path and self._log_path.exists():
            return _ANSI.sub("", self._log_path.read_text(errors="replace"))
        return ""

    def make_workdir(self) -> Path:
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix=self.workdir_prefix))
        return self.workdir

    def launch(self, command: Callable[[int], Sequence[str]],
               ready: Callable[[Child, int], bool], *, port: int | None = None,
               log_name: str = "server", retry_on: Sequence[str] = ("in use",),
               **child: Any) -> None:
        """Start ``command(port)`` and wait until ``ready(child, port)``. With no ``port``, a
        free one, tried up to three times: a free port can be taken between the probe and the
        bind, which the log says (``retry_on``)."""
        workdir = self.make_workdir()
        attempts = 1 if port is not None else 3
        for attempt in range(attempts):
            chosen = port if port is not None else free_port()
            self._log_path = workdir / f"{log_name}-{chosen}.log"
            process = Child(self.name, command(chosen), self._log_path, **child)
            self._child, self.port = process, chosen
            try:
                process.wait_ready(partial(ready, process, chosen), self.ready_timeout)
                return
            except StartError as error:
                process.stop()
                self._child = None
                if not any(text in str(error) for text in retry_on) or attempt == attempts - 1:
                    raise

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Kill the process abruptly (fault tests); the services it owns keep running."""
        if self._child is not None:
            self._child.kill(sig)
            self._child = None

    def stop(self) -> None:
        if self._child is not None:
            self._child.stop()
            self._child = None
        for name in reversed(self.service_attributes):
            service = getattr(self, name)
            if service is not None:
                service.stop()
                setattr(self, name, None)
        self.port = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    @abc.abstractmethod
    def start(self) -> Self:
        """Make the directory, start what the server needs, then :meth:`launch` it."""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def answers(url: str) -> bool:
    """``url`` answers 200 (a server's health endpoint)."""
    import httpx

    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False
