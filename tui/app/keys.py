"""Key bindings: the app-wide keys, user overrides from ``settings.keys``, and the key listing
the help screen shows.

Every binding in Threadloom has an ``id`` (``"<area>.<action>"``), a ``description`` (the footer
label) and a ``tooltip``. A user overrides a key by id in ``config.toml``::

    [keys]
    "threads.refresh" = "ctrl+r"
    "app.zoom" = "f11,ctrl+o"

Overrides go through Textual's keymap (``App.set_keymap``), so the footer, the help screen and
the command palette all show the key actually in force.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from textual.actions import SkipAction
from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode

ESCAPE_RULE = (
    "Esc leaves the innermost thing first — a dialog, the find bar, a field — and only when "
    "there is nothing left to leave does it restore a zoomed pane; one press never does both."
)
"""The one Esc rule, as the help screen states it. How it is kept: every binding of ``escape``
leaves what it owns and calls :func:`nothing_to_leave` when it owns nothing right now; the key
then goes on to the next binding out, and the app's own ``escape`` (``app.unzoom``) un-zooms last.
Textual's built-in "escape always minimizes" is switched off (``ESCAPE_TO_MINIMIZE``)."""


def nothing_to_leave() -> None:
    """Called by an Esc action that has nothing to leave: the key goes to the next one out."""
    raise SkipAction()


def key(
    keys: str, action: str, description: str, tooltip: str, *, id: str, show: bool = True,
    priority: bool = False, key_display: str | None = None,
) -> Binding:
    """A binding that follows the house rule: id, footer label and tooltip are all required."""
    return Binding(
        keys, action, description, show=show, priority=priority, tooltip=tooltip, id=id,
        key_display=key_display,
    )


APP_BINDINGS: list[BindingType] = [
    key("f1,question_mark", "help", "Help", "List the keys that work here", id="app.help"),
    key("ctrl+p", "command_palette", "Commands", "Search every command (the command palette)",
        id="app.palette", show=False),
    key("q", "quit", "Quit", "Leave Threadloom", id="app.quit"),
    key("1", "focus_pane('threads')", "Threads", "Move the focus to the thread list",
        id="app.focus_threads", show=False),
    key("2", "focus_pane('editor')", "Editor", "Move the focus to the superstep editor",
        id="app.focus_editor", show=False),
    key("3", "focus_pane('viewer')", "State", "Move the focus to the state viewer",
        id="app.focus_viewer", show=False),
    key("escape", "unzoom", "Un-zoom",
        "Restore a zoomed pane once nothing inside is left to leave (the Esc rule, below)",
        id="app.unzoom", show=False),
    key("z,f11", "zoom", "Zoom", "Fill the screen with the focused pane (again to restore)",
        id="app.zoom"),
    key("f5", "reconnect", "Reconnect", "Check the deployment again and reload the thread list",
        id="app.reconnect", show=False),
    key("f2", "switch_profile", "Profiles", "Connect with another profile from the config file",
        id="app.profiles", show=False),
]

# Tables whose cursor is a row (the thread list, the history): home / end go to the first /
# last row (Textual's DataTable moves across columns with them, which a row cursor ignores).
ROW_TABLE_BINDINGS: list[BindingType] = [
    key("home", "scroll_top", "First row", "Go to the first row", id="table.first_row",
        show=False),
    key("end", "scroll_bottom", "Last row", "Go to the last row loaded", id="table.last_row",
        show=False),
]

# The run panel's keys are app-wide (they act on the open thread wherever the focus is).
RUN_BINDINGS: list[BindingType] = [
    key("R", "runs('compose')", "Run",
        "Type a message (or input JSON, or a resume value) and run the graph on the open thread",
        id="runs.compose"),
    key("X", "runs('cancel')", "Cancel run",
        "Cancel the run in progress on the open thread (it stops where it is)",
        id="runs.cancel", show=False),
    key("J", "runs('join')", "Join run",
        "Follow a run already in progress on the open thread, live", id="runs.join",
        show=False),
]


