"""Atomic file writes: a crash or full disk never leaves a half-written config, draft, script
or export. Pure stdlib (the domain layer uses it too)."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def atomic_write_text(path: str | os.PathLike[str], text: str, mode: int | None = None) -> None:
    """Write ``text`` so that ``path`` holds either the old content or the new, never a mix.

    A temporary file in the same directory is written, flushed, fsynced and then renamed over
    ``path``; on any failure it is removed and the old file is left as it was. ``mode`` sets
    the permissions (e.g. ``0o600``); None keeps an existing file's mode, or uses the umask
    default for a new one. The parent directory is created if needed.
    """
    target = Path(path)
    if target.is_symlink():  # write through the link, as editors do, instead of replacing it
        target = Path(os.path.realpath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        with contextlib.suppress(FileNotFoundError):
            mode = target.stat().st_mode & 0o7777
    # With a known final mode, start private and chmod after writing: no readable window.
    fd, tmp_name = _create_temp(target, 0o600 if mode is not None else 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_directory(target.parent)


def _create_temp(target: Path, create_mode: int) -> tuple[int, str]:
    """A new file next to ``target``, created with ``create_mode`` minus the umask (mkstemp
    would force 0o600, and reading the process umask is not thread-safe)."""
    for _ in range(100):
        name = str(target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, create_mode), name
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file next to {target}")


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
