"""What an export or a replay comes to: the script, whether a replay checked it, and what it
would lose (:class:`Loss`, one per checkpoint the script does not reproduce)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.supersteps.model import Script

if TYPE_CHECKING:
    from tui.deployment import Thread

__all__ = ["ExportOutcome", "Loss"]


@dataclass(frozen=True)
class Loss:
    """A checkpoint the script does not reproduce."""

    checkpoint_id: str | None
    position: int
    """1-based place in the thread's history (oldest first)."""
    of: int
    what: tuple[str, ...]

    def line(self) -> str:
        where = f"checkpoint {self.checkpoint_id}" if self.checkpoint_id else "a checkpoint"
        return f"{where} (step {self.position} of {self.of}): {'; '.join(self.what)}"


@dataclass
class ExportOutcome:
    script: Script
    checked: bool
    """The script was replayed and compared (False with ``verify=False`` or when the check
    could not run: see ``notes``)."""
    losses: list[Loss] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    thread: Thread | None = None
    """The thread a replay left on the target (None for an export, or when it was removed)."""
    warnings: list[str] = field(default_factory=list)
    """What the user should know although nothing of the thread's state is lost."""

    @property
    def exact(self) -> bool:
        return self.checked and not self.losses
