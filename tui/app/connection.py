"""The app's connection: check the deployment (``/info``), show the connect screen when it
cannot be reached, notice a dropped connection, reconnect (F5), switch profile at runtime.

A mixin of :class:`~tui.app.app.ThreadloomApp` (kept apart for size).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.screen import Screen
from textual.signal import Signal

from tui.app.screens.connect import ConnectScreen
from tui.app.shared.header import ConnectionState, HeaderLine
from tui.app.text import notify_text
from tui.deployment import DeploymentError
from tui.spec import ConfigError, ConnectionSpec

if TYPE_CHECKING:
    import httpx

    from tui.app.commands import PaletteCommand
    from tui.app.context import AppContext
    from tui.app.threads.thread_list import ThreadList
    from tui.config import Settings
    from tui.deployment import DeploymentClient, ServerInfo

log = logging.getLogger("threadloom.app")


# The most the connection waits for the first page's request to go out before it loads the
# client's models (on a slow network the request is on its way; the models load regardless).
FIRST_PAGE_SEND_WAIT = 0.5

class ConnectionMixin(App[int]):
    """Connect, reconnect and switch profile; ``app.client`` is set once ``/info`` answered."""

    _reconnect_asked = False  # F5 was pressed: say when the connection is back

    if TYPE_CHECKING:
        context: AppContext
        transport: httpx.AsyncBaseTransport | None
        server_info: ServerInfo | None
        connection_state: ConnectionState
        _connect_screen: ConnectScreen | None
        _header: HeaderLine
        report_error: Callable[[BaseException, str], None]
        open_thread: Callable[[str | None], None]

        @property
        def settings(self) -> Settings: ...
        @property
        def panes_ready(self) -> bool: ...
        @property
        def threads(self) -> ThreadList: ...
        @property
        def main_screen(self) -> Screen[Any]: ...

    # The connection's part of the app context, as the app's own attributes.

    @property
    def spec(self) -> ConnectionSpec:
        spec = self.context.spec
        assert spec is not None  # the shell always has one
        return spec

    @spec.setter
    def spec(self, spec: ConnectionSpec) -> None:
        self.context.spec = spec

    @property
    def client(self) -> DeploymentClient | None:
        return self.context.client

    @client.setter
    def client(self, client: DeploymentClient | None) -> None:
        """Setting it publishes ``connection_signal`` (panes subscribe to it)."""
        self.context.client = client

    @property
    def connection_signal(self) -> Signal[DeploymentClient | None]:
        """Publishes the client when a connection is confirmed, and None when the app lets go
        of it (profile switch)."""
        return self.context.connection

    def _show_header(self, hint: str = "") -> None:
        header = self._header
        header.where = self.spec.describe()
        header.version = self.server_info.version if self.server_info else None
        header.state = self.connection_state
        header.hint = hint

    def connect(self, hint: str = "") -> None:
        """(Re)connect with ``self.spec``: read ``/info``, then load the thread list."""
        self.connection_state = "connecting"
        self._show_header(hint)
        self._connect(self.spec)

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def _connect(self, spec: ConnectionSpec) -> None:
        current = self.client
        fresh = current is None
        if current is None:
            # The first page goes out before the client's models load (~70 ms of imports,
            # done while the server answers), and is answered to the list's first request.
            gateway = spec.gateway(self.transport)
            sent = self.threads.send_first_page_ahead(gateway)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(sent.wait(), FIRST_PAGE_SEND_WAIT)
            client = spec.client(gateway=gateway)
        else:
            client = current
        if fresh:
            # The first page travels with the connection check, not after it.
            self.threads.reload(client=client)
        try:
            info = await client.info()
        except DeploymentError as exc:
            if fresh:
                self.threads.stop_loading()  # it was using this client
                await client.aclose()
            if spec is self.spec:
                self._connection_failed(exc)
            return
        except asyncio.CancelledError:  # a newer connect (another profile) took over
            if fresh:
                await client.aclose()
            raise
        if spec is not self.spec:  # the user switched profile meanwhile
            if fresh:
                await client.aclose()
            return
        self.client = client  # published to the panes (connection_signal)
        self.server_info = info
        self.connection_state = "connected"
        self._show_header()
        if self._connect_screen is not None:
            screen, self._connect_screen = self._connect_screen, None
            if screen.is_current:
                self.pop_screen()
        if not fresh:
            self.threads.reload()
        if self._reconnect_asked:
            self._reconnect_asked = False
            self.notify(notify_text(f"Connected to {spec.describe()}: the thread list is "
                                    "reloaded."), title="Reconnected", markup=False, timeout=4)
        self._open_script()

    def _connection_failed(self, exc: DeploymentError) -> None:
        log.warning("connect failed: %s", exc)
        self._reconnect_asked = False
        self.connection_state = "offline"
        self._show_header("F5 or r on the connect screen to retry")
        if self.client is not None:
            # Connected before: the panes stay; the header says the deployment is gone.
            self.report_error(exc, "Reconnecting")
            return
        if self._connect_screen is None:
            self._connect_screen = ConnectScreen(self.spec.describe(), str(exc))
            self.push_screen(self._connect_screen)
        else:
            self._connect_screen.reason = str(exc)
            self._connect_screen.retrying = False

    def mark_connected(self) -> None:
        """A request went through: the header stops saying offline."""
        if self.connection_state != "connected" and self.client is not None:
            self.connection_state = "connected"
            self._show_header()

    def _open_script(self) -> None:
        """Open ``--script`` in the editor once connected and the editor is mounted."""
        if not self.context.script or not self.panes_ready:
            return
        from tui.app.editor import SuperstepEditor  # mounted: already imported

        script = self.context.take_script()
        if script:
            self.main_screen.query_one("#editor", SuperstepEditor).open_script(script)

    async def switch_profile(self, name: str) -> None:
        """Reconnect with the profile ``name`` from the config file."""
        from tui.config import resolve_connection

        try:
            spec = resolve_connection(self.settings, profile=name)
        except (ConfigError, ValueError) as exc:
            self.report_error(exc, "Switching profile")
            return
        old, self.client = self.client, None  # published: the panes let go of it too
        self.spec = spec
        self.server_info = None
        if old is not None:
            await old.aclose()
        self.open_thread(None)
        self.notify(notify_text(f"Connecting to {spec.describe()}"), markup=False, timeout=4)
        self.connect()

    def on_connect_screen_retry(self, event: ConnectScreen.Retry) -> None:
        event.stop()
        self.connect()

    def on_connect_screen_switch_profile(self, event: ConnectScreen.SwitchProfile) -> None:
        event.stop()
        self.action_switch_profile()

    def action_reconnect(self) -> None:
        """F5: a visible sign at once (header and a note), and another when it is done."""
        self._reconnect_asked = True
        self.notify(notify_text(f"Reconnecting to {self.spec.describe()}…"), title="F5",
                    markup=False, timeout=3)
        self.connect(hint="reconnecting…")

    def action_switch_profile(self) -> None:
        from tui.app.screens.profiles import ProfileSwitcher

        if not self.settings.profiles:
            from tui import paths

            where = paths.config_file()
            state = "" if where.exists() else " (it does not exist yet)"
            self.notify(notify_text(f"No profiles yet: add [profiles.NAME] with a url to "
                                    f"{where}{state}."),
                        title="Profiles (F2)", severity="warning", markup=False, timeout=10)
            return

        async def chosen(name: str | None) -> None:
            if name:
                await self.switch_profile(name)

        self.push_screen(ProfileSwitcher(self.settings, self.spec.profile), chosen)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        from tui.app.commands import PaletteCommand

        for name in sorted(self.settings.profiles):
            active = " (active)" if name == self.spec.profile else ""

            async def switch(name: str = name) -> None:
                await self.switch_profile(name)

            yield PaletteCommand(
                f"Switch profile: {name}{active}",
                "Reconnect with this profile from the config file",
                switch,
            )
