"""The editor's autosaved draft: the current script and a little UI state, in one JSON file.

Saving is atomic and private (0o600: a draft may hold conversation data). Loading never raises:
a draft that cannot be read as a draft is moved aside to ``<name>.corrupt`` (so the next save
does not destroy it and the user can still look at it) and ``load`` returns None.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.supersteps.files import atomic_write_text
from tui.supersteps.model import Script, ScriptError

__all__ = ["DRAFT_FORMAT", "Draft", "DraftStore"]

DRAFT_FORMAT = "threadloom-draft"
_VERSION = 1


@dataclass(frozen=True)
class Draft:
    script: Script
    ui_state: dict[str, Any] = field(default_factory=dict)


class DraftStore:
    """One draft file, ``<directory>/<name>`` (the app passes its XDG state directory)."""

    def __init__(self, directory: str | os.PathLike[str], name: str = "draft.json") -> None:
        self.directory = Path(directory)
        self.path = self.directory / name

    @property
    def corrupt_path(self) -> Path:
        return self.path.with_name(self.path.name + ".corrupt")

    def save(self, script: Script, ui_state: Mapping[str, Any] | None = None) -> None:
        """Write the draft atomically; raises OSError (disk full, read-only), or TypeError /
        ValueError for a ``ui_state`` that is not JSON (nothing is written then)."""
        document = {
            "format": DRAFT_FORMAT,
            "version": _VERSION,
            "ui_state": dict(ui_state or {}),
            "script": script.to_body(),
        }
        text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        atomic_write_text(self.path, text, mode=0o600)

    def load(self) -> Draft | None:
        """The saved draft, or None when there is none or it is unreadable (moved aside)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            self._move_aside()
            return None
        try:
            document = json.loads(raw.decode("utf-8"))
            return self._parse(document)
        except (ValueError, ScriptError, RecursionError):
            self._move_aside()
            return None

    def clear(self) -> None:
        """Forget the draft (no error when there is none)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    @staticmethod
    def _parse(document: Any) -> Draft:
        if not isinstance(document, dict) or document.get("format") != DRAFT_FORMAT:
            raise ValueError("not a draft")
        if document.get("version") != _VERSION:
            raise ValueError("unknown draft version")
        ui_state = document.get("ui_state", {})
        if not isinstance(ui_state, dict):
            raise ValueError("ui_state is not an object")
        return Draft(script=Script.from_body(document.get("script")), ui_state=ui_state)

    def _move_aside(self) -> None:
        with contextlib.suppress(OSError):
            os.replace(self.path, self.corrupt_path)
