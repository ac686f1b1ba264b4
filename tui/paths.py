"""Where Threadloom keeps its files (XDG locations through platformdirs).

- config: ``$XDG_CONFIG_HOME/threadloom/config.toml`` (profiles, key overrides)
- state:  ``$XDG_STATE_HOME/threadloom/`` (drafts of superstep scripts)
- logs:   ``$XDG_STATE_HOME/threadloom/log/threadloom.log``
``THREADLOOM_HOME`` puts all three under one folder instead (handy for tests and demos).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "threadloom"


def _home() -> Path | None:
    home = os.environ.get("THREADLOOM_HOME", "").strip()
    return Path(home).expanduser() if home else None


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP))


def config_file() -> Path:
    return config_dir() / "config.toml"


def state_dir() -> Path:
    home = _home()
    return home / "state" if home else Path(platformdirs.user_state_dir(APP))


def drafts_dir() -> Path:
    return state_dir() / "drafts"


def log_dir() -> Path:
    home = _home()
    return home / "log" if home else Path(platformdirs.user_log_dir(APP))


def log_file() -> Path:
    return log_dir() / "threadloom.log"
