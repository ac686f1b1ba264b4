"""run_job, the one way the panes start background work: a newer job in an exclusive group
cancels the one before, even one that has not started, and leaves no coroutine unawaited; a
failure is named after the function that failed."""

from __future__ import annotations

import gc
import warnings
from functools import partial

from textual.app import App
from textual.worker import Worker

from tests.support import until
from tui.app.reporting import worker_failure
from tui.app.shared.workers import run_job


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.ran: list[str] = []
        self.failures: list[str] = []

    async def fetch(self, what: str) -> None:
        self.ran.append(what)

    async def load_page(self) -> None:
        raise RuntimeError("the server went away")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        failed = worker_failure(event)
        if failed is not None:
            self.failures.append(failed[1])


async def test_a_job_replaced_before_it_starts_never_runs_and_leaves_nothing() -> None:
    app = Host()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with app.run_test() as pilot:
            run_job(app, partial(app.fetch, "first"), "fetch")
            run_job(app, partial(app.fetch, "second"), "fetch")  # the same moment: replaces it
            run_job(app, partial(app.fetch, "beside"), "other", exclusive=False)
            await until(pilot, lambda: not any(w.is_running for w in app.workers), "the jobs")
        gc.collect()
    assert sorted(app.ran) == ["beside", "second"]
    assert [str(w.message) for w in caught if "never awaited" in str(w.message)] == []


async def test_a_failed_job_is_named_after_its_function() -> None:
    app = Host()
    async with app.run_test() as pilot:
        run_job(app, partial(app.load_page), "pages")
        await until(pilot, lambda: app.failures, "the failure")
    assert app.failures == ["Load page failed"]
