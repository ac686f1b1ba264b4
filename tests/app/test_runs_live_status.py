"""While a run is live, the thread's row and the header say so — and say how it ended — without
a refresh: the whole app against the real Agent Server, driven with the pilot."""

from __future__ import annotations

from tests.app.runs_harness import (
    APP_SIZE,
    open_thread,
    panel_text,
    real_app,
    type_and_send,
    wait_until,
)
from tests.scripts import GREETING, meta
from tui.app.app import ThreadloomApp
from tui.deployment import DeploymentClient


def row_status(app: ThreadloomApp, thread_id: str) -> str:
    table = app.threads.table
    return str(table.get_row_at(table.get_row_index(thread_id))[1].plain)


def header(app: ThreadloomApp) -> str:
    return str(app.query_one("#header").render())


async def test_the_row_and_the_header_follow_a_run_to_its_end(
    server_url: str, client: DeploymentClient
) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    short = thread.thread_id[-8:]
    app = real_app(server_url)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_thread(pilot, thread.thread_id)
        assert row_status(app, thread.thread_id) == "idle"

        # 8 s: long enough that a loaded machine still sees the row busy before the run ends
        await type_and_send(pilot, "/slow 8 hello")
        await wait_until(pilot, lambda: "● running" in panel_text(app), what="the run")
        await wait_until(pilot, lambda: row_status(app, thread.thread_id) == "busy",
                         what="the row to say busy")
        assert f"▶ run on {short}: running" in header(app)

        await wait_until(pilot, lambda: f"run on {short} ended: success" in header(app),
                         timeout=20, what="the header to say the run ended")
        await wait_until(pilot, lambda: row_status(app, thread.thread_id) == "idle",
                         what="the row to say idle again")
        preview = app.threads.by_id[thread.thread_id].extracted
        assert preview == {"preview": "You said: /slow 8 hello"}
