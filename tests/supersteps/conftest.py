"""Fixtures for the superstep domain tests (pure: no server needed)."""

from __future__ import annotations

import pytest

from tui.supersteps import Script

from .data import SEED_BODY


@pytest.fixture
def seed() -> Script:
    """The three-superstep script of the "Prepopulated State" docs page."""
    return Script.from_body(SEED_BODY)
