"""Import hygiene: the domain and client layers stay free of the UI (and the domain of HTTP).

Each check imports every module of a package in a fresh interpreter and looks at
``sys.modules``, so an indirect import (through another module or a dependency) counts too.
Modules are found with pkgutil, so the check covers whatever the packages hold today.
"""

from __future__ import annotations

import ast
import contextlib
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
                              "tui.app.editor", "tui.app.viewer",
                              "tui.app.runs")


def test_the_first_frame_needs_neither_httpx_nor_pydantic_nor_the_other_panes() -> None:
    loaded = imported_after(FIRST_FRAME)

    assert "textual.app" in loaded and "tui.app.threads.thread_list" in loaded
    for heavy in NOT_BEFORE_THE_FIRST_FRAME:
        offenders = sorted(m for m in loaded if m == heavy or m.startswith(heavy + "."))
        assert not offenders, f"the app's first frame imports {heavy}: {offenders[:5]}"


def test_the_first_frame_check_sees_a_heavy_import() -> None:
    assert "pydantic" in imported_after([*FIRST_FRAME, "tui.config"])


# ---------------------------------------------------------------- import circles


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_graph(root: Path, package: str = "tui") -> dict[str, set[str]]:
    """Which of ``package``'s modules each module imports — at module level or inside a
    function alike (a deferred import is still a dependency), ``if TYPE_CHECKING:`` aside."""
    modules: dict[str, Path] = {}
    for path in (root / package).rglob("*.py"):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]

        def add(target: str, name: str = name) -> None:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].add(target)

        for node in _walk_outside_type_checking(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    add(alias.name)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*parent, *([node.module] if node.module else [])])
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    add(full if full in modules else base)
    return graph


def _walk_outside_type_checking(tree: ast.AST) -> list[ast.AST]:
    found: list[ast.AST] = []
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            todo.extend(node.orelse)
            continue
        found.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return found


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circles() -> None:
    assert circles(import_graph(ROOT)) == []


def test_the_circle_check_sees_a_deferred_import(tmp_path: Path) -> None:
    package = tmp_path / "tui"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from tui.b import B\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from tui.c import C\n"
        "def f():\n    from tui import a\n"
    )
    (package / "c.py").write_text("from tui.b import B\n")
    assert circles(import_graph(tmp_path)) == [["tui.a", "tui.b"]]


# ---------------------------------------------------------------- panes ask services

CLIENT_CALLS = {
    "threads": {"search", "count", "get", "get_state", "history", "create", "create_body",
                "copy", "update", "delete", "update_state"},
    "runs": {"stream", "join_stream", "list", "get", "cancel", "create", "wait"},
    "assistants": {"search", "get", "graph", "schemas"},
}


def client_calls(source: str) -> list[str]:
    """``….threads.search(…)``-shaped calls: the client's API called directly."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Attribute) and node.func.attr in CLIENT_CALLS.get(
                    owner.attr, ()):
                found.append(f"{owner.attr}.{node.func.attr}")
    return found


def test_the_app_reaches_the_server_only_through_services() -> None:
    offenders = {
        str(path.relative_to(ROOT)): calls
        for path in sorted((ROOT / "tui" / "app").rglob("*.py"))
        if (calls := client_calls(path.read_text()))
    }
    assert offenders == {}


def test_the_service_check_sees_a_client_call() -> None:
    assert client_calls("async def f(client):\n    await client.threads.copy('x')\n") == [
        "threads.copy"]
    assert client_calls("self.app.threads.update_thread(t)\n") == []


# ---------------------------------------------------------------- pane boundaries

PANES = ("threads", "editor", "viewer", "runs")


def pane_crossings(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports from one pane's package into another's (TYPE_CHECKING aside): panes meet in the
    shell, in ``tui.app.shared`` and in the layers below, never directly."""
    def pane(module: str) -> str | None:
        parts = module.split(".")
        return parts[2] if len(parts) > 2 and parts[:2] == ["tui", "app"] \
            and parts[2] in PANES else None

    return sorted((source, target) for source, targets in graph.items() for target in targets
                  if pane(source) and pane(target) and pane(source) != pane(target))


def test_no_pane_imports_another() -> None:
    assert pane_crossings(import_graph(ROOT)) == []


def test_shared_widgets_import_no_pane() -> None:
    graph = import_graph(ROOT)
    assert sorted((s, t) for s, targets in graph.items() if s.startswith("tui.app.shared")
                  for t in targets if t.split(".")[2:3] and t.split(".")[2] in PANES) == []


def test_the_pane_check_sees_a_crossing() -> None:
    graph = {"tui.app.runs.sync": {"tui.app.viewer.viewer", "tui.app.shared.chat"},
             "tui.app.viewer.viewer": set(), "tui.app.shared.chat": set()}
    assert pane_crossings(graph) == [("tui.app.runs.sync", "tui.app.viewer.viewer")]


MOST_LINES = 400


def test_no_module_is_over_400_lines() -> None:
    """A module past this is doing more than one thing: split it by responsibility."""
    sizes = {str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
             for path in (ROOT / "tui").rglob("*.py")}
    assert sizes  # the walk found the package
    assert {path: n for path, n in sizes.items() if n > MOST_LINES} == {}


# ---------------------------------------------------------------- Textual's public API only

def textual_private_names() -> set[str]:
    """The private names (``_x``, not dunders) of Textual's app, screen and widget classes
    and of their instances (what ``__init__`` sets): what the app must not reach into."""
    import textual.widgets
    from textual.app import App
    from textual.screen import Screen
    from textual.widget import Widget

    classes = [App, Screen, Widget, *(getattr(textual.widgets, name)
                                      for name in textual.widgets.__all__)]
    names: set[str] = set()
    for cls in classes:
        names.update(dir(cls))
        with contextlib.suppress(Exception):  # an instance: the attributes __init__ sets
            names.update(vars(cls()))
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def own_names(sources: list[str]) -> set[str]:
    """Names the code defines itself: functions, classes, and attributes it assigns."""
    names: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return names


STDLIB_MODULES = {"os", "sys"}  # os._exit is not Textual's


def private_reaches(source: str, private: set[str], own: set[str]) -> list[str]:
    """Imports from Textual's private modules or of its private names, and uses of a private
    name of Textual's that the code does not define itself."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
            module = node.module or ""
            if any(part.startswith("_") for part in module.split(".")):
                found.append(f"from {module} import")
            found += [f"import {a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.Attribute) and node.attr in private - own and not (
                isinstance(node.value, ast.Name) and node.value.id in STDLIB_MODULES):
            found.append(f".{node.attr}")
    return found


def test_the_app_uses_textual_public_api_only() -> None:
    paths = sorted((ROOT / "tui").rglob("*.py"))
    sources = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in paths}
    private, own = textual_private_names(), own_names(list(sources.values()))
    assert {"_bindings", "_merged_bindings", "_check_action_state", "_shutdown"} <= private
    offenders = {path: found for path, source in sources.items()
                 if (found := private_reaches(source, private, own))}
    assert offenders == {}


def test_the_private_api_check_sees_a_reach() -> None:
    private = {"_bindings", "_compositor"}
    source = ("from textual.widgets._footer import FooterKey\n"
              "from textual.app import _private\n"
              "def f(app):\n    app._bindings\n    app._ours\n")
    assert private_reaches(source, private, own={"_ours"}) == [
        "from textual.widgets._footer import", "import _private", "._bindings"]
