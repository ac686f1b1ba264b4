"""One child process of a test server: its own process group, its log in a file, stopped by
group (politely first, then SIGKILL). Shared by the Postgres, Redis and Agent Server starters."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pwd
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from tui.demo.server import own_session


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
