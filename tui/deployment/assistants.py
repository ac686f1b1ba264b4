"""``/assistants``: which graphs a deployment serves, their nodes and schemas."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError

from tui.deployment.errors import BadResponse, InvalidRequest, NotFound
from tui.deployment.http import Http, q
from tui.deployment.models import Assistant, AssistantSearch, GraphInfo, GraphSchemas

SMALL_PAGE = 100  # the largest page every server takes (Aegra refuses more)


class Assistants:
    def __init__(self, http: Http) -> None:
        self._http = http

    async def search(
        self,
        *,
        graph_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Assistant]:
        """``POST /assistants/search`` (the server has no GET form).

        A server that refuses a page this big (Aegra: at most 100) is asked in pages of 100
        until ``limit`` assistants or the last page."""
        capabilities = self._http.capabilities
        page = capabilities.assistant_page
        if page is None or limit <= page:
            try:
                return await self._search(graph_id, metadata, limit, offset)
            except InvalidRequest:
                if limit <= SMALL_PAGE:
                    raise
            capabilities.assistant_page = page = SMALL_PAGE
        found: list[Assistant] = []
        while len(found) < limit:
            size = min(page, limit - len(found))
            batch = await self._search(graph_id, metadata, size, offset + len(found))
            found.extend(batch)
            if len(batch) < size:
                break
        return found

    async def _search(self, graph_id: str | None, metadata: dict[str, Any] | None, limit: int,
                      offset: int) -> list[Assistant]:
        what = "Listing assistants"
        request = AssistantSearch(graph_id=graph_id, metadata=metadata, limit=limit, offset=offset)
        body, _ = await self._http.request(
            "POST", "/assistants/search", what=what, json_body=request.body()
        )
        if not isinstance(body, list):
            raise BadResponse(f"{what}: the server's answer is not a list")
        try:
            return [Assistant.model_validate(item) for item in body]
        except ValidationError:
            raise BadResponse(f"{what}: the server's answer is not a list of assistants") from None

    async def get(self, assistant_id: str) -> Assistant:
        """Needs the assistant's UUID (a graph name is not accepted here)."""
        what = f"Reading assistant {assistant_id}"
        body, _ = await self._http.request("GET", f"/assistants/{q(assistant_id)}", what=what)
        try:
            return Assistant.model_validate(body)
        except ValidationError:
            raise BadResponse(f"{what}: the server's answer is not an assistant") from None

    async def graph(self, assistant_or_graph_id: str, *, xray: bool = False) -> GraphInfo:
        """The graph's nodes and edges; accepts an assistant UUID or a graph name.

        A server that knows assistants by id only (Aegra: 404 for a graph name) is asked
        again with the id of the graph's first assistant (found by ``/assistants/search``),
        and from then on directly by id."""
        capabilities = self._http.capabilities
        by_name = not _looks_like_uuid(assistant_or_graph_id)
        if by_name and not capabilities.graph_by_name:
            return await self._graph(await self.resolve_id(assistant_or_graph_id), xray)
        try:
            return await self._graph(assistant_or_graph_id, xray)
        except NotFound:
            if not by_name:
                raise
        graph = await self._graph(await self.resolve_id(assistant_or_graph_id), xray)
        capabilities.graph_by_name = False
        return graph

    async def _graph(self, assistant_or_graph_id: str, xray: bool) -> GraphInfo:
        what = f"Reading the graph of {assistant_or_graph_id}"
        body, _ = await self._http.request(
            "GET", f"/assistants/{q(assistant_or_graph_id)}/graph", what=what,
            params={"xray": "true"} if xray else None,
        )
        try:
            return GraphInfo.model_validate(body)
        except ValidationError:
            raise BadResponse(f"{what}: the server's answer is not a graph") from None

    async def schemas(self, assistant_or_graph_id: str) -> GraphSchemas:
        """Schemas need the assistant UUID: a graph name is resolved through search first."""
        assistant_id = await self.resolve_id(assistant_or_graph_id)
        what = f"Reading the schemas of {assistant_or_graph_id}"
        path = f"/assistants/{q(assistant_id)}/schemas"
        body, _ = await self._http.request("GET", path, what=what)
        try:
            return GraphSchemas.model_validate(body)
        except ValidationError:
            raise BadResponse(f"{what}: the server's answer is not a set of schemas") from None

    async def resolve_id(self, assistant_or_graph_id: str) -> str:
        """An assistant UUID for a UUID or graph name (the graph's first assistant)."""
        if _looks_like_uuid(assistant_or_graph_id):
            return assistant_or_graph_id
        found = await self.search(graph_id=assistant_or_graph_id, limit=1)
        if not found:
            raise NotFound(f"No assistant serves graph {assistant_or_graph_id!r}")
        return found[0].assistant_id


def _looks_like_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
