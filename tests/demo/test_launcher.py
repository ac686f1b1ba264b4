"""``threadloom demo``: it starts the real server, seeds it, opens the app — and however it ends
(q, SIGTERM, SIGINT, the terminal closing, a crash, SIGKILL) the server process is gone, its
port is free and its temporary directory removed."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.demo.demoproc import (
    PipedDemo,
    TmuxDemo,
    children,
    cmdline,
    nothing_listens,
    process_alive,
)
from tui.demo import launcher
from tui.demo.server import INSTALL_HINT


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("THREADLOOM_HOME", str(path))
    return path


@pytest.fixture
def demos() -> Iterator[list[TmuxDemo | PipedDemo]]:
    started: list[TmuxDemo | PipedDemo] = []
    yield started
    for demo in started:
        demo.close()


def assert_cleaned_up(pid: int, port: int, workdir: Path, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and (process_alive(pid) or not nothing_listens(port)):
        time.sleep(0.1)
    assert not process_alive(pid), "the Agent Server outlived the demo"
    assert nothing_listens(port), f"something still listens on port {port}"
    assert not workdir.exists(), "the server's temporary directory was left behind"


def seeded_threads(port: int) -> list[dict[str, Any]]:
    response = httpx.post(f"http://127.0.0.1:{port}/threads/search",
                          json={"limit": 100, "sort_by": "created_at", "sort_order": "asc"},
                          timeout=10)
    response.raise_for_status()
    threads: list[dict[str, Any]] = response.json()
    return threads


def in_terminal(demos: list[TmuxDemo | PipedDemo], home: Path, *args: str) -> TmuxDemo:
    demo = TmuxDemo(*args, home=home, size=(160, 48))
    demos.append(demo)
    return demo


def piped(demos: list[TmuxDemo | PipedDemo], home: Path, *args: str) -> PipedDemo:
    demo = PipedDemo(*args, home=home)
    demos.append(demo)
    return demo


# -------------------------------------------------------------- with the app, in a terminal


def test_demo_opens_the_app_on_seeded_threads_and_q_stops_the_server(
    demos: list[TmuxDemo | PipedDemo], home: Path
) -> None:
    demo = in_terminal(demos, home)
    pid, port, workdir = demo.server()
    demo.wait_for("Hello!")  # the greeting's answer, in the thread list
    demo.wait_for("interrupted")  # the email waiting for approval

    threads = seeded_threads(port)
    assert [(t["metadata"]["demo"], t["status"]) for t in threads] == [
        ("approval", "interrupted"), ("tool_call", "idle"), ("greeting", "idle")
    ]
    assert f"http://127.0.0.1:{port}" in demo.text  # the app shows where it is connected

    demo.keys("q")

    assert demo.exit_status() == 0
    assert_cleaned_up(pid, port, workdir)
    assert "Stopped the local Agent Server." in demo.text
    assert "Traceback" not in demo.text


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 0)])
def test_demo_stops_the_server_when_signalled(
    demos: list[TmuxDemo | PipedDemo], home: Path, sig: int, code: int
) -> None:
    demo = in_terminal(demos, home)
    pid, port, workdir = demo.server()
    demo.wait_for("Hello!")

    demo.signal(sig)

    assert demo.exit_status() == code
    assert_cleaned_up(pid, port, workdir)
    assert "Traceback" not in demo.text
    if sig == signal.SIGINT:  # like Ctrl+C at a prompt: a normal way to stop
        assert "Stopped the local Agent Server." in demo.text


def test_closing_the_terminal_stops_the_server(
    demos: list[TmuxDemo | PipedDemo], home: Path
) -> None:
    demo = in_terminal(demos, home)
    pid, port, workdir = demo.server()
    demo.wait_for("Hello!")

    demo.close_terminal()  # SIGHUP, as when the terminal window is closed

    demo.wait_gone()
    assert_cleaned_up(pid, port, workdir)


def test_sigkill_of_the_demo_still_takes_the_server_down(
    demos: list[TmuxDemo | PipedDemo], home: Path
) -> None:
    demo = piped(demos, home, "--no-app")
    pid, port, workdir = demo.server()
    demo.wait_for("Press Ctrl+C to stop it.")

    demo.signal(signal.SIGKILL)  # no handler can run: PR_SET_PDEATHSIG does the work

    demo.wait()
    assert_cleaned_up(pid, port, workdir, timeout=20)  # the server removed its directory


# -------------------------------------------------------------- --no-app (for scripts)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 0), (signal.SIGTERM, 143)])
def test_no_app_prints_the_server_and_serves_until_stopped(
    demos: list[TmuxDemo | PipedDemo], home: Path, sig: int, code: int
) -> None:
    demo = piped(demos, home, "--no-app", "--json")
    pid, port, workdir = demo.server()
    demo.wait_for('"threads"')

    info = json.loads(next(line for line in demo.text.splitlines() if line.startswith("{")))
    assert info["url"] == f"http://127.0.0.1:{port}"
    assert info["pid"] == pid
    assert [(t["name"], t["status"]) for t in info["threads"]] == [
        ("approval", "interrupted"), ("tool_call", "idle"), ("greeting", "idle")
    ]
    assert [t["thread_id"] for t in info["threads"]] == \
        [t["thread_id"] for t in seeded_threads(port)]

    demo.signal(sig)

    assert demo.wait() == code
    assert_cleaned_up(pid, port, workdir)
    assert "Traceback" not in demo.text


def test_no_app_on_a_chosen_port_and_without_seeding(
    demos: list[TmuxDemo | PipedDemo], home: Path, reserved_port: int
) -> None:
    port = reserved_port  # free until the demo's server takes it, and no one else's
    demo = piped(demos, home, "--no-app", "--no-seed", "--port", str(port))
    pid, server_port, workdir = demo.server()
    demo.wait_for("Press Ctrl+C to stop it.")

    assert server_port == port
    assert f"Local Agent Server: http://127.0.0.1:{port} (pid {pid})" in demo.text
    assert seeded_threads(port) == []
    demo.signal(signal.SIGINT)
    assert demo.wait() == 0
    assert_cleaned_up(pid, port, workdir)


# -------------------------------------------------------------- failures, in-process


def test_a_crashing_app_still_stops_the_server(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The app is replaced by one that raises: a fault the real app should never produce."""
    seen: dict[str, Any] = {}

    def crashing_app(spec: Any, *, script: str | None = None) -> int:
        seen["port"] = int(spec.url.rsplit(":", 1)[1])
        server_pid = next(pid for pid in children(os.getpid())  # the session server is one too
                          if "tui.demo.dev_server" in cmdline(pid)
                          and str(seen["port"]) in cmdline(pid))
        seen["pid"] = server_pid
        seen["threads"] = seeded_threads(seen["port"])
        raise RuntimeError("boom [/] \x1b[31m")

    code = launcher.run_demo(app_runner=crashing_app)

    assert code == 1
    assert len(seen["threads"]) == 3
    assert not process_alive(seen["pid"])
    assert nothing_listens(seen["port"])
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "threadloom demo: the app failed: RuntimeError: boom [/] ␛[31m"
    assert "Traceback" not in err
    log = (home / "log" / "threadloom.log").read_text()
    assert "Traceback" in log and "RuntimeError: boom" in log


def test_missing_demo_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The extra is installed here, so its absence is simulated."""
    from tui.cli import main

    monkeypatch.setattr(launcher, "demo_extra_installed", lambda: False)

    code = main(["demo"])

    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "threadloom demo: the demo needs the local Agent Server, which is not installed. "
        f"Install it with: {INSTALL_HINT}"
    ]
    assert INSTALL_HINT == 'pip install "threadloom[demo]"'


def test_a_port_in_use_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        code = launcher.run_demo(open_app=False, port=port)

    assert code == 1
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith(f"threadloom demo: port {port} is in use")
