"""The deployment side of the editor, as a plain object: which graphs the deployment serves
(from its assistants) and each graph's node names and state keys, read once per client and
read again when the app connects elsewhere.

:class:`GraphCatalog` holds what is known and runs its reads on its host's workers (the editor
widget's: a failure there is reported like any other); it tells the editor through two
callbacks, ``changed()`` (something arrived: validate and draw again) and ``failed(message)``.
:func:`script_problems` checks a script against what the catalog knows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from tui.app.shared.workers import run_job
from tui.deployment import DeploymentClient, DeploymentError
from tui.services.graphs import graph_ids, node_names
from tui.services.schemas import state_keys
from tui.supersteps.problems import Problem
from tui.supersteps.validate import validate

if TYPE_CHECKING:
    from textual.widget import Widget

    from tui.app.editor.state import PendingTexts
    from tui.supersteps.model import Script


class GraphCatalog:
    """What the editor knows of the deployment's graphs (see the module)."""

    def __init__(self, host: Widget, *, graph: Callable[[], str | None],
                 changed: Callable[[], None], failed: Callable[[str], None],
                 graphs_arrived: Callable[[list[str]], None] | None = None) -> None:
        """``graph()``: the script's graph now; ``graphs_arrived(graphs)``: the deployment's
        graphs were read (before ``changed()``)."""
        self.host = host
        self.graph = graph
        self.changed = changed
        self.failed = failed
        self.graphs_arrived = graphs_arrived
        self.client: DeploymentClient | None = None
        self.graphs: list[str] | None = None  # None: not known (yet)
        self._nodes: dict[str, list[str]] = {}
        self._keys: dict[str, frozenset[str] | None] = {}

    @property
    def node_names(self) -> list[str] | None:
        """The script's graph's nodes (None: not known)."""
        graph = self.graph()
        return self._nodes.get(graph) if graph else None

    @property
    def state_keys(self) -> frozenset[str] | None:
        """The script's graph's state keys (None: not known, or the schema names none)."""
        graph = self.graph()
        return self._keys.get(graph) if graph else None

    def use(self, client: DeploymentClient | None) -> bool:
        """The app's client (it may have changed): forget what another one said and read the
        graphs again. False when it is the client already used."""
        if client is self.client:
            return False
        self.client = client
        self.graphs, self._nodes, self._keys = None, {}, {}
        if client is not None:
            run_job(self.host, partial(self._load_graphs, client), "editor-graphs")
        return True

    def follow(self) -> None:
        """The script's graph may have changed: read its nodes when they are not known."""
        graph = self.graph()
        if graph and self.graphs is not None and graph in self.graphs \
                and graph not in self._nodes and self.client is not None:
            run_job(self.host, partial(self._load_nodes, self.client, graph), "editor-nodes")

    async def _load_graphs(self, client: DeploymentClient) -> None:
        try:
            graphs = await graph_ids(client)
        except DeploymentError as exc:
            self.failed(f"Could not list the deployment's graphs: {exc}")
            return
        if client is not self.client:
            return
        self.graphs = graphs
        if self.graphs_arrived is not None:
            self.graphs_arrived(graphs)
        self.follow()
        self.changed()

    async def _load_nodes(self, client: DeploymentClient, graph_id: str) -> None:
        try:
            names = await node_names(client, graph_id)
        except DeploymentError as exc:
            self.failed(f"Could not read graph {graph_id}: {exc}")
            return
        if client is not self.client:
            return
        self._nodes[graph_id] = names
        if self.graph() == graph_id:
            self.changed()
        keys = self._keys[graph_id] = await state_keys(client, graph_id)
        if client is self.client and self.graph() == graph_id and keys is not None:
            self.changed()


def script_problems(script: Script, pending: PendingTexts, catalog: GraphCatalog) -> list[Problem]:
    """Every problem of ``script`` (checked against the deployment's nodes and state keys when
    they are known), the JSON still being typed (``pending``) included, in outline order."""
    problems = validate(script, catalog.node_names, catalog.state_keys)
    problems.extend(pending.problems(script))
    graph = script.graph_id
    graphs = catalog.graphs
    if graph and graphs is not None and graph not in graphs:
        known = ", ".join(graphs) or "none"
        problems.append(Problem(None, None, "metadata.graph_id",
                                f"This deployment has no graph {graph!r} (graphs: {known})."))
    return sorted(problems, key=lambda p: (-1 if p.superstep is None else p.superstep,
                                           -1 if p.update is None else p.update))
