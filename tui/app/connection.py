"""The app's connection: check the deployment (``/info``), show the connect screen when it
cannot be reached, notice a dropped connection, reconnect (F5), switch profile at runtime.

:class:`ConnectionController` holds the connection's state (where it stands, the server's
``/info``, the connect screen, an F5 waiting for its answer); the shell owns one and routes its
keys and the connect screen's messages to it. The client itself is in the app context
(``context.client``): setting it publishes it to the panes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from tui.app.screens.connect import ConnectScreen
from tui.app.shared.header import ConnectionState
from tui.app.shared.workers import run_job
from tui.app.text import notify_text
from tui.deployment import DeploymentError
from tui.spec import ConfigError, ConnectionSpec

if TYPE_CHECKING:
    import httpx

    from tui.app.app import ThreadloomApp
    from tui.app.commands import PaletteCommand
    from tui.deployment import ServerInfo

log = logging.getLogger("threadloom.app")


# The most the connection waits for the first page's request to go out before it loads the
# client's models (on a slow network the request is on its way; the models load regardless).
FIRST_PAGE_SEND_WAIT = 0.5


class ConnectionController:
    """Connect, reconnect and switch profile for ``app``; ``context.client`` is set once
    ``/info`` answered."""

    def __init__(self, app: ThreadloomApp, transport: httpx.AsyncBaseTransport | None) -> None:
        self._app = app
        self._context = app.context
        self.transport = transport  # tests: the real server behind a port rewrite
        self.state: ConnectionState = "connecting"
        self.server_info: ServerInfo | None = None
        self._connect_screen: ConnectScreen | None = None
        self._reconnect_asked = False  # F5 was pressed: say when the connection is back

    @property
    def spec(self) -> ConnectionSpec:
        spec = self._context.spec
        assert spec is not None  # the shell always has one
        return spec

    def show_header(self, hint: str = "") -> None:
        header = self._app.header
        header.where = self.spec.describe()
        header.version = self.server_info.version if self.server_info else None
        header.state = self.state
        header.hint = hint

    def connect(self, hint: str = "") -> None:
        """(Re)connect with the spec: read ``/info``, then load the thread list."""
        self.state = "connecting"
        self.show_header(hint)
        run_job(self._app, partial(self._connect, self.spec), "connect", name="connect")

    async def _connect(self, spec: ConnectionSpec) -> None:
        app, threads = self._app, self._app.threads
        current = self._context.client
        fresh = current is None
        if current is None:
            # The first page goes out before the client's models load (~70 ms of imports,
            # done while the server answers), and is answered to the list's first request.
            gateway = spec.gateway(self.transport)
            sent = threads.send_first_page_ahead(gateway)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(sent.wait(), FIRST_PAGE_SEND_WAIT)
            client = spec.client(gateway=gateway)
        else:
            client = current
        if fresh:
            # The first page travels with the connection check, not after it.
            threads.reload(client=client)
        try:
            info = await client.info()
        except DeploymentError as exc:
            if fresh:
                threads.stop_loading()  # it was using this client
                await client.aclose()
            if spec is self.spec:
                self._failed(exc)
            return
        except asyncio.CancelledError:  # a newer connect (another profile) took over
            if fresh:
                await client.aclose()
            raise
        if spec is not self.spec:  # the user switched profile meanwhile
            if fresh:
                await client.aclose()
            return
        self._context.client = client  # published to the panes (context.connection)
        self.server_info = info
        self.state = "connected"
        self.show_header()
        if self._connect_screen is not None:
            screen, self._connect_screen = self._connect_screen, None
            if screen.is_current:
                app.pop_screen()
        if not fresh:
            threads.reload()
        if self._reconnect_asked:
            self._reconnect_asked = False
            app.notify(notify_text(f"Connected to {spec.describe()}: the thread list is "
                                   "reloaded."), title="Reconnected", markup=False, timeout=4)
        app.open_script()

    def _failed(self, exc: DeploymentError) -> None:
        log.warning("connect failed: %s", exc)
        self._reconnect_asked = False
        self.state = "offline"
        self.show_header("F5 or r on the connect screen to retry")
        if self._context.client is not None:
            # Connected before: the panes stay; the header says the deployment is gone.
            self._app.report_error(exc, "Reconnecting")
            return
        if self._connect_screen is None:
            self._connect_screen = ConnectScreen(self.spec.describe(), str(exc))
            self._app.push_screen(self._connect_screen)
        else:
            self._connect_screen.reason = str(exc)
            self._connect_screen.retrying = False

    def lost(self) -> None:
        """A request could not reach the deployment: the header says so until one does."""
        if self._context.client is not None:
            self.state = "offline"
            self.show_header("press F5 to reconnect")

    def reached(self) -> None:
        """A request went through: the header stops saying offline."""
        if self.state != "connected" and self._context.client is not None:
            self.state = "connected"
            self.show_header()

    async def switch_profile(self, name: str) -> None:
        """Reconnect with the profile ``name`` from the config file."""
        from tui.config import resolve_connection

        app = self._app
        try:
            spec = resolve_connection(app.settings, profile=name)
        except (ConfigError, ValueError) as exc:
            app.report_error(exc, "Switching profile")
            return
        old, self._context.client = self._context.client, None  # the panes let go of it too
        self._context.spec = spec
        self.server_info = None
        if old is not None:
            await old.aclose()
        app.open_thread(None)
        app.notify(notify_text(f"Connecting to {spec.describe()}"), markup=False, timeout=4)
        self.connect()

    def reconnect(self) -> None:
        """F5: a visible sign at once (header and a note), and another when it is done."""
        self._reconnect_asked = True
        self._app.notify(notify_text(f"Reconnecting to {self.spec.describe()}…"), title="F5",
                         markup=False, timeout=3)
        self.connect(hint="reconnecting…")

    def choose_profile(self) -> None:
        """F2: the profiles of the config file to pick one from (or how to add one)."""
        from tui.app.screens.profiles import ProfileSwitcher

        app = self._app
        if not app.settings.profiles:
            from tui import paths

            where = paths.config_file()
            state = "" if where.exists() else " (it does not exist yet)"
            app.notify(notify_text(f"No profiles yet: add [profiles.NAME] with a url to "
                                   f"{where}{state}."),
                       title="Profiles (F2)", severity="warning", markup=False, timeout=10)
            return

        async def chosen(name: str | None) -> None:
            if name:
                await self.switch_profile(name)

        app.push_screen(ProfileSwitcher(app.settings, self.spec.profile), chosen)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        from tui.app.commands import PaletteCommand

        for name in sorted(self._app.settings.profiles):
            active = " (active)" if name == self.spec.profile else ""

            async def switch(name: str = name) -> None:
                await self.switch_profile(name)

            yield PaletteCommand(
                f"Switch profile: {name}{active}",
                "Reconnect with this profile from the config file",
                switch,
            )
