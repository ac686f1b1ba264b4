"""The command palette (ctrl+p): every action of every pane, found by name.

How a pane gets its palette entries — nothing to register:

1. Every ``Binding`` with a ``description`` on the app, the screen or any widget on the screen
   becomes an entry ("<Pane>: <description>", its tooltip as help, its key shown). Choosing it
   focuses that widget (when it can take focus) and runs the binding's action there.
2. Actions without a key: a widget (or the app) defines ``palette_commands()`` returning
   :class:`PaletteCommand` items.

A second provider (:class:`ThreadIdCommands`) opens a thread from the first or last characters
of its id.

Titles from outside the app (profile names from the config file) are shown literally.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from textual import actions
from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.markup import escape
from textual.widget import Widget

from tui.app import keys
from tui.app.context import AppContext, app_context
from tui.app.text import notify_text
from tui.safe import one_line


@dataclass(frozen=True)
class PaletteCommand:
    """A palette entry that is not (only) a key binding."""

    title: str
    help: str
    callback: Callable[[], Any]


@dataclass(frozen=True)
class _Entry:
    title: str
    help: str
    callback: Callable[[], Any]


def pane_label(node: DOMNode) -> str:
    """How a node is named in palette titles: its ``PALETTE_GROUP`` or its class name."""
    group = getattr(node, "PALETTE_GROUP", None)
    return str(group) if group else type(node).__name__


def _runner(node: DOMNode, action: str) -> Callable[[], Any]:
    async def run() -> None:
        if isinstance(node, Widget) and node.focusable and node.is_attached:
            node.focus()
        await node.app.run_action(action, node)

    return run


def action_state(app: App[object], action: str, owner: DOMNode) -> bool | None:
    """What ``check_action`` says of ``action`` bound on ``owner`` (False: hidden): the
    action's namespace (``app.``, ``screen.``, ``focused.``) or else ``owner`` is asked, as
    Textual does when the key is pressed."""
    namespace, name, parameters = actions.parse(action)
    targets: dict[str, DOMNode | None] = {
        "app": app, "screen": app.screen, "focused": app.focused,
    }
    if namespace and namespace not in targets:
        raise actions.ActionError(f"Action namespace {namespace} is not known")
    target = targets[namespace] if namespace else owner
    if target is None:
        raise actions.ActionError(f"Action target {namespace!r} not available")
    return target.check_action(name, parameters)


def _nodes(screen: Any) -> list[DOMNode]:
    nodes: list[DOMNode] = [screen.app, screen]
    nodes.extend(screen.query("*"))
    return nodes


def entries(screen: Any) -> Iterator[_Entry]:
    app = screen.app
    seen: set[tuple[int, str]] = set()
    nodes = _nodes(screen)
    keymap = app_context(screen).keymap
    for node in nodes:
        rows = {row.binding_id: row for row in keys.key_rows(node, keymap, app)}
        for owner, binding in keys.described([node]):
            ident = (id(owner), binding.id or binding.action)
            if ident in seen:
                continue
            seen.add(ident)
            if action_state(app, binding.action, owner) is False:
                continue
            row = rows.get(binding.id or "")
            shown = f" ({row.keys})" if row and row.keys else ""
            title = binding.description if owner is app else (
                f"{pane_label(owner)}: {binding.description}"
            )
            yield _Entry(f"{title}{shown}", binding.tooltip, _runner(owner, binding.action))
    for node in nodes:
        extra = getattr(node, "palette_commands", None)
        if callable(extra):
            commands: Iterable[PaletteCommand] = extra()
            for command in commands:
                yield _Entry(command.title, command.help, command.callback)


def help_markup(text: str) -> str:
    """The palette parses help text as markup: make ours literal."""
    flat = one_line(text)
    return escape(flat) if "[" in flat else flat


def highlight(matcher: Any, title: str) -> Content:
    """``matcher.highlight`` parses markup; this does the same styling on literal text."""
    text = one_line(title)
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ThreadloomCommands(Provider):
    """Offers every binding and ``palette_commands()`` entry of the current screen."""

    async def discover(self) -> Hits:
        for entry in sorted(entries(self.screen), key=lambda e: e.title.lower()):
            yield DiscoveryHit(Content(one_line(entry.title)), entry.callback,
                               text=entry.title, help=help_markup(entry.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in entries(self.screen):
            score = matcher.match(entry.title)
            if score > 0:
                yield Hit(score, highlight(matcher, entry.title), entry.callback,
                          text=entry.title, help=help_markup(entry.help))


class ThreadIdCommands(Provider):
    """Type the first or last characters of a thread id (4 or more; the list shows the last 8):
    "Open thread …" for each thread they name (several: each is offered, the help says how many
    match), or one entry saying none does. Looked up on the server (:mod:`tui.services.ids`)."""

    async def search(self, query: str) -> Hits:
        from tui.deployment import DeploymentError
        from tui.services.ids import MOST_MATCHES, compact, look_up

        app: Any = self.app
        part = compact(query)
        context = app_context(app)
        client = context.client
        if part is None or len(part) < 4 or client is None:
            return
        try:
            lookup = await look_up(client, query)
        except DeploymentError:
            return
        shown = one_line(query.strip(), 40)
        problem = lookup.problem(query)
        if not lookup.found:
            message = problem.message if problem else f"No thread matches {shown!r}"
            yield Hit(0.5, Content(one_line(message[:1].upper() + message[1:])),
                      lambda: app.notify(notify_text(message), severity="warning",
                                         markup=False),
                      help="The id's first or last characters, as the thread list shows them")
            return
        many = len(lookup.found) > 1
        for thread_id in lookup.found[:MOST_MATCHES]:
            note = (f"One of {len(lookup.found)}{'+' if len(lookup.found) > MOST_MATCHES else ''}"
                    f" threads whose id starts or ends with {shown!r}") if many else \
                f"The thread whose id starts or ends with {shown!r}"
            yield Hit(1.0, Content(f"Open thread {thread_id}"), _opener(context, thread_id),
                      text=f"Open thread {thread_id}", help=help_markup(note))


def _opener(context: AppContext, thread_id: str) -> Callable[[], Any]:
    def open_it() -> None:
        context.select_thread(thread_id)

    return open_it
