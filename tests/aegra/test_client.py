"""The client against a real Aegra: where the server can, Threadloom works (plain search,
assistants found by search, state and history); where it cannot (count, copy, supersteps), the
client says so with a typed error, and never hands back an empty thread as a prepopulated one."""

from __future__ import annotations

import pytest

from tests.scripts import GREETING, TOOL_CALL, meta
from tui.deployment import (
    DeploymentClient,
    InvalidRequest,
    NotFound,
    SuperstepsIgnored,
    Unsupported,
)
from tui.deployment.capabilities import COPY_MISSING, COUNT_MISSING

SELECT = ["thread_id", "status", "metadata", "created_at", "updated_at"]
EXTRACT = {"preview": "values.messages[-1].content"}


async def ran(client: DeploymentClient, tag: str, text: str = "hello") -> str:
    """A thread with a real conversation on it: created empty, then one run of the graph."""
    thread = await client.threads.create(metadata=meta(tag=tag))
    await client.runs.wait(thread.thread_id, "agent",
                           input={"messages": [{"type": "human", "content": text}]})
    return thread.thread_id


async def test_search_with_select_and_extract_falls_back_to_a_plain_search(
    aegra_client: DeploymentClient, tag: str
) -> None:
    first = await ran(aegra_client, tag)
    second = (await aegra_client.threads.create(metadata=meta(tag=tag))).thread_id

    page = await aegra_client.threads.search(metadata={"tag": tag}, select=SELECT,
                                             extract=EXTRACT, limit=10)

    assert [t.thread_id for t in page.items] == [second, first]  # newest first
    assert all(t.metadata["tag"] == tag and t.status == "idle" for t in page.items)
    # Aegra sends no values in a search: the preview is blank, not an error.
    assert [t.extracted for t in page.items] == [{"preview": None}, {"preview": None}]
    assert aegra_client._http.capabilities.search_projection is False
    again = await aegra_client.threads.search(metadata={"tag": tag}, select=SELECT, limit=1)
    assert [t.thread_id for t in again.items] == [second]
    assert again.next_offset == 1  # no pagination header: a full page means "maybe more"


async def test_search_by_id_finds_exactly_that_thread(
    aegra_client: DeploymentClient, tag: str
) -> None:
    wanted = (await aegra_client.threads.create(metadata=meta(tag=tag))).thread_id
    newer = (await aegra_client.threads.create(metadata=meta(tag=tag))).thread_id

    page = await aegra_client.threads.search(ids=[wanted], select=SELECT, limit=1)
    missing = await aegra_client.threads.search(ids=["00000000-0000-4000-8000-000000000000"])

    assert [t.thread_id for t in page.items] == [wanted]  # Aegra alone would answer `newer`
    assert newer != wanted and missing.items == []


async def test_count_is_unsupported(aegra_client: DeploymentClient) -> None:
    with pytest.raises(Unsupported) as raised:
        await aegra_client.threads.count()
    assert raised.value.message == COUNT_MISSING
    assert raised.value.status == 405


async def test_copy_is_unsupported_and_makes_nothing(
    aegra_client: DeploymentClient, tag: str
) -> None:
    source = await ran(aegra_client, tag)

    for _ in range(2):  # the second time it fails without asking
        with pytest.raises(Unsupported) as raised:
            await aegra_client.threads.copy(source)
        assert raised.value.message == COPY_MISSING

    page = await aegra_client.threads.search(metadata={"tag": tag})
    assert [t.thread_id for t in page.items] == [source]


async def test_supersteps_dropped_by_the_server_fail_and_leave_nothing(
    aegra_client: DeploymentClient, tag: str
) -> None:
    with pytest.raises(SuperstepsIgnored) as raised:
        await aegra_client.threads.create(metadata=meta(tag=tag), supersteps=GREETING)

    error = raised.value
    assert error.deleted is True and error.thread_id is not None
    assert error.message == (f"This server ignored the supersteps: thread {error.thread_id} "
                             "was created empty, so it was deleted again")
    with pytest.raises(NotFound):
        await aegra_client.threads.get(error.thread_id)

    # Known now: the next script is refused before anything is sent.
    with pytest.raises(SuperstepsIgnored) as again:
        await aegra_client.threads.create(metadata=meta(tag=tag), supersteps=TOOL_CALL)
    assert again.value.thread_id is None
    assert "nothing was sent" in again.value.message
    assert (await aegra_client.threads.search(metadata={"tag": tag})).items == []


