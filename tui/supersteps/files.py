"""Script files: readable, diffable JSON (the exact ``POST /threads`` body), written atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tui.fileio import atomic_write_text
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

    ``line``/``column`` (1-based) are set when the file is not valid JSON; ``unreadable`` when
    the file could not be read at all (missing, a directory, no permission): then there is no
    script to judge, which the CLI reports as a usage error rather than an invalid script.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        message: str,
        line: int | None = None,
        column: int | None = None,
        *,
        unreadable: bool = False,
    ) -> None:
        self.path = Path(path)
        self.unreadable = unreadable
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
        raise ScriptFileError(file, "no such file", unreadable=True) from None
    except IsADirectoryError:
        raise ScriptFileError(file, "is a directory, not a script file", unreadable=True) from None
    except PermissionError:
        raise ScriptFileError(file, "permission denied", unreadable=True) from None
    except OSError as exc:
        raise ScriptFileError(file, exc.strerror or str(exc), unreadable=True) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScriptFileError(file, f"not UTF-8 text (byte {exc.start})") from None
    return loads_script(text, file)


def save_script(path: str | os.PathLike[str], script: Script) -> None:
    """Write ``script`` as pretty JSON, atomically."""
    atomic_write_text(path, dumps_script(script))
