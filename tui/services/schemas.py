"""What a graph's schemas say, for the editor and ``threadloom create`` alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.deployment import DeploymentError
from tui.supersteps.state_keys import schema_keys

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient


async def state_keys(client: DeploymentClient, graph_id: str) -> frozenset[str] | None:
    """The keys ``values`` may hold for ``graph_id`` (its state and input schemas), or None when
    the deployment does not say (no schemas, or reading them failed: the check is advisory and
    never stands in the way of a create). Costs ``GET /assistants/{id}/schemas``, after an
    assistant search when ``graph_id`` is a graph name (the route needs the assistant's id)."""
    try:
        schemas = await client.assistants.schemas(graph_id)
    except DeploymentError:
        return None
    return schema_keys(schemas.state_schema, schemas.input_schema)
