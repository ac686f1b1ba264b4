"""The state's values as a collapsible, type-aware tree that is built lazily.

Objects and lists show their sizes, messages show their role and text, long strings are
folded (expand to read them line by line). Children are made only when a node is expanded,
100 at a time ("… 9,900 more" — enter shows the next page), so a 10,000-message state never
builds 10,000 nodes. ``c`` copies the value under the cursor, ``p`` its path (jq style).
Every label is a rich ``Text`` from sanitized strings: keys and values are never markup.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.app.keys import key
from tui.app.shared.chat import ROLE_COLOURS, content_text, role_of, wrap
from tui.app.viewer.lines import CURRENT_HIT, HIT
from tui.safe import one_line, sanitize
from tui.supersteps.diff import format_path
from tui.words import plural

PAGE = 100
AUTO_OPEN = 20
SHORT = 80
LINE_WIDTH = 120
MAX_HITS = 10_000

KEY = Style(color="#5fafff", bold=True)
INDEX = Style(color="#8a8a8a")
STRING = Style(color="#87d787")
NUMBER = Style(color="#5fd7d7")
LITERAL = Style(color="#d787d7", italic=True)
SIZE = Style(dim=True)

Kind = Literal["value", "gap", "line"]


@dataclass
class NodeData:
    path: tuple[str | int, ...]
    value: Any = None
    kind: Kind = "value"
    index: int = 0
    """Position among the parent's items (for paging)."""
    end: int = 0
    """For a gap: the items ``index`` … ``end - 1`` are not shown yet."""
    populated: bool = False


def jq_path(path: tuple[str | int, ...]) -> str:
    """``("messages", 0, "content")`` → ``.messages[0].content``."""
    text = format_path(path)
    return "." if text == "(root)" else "." + text


def is_message(value: Any) -> bool:
    return isinstance(value, Mapping) and isinstance(value.get("type"), str) and (
        "content" in value)


def _long_string(value: Any) -> bool:
    return isinstance(value, str) and (len(value) > SHORT or "\n" in value)


def _items(value: Any) -> list[tuple[str | int, Any]]:
    if isinstance(value, Mapping):
        return [(str(key), item) for key, item in value.items()]
    if isinstance(value, list):
        return list(enumerate(value))
    if _long_string(value):
        return list(enumerate(wrap(sanitize(value), LINE_WIDTH)))
    return []


def value_label(key: str | int | None, value: Any) -> Text:
    label = Text(no_wrap=True, end="")
    if isinstance(key, int):
        label.append(f"[{key}] ", style=INDEX)
    elif key is not None:
        label.append(one_line(key, 60), style=KEY)
        label.append(": ", style=INDEX)
    if is_message(value):
        role = role_of(value)
        label.append(one_line(role, 12), style=Style(color=ROLE_COLOURS.get(role, "#bcbcbc"),
                                                      bold=True))
        text = content_text(value)
        calls = value.get("tool_calls")
        if not text and isinstance(calls, list) and calls:
            names = ", ".join(str(c.get("name", "?")) for c in calls if isinstance(c, Mapping))
            text = f"→ {names}"
        label.append("  " + one_line(text, 70), style=Style())
    elif isinstance(value, Mapping):
        label.append("{" + plural(len(value), "key") + "}" if value else "{}", style=SIZE)
    elif isinstance(value, list):
        word = "message" if value and all(is_message(v) for v in value[:20]) else "item"
        label.append("[" + plural(len(value), word) + "]" if value else "[]", style=SIZE)
    elif isinstance(value, str):
        if _long_string(value):
            label.append(one_line(json.dumps(value[:200], ensure_ascii=False), 60), style=STRING)
            lines = value.count("\n") + 1
            label.append(f"  ({len(value):,} chars, {plural(lines, 'line')})", style=SIZE)
        else:
            label.append(one_line(json.dumps(value, ensure_ascii=False), SHORT + 2),
                         style=STRING)
    elif isinstance(value, bool) or value is None:
        label.append(json.dumps(value), style=LITERAL)
    elif isinstance(value, int | float):
        label.append(one_line(json.dumps(value), 40), style=NUMBER)
    else:
        label.append(one_line(repr(value), 60))
    return label


