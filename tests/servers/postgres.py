"""A throwaway PostgreSQL server for tests: ``initdb -A trust`` into a fresh temporary directory,
``postgres`` on a free 127.0.0.1 port with its unix socket in that directory, one database
created, and on stop the server shut down and the directory removed.

The binaries come from ``PATH`` or Debian's ``/usr/lib/postgresql/<version>/bin``. Postgres
refuses to run as root; as root, the cluster belongs to (and runs as) the ``postgres`` user, or
``nobody``. Durability is off (``fsync``, ``synchronous_commit``): this data lives for one test
session. General on purpose: any fixture needing a Postgres (the Agent Server, Aegra) uses it::

    with Postgres(database="aegra") as pg:
        pg.url  # postgresql://postgres@127.0.0.1:PORT/aegra
"""

from __future__ import annotations

import glob
import shutil
import signal
import socket
from pathlib import Path

from tests.servers.proc import (
    Child,
    StartError,
    TempServer,
    give_to,
    run_checked,
    unprivileged_user,
)

INSTALL_HINT = "install PostgreSQL (Debian: apt-get install -y postgresql)"
_READY = "database system is ready to accept connections"


def postgres_bin_dir() -> Path | None:
    """Where ``initdb`` and ``postgres`` are: next to ``initdb`` on PATH, else the newest
    ``/usr/lib/postgresql/*/bin``; None when PostgreSQL is not installed."""
    on_path = shutil.which("initdb")
    if on_path:
        bin_dir = Path(on_path).resolve().parent
        if (bin_dir / "postgres").exists():
            return bin_dir
    candidates = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")]
    candidates = [c for c in candidates if (c / "initdb").exists() and (c / "postgres").exists()]
    if not candidates:
        return None
    return max(candidates, key=lambda c: _version_key(c.parent.name))


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


class Postgres(TempServer):
    """One PostgreSQL cluster with one database. ``start()`` / ``stop()`` or a context manager."""

    name = "postgres"
    workdir_prefix = "threadloom-pg-"

    def __init__(self, database: str = "threadloom", *, superuser: str = "postgres",
                 ready_timeout: float = 60.0) -> None:
        super().__init__(ready_timeout=ready_timeout)
        self.database = database
        self.superuser = superuser

    @property
    def url(self) -> str:
        """``postgresql://USER@127.0.0.1:PORT/DATABASE`` (trust auth: no password)."""
        if self.port is None:
            raise StartError("postgres is not running")
        return f"postgresql://{self.superuser}@127.0.0.1:{self.port}/{self.database}"

    def start(self) -> Postgres:
        bin_dir = postgres_bin_dir()
        if bin_dir is None:
            raise StartError(f"PostgreSQL is not installed: {INSTALL_HINT}")
        user = unprivileged_user()
        try:
            workdir = self.make_workdir()
            give_to(workdir, user)
            data = workdir / "data"
            run_checked(
                [str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", self.superuser,
                 "-E", "UTF8", "--locale=C", "--no-sync"],
                user=user,
            )
            self._launch(bin_dir, data, user)
            run_checked(
                [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                 "-U", self.superuser, self.database],
                user=user,
            )
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self, bin_dir: Path, data: Path, user: str | None) -> None:
        workdir = self.make_workdir()
        self.launch(
            lambda port: [
                str(bin_dir / "postgres"), "-D", str(data), "-p", str(port),
                "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={workdir}",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=200",
            ],
            _ready, log_name="postgres", retry_on=("could not bind", "in use"), user=user,
            # SIGINT is Postgres's "fast" shutdown: it ends the backends, then exits.
            death_signal=signal.SIGINT, stop_signal=signal.SIGINT,
        )


def _ready(child: Child, port: int) -> bool:
    return _READY in child.log() and _accepts(port)


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False
