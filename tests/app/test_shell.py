"""The app shell against the real Agent Server: connection (at start, dropped, retried),
header line, panes and focus, zoom, help, key overrides, command palette, profiles, and the
one place failed workers become messages."""

from __future__ import annotations

from typing import Any

import httpx

from tests.scripts import suite_marker
from tests.support import DISPLAY_URL, FROZEN_NOW, PortRewrite, said, type_text, until
from tui.app.app import ThreadloomApp
from tui.app.screens.connect import ConnectScreen
from tui.config import ConnectionSpec, Profile, Settings, resolve_connection
from tui.demo.server import LocalServer
from tui.deployment import DeploymentClient


def make_app(url: str, settings: Settings | None = None, **kwargs: Any) -> ThreadloomApp:
    return ThreadloomApp(ConnectionSpec(url=url), settings=settings or Settings(),
                         clock=lambda: FROZEN_NOW, **kwargs)


def loaded(app: ThreadloomApp) -> bool:
    """Connected, the first page and its total shown, and every pane mounted."""
    return (app.connection.state == "connected" and not app.threads.pager.fetching
            and app.threads.total is not None and app.panes_ready)


def header(app: ThreadloomApp) -> str:
    return str(app.query_one("#header").render())


def notes(app: ThreadloomApp) -> list[str]:
    return [n.message for n in said(app)]


def footer_text(app: ThreadloomApp) -> str:
    """The footer line of the screen on top, as the user reads it (its keys, found by their
    widget type's name: ``FooterKey`` is not exported by ``textual.widgets``)."""
    return "  ".join(str(k.render()).strip() for k in app.screen.query("FooterKey"))


