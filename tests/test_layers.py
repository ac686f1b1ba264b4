"""Import hygiene: the domain and client layers stay free of the UI (and the domain of HTTP).

Each check imports every module of a package in a fresh interpreter and looks at
``sys.modules``, so an indirect import (through another module or a dependency) counts too.
Modules are found with pkgutil, so the check covers whatever the packages hold today.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RULES = {
    "tui.supersteps": ("textual", "httpx"),
    "tui.deployment": ("textual",),
    "tui.services": ("textual",),
}


def modules_of(package: str) -> list[str]:
    path = ROOT.joinpath(*package.split("."))
    if not (path / "__init__.py").exists():
        return []
    return [package] + [
        info.name for info in pkgutil.walk_packages([str(path)], prefix=package + ".")
    ]


def imported_after(modules: list[str]) -> set[str]:
    program = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        # (a None entry marks a module as absent: tui.deployment does that to httpx's CLI)
        "print(json.dumps(sorted(k for k, v in sys.modules.items() if v is not None)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(result.stdout))


def test_the_check_sees_forbidden_imports() -> None:
    # Guard against a check that can never fail: importing textual must show up.
    assert "textual" in imported_after(["textual.app"])


@pytest.mark.parametrize("package", sorted(RULES))
def test_package_does_not_import_forbidden_layers(package: str) -> None:
    modules = modules_of(package)
    assert modules, f"{package} has no modules: the check would pass vacuously"

    loaded = imported_after(modules)

    for forbidden in RULES[package]:
        offenders = sorted(m for m in loaded if m == forbidden or m.startswith(forbidden + "."))
        assert not offenders, f"{package} imports {forbidden}: {offenders[:5]}"


def test_supersteps_modules_are_all_covered() -> None:
    names = modules_of("tui.supersteps")

    assert {"tui.supersteps.model", "tui.supersteps.validate", "tui.supersteps.codegen"} <= set(
        names
    )


# The app's first frame is drawn before the client's libraries load (see tui/app/app.py): the
# modules on the way to it must not pull them in, directly or through another module.
FIRST_FRAME = ["tui.cli", "tui.app.run", "tui.app.app"]
NOT_BEFORE_THE_FIRST_FRAME = ("httpx", "pydantic", "tui.config", "tui.supersteps",
                              "tui.app.widgets.editor", "tui.app.widgets.state_viewer",
                              "tui.app.widgets.runs")


def test_the_first_frame_needs_neither_httpx_nor_pydantic_nor_the_other_panes() -> None:
    loaded = imported_after(FIRST_FRAME)

    assert "textual.app" in loaded and "tui.app.widgets.thread_list" in loaded
    for heavy in NOT_BEFORE_THE_FIRST_FRAME:
        offenders = sorted(m for m in loaded if m == heavy or m.startswith(heavy + "."))
        assert not offenders, f"the app's first frame imports {heavy}: {offenders[:5]}"


def test_the_first_frame_check_sees_a_heavy_import() -> None:
    assert "pydantic" in imported_after([*FIRST_FRAME, "tui.config"])
