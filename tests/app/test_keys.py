"""``keys.class_bindings`` merges each class's ``BINDINGS`` from public parts only. Textual's
own merge (the private ``_merged_bindings`` it gives every node: the oracle here) must agree for
every node class of Threadloom and of Textual, so a Textual upgrade that merges otherwise fails
here first, not as a wrong help screen."""

from __future__ import annotations

import importlib
import pkgutil

from textual.dom import DOMNode

import tui.app
from tui.app.keys import bindings_of, class_bindings


def every_node_class() -> list[type[DOMNode]]:
    for module in pkgutil.walk_packages(tui.app.__path__, "tui.app."):
        importlib.import_module(module.name)
    found: list[type[DOMNode]] = []
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_every_node_class_merges_its_bindings_as_textual_does() -> None:
    classes = every_node_class()
    ours = [cls for cls in classes if cls.__module__.startswith("tui.")]
    assert len(ours) > 40 and any(cls.__name__ == "ThreadloomApp" for cls in ours)
    compared = 0
    for cls in classes:
        textuals = cls._merged_bindings  # set for each class as it is defined
        if textuals is None:
            continue
        assert class_bindings(cls).key_to_bindings == textuals.key_to_bindings, cls
        compared += 1
    assert compared == len(classes) - 1  # all but DOMNode itself


def test_a_node_has_its_own_keys_and_those_of_the_classes_it_builds_on() -> None:
    from textual.widgets import Input

    from tui.app.editor.file_dialogs import PathInput

    field = PathInput()
    mine = bindings_of(field).key_to_bindings
    assert [b.action for b in mine["tab"]] == ["complete"]  # its own
    inputs = Input._merged_bindings
    assert inputs is not None and "ctrl+a" in inputs.key_to_bindings
    assert {key: mine[key] for key in inputs.key_to_bindings} == inputs.key_to_bindings
    assert mine == field._bindings.key_to_bindings