def text_of(app: ThreadloomApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_header_shows_where_which_server_and_the_state(server_url: str) -> None:
    app = make_app(DISPLAY_URL, transport=PortRewrite(server_url))
    async with app.run_test(size=(160, 48)) as pilot:
        assert "● connecting" in header(app) or "● connected" in header(app)
        await until(pilot, lambda: loaded(app), "the connection")
        assert header(app) == (
            "Threadloom │ http://127.0.0.1:2024 │ server 0.16.7 │ ● connected"
        )
        assert app.client is not None and app.server_info is not None


async def test_unreachable_at_start_shows_the_reason_and_retry_connects(
        reserved_port: int) -> None:
    port = reserved_port  # free until the server starts on it, and no one else's
    app = make_app(f"http://127.0.0.1:{port}")
    local = LocalServer()
    try:
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await until(pilot, lambda: isinstance(app.screen, ConnectScreen)
                        and app.screen.query("#connect-reason"), "the connect screen")
            assert app.client is None
            reason = text_of(app, "#connect-reason")
            assert f"Reading the server info: cannot reach http://127.0.0.1:{port}" in reason
            assert "Press r to retry" in text_of(app, "#connect-state")
            assert "● offline" in header(app)
            await pilot.pause(0.6)  # the list's own first request gave up meanwhile, quietly:
            assert [n.message for n in said(app)] == []  # the screen says it all
            footer = footer_text(app)  # only the keys that do something here
            assert "Retry" in footer and "Quit" in footer
            assert "Run" not in footer and "Zoom" not in footer
            await pilot.press("r")  # still down: the screen stays, with the reason
            await until(pilot, lambda: not app.screen.retrying, "the failed retry")
            assert isinstance(app.screen, ConnectScreen)
            local.start(port)
            await pilot.press("r")
            await until(pilot, lambda: loaded(app), "the connection after retry")
            assert not isinstance(app.screen, ConnectScreen)
            assert "● connected" in header(app)
            assert app.threads.total == 0
            assert "No threads on this deployment yet" in text_of(app, "#threads-empty")
    finally:
        local.stop()


async def test_a_dropped_connection_shows_in_the_header_and_f5_reconnects(
        reserved_port: int) -> None:
    local = LocalServer().start(reserved_port)  # restarted on it after the kill
    try:
        async with DeploymentClient(local.url) as client:
            await client.threads.create(metadata={"graph_id": "agent"})
        port = local.port
        assert port is not None
        app = make_app(local.url)
        async with app.run_test(size=(160, 48), notifications=True) as pilot:
            await until(pilot, lambda: loaded(app), "the first page")
            assert app.threads.total == 1
            local.kill()
            await pilot.press("r")  # refresh the list: the server is gone
            await until(pilot, lambda: app.connection.state == "offline", "offline")
            assert "● offline — press F5 to reconnect" in header(app)
            assert any("cannot reach" in n for n in notes(app))
            assert len(app.threads.threads) == 1  # what was shown stays
            await pilot.press("f5")
            assert "reconnecting…" in header(app)  # a sign at once, before any answer
            assert "Reconnecting to http://127.0.0.1:" in notes(app)[-1]
            await until(pilot, lambda: any(n.title == "Reconnecting" for n in said(app)),
                        "the failed reconnect")
            local.start(port)
            generation = app.threads.pager.generation
            await pilot.press("f5")
            await until(pilot, lambda: app.threads.pager.generation > generation and loaded(app),
                        "the reconnection and a fresh list")
            assert "● connected" in header(app)
            await until(pilot, lambda: any(n.title == "Reconnected" for n in said(app)),
                        "the sign that it is back")
            assert "the thread list is reloaded" in notes(app)[-1]
    finally:
        local.stop()


async def test_focus_keys_tab_and_zoom(server_url: str) -> None:
    app = make_app(server_url)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        assert app.focused is app.threads.table
        threads = app.query_one("#threads")
        normal = threads.region
        await pilot.press("z")
        await pilot.pause()
        assert app.screen.maximized is threads
        assert threads.region.height > normal.height and threads.region.width == 160
        await pilot.press("f11")
        await pilot.pause()
        assert app.screen.maximized is None and threads.region == normal
        await pilot.press("slash")
        assert app.focused is app.threads.filter_bar.input
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is app.threads.table
        # the other panes belong to other widgets: focus goes to their first focusable part
        for key, pane in (("2", "#editor-pane"), ("3", "#viewer-pane")):
            await pilot.press(key)
            await pilot.pause()
            focused = app.focused
            inside = focused is not None and app.query_one(pane) in focused.ancestors_with_self
            assert inside or any("nothing to focus" in n for n in notes(app))
        await pilot.press("1")
        assert app.focused is app.threads.table
        await pilot.press("slash", "1")  # typed into the search field, not a pane key
        assert app.threads.filter_bar.input.value == "1"
        await pilot.press("tab")  # the focus chain: search field → table → the next pane
        assert app.focused is app.threads.table


async def test_layout_from_100x30_to_240x70(server_url: str) -> None:
    # A thread to show: on an empty deployment the table is its header and the empty message.
    httpx.post(f"{server_url}/threads", json={}, timeout=30).raise_for_status()
    for size in ((100, 30), (240, 70)):
        app = make_app(server_url)
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda app=app: loaded(app), "the first page")
            for pane in ("#threads", "#editor-pane", "#viewer-pane"):
                region = app.query_one(pane).region
                assert region.width >= 30 and region.height >= 8, (size, pane, region)
                assert region.right <= size[0] and region.bottom <= size[1]
            assert app.threads.table.region.height >= 3
            assert app.query_one("#header").region.height == 1


