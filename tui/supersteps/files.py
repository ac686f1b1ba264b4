"""Script files: readable, diffable JSON (the exact ``POST /threads`` body), written atomically."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from pathlib import Path

from tui.supersteps.jsontext import parse_json_text
from tui.supersteps.model import Script, ScriptError

__all__ = [
    "ScriptFileError",
    "atomic_write_text",
    "dumps_script",
    "load_script",
    "loads_script",
    "save_script",
]


class ScriptFileError(Exception):
    """A script file that cannot be read; ``str()`` is one line naming the file and the cause.

    ``line``/``column`` (1-based) are set when the file is not valid JSON.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        message: str,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.message = message
        self.line = line
        self.column = column
        where = f"{self.path}:{line}:{column}" if line is not None else str(self.path)
        super().__init__(f"{where}: {message}")


def dumps_script(script: Script) -> str:
    """Pretty JSON: 2-space indent, the body's key order (stable), non-ASCII kept, final newline."""
    return json.dumps(script.to_body(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def loads_script(text: str, source: str | os.PathLike[str] = "<text>") -> Script:
    """Parse script text; errors are :class:`ScriptFileError` naming ``source``."""
    value, error = parse_json_text(text)
    if error is not None:
        raise ScriptFileError(source, f"not valid JSON: {error.message}", error.line, error.column)
    try:
        return Script.from_body(value)
    except ScriptError as exc:
        raise ScriptFileError(source, f"not a superstep script: {exc}") from None


def load_script(path: str | os.PathLike[str]) -> Script:
    """Read a script file; every failure is a :class:`ScriptFileError`."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise ScriptFileError(file, "no such file") from None
    except IsADirectoryError:
        raise ScriptFileError(file, "is a directory, not a script file") from None
    except PermissionError:
        raise ScriptFileError(file, "permission denied") from None
    except OSError as exc:
        raise ScriptFileError(file, exc.strerror or str(exc)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScriptFileError(file, f"not UTF-8 text (byte {exc.start})") from None
    return loads_script(text, file)


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


def save_script(path: str | os.PathLike[str], script: Script) -> None:
    """Write ``script`` as pretty JSON, atomically."""
    atomic_write_text(path, dumps_script(script))
