"""The superstep domain: a script (the ``POST /threads`` body), its editing operations and undo,
validation, message builders, files and drafts, history export and code generation.

Pure: stdlib and pydantic only — no Textual, no httpx (``tests/test_layers.py`` checks).
"""

from tui.supersteps.model import Command, Script, ScriptError, Send, Superstep, Update

__all__ = [
    "Command",
    "Script",
    "ScriptError",
    "Send",
    "Superstep",
    "Update",
]