async def test_help_lists_the_keys_in_context_with_user_overrides(server_url: str) -> None:
    # "!" as written in a config file: a character, which Textual names exclamation_mark.
    settings = Settings(keys={"threads.create": "ctrl+n", "threads.copy_id": "!",
                              "nobody.home": "x"})
    app = make_app(server_url, settings)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        # Reported once every pane's keys exist: just after the panes count as ready.
        await until(pilot, lambda: any("'nobody.home': no binding has this id" in n
                                       for n in notes(app)), "the unknown id reported")
        await pilot.press("f1")
        assert type(app.screen).__name__ == "HelpScreen"
        listing = text_of(app, "#help-keys")
        lines = listing.splitlines()
        # The focused pane first, then the keys of everywhere, then each other pane once.
        titles = [line for line in lines if line and not line.startswith(" ") and "  " not in line]
        assert titles == ["Here — Threads (1)", "Everywhere", "In Editor (2)", "In State (3)"]
        # Only Threadloom's keys: Textual's generic ones are one line under the listing.
        assert "Cursor up" not in listing and "Focus Next" not in listing
        hint = text_of(app, ".hint")
        assert "the usual keys of text fields, lists and tables" in hint
        assert "Esc leaves the innermost thing first" in hint
        assert len(lines) < 80  # about two screens, not ten
        new = next(line for line in lines if " New " in f" {line} ")
        assert new.split()[0] == "^n" and "Create an empty thread" in new
        copy_id = next(line for line in lines if "Copy id" in line)
        assert copy_id.split()[0] == "!", copy_id
        assert any(line.split()[:2] == ["f1", "/"] for line in lines)  # f1 / ?
        await pilot.press("escape")
        assert type(app.screen).__name__ == "Screen"
        await pilot.press("question_mark")
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("q")
        await pilot.press("n")  # no longer bound
        await pilot.pause()
        assert type(app.screen).__name__ == "Screen"
        await pilot.press("ctrl+n")
        await until(pilot, lambda: type(app.screen).__name__ == "CreateThreadModal", "the modal")


async def test_palette_offers_every_action_and_runs_it(server_url: str) -> None:
    app = make_app(server_url)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        from tui.app.commands import entries

        titles = [e.title for e in entries(app.screen)]
        for wanted in ("Threads: New (n)", "Threads: Copy (c)", "Threads: Delete (d / del)",
                       "Threads: Auto-refresh (a)", "Zoom (z / f11)", "Help (f1 / ?)"):
            assert wanted in titles, wanted
        await pilot.press("ctrl+p")
        await type_text(pilot, "threads new")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "CreateThreadModal", "the modal")


async def test_switch_profile_at_runtime(server_url: str, fresh_server: LocalServer) -> None:
    settings = Settings(profiles={"main": Profile(url=server_url),
                                  "fresh": Profile(url=fresh_server.url)})
    spec = resolve_connection(settings, profile="main")
    app = ThreadloomApp(spec, settings=settings, clock=lambda: FROZEN_NOW)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        assert f"{server_url} (main)" in header(app)
        from tui.app.commands import entries

        assert "Switch profile: main (active)" in [e.title for e in entries(app.screen)]
        published: list[Any] = []
        app.connection_signal.subscribe(app.threads, published.append)
        await pilot.press("f2")
        assert type(app.screen).__name__ == "ProfileSwitcher"
        await pilot.press("up", "enter")  # sorted: fresh, main — the active one is highlighted
        await until(pilot, lambda: app.spec.profile == "fresh" and loaded(app), "the new profile")
        assert f"{fresh_server.url} (fresh)" in header(app)
        assert app.threads.total == 0
        assert app.client is not None and app.client.url == fresh_server.url
        assert published == [None, app.client]  # let go of the old one, then the new one


async def test_f2_without_profiles_says_where_the_config_file_is(server_url: str) -> None:
    from tui import paths

    app = make_app(server_url)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "Screen"  # nothing to choose from
        said = notes(app)[-1]
        assert f"add [profiles.NAME] with a url to {paths.config_file()}" in said
        assert "(it does not exist yet)" in said


async def test_the_footer_shows_every_key_of_the_pane_shortened_when_narrow(
    server_url: str,
) -> None:
    for size, wanted in (((160, 48), ["f Status", "a Auto-refresh", "y Copy id", "z Zoom"]),
                         ((100, 30), ["f Sta.", "a Aut.", "y Copy", "f1 Help", "  z  "])):
        app = make_app(server_url)
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda app=app: loaded(app), "the first page")
            await pilot.pause(0.3)
            footer = footer_text(app)
            for key in wanted:
                assert key in footer, (size, key, footer)
            from textual.widgets import Footer

            bar = app.screen.query_one(Footer)
            last = max(w.region.right for w in bar.children)
            assert last <= size[0], (size, footer)  # nothing cut off at the edge