def _expandable(value: Any) -> bool:
    return (isinstance(value, Mapping | list) and bool(value)) or _long_string(value)


def walk(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...],
                                                                       str]]:
    """Every (path, searchable text): keys and scalar values, depth first."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            child = (*path, str(key))
            yield child, str(key)
            yield from walk(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, (*path, index))
    elif isinstance(value, str):
        yield path, value
    elif value is not None or path:
        yield path, json.dumps(value)


class ValuesTree(Tree[NodeData]):
    DEFAULT_CSS = """
    ValuesTree { height: 1fr; background: $surface; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        key("c", "copy_value", "Copy value", "Copy the value under the cursor as JSON (OSC 52)",
            id="viewer.tree.copy_value"),
        key("p", "copy_path", "Copy path",
            "Copy the JSON path of the value under the cursor (jq style)",
            id="viewer.tree.copy_path"),
    ]

    PALETTE_GROUP = "State · values"

    def allow_focus(self) -> bool:
        return bool(self.display) and super().allow_focus()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(Text("values"), NodeData(()), id=id, classes=classes)
        self.guide_depth = 3
        self._values: Any = None
        self._query = ""
        self._hits: list[tuple[str | int, ...]] = []
        self._hit = -1

    # ---------------------------------------------------------------- data

    def set_values(self, values: Any, *, present: bool = True) -> None:
        self._values = values
        self.clear()
        self.root.data = NodeData((), values)
        self._hits, self._hit, self._query = [], -1, ""
        if not present:
            self.root.set_label(Text("No state.", style="dim italic"))
            self.root.allow_expand = False
            return
        label = Text("values ", style=Style(bold=True), end="")
        label.append_text(value_label(None, values))
        self.root.set_label(label)
        self.root.allow_expand = _expandable(values)
        if self.root.allow_expand:
            self._populate(self.root)
            self.root.expand()
            for child in self.root.children:  # small top-level lists and objects open at once
                value = child.data.value if child.data is not None else None
                if isinstance(value, Mapping | list) and 0 < len(value) <= AUTO_OPEN:
                    self._populate(child)
                    child.expand()
        self.move_cursor(self.root)

    def _populate(self, node: TreeNode[NodeData]) -> None:
        data = node.data
        if data is None or data.populated or data.kind != "value":
            return
        data.populated = True
        items = _items(data.value)
        self._add_items(node, data, items, 0, min(len(items), PAGE))
        if len(items) > PAGE:
            self._add_gap(node, data, PAGE, len(items))

    def _add_items(self, node: TreeNode[NodeData], data: NodeData,
                   items: list[tuple[str | int, Any]], start: int, end: int,
                   before: TreeNode[NodeData] | None = None) -> None:
        line_mode = isinstance(data.value, str)
        for index in range(start, end):
            key, value = items[index]
            if line_mode:
                child = NodeData(data.path, value, "line", index)
                node.add(Text(str(value), style=STRING, no_wrap=True), child, before=before,
                         allow_expand=False)
                continue
            child = NodeData((*data.path, key), value, "value", index)
            node.add(value_label(key, value), child, before=before,
                     allow_expand=_expandable(value))

    def _add_gap(self, node: TreeNode[NodeData], data: NodeData, start: int, end: int,
                 before: TreeNode[NodeData] | None = None) -> TreeNode[NodeData]:
        shown = min(PAGE, end - start)
        label = Text(f"… {end - start:,} more", style=Style(dim=True, italic=True))
        label.append(f"  (enter shows the next {shown:,})", style=SIZE)
        gap = NodeData(data.path, None, "gap", start, end)
        return node.add(label, gap, before=before, allow_expand=False)

    def _fill_gap(self, gap: TreeNode[NodeData], at: int | None = None) -> None:
        parent = gap.parent
        if parent is None or parent.data is None or gap.data is None:
            return
        start, end = gap.data.index, gap.data.end
        page_start = start if at is None else max(start, min(at, end - 1) - PAGE // 2)
        page_end = min(end, page_start + PAGE)
        items = _items(parent.data.value)
        if page_start > start:
            self._add_gap(parent, parent.data, start, page_start, before=gap)
        self._add_items(parent, parent.data, items, page_start, page_end, before=gap)
        if page_end < end:
            self._add_gap(parent, parent.data, page_end, end, before=gap)
        gap.remove()

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeData]) -> None:
        self._populate(event.node)

    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        node = event.node
        if node.data is not None and node.data.kind == "gap":
            event.stop()
            line = self.cursor_line
            self._fill_gap(node)
            _ = self.last_line  # rebuild the lines so the cursor lands on the first new one
            self.cursor_line = line

    # ---------------------------------------------------------------- copy

    def _cursor_data(self) -> NodeData | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def action_copy_value(self) -> None:
        data = self._cursor_data()
        if data is None or data.kind == "gap":
            return
        value = data.value
        text = value if isinstance(value, str) else json.dumps(value, indent=2,
                                                                ensure_ascii=False, default=str)
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the value at {one_line(jq_path(data.path), 80)}.", markup=False,
                    timeout=2)

    def action_copy_path(self) -> None:
        data = self._cursor_data()
        if data is None:
            return
        path = jq_path(data.path)
        self.app.copy_to_clipboard(path)
        self.notify(f"Copied the path {one_line(path, 80)}.", markup=False, timeout=2)

    # ---------------------------------------------------------------- find

    def render_label(self, node: TreeNode[NodeData], base_style: Style, style: Style) -> Text:
        text = super().render_label(node, base_style, style)
        if self._query:
            lowered = text.plain.lower()
            current = self._hits[self._hit] if 0 <= self._hit < len(self._hits) else None
            hit_style = CURRENT_HIT if node.data is not None and node.data.kind == "value" and (
                node.data.path == current) else HIT
            column = lowered.find(self._query)
            while column >= 0:
                text.stylize(hit_style, column, column + len(self._query))
                column = lowered.find(self._query, column + len(self._query))
        return text

    def _redraw_labels(self) -> None:
        """Draw every label made so far again: the hits are highlighted as a label is drawn
        (``render_label``), and a node draws itself again once refreshed."""
        nodes = [self.root]
        while nodes:
            node = nodes.pop()
            node.refresh()
            nodes.extend(node.children)

    def find(self, query: str) -> int:
        self._query = query.lower()
        self._hits, self._hit = [], -1
        if self._query:
            seen: set[tuple[str | int, ...]] = set()
            for path, text in walk(self._values):
                if self._query in text.lower() and path not in seen:
                    seen.add(path)
                    self._hits.append(path)
                    if len(self._hits) >= MAX_HITS:
                        break
        self._redraw_labels()
        return len(self._hits)

    def find_step(self, forward: bool = True) -> str | None:
        if not self._hits:
            return None
        if self._hit < 0:
            self._hit = 0 if forward else len(self._hits) - 1
        else:
            self._hit = (self._hit + (1 if forward else -1)) % len(self._hits)
        path = self._hits[self._hit]
        node = self.reveal(path)
        if node is not None:
            self.move_cursor(node)
        self._redraw_labels()
        return jq_path(path)

    def find_position(self) -> tuple[int, int]:
        """(1-based number of the current hit or 0, number of hits)."""
        return (self._hit + 1 if self._hit >= 0 else 0), len(self._hits)

    def clear_find(self) -> None:
        self._query, self._hits, self._hit = "", [], -1
        self._redraw_labels()

    def reveal(self, path: tuple[str | int, ...]) -> TreeNode[NodeData] | None:
        """Expand the tree down to ``path`` (making only the nodes needed) and return it."""
        node = self.root
        for part in path:
            data = node.data
            if data is None:
                return None
            self._populate(node)
            node.expand()
            items = _items(data.value)
            if isinstance(data.value, Mapping):
                keys = [key for key, _ in items]
                if part not in keys:
                    return None
                index = keys.index(part)
            elif isinstance(part, int):
                index = part
            else:
                return None
            child = self._child_at(node, index)
            if child is None:
                return None
            node = child
        _ = self.last_line  # build the lines so the node knows where it is
        return node

    def _child_at(self, node: TreeNode[NodeData], index: int) -> TreeNode[NodeData] | None:
        for child in node.children:
            data = child.data
            if data is None:
                continue
            if data.kind == "value" and data.index == index:
                return child
            if data.kind == "gap" and data.index <= index < data.end:
                self._fill_gap(child, index)
                return self._child_at(node, index)
        return None