async def test_dropped_supersteps_on_a_do_nothing_create_leave_the_thread(
    aegra_client: DeploymentClient, tag: str
) -> None:
    """With if_exists=do_nothing the thread may be the user's own: it is named, not deleted."""
    chosen = "6d2a58a4-6f0e-4f5b-9a31-2f1f6a1c0b7e"
    with pytest.raises(SuperstepsIgnored) as raised:
        await aegra_client.threads.create(metadata=meta(tag=tag), supersteps=GREETING,
                                          thread_id=chosen, if_exists="do_nothing")
    assert raised.value.deleted is False and raised.value.thread_id == chosen
    assert "is left as it is" in raised.value.message
    assert (await aegra_client.threads.get(chosen)).metadata["tag"] == tag
    await aegra_client.threads.delete(chosen)


async def test_an_empty_create_works(aegra_client: DeploymentClient, tag: str) -> None:
    thread = await aegra_client.threads.create(metadata=meta(tag=tag))

    got = await aegra_client.threads.get(thread.thread_id)
    assert got.metadata["tag"] == tag and got.graph_id == "agent"
    state = await aegra_client.threads.get_state(thread.thread_id)
    assert state.checkpoint_id is None and state.values == {}


async def test_graph_nodes_are_found_through_the_assistant_search(
    aegra_client: DeploymentClient,
) -> None:
    graph = await aegra_client.assistants.graph("agent")
    again = await aegra_client.assistants.graph("agent")  # straight to the id this time

    assert graph.node_names == again.node_names == ["call_model", "human_review", "tools"]
    assert aegra_client._http.capabilities.graph_by_name is False
    with pytest.raises(NotFound) as raised:
        await aegra_client.assistants.graph("nope")
    assert raised.value.message == "No assistant serves graph 'nope'"


async def test_state_and_history_after_a_run(aegra_client: DeploymentClient, tag: str) -> None:
    thread_id = await ran(aegra_client, tag, "what is 6*7?")

    state = await aegra_client.threads.get_state(thread_id)
    history = await aegra_client.threads.history(thread_id, limit=100)

    contents = [m["content"] for m in state.values["messages"]]
    assert contents[0] == "what is 6*7?" and contents[-1] == "The result is 42."
    assert state.next == [] and state.checkpoint_id is not None
    assert history[0].checkpoint_id == state.checkpoint_id
    assert len(history) >= 4  # input, model, tools, model


async def test_server_errors_read_as_one_line(aegra_client: DeploymentClient) -> None:
    """Aegra's error body is {"error", "message"}: the message is what the user sees."""
    with pytest.raises(NotFound) as raised:
        await aegra_client.threads.get("00000000-0000-4000-8000-000000000000")
    assert raised.value.message == "Thread '00000000-0000-4000-8000-000000000000' not found"


async def test_history_pages_with_before(aegra_client: DeploymentClient, tag: str) -> None:
    thread_id = await ran(aegra_client, tag, "what is 6*7?")

    everything = await aegra_client.threads.history(thread_id, limit=100)
    first = await aegra_client.threads.history(thread_id, limit=2)
    rest = await aegra_client.threads.history(thread_id, limit=100,
                                              before=first[-1].checkpoint_id)

    ids = [s.checkpoint_id for s in everything]
    assert [s.checkpoint_id for s in first + rest] == ids
    assert [s.step for s in everything] == sorted((s.step for s in everything), reverse=True)


async def test_a_search_refused_for_another_reason_says_that_reason(
    aegra_client: DeploymentClient,
) -> None:
    """Aegra cannot sort by state_updated_at: the error names that, not the projection."""
    with pytest.raises(InvalidRequest) as raised:
        await aegra_client.threads.search(sort_by="state_updated_at", select=SELECT)
    assert raised.value.message == ("Searching threads was refused: Input should be "
                                    "'thread_id', 'status', 'created_at' or 'updated_at'")