def user_keymap(
    keys: Mapping[str, str], known_ids: Iterable[str]
) -> tuple[dict[str, str], list[str]]:
    """The usable part of ``settings.keys`` and one message per entry that cannot be used."""
    known = set(known_ids)
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys_text in keys.items():
        cleaned = ",".join(part.strip() for part in str(keys_text).split(",") if part.strip())
        if binding_id not in known:
            problems.append(f"[keys] {binding_id!r}: no binding has this id")
        elif not cleaned:
            problems.append(f"[keys] {binding_id!r}: no key given")
        else:  # in the form Textual keeps keys in ("?" is "question_mark")
            keymap[binding_id] = ",".join(
                b.key for b in Binding.make_bindings([Binding(cleaned, binding_id)]))
    return keymap, problems


@dataclass(frozen=True)
class KeyRow:
    """One line of the help screen."""

    keys: str
    description: str
    tooltip: str
    binding_id: str


def bindings_of(node: DOMNode) -> BindingsMap:
    """``node``'s own bindings, before the user keymap (see :func:`class_bindings`).
    (``Screen.active_bindings`` has only the focus chain's bindings, while the help screen and
    the palette list every widget on the screen.)"""
    return class_bindings(type(node))


def class_bindings(cls: type[DOMNode]) -> BindingsMap:
    """The bindings of a node of class ``cls``: its classes' ``BINDINGS`` merged as Textual
    merges them, from the base class down, a class's bindings of a key replacing its bases'.

    Textual also lets a class drop its bases' bindings (``inherit_bindings=False``), which no
    public attribute tells; of its classes only ``Static`` does, with no bindings above it, and
    none of ours does. tests/app/test_keys.py compares this with Textual's own merge for every
    node class Threadloom and Textual define."""
    keys: dict[str, list[Binding]] = {}
    for base in reversed(cls.__mro__):
        own = base.__dict__.get("BINDINGS") if issubclass(base, DOMNode) else None
        if own:
            keys.update(BindingsMap(own).key_to_bindings)
    return BindingsMap.from_keys(keys)


def node_bindings(node: DOMNode, keymap: Mapping[str, str]) -> BindingsMap:
    """``node``'s bindings with the user keymap applied (what its keys really are)."""
    bindings = bindings_of(node)
    if keymap:
        bindings.apply_keymap(dict(keymap))
    return bindings


def key_rows(node: DOMNode, keymap: Mapping[str, str], display: object) -> list[KeyRow]:
    """The described bindings of ``node``, one row per binding id (its keys joined)."""
    get_display = getattr(display, "get_key_display", None)
    rows: dict[str, tuple[list[str], Binding]] = {}
    for key_name, bindings in node_bindings(node, keymap).key_to_bindings.items():
        for binding in bindings:
            if not binding.description or binding.system:
                continue
            ident = binding.id or f"{binding.action}:{binding.description}"
            shown = get_display(binding) if callable(get_display) else key_name
            keys, _ = rows.setdefault(ident, ([], binding))
            if shown not in keys:
                keys.append(str(shown))
    return [
        KeyRow(" / ".join(keys), binding.description, binding.tooltip, binding.id or "")
        for keys, binding in rows.values()
    ]


def described(nodes: Iterable[DOMNode]) -> Iterator[tuple[DOMNode, Binding]]:
    """Every binding of ``nodes`` that has an id and a description (for the command palette;
    Textual's own bindings without an id — cursor moves and the like — are left out)."""
    for node in nodes:
        seen: set[str] = set()
        for bindings in bindings_of(node).key_to_bindings.values():
            for binding in bindings:
                ident = binding.id or ""
                if ident and binding.description and not binding.system and ident not in seen:
                    seen.add(ident)
                    yield node, binding


def all_binding_ids() -> set[str]:
    """The id of every binding of every widget, screen and app class imported so far (each
    class's own ``BINDINGS``: a class's inherited bindings are its bases' own)."""
    ids: set[str] = set()
    pending: list[type[DOMNode]] = [DOMNode]
    seen: set[type[DOMNode]] = set()
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        for bindings in BindingsMap(vars(cls).get("BINDINGS", ())).key_to_bindings.values():
            ids.update(b.id for b in bindings if b.id)
    return ids

