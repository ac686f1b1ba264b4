"""Every ``client.threads`` method against the real Agent Server."""

from __future__ import annotations

import uuid

import pytest

from tests.scripts import GREETING, TOOL_CALL, meta
from tui.deployment import DeploymentClient, NotFound


async def test_create_empty_thread_matches_seed_output(client: DeploymentClient) -> None:
    thread = await client.threads.create()
    assert uuid.UUID(thread.thread_id)
    assert thread.status == "idle"
    assert thread.metadata == {}
    assert thread.created_at is not None and thread.updated_at is not None


async def test_create_with_metadata_id_and_ttl(client: DeploymentClient) -> None:
    chosen = str(uuid.uuid4())
    thread = await client.threads.create(
        thread_id=chosen, metadata={"owner": "qa", "n": 3}, ttl_minutes=60
    )
    assert thread.thread_id == chosen
    again = await client.threads.get(chosen)
    assert again.metadata == {"owner": "qa", "n": 3}


async def test_create_do_nothing_returns_existing(client: DeploymentClient) -> None:
    first = await client.threads.create(metadata={"v": 1})
    second = await client.threads.create(
        thread_id=first.thread_id, if_exists="do_nothing", metadata={"v": 2}
    )
    assert second.thread_id == first.thread_id
    assert (await client.threads.get(first.thread_id)).metadata == {"v": 1}


async def test_create_prepopulated_greeting(client: DeploymentClient) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    messages = thread.values["messages"]
    assert [(m["type"], m["content"]) for m in messages] == [
        ("human", "hello"),
        ("ai", "Hello! How can I assist you today?"),
    ]
    assert thread.graph_id == "agent"


async def test_copy_has_identical_state_and_record_without_values(
    client: DeploymentClient,
) -> None:
    original = await client.threads.create(metadata=meta(), supersteps=GREETING)
    copied = await client.threads.copy(original.thread_id)
    assert copied.thread_id != original.thread_id
    state = await client.threads.get_state(copied.thread_id)
    original_state = await client.threads.get_state(original.thread_id)
    assert state.values == original_state.values
    history = await client.threads.history(copied.thread_id, limit=100)
    assert len(history) == len(await client.threads.history(original.thread_id, limit=100))


async def test_get_missing_thread_is_not_found(client: DeploymentClient) -> None:
    missing = str(uuid.uuid4())
    with pytest.raises(NotFound) as info:
        await client.threads.get(missing)
    assert missing in str(info.value)


async def test_update_merges_metadata(client: DeploymentClient) -> None:
    thread = await client.threads.create(metadata={"a": 1})
    updated = await client.threads.update(thread.thread_id, metadata={"b": "two"})
    assert updated.metadata == {"a": 1, "b": "two"}
    assert (await client.threads.get(thread.thread_id)).metadata == {"a": 1, "b": "two"}


async def test_delete_removes_the_thread(client: DeploymentClient) -> None:
    thread = await client.threads.create()
    await client.threads.delete(thread.thread_id)
    with pytest.raises(NotFound):
        await client.threads.get(thread.thread_id)


async def test_search_pages_with_real_next_offset_and_count(client: DeploymentClient) -> None:
    tag = str(uuid.uuid4())
    created = [await client.threads.create(metadata={"batch": tag, "i": i}) for i in range(7)]
    seen: list[str] = []
    offset: int | None = 0
    pages = 0
    while offset is not None:
        page = await client.threads.search(metadata={"batch": tag}, limit=3, offset=offset)
        seen.extend(t.thread_id for t in page.items)
        offset = page.next_offset
        pages += 1
    assert pages == 3
    # default order is created_at desc: newest first
    assert seen == [t.thread_id for t in reversed(created)]
    assert await client.threads.count(metadata={"batch": tag}) == 7


async def test_search_select_extract_status_sort_and_ids(client: DeploymentClient) -> None:
    tag = str(uuid.uuid4())
    thread = await client.threads.create(metadata=meta(batch=tag), supersteps=GREETING)
    other = await client.threads.create(metadata={"batch": tag})
    page = await client.threads.search(
        metadata={"batch": tag},
        select=["thread_id", "status", "metadata", "created_at"],
        extract={"last": "values.messages[-1].content"},
        sort_by="created_at",
        sort_order="asc",
        limit=10,
    )
    assert [t.thread_id for t in page.items] == [thread.thread_id, other.thread_id]
    assert page.items[0].values is None  # not selected, not transferred
    assert page.items[0].extracted == {"last": "Hello! How can I assist you today?"}
    by_id = await client.threads.search(ids=[other.thread_id])
    assert [t.thread_id for t in by_id.items] == [other.thread_id]
    idle = await client.threads.search(metadata={"batch": tag}, status="idle")
    assert len(idle.items) == 2
    busy = await client.threads.search(metadata={"batch": tag}, status="busy")
    assert busy.items == []
    assert await client.threads.count(metadata={"batch": tag}, status="busy") == 0


async def test_state_history_and_state_at_checkpoint(client: DeploymentClient) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=TOOL_CALL)
    state = await client.threads.get_state(thread.thread_id)
    assert len(state.values["messages"]) == 4
    assert state.checkpoint_id is not None
    history = await client.threads.history(thread.thread_id, limit=100)
    assert len(history) == 5
    assert history[0].checkpoint_id == state.checkpoint_id  # newest first
    steps = [h.step for h in history]
    assert steps == sorted(steps, reverse=True)
    older = await client.threads.history(
        thread.thread_id, limit=2, before=history[1].checkpoint_id
    )
    assert [h.checkpoint_id for h in older] == [h.checkpoint_id for h in history[2:4]]
    middle = history[2]
    assert middle.checkpoint_id is not None
    at = await client.threads.get_state(thread.thread_id, checkpoint_id=middle.checkpoint_id)
    assert at.values == middle.values
    assert len(at.values["messages"]) == 2


async def test_history_default_limit_is_ours_not_the_servers(client: DeploymentClient) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=TOOL_CALL)
    # the server's default is 1; the client asks for 10 unless told otherwise
    assert len(await client.threads.history(thread.thread_id)) == 5


async def test_update_state_as_node_and_fork_at_checkpoint(client: DeploymentClient) -> None:
    thread = await client.threads.create(metadata=meta(), supersteps=GREETING)
    new_checkpoint = await client.threads.update_state(
        thread.thread_id,
        {"messages": [{"type": "human", "content": "and you?"}]},
        as_node="__start__",
    )
    state = await client.threads.get_state(thread.thread_id)
    assert state.checkpoint_id == new_checkpoint
    assert state.values["messages"][-1]["content"] == "and you?"
    history = await client.threads.history(thread.thread_id, limit=100)
    first_ai = next(h for h in history if len(h.values.get("messages", [])) == 2)
    assert first_ai.checkpoint_id is not None
    forked = await client.threads.update_state(
        thread.thread_id,
        {"turns": 7},
        as_node="call_model",
        checkpoint_id=first_ai.checkpoint_id,
    )
    fork_state = await client.threads.get_state(thread.thread_id)
    assert fork_state.checkpoint_id == forked
    assert fork_state.values["turns"] == 7
    assert len(fork_state.values["messages"]) == 2
    assert fork_state.parent_checkpoint_id == first_ai.checkpoint_id
