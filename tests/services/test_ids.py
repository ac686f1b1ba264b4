"""The short-id service against the real session server: what it finds, and how its bounded scan
says what it could not see."""

from __future__ import annotations

import uuid

import pytest

from tests.scripts import meta
from tui.deployment import DeploymentClient
from tui.services.ids import AmbiguousId, IdNotFound, compact, look_up, resolve_thread_id, short_id


async def made(client: DeploymentClient) -> str:
    return (await client.threads.create(thread_id=str(uuid.uuid4()), metadata=meta())).thread_id


def test_what_is_shown_and_what_is_accepted() -> None:
    thread_id = "0193d2a4-7b1c-7e11-9a3f-5c2bce718dd2"
    assert short_id(thread_id) == "ce718dd2"
    assert compact(" 5C2B-CE71 ") == "5c2bce71"
    assert compact("not hex") is None
    assert compact("0" * 33) is None


async def test_a_suffix_and_a_prefix_name_the_thread(client: DeploymentClient) -> None:
    thread_id = await made(client)

    assert await resolve_thread_id(client, short_id(thread_id)) == thread_id
    assert await resolve_thread_id(client, thread_id[:8].upper()) == thread_id


async def test_the_scan_is_bounded_and_says_so(client: DeploymentClient) -> None:
    older = await made(client)
    newest = await made(client)
    await made(client)  # the newest of all: the 2 newest are it and `newest`

    # Only the 2 newest threads are read: `older` is not among them.
    with pytest.raises(IdNotFound) as missing:
        await resolve_thread_id(client, short_id(older), scan_limit=2, page=1)
    assert "among the newest 2 threads" in missing.value.message

    # `newest` is among them, but a 6-digit part is not trusted to be unique past the scan...
    with pytest.raises(AmbiguousId) as unsure:
        await resolve_thread_id(client, short_id(newest)[-6:], scan_limit=2, page=1)
    assert "the deployment has more: type more of the id" in unsure.value.message
    # ...while the 8 digits the list shows are.
    assert await resolve_thread_id(client, short_id(newest), scan_limit=2, page=1) == newest


async def test_a_full_id_is_not_looked_up(client: DeploymentClient) -> None:
    missing = str(uuid.uuid4())

    lookup = await look_up(client, missing.upper())

    assert (lookup.found, lookup.scanned) == ((missing,), 0)
