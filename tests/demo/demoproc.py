"""Run ``threadloom demo`` as a user does and watch what it leaves behind.

- :class:`TmuxDemo`: the app in a real terminal (tmux), read with ``capture-pane``; killing the
  tmux session closes the terminal, which sends SIGHUP as closing a window does.
- :class:`PipedDemo`: ``--no-app`` with its output on pipes, as a script would run it.
Both find the Agent Server among the demo's child processes (pid, port, temporary directory).
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from tests.servers.proc import like_a_terminal

REPO = Path(__file__).resolve().parents[2]


def process_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie is dead: it only waits to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def nothing_listens(port: int) -> bool:
    """True when a new server could listen on ``port`` (connections of the old one may linger
    in TIME_WAIT; servers bind with SO_REUSEADDR, so only a live listener blocks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            return False
    return True


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    except OSError:
        return []


def _diagnose(pid: int) -> str:
    """Where a stuck process is (for the failure message)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        tasks = sorted(Path(f"/proc/{pid}/task").iterdir())
        waits = [(t.name, (t / "wchan").read_text()) for t in tasks]
    except OSError as exc:
        return str(exc)
    keep = [line for line in status.splitlines() if line.startswith(("State", "Sig", "Shd"))]
    return f"{keep} threads={waits}"


class _Demo:
    server_pid: int | None = None

    @property
    def pid(self) -> int:
        raise NotImplementedError

    def server(self, timeout: float = 60.0) -> tuple[int, int, Path]:
        """The Agent Server child: its pid, port and working (temporary) directory."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for pid in children(self.pid):
                argv = cmdline(pid)
                if "tui.demo.dev_server" in argv and "--port" in argv:
                    self.server_pid = pid
                    port = int(argv[argv.index("--port") + 1])
                    return pid, port, Path(os.readlink(f"/proc/{pid}/cwd"))
            time.sleep(0.1)
        raise AssertionError(f"no server child appeared:\n{self.text}")

    @property
    def text(self) -> str:
        raise NotImplementedError

    def wait_for(self, needle: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text:
                return
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} never appeared:\n{self.text}")

    def _kill_server(self) -> None:
        if self.server_pid and process_alive(self.server_pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.server_pid, signal.SIGKILL)


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "THREADLOOM_HOME": str(home)}
    for var in ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"):
        env.pop(var, None)
    return env


class TmuxDemo(_Demo):
    """``threadloom demo`` in a tmux terminal of ``size``, started from a shell that prints its
    exit status afterwards (tmux's own ``pane_dead_status`` was measured to lag for seconds)."""

    EXITED = re.compile(r"\[demo exited with (\d+)\]")

    def __init__(self, *args: str, home: Path, size: tuple[int, int] = (120, 40)) -> None:
        self.socket = f"threadloom-test-{uuid.uuid4().hex[:10]}"
        command = shlex.join([sys.executable, "-m", "tui", "demo", *args])
        self._tmux(
            "-f", "/dev/null", "new-session", "-d", "-x", str(size[0]), "-y", str(size[1]),
            "-c", str(REPO), "-e", "TERM=xterm-256color", "-e", "COLORTERM=truecolor",
            "-e", f"THREADLOOM_HOME={home}", "-e", "LANGGRAPH_API_KEY=", "-e",
            "LANGSMITH_API_KEY=", "-e", "LANGCHAIN_API_KEY=",
            # start the demo only once tmux has settled the window size
            f"tmux -L {self.socket} wait-for go; {command}; "
            'echo "[demo exited with $?]"; exec sleep 3600',
            ";", "set-option", "-g", "default-size", f"{size[0]}x{size[1]}",
            ";", "wait-for", "-S", "go",
        )
        shell_pid, socket_path = self._tmux(
            "display-message", "-p", "#{pane_pid}|#{socket_path}"
        ).strip().split("|", 1)
        self.socket_path = Path(socket_path)
        shell = int(shell_pid)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            found = [pid for pid in children(shell) if "tui" in cmdline(pid)]
            if found:
                self._pid = found[0]
                return
            time.sleep(0.05)
        raise AssertionError("the demo process did not start")

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                                text=True, timeout=20, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    @property
    def pid(self) -> int:
        return self._pid

    @property
    def text(self) -> str:
        """The screen as the user sees it now."""
        try:
            return self._tmux("capture-pane", "-p", "-J")
        except RuntimeError:
            return ""

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", *keys)

    def signal(self, sig: int) -> None:
        os.kill(self._pid, sig)

    def exit_status(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = self.EXITED.search(self.text)
            if match:
                return int(match.group(1))
            time.sleep(0.1)
        raise AssertionError(f"the demo did not exit: {_diagnose(self._pid)}\n{self.text}")

    def close_terminal(self) -> None:
        """Close the terminal window: the kernel sends SIGHUP."""
        self._tmux("kill-server")

    def wait_gone(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process_alive(self._pid):
            time.sleep(0.1)
        assert not process_alive(self._pid), f"the demo did not exit: {_diagnose(self._pid)}"

    def close(self) -> None:
        if process_alive(self._pid):
            os.kill(self._pid, signal.SIGKILL)
        self._kill_server()
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True,
                       check=False)
        self.socket_path.unlink(missing_ok=True)  # tmux leaves its socket file behind


class PipedDemo(_Demo):
    """``threadloom demo <args>`` with stdout and stderr on pipes (for ``--no-app``)."""

    def __init__(self, *args: str, home: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", "demo", *args], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(home), cwd=REPO,
            start_new_session=True, preexec_fn=like_a_terminal,
        )
        self._out = b""
        self._lock = threading.Lock()
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=self._drain, args=(stream,), daemon=True).start()

    def _drain(self, stream: object) -> None:
        read = stream.read1  # type: ignore[attr-defined]
        for chunk in iter(lambda: read(4096), b""):
            with self._lock:
                self._out += chunk

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def text(self) -> str:
        with self._lock:
            return self._out.decode("utf-8", errors="replace")

    def signal(self, sig: int) -> None:
        self.process.send_signal(sig)

    def wait(self, timeout: float = 30.0) -> int:
        return self.process.wait(timeout=timeout)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._kill_server()