async def test_an_unexpected_worker_failure_becomes_a_message(server_url: str) -> None:
    app = make_app(server_url)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        assert app.client is not None

        async def broken(**_: Any) -> Any:
            # A fault a real server cannot produce: a bug on our side, with hostile text.
            raise RuntimeError("kaboom [/] [@click=app.quit]x[/]")

        app.client.threads.search = broken  # type: ignore[method-assign]
        await pilot.press("r")
        await until(pilot, lambda: any("RuntimeError: kaboom" in n for n in notes(app)),
                    "the message")
        await pilot.pause(0.3)
        assert app.is_running
        assert any(n.title == "Load failed" for n in said(app))


async def test_auto_refresh_shows_new_threads_by_itself(server_url: str,
                                                         client: DeploymentClient) -> None:
    suite = suite_marker()
    app = make_app(server_url, Settings(auto_refresh_seconds=0.3))
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        assert "auto-refresh 0.3s" in text_of(app, "#threads-status")
        thread = await client.threads.create(metadata={"suite": suite})
        await until(pilot, lambda: thread.thread_id in app.threads.by_id, "the new thread")
        await pilot.press("a")  # off
        assert "auto-refresh" not in text_of(app, "#threads-status")


async def test_select_thread_fetches_a_row_that_is_not_loaded_and_opens_it(
    server_url: str, client: DeploymentClient
) -> None:
    app = make_app(server_url)
    opened: list[str | None] = []
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        app.viewer.show_thread = opened.append  # type: ignore[method-assign]
        thread = await client.threads.create(metadata={"graph_id": "agent"})
        assert thread.thread_id not in app.threads.by_id
        app.select_thread(thread.thread_id)
        await until(pilot, lambda: thread.thread_id in app.threads.by_id, "the row")
        assert app.threads.threads[0].thread_id == thread.thread_id
        assert opened == [thread.thread_id]
        # Enter on a row opens it too; deleting the open thread clears the viewer
        await pilot.press("home", "enter")
        assert opened[-1] == thread.thread_id
        await pilot.press("d", "y")
        await until(pilot, lambda: thread.thread_id not in app.threads.by_id, "the delete")
        assert opened[-1] is None


async def test_q_quits(server_url: str) -> None:
    app = make_app(server_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: loaded(app), "the first page")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_thread_list_comes_first_and_the_other_panes_follow(
    server_url: str, client: DeploymentClient
) -> None:
    """What the user looks at first is drawn first: the editor, viewer and run panel are
    mounted once the first page is on screen (not before), and a thread opened in between
    shows in the viewer as soon as it is there."""
    await client.threads.create(metadata={"graph_id": "agent"})
    app = make_app(server_url)
    rows_when_mounting: list[int] = []
    mount = app.startup.mount_panes

    async def mount_panes() -> None:
        if not rows_when_mounting:
            rows_when_mounting.append(len(app.threads.threads))
            assert not app.panes_ready
            app.select_thread(app.threads.threads[0].thread_id)  # no viewer yet: remembered
        await mount()

    app.startup.mount_panes = mount_panes  # type: ignore[method-assign]
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: loaded(app), "the other panes")
        assert rows_when_mounting[0] > 0  # the rows were there before the panes
        assert app.screen.query("#editor") and app.screen.query("#viewer")
        first = app.threads.threads[0].thread_id
        await until(pilot, lambda: app.viewer.data is not None, "the viewer")
        assert app.context.thread_id == first and app.viewer.data.thread_id == first


async def test_quitting_while_the_app_starts_never_fails(server_url: str) -> None:
    """q (or the end of the session) at any moment of start-up — while the first page loads,
    while the other panes are being mounted — leaves cleanly: no traceback."""
    for delay in (0, 0.01, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3, 0.5):
        for by_key in (True, False):
            app = make_app(server_url)
            async with app.run_test(size=(160, 48)) as pilot:
                await pilot.pause(delay)
                if by_key:
                    await pilot.press("q")
            assert app.return_code in (0, None), (delay, by_key)
