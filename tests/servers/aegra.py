"""Aegra (an independent implementation of the Agent Server API on Postgres) serving the bundled
demo graph as ``agent``: the suite's check that Threadloom copes with a server that is not
``langgraph-api``.

Aegra needs Python >= 3.12, so it runs from its OWN virtual environment, never the project's:
``.aegra-venv/`` at the repository root (or ``$THREADLOOM_AEGRA_VENV``), made with the first
working Python >= 3.12 (``$THREADLOOM_AEGRA_PYTHON``, ``python3.12`` / ``python3.13`` on PATH,
then pyenv's versions) and the pins below. ``python -m tests.servers.aegra install`` makes it
(``.ci/run`` does); the fixture makes it on first use too. When no such Python exists, starting
fails and says so: Debian 12 has no python3.12 package.

Each server owns a Postgres cluster (tests/servers/postgres.py), a fresh temporary directory
holding ``aegra.json``, and ``aegra serve`` on a free 127.0.0.1 port in its own process group,
with ``AUTH_TYPE=noop``; ready when ``/health`` answers (Aegra has no ``/ok``). The interface is
:class:`tui.demo.server.LocalServer`'s (``url``, ``log()``, ``start()``, ``stop()``). Stop
removes every directory it made (the venv is a cache and stays).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.servers.postgres import Postgres
from tests.servers.proc import Child, StartError, TempServer, answers, exclusive
from tui.demo.server import GRAPH_DIR, server_env

PINS = ("aegra-cli==0.11.0", "aegra-api==0.11.0")
ROOT = Path(__file__).resolve().parents[2]
_STAMP = ".threadloom-pins"  # written last: a venv without it is half-made and is rebuilt
# Variables of the project's own environment that must not leak into Aegra's interpreter.
_PYTHON_ENV = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")
_QUIET = {
    "AUTH_TYPE": "noop",
    "CRON_ENABLED": "false",
    "SQLALCHEMY_POOL_SIZE": "4",
    "SQLALCHEMY_MAX_OVERFLOW": "4",
    "LANGGRAPH_MIN_POOL_SIZE": "1",
    "LANGGRAPH_MAX_POOL_SIZE": "8",
    "OTEL_TARGETS": "",
    "ENABLE_PROMETHEUS_METRICS": "false",
}


def venv_dir() -> Path:
    return Path(os.environ.get("THREADLOOM_AEGRA_VENV") or ROOT / ".aegra-venv")


def find_python() -> str | None:
    """A working Python >= 3.12 to build the venv with, or None. (A pyenv shim on PATH may
    name a version that is not active, so each candidate is run before it is chosen.)"""
    candidates = [os.environ.get("THREADLOOM_AEGRA_PYTHON") or ""]
    candidates += [shutil.which(name) or "" for name in ("python3.12", "python3.13")]
    home = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    for pattern in ("3.12*", "3.13*"):
        candidates += sorted(glob.glob(str(home / "versions" / pattern / "bin" / "python3")))
    for candidate in filter(None, candidates):
        try:
            done = subprocess.run(
                [candidate, "-c", "import sys, venv; sys.exit(sys.version_info < (3, 12))"],
                capture_output=True, stdin=subprocess.DEVNULL, timeout=30, check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return candidate
    return None


def install(venv: Path | None = None) -> Path:
    """The venv's ``aegra`` executable; the venv is made (pinned) when missing or stale, by one
    process at a time (parallel test workers share it)."""
    venv = venv or venv_dir()
    with exclusive(venv.with_name(venv.name + ".lock")):
        return _install(venv)


def _install(venv: Path) -> Path:
    aegra = venv / "bin" / "aegra"
    stamp = venv / _STAMP
    if aegra.exists() and stamp.exists() and stamp.read_text().split() == list(PINS):
        return aegra
    python = find_python()
    if python is None:
        raise StartError(
            "Aegra needs Python >= 3.12 and none was found (python3.12 / python3.13 on PATH, "
            "pyenv versions). Debian 12 has no python3.12 package: install one with pyenv, or "
            "set THREADLOOM_AEGRA_PYTHON to its path."
        )
    shutil.rmtree(venv, ignore_errors=True)
    steps = [[python, "-m", "venv", str(venv)],
             [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *PINS]]
    for cmd in steps:
        done = subprocess.run(cmd, capture_output=True, stdin=subprocess.DEVNULL, check=False,
                              timeout=900)
        if done.returncode != 0:
            output = (done.stdout + done.stderr).decode(errors="replace").strip()
            raise StartError(f"making Aegra's venv failed ({' '.join(cmd[:3])} …):\n"
                             f"{output[-2000:]}")
    stamp.write_text("\n".join(PINS) + "\n")
    return aegra


class AegraServer(TempServer):
    """One ``aegra serve`` on its own Postgres. Use as a context manager, or start() / stop()."""

    name = "Aegra"
    workdir_prefix = "threadloom-aegra-"
    service_attributes = ("postgres",)

    def __init__(self, graph_dir: Path = GRAPH_DIR, *, ready_timeout: float = 90.0) -> None:
        super().__init__(ready_timeout=ready_timeout)
        self.graph_dir = graph_dir
        self.postgres: Postgres | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise StartError("Aegra is not running")
        return f"http://127.0.0.1:{self.port}"

    def start(self, port: int | None = None) -> AegraServer:
        try:
            aegra = install()
            if self.workdir is None:
                workdir = self.make_workdir()
                shutil.copy(self.graph_dir / "agent.py", workdir / "agent.py")
                config = {"graphs": {"agent": f"{workdir / 'agent.py'}:graph"}}
                (workdir / "aegra.json").write_text(json.dumps(config))
            if self.postgres is None:
                self.postgres = Postgres(database="aegra").start()
            self._launch(aegra, port)
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self, aegra: Path, port: int | None) -> None:
        assert self.workdir is not None and self.postgres is not None
        env = {k: v for k, v in server_env().items() if k not in _PYTHON_ENV}
        env.update(_QUIET)
        env["DATABASE_URL"] = self.postgres.url
        config = self.workdir / "aegra.json"
        self.launch(
            lambda chosen: [str(aegra), "serve", "--host", "127.0.0.1", "--port", str(chosen),
                            "-c", str(config)],
            self._ready, port=port, log_name="aegra", retry_on=("address already in use",),
            env=env, cwd=self.workdir,
        )

    def _ready(self, child: Child, port: int) -> bool:
        """Our own process says it listens on the port (not a stranger), and /health answers."""
        return f"http://127.0.0.1:{port}" in self.log() and answers(f"{self.url}/health")


def main(argv: list[str]) -> int:
    """``python -m tests.servers.aegra install``: make (or check) Aegra's venv, print its
    ``aegra`` path; exit 1 with the reason when it cannot be made."""
    if argv != ["install"]:
        print("usage: python -m tests.servers.aegra install", file=sys.stderr)
        return 2
    try:
        print(install())
    except StartError as error:
        print(f"aegra: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
