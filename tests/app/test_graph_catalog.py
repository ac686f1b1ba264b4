"""The editor's GraphCatalog (a plain object) against the real Agent Server: the graphs and the
script graph's nodes and state keys are read once per client, and forgotten when the client
changes; an unreachable deployment is one message through ``failed``. Its reads run on a
bare widget's workers (no editor)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widget import Widget

from tests.support import until
from tui.app.editor.graphs import GraphCatalog
from tui.deployment import DeploymentClient


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Widget(id="host")


async def test_graphs_nodes_and_keys_come_once_per_client(server_url: str) -> None:
    app = Host()
    graph: list[str | None] = [None]
    changes: list[int] = []
    failures: list[str] = []
    arrived: list[list[str]] = []
    async with app.run_test() as pilot, DeploymentClient(server_url) as client, \
            DeploymentClient("http://127.0.0.1:9") as nowhere:
        catalog = GraphCatalog(app.query_one("#host"), graph=lambda: graph[0],
                               changed=lambda: changes.append(1), failed=failures.append,
                               graphs_arrived=arrived.append)
        assert catalog.use(client) is True and catalog.use(client) is False
        await until(pilot, lambda: catalog.graphs is not None, "the graphs")
        assert "agent" in (catalog.graphs or []) and arrived == [catalog.graphs]
        assert catalog.node_names is None  # no graph chosen yet: nothing read
        graph[0] = "agent"
        catalog.follow()
        await until(pilot, lambda: catalog.state_keys is not None, "the nodes and the keys")
        assert catalog.node_names == ["call_model", "human_review", "tools"]
        assert "messages" in (catalog.state_keys or ())
        graph[0] = "no-such-graph"
        catalog.follow()  # a graph the deployment does not serve: nothing to read
        assert catalog.node_names is None and not failures
        catalog.use(nowhere)  # another deployment: what the first one said is forgotten
        assert catalog.graphs is None and catalog.node_names is None
        await until(pilot, lambda: bool(failures), "the failure")
        assert failures[0].startswith("Could not list the deployment's graphs:")
        assert catalog.graphs is None
