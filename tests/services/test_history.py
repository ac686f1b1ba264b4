"""``full_history`` against the real server: every checkpoint once, newest first, whether it
starts from nothing or from the pages a viewer already loaded, whatever the page size."""

from __future__ import annotations

from tests.scripts import GREETING, TOOL_CALL, meta
from tui.deployment import DeploymentClient
from tui.services.history import full_history, history_page


async def test_the_rest_of_a_history_continues_from_the_loaded_pages(
    client: DeploymentClient,
) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=[*GREETING, *TOOL_CALL])
    everything = await client.threads.history(thread.thread_id, limit=1000)
    assert len(everything) > 4

    first = await history_page(client, thread.thread_id, before=None, limit=3)
    rest = await full_history(client, thread.thread_id, first, page_size=3)
    whole = await full_history(client, thread.thread_id)

    ids = [c.checkpoint_id for c in everything]
    assert [c.checkpoint_id for c in rest] == ids
    assert [c.checkpoint_id for c in whole] == ids
    assert rest[:3] == first  # the loaded pages are kept as they are
