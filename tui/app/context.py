"""The app context: what a pane needs from the app, typed, in one object.

The shell (:class:`~tui.app.app.ThreadloomApp`) makes one and keeps it as ``app.context``; a
pane reaches it with :func:`app_context`. It holds

- ``client``: the current :class:`DeploymentClient` (``None`` until connected, and while a
  profile switch lets go of one); setting it publishes ``connection``, so panes subscribe
  (:meth:`AppContext.on_connection`) instead of polling;
- ``now()``: the clock ("now", frozen in tests);
- ``spec``: the connection spec (changes with a profile switch);
- ``report(exc, context)``: show a failure where the user looks;
- ``thread_id`` / ``select_thread(thread_id)``: the open thread, and opening another one;
- ``script``: the ``--script`` path given at start, until the editor takes it
  (:meth:`take_script`);
- ``keymap``: the user's key overrides in force (binding id → keys, as given to
  ``App.set_keymap``), for the help screen and the command palette to show the real keys.

A host app other than the shell (tests, benchmarks) gives its panes what it has by making an
``AppContext`` of its own; a host without one gets an empty context (no client, no clock,
failures shown as notifications).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary, ref

from textual.signal import Signal

from tui.app.text import notify_text

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.worker import Worker

    from tui.app.runs.sync import RunView
    from tui.config import Settings
    from tui.deployment import DeploymentClient
    from tui.spec import ConnectionSpec

Reporter = Callable[[BaseException, str], None]


class AppContext:
    """The client, clock, spec, error reporting and thread selection the panes share."""

    def __init__(
        self,
        owner: App[Any],
        spec: ConnectionSpec | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        report: Reporter | None = None,
        select: Callable[[str], None] | None = None,
        worker_failed: Callable[[Worker.StateChanged], None] | None = None,
        reached: Callable[[], None] | None = None,
        settings: Callable[[], Settings] | None = None,
        script: str | None = None,
    ) -> None:
        self._app = ref(owner)  # not a strong one: the app keeps its context, not the reverse
        self.spec = spec
        self.clock = clock
        self.script = script
        self.thread_id: str | None = None
        self.run_view: RunView | None = None  # the viewer, once mounted: the run panel's chat
        self.keymap: dict[str, str] = {}
        self._report = report
        self._select = select
        self._worker_failed = worker_failed
        self._reached = reached
        self._settings = settings
        self._client: DeploymentClient | None = None
        # Published with the client when a connection is confirmed, and with None when the
        # app lets go of it (profile switch).
        self.connection: Signal[DeploymentClient | None] = Signal(owner, "connection")

    # ------------------------------------------------------------------ connection

    @property
    def client(self) -> DeploymentClient | None:
        return self._client

    @client.setter
    def client(self, client: DeploymentClient | None) -> None:
        """Set the client and publish it (also when it is the same one: a reconnect)."""
        self._client = client
        self.connection.publish(client)

    def on_connection(self, node: DOMNode,
                      callback: Callable[[DeploymentClient | None], object]) -> None:
        """Call ``callback(client)`` on ``node`` (after its pending messages) each time the
        connection changes; ``node`` must be mounted. Textual drops the subscription when the
        node is removed."""
        self.connection.subscribe(node, callback)

    def reached(self) -> None:
        """A request went through: the shell stops saying the deployment is offline."""
        if self._reached is not None:
            self._reached()

    def settings(self) -> Settings | None:
        """The user's settings (None when the host has none: the panes' defaults apply)."""
        return self._settings() if self._settings is not None else None

    # ------------------------------------------------------------------ clock

    def now(self) -> datetime:
        """The clock's "now"; the local time when the host gave no clock."""
        return self.clock() if self.clock is not None else datetime.now().astimezone()

    # ------------------------------------------------------------------ errors

    def report(self, exc: BaseException, context: str) -> None:
        """Show a failure where the user looks (the shell: a notification, the header line
        for a lost connection)."""
        if self._report is not None:
            self._report(exc, context)
            return
        app = self._app()
        if app is not None:
            app.notify(notify_text(f"{context}: {exc}"), severity="error", markup=False)

    def worker_failed(self, event: Worker.StateChanged) -> None:
        """A pane's worker failed unexpectedly (see :mod:`tui.app.failures`)."""
        if self._worker_failed is not None:
            self._worker_failed(event)

    # ------------------------------------------------------------------ threads

    def select_thread(self, thread_id: str) -> None:
        """Select ``thread_id`` in the list and open it (nothing when the host has no list)."""
        if self._select is not None:
            self._select(thread_id)

    def take_script(self) -> str | None:
        """The ``--script`` path not opened yet (once: it is forgotten here)."""
        script, self.script = self.script, None
        return script


_EMPTY: WeakKeyDictionary[App[Any], AppContext] = WeakKeyDictionary()


def app_context(node: DOMNode) -> AppContext:
    """The context of ``node``'s app (an empty one when the app does not make one)."""
    app = node.app
    context = getattr(app, "context", None)  # the one untyped look: any App may host a pane
    if isinstance(context, AppContext):
        return context
    empty = _EMPTY.get(app)
    if empty is None:
        empty = _EMPTY[app] = AppContext(app)
    return empty
