"""Nothing lost: the real app in a real terminal (tmux), killed with SIGKILL while a script is
being edited, comes back with the draft; user files are only ever written atomically."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.reliability.conftest import Stats

ROOT = Path(__file__).resolve().parents[2]
TYPED = "kept after kill -9 [b]x[/]"


class Tmux:
    """One tmux server of our own, running the app; read the screen, type keys."""

    def __init__(self, home: Path, url: str) -> None:
        self.socket = f"tl-rel-{os.getpid()}-{time.monotonic_ns()}"
        self.home = home
        self.url = url

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, timeout=10, check=False)
        return done.stdout

    def start(self) -> None:
        # As tests/demo/demoproc.py measured: start the app only once tmux has settled the
        # window size (without a client tmux otherwise starts the pane at 80x24).
        app = f"exec {sys.executable} -m tui --url {self.url}"
        self._tmux("-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "48", "-c",
                   str(ROOT), "-e", "TERM=xterm-256color", "-e",
                   f"THREADLOOM_HOME={self.home}",
                   f"tmux -L {self.socket} wait-for go; {app}",
                   ";", "set-option", "-g", "default-size", "160x48",
                   ";", "wait-for", "-S", "go")

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self._tmux("send-keys", *(["-l"] if literal else []), *keys)

    def wait(self, check: Callable[[str], bool], what: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if check(shown):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{shown}")
            time.sleep(0.1)

    def app_pid(self) -> int:
        return int(self._tmux("display", "-p", "#{pane_pid}").strip())

    def stop(self) -> None:
        socket = self._tmux("display-message", "-p", "#{socket_path}").strip()
        self._tmux("kill-server")
        if socket:
            Path(socket).unlink(missing_ok=True)  # tmux leaves its socket file behind


@pytest.fixture
def tmux(tmp_path: Path, server_url: str) -> Iterator[Tmux]:
    if shutil.which("tmux") is None:  # a hard requirement of the suite (DESIGN.md)
        raise RuntimeError("tmux is needed for the nothing-lost test")
    term = Tmux(tmp_path / "home", server_url)
    try:
        yield term
    finally:
        term.stop()


def test_sigkill_while_editing_loses_nothing(tmux: Tmux, stats: Stats) -> None:
    tmux.start()
    tmux.wait(lambda s: "● connected" in s and "(3 nodes)" in s, "the app, connected")
    tmux.keys("2")  # the editor's outline
    tmux.wait(lambda s: "A +Superstep" in s, "the outline's keys in the footer")
    for step, node in ((1, "__input__"), (2, "__start__")):
        tmux.keys("A")
        tmux.wait(lambda s, i=step: f"{i}.1 (no as_node)" in s, f"superstep {step} added")
        tmux.keys("Enter")  # to its as_node field
        tmux.wait(lambda s: "A +Superstep" not in s, "the as_node field focused")
        tmux.keys(node, literal=True)
        tmux.keys("Enter")
        tmux.wait(lambda s, n=node, i=step: f"{i}.1 {n}" in s and "A +Superstep" in s,
                  f"superstep {step}, back in the outline")
    tmux.keys("m")
    time.sleep(0.3)
    tmux.keys("h")
    tmux.wait(lambda s: "content" in s, "the message dialog")
    tmux.keys(TYPED, literal=True)
    tmux.wait(lambda s: TYPED in s, "the typed text")
    tmux.keys("C-s")
    tmux.wait(lambda s: re.search(r"1 human\s+" + re.escape(TYPED), s) is not None,
              "the message in the list")
    draft = tmux.home / "state" / "drafts" / "draft.json"
    deadline = time.monotonic() + 10
    while not (draft.exists() and "kept after kill -9" in draft.read_text("utf-8")):
        assert time.monotonic() < deadline, "the draft was never written"
        time.sleep(0.1)  # the draft is written half a second after the last edit

    pid = tmux.app_pid()
    os.killpg(os.getpgid(pid), signal.SIGKILL)  # no chance to save anything on the way out
    stats.faults += 1
    deadline = time.monotonic() + 5
    while _alive(pid):
        assert time.monotonic() < deadline, "the app survived SIGKILL"
        time.sleep(0.05)
    tmux.stop()

    tmux.start()
    shown = tmux.wait(lambda s: "Restored the editor's draft" in s, "the restored draft")
    assert "2 supersteps" in shown
    tmux.keys("2")
    shown = tmux.wait(lambda s: "2.1 __start__" in s, "the outline")
    tmux.keys("Down", "Down", "Down")  # to the update holding the message
    tmux.wait(lambda s: TYPED in s, "the typed message, back on screen")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child of the tmux server may linger as a zombie until reaped.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


def test_user_files_are_only_written_atomically() -> None:
    """Config, drafts, scripts, exports and code all go through tui.fileio.atomic_write_text:
    no other writer of a file may appear in the app (the demo server's own log excepted)."""
    writers = re.compile(r"\.write_text\(|\.write_bytes\(|open\([^)]*[\"'][wax]b?\+?[\"']"
                         r"|\.open\([\"'][wax]|os\.open\(|shutil\.copy|\.rename\(|os\.replace\(")
    allowed = {
        Path("tui/fileio.py"),  # the atomic writer itself
        Path("tui/demo/server.py"),  # the local server's log: not a user file
    }
    expected = {  # measured and checked: none writes a user file's content
        "tui/supersteps/drafts.py: os.replace(self.path, self.corrupt_path)",  # atomic rename
        'tui/demo/launcher.py: with path.open("a", encoding="utf-8") as handle:',  # log append
        "tui/commands/common.py: devnull = os.open(os.devnull, os.O_WRONLY)",  # /dev/null
    }
    found: list[str] = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative in allowed:
            continue
        for text in path.read_text("utf-8").splitlines():
            if writers.search(text):
                found.append(f"{relative.as_posix()}: {text.strip()}")
    assert set(found) <= expected, sorted(set(found) - expected)
    users = [p.relative_to(ROOT).as_posix() for p in (ROOT / "tui").rglob("*.py")
             if "atomic_write_text(" in p.read_text("utf-8")]
    # config, drafts, script files (+ exports), and the code view's "save"
    assert {"tui/config.py", "tui/supersteps/drafts.py", "tui/supersteps/files.py",
            "tui/app/editor/code_view.py"} <= set(users)
