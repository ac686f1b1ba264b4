"""The start-up sequencer without an app (tui/app/startup.py): the panes mount once, an exit
asked during their mount waits for it, a signal before the loop runs quits once it does, and a
second signal is left to interrupt. (The app's own start-up against the real server:
tests/app/test_shell.py, ``test_quitting_while_the_app_starts_never_fails``.)"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.geometry import Size

from tui.app.startup import StartupSequence


class Frame:
    """A pane frame whose mount takes until ``release`` is set (not laid out: no width yet)."""

    def __init__(self, release: asyncio.Event) -> None:
        self.release = release
        self.mounted: list[Any] = []
        self.content_size = Size(0, 0)

    async def mount(self, *widgets: Any) -> None:
        await self.release.wait()
        self.mounted.extend(widgets)

    async def mount_all(self, widgets: list[Any]) -> None:
        await self.mount(*widgets)


class Host:
    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.frames = {"editor": Frame(self.release), "viewer": Frame(self.release)}
        self.events: list[str] = []

    def pane_frame(self, name: str) -> Any:
        return self.frames[name]

    def release_footer(self) -> None:
        self.events.append("footer")

    def adopt_panes(self, viewer: Any, runs: Any) -> None:
        self.events.append(f"adopt {type(viewer).__name__} {type(runs).__name__}")

    def panes_mounted(self) -> None:
        self.events.append("mounted")


async def test_the_panes_mount_once_footer_first() -> None:
    host = Host()
    startup = StartupSequence(host)
    host.release.set()
    await startup.mount_panes()
    await startup.mount_panes()  # the timer after the first page: nothing more
    assert host.events == ["footer", "adopt StateViewer RunPanel", "mounted"]
    assert [type(w).__name__ for w in host.frames["editor"].mounted] == ["SuperstepEditor"]


async def test_an_exit_during_the_mount_waits_for_it_and_none_starts_after() -> None:
    host, exits = Host(), []
    startup = StartupSequence(host)
    mounting = asyncio.create_task(startup.mount_panes())
    await asyncio.sleep(0.01)
    startup.exit(lambda: exits.append(host.events.copy()))
    await asyncio.sleep(0.05)
    assert exits == []  # half-mounted: not yet
    host.release.set()
    await mounting
    await asyncio.sleep(0.01)
    assert exits == [["footer", "adopt StateViewer RunPanel", "mounted"]]
    await startup.mount_panes()  # quitting: nothing mounts again
    assert host.events.count("footer") == 1


async def test_an_exit_before_any_mount_is_at_once_and_stops_the_mount() -> None:
    host, exits = Host(), []
    startup = StartupSequence(host)
    startup.exit(lambda: exits.append("exit"))
    assert exits == ["exit"]
    await startup.mount_panes()
    assert host.events == []


async def test_a_signal_before_the_loop_runs_quits_once_it_does() -> None:
    startup, exits = StartupSequence(Host()), []
    assert startup.exit_from_signal(lambda: exits.append("signal"))
    assert not startup.exit_from_signal(lambda: exits.append("again"))  # let it interrupt
    startup.started(lambda: exits.append("at start"))
    assert exits == ["at start"]


async def test_a_signal_while_running_exits_on_the_loop() -> None:
    startup, exits = StartupSequence(Host()), []
    startup.started(lambda: exits.append("never: no signal yet"))
    assert startup.exit_from_signal(lambda: exits.append("signal"))
    assert exits == []  # from the signal handler: scheduled on the loop, not run there
    await asyncio.sleep(0)
    assert exits == ["signal"]


async def test_shutdown_waits_for_a_mount_in_progress() -> None:
    host = Host()
    startup = StartupSequence(host)
    mounting = asyncio.create_task(startup.mount_panes())
    await asyncio.sleep(0.01)
    shutdown = asyncio.create_task(startup.before_shutdown())
    await asyncio.sleep(0.05)
    assert not shutdown.done()
    host.release.set()
    await asyncio.wait_for(shutdown, 5)
    await mounting
    assert "mounted" in host.events
