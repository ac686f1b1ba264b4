"""The ``as_node`` picker: free text with the graph's real node names (and ``__input__``,
``__start__``, ``__copy__``, ``__end__``) offered as completions and in a Select, and a warning
line when the name is not one of them."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.app.editor.state import node_choices, node_warning
from tui.app.shared.message_builder import ChoiceInput
from tui.app.text import line


class NodePicker(Vertical):
    DEFAULT_CSS = """
    NodePicker { height: auto; }
    NodePicker > .node-hint { height: 1; color: $text-muted; }
    NodePicker > .node-hint.-warning { color: $warning; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.node_names: list[str] | None = None
        self.choice = ChoiceInput(choices=node_choices(None), placeholder="node name",
                                  pick_prompt="nodes…", id="node-choice")
        self.hint = Static("", classes="node-hint", markup=False)

    def compose(self) -> ComposeResult:
        yield self.choice
        yield self.hint

    @property
    def value(self) -> str:
        return self.choice.value

    def set_nodes(self, node_names: Sequence[str] | None) -> None:
        """The graph's nodes (None while unknown: no warning then)."""
        self.node_names = list(node_names) if node_names is not None else None
        self.choice.set_choices(node_choices(self.node_names))

    def show_hint(self, as_node: str | None) -> None:
        warning = node_warning(as_node, self.node_names)
        self.hint.set_class(warning is not None, "-warning")
        if warning is not None:
            self.hint.update(line(f"⚠ {warning}", 200))
        elif self.node_names is None:
            self.hint.update(Text("graph nodes unknown (not connected or no graph chosen)",
                                  style="dim"))
        else:
            names = ", ".join(node_choices(self.node_names))
            self.hint.update(line(f"✓ in the graph · {names}", 200))
