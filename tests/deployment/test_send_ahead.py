"""A request sent ahead (``Http.prefetch``: the app's first page, sent before the client's
models load) answers the first identical request, once — against the real server."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tui.deployment import DeploymentClient, InvalidRequest
from tui.deployment.models import ThreadSearch
from tui.services.listing import ROW_COLUMNS, ROW_EXTRACT, row_page, row_page_body
from tui.spec import ConnectionSpec


def counted(spec: ConnectionSpec) -> tuple[DeploymentClient, list[str]]:
    """A client over a gateway whose requests on the wire are listed."""
    gateway = spec.gateway()
    wire: list[str] = []

    async def seen(request: httpx.Request) -> None:
        wire.append(f"{request.method} {request.url.path}")

    gateway._client.event_hooks["request"] = [seen]  # (httpx's public event hooks)
    return spec.client(gateway=gateway), wire


@pytest.mark.parametrize("query", [
    {"ids": None, "metadata": None, "status": None, "sort_by": "created_at",
     "sort_order": "desc"},
    {"ids": None, "metadata": {"team": "red"}, "status": "idle", "sort_by": "updated_at",
     "sort_order": "asc"},
])
def test_the_body_sent_ahead_is_the_body_the_list_sends(query: dict[str, object]) -> None:
    expected = ThreadSearch(**{k: v for k, v in query.items() if k != "ids"}, limit=100,
                            offset=0, select=ROW_COLUMNS, extract=ROW_EXTRACT).body()
    assert row_page_body(limit=100, offset=0, **query) == expected


async def test_a_page_sent_ahead_answers_the_first_identical_search(server_url: str) -> None:
    marker = uuid.uuid4().hex
    seed = DeploymentClient(server_url)
    made = [await seed.threads.create(metadata={"ahead": marker}) for _ in range(3)]
    await seed.aclose()
    query = {"metadata": {"ahead": marker}, "sort_by": "created_at", "sort_order": "desc"}
    client, wire = counted(ConnectionSpec(url=server_url))
    try:
        sent = client._http.prefetch("POST", "/threads/search", what="Searching threads",
                                     json_body=row_page_body(limit=10, **query))
        await sent.wait()
        assert wire == ["POST /threads/search"]
        page = await row_page(client, limit=10, **query)
        assert [t.thread_id for t in page.items] == [t.thread_id for t in reversed(made)]
        assert wire == ["POST /threads/search"]  # answered by the one sent ahead
        again = await row_page(client, limit=10, **query)  # once: the next one is sent
        assert [t.thread_id for t in again.items] == [t.thread_id for t in page.items]
        assert wire == ["POST /threads/search"] * 2
    finally:
        await client.aclose()


async def test_a_different_request_is_sent_and_the_one_ahead_is_dropped_on_close(
        server_url: str) -> None:
    client, wire = counted(ConnectionSpec(url=server_url))
    sent = client._http.prefetch("POST", "/threads/search", what="Searching threads",
                                 json_body=row_page_body(limit=5))
    await sent.wait()
    (ahead,) = client._http._ahead.values()
    await row_page(client, limit=6)
    assert wire == ["POST /threads/search"] * 2  # another body: not answered by the one ahead
    assert client._http._ahead  # still waiting for its own request
    await client.aclose()
    assert not client._http._ahead and ahead.done()  # nothing left pending after close


async def test_a_refusal_sent_ahead_is_the_refusal_of_the_request(server_url: str) -> None:
    client, wire = counted(ConnectionSpec(url=server_url))
    body = {"limit": -1}  # the server refuses it (422)
    try:
        client._http.prefetch("POST", "/threads/search", what="Searching threads",
                              json_body=body)
        with pytest.raises(InvalidRequest) as ahead:
            await client._http.request("POST", "/threads/search", what="Searching threads",
                                       json_body=body)
        with pytest.raises(InvalidRequest) as direct:
            await client._http.request("POST", "/threads/search", what="Searching threads",
                                       json_body=body)
        assert str(ahead.value) == str(direct.value)
        assert wire == ["POST /threads/search"] * 2
    finally:
        await client.aclose()
