"""The deployment side of the editor: which graphs it serves (from its assistants) and the
nodes of the script's graph, reloaded when the app connects or switches profile. A mixin of
:class:`SuperstepEditor` (the workers must be methods of the widget)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widget import Widget

from tui.app.context import app_context
from tui.app.editor.session import EditorSession
from tui.deployment import DeploymentClient, DeploymentError
from tui.services.graphs import graph_ids, node_names
from tui.services.schemas import state_keys
from tui.supersteps.model import Script


class GraphsMixin(Widget):
    if TYPE_CHECKING:
        session: EditorSession
        graphs: list[str] | None
        node_names: list[str] | None
        state_keys: frozenset[str] | None
        _graph_nodes: dict[str, list[str]]
        _graph_keys: dict[str, frozenset[str] | None]
        _client: DeploymentClient | None

        @property
        def script(self) -> Script: ...
        def _refresh(self, *, select: tuple[int | None, int | None] | None = None,
                     reload_detail: bool = True, skip: str | None = None,
                     schedule_draft: bool = True) -> None: ...
        def _set_status(self, message: str | None = None) -> None: ...

    @property
    def client(self) -> DeploymentClient | None:
        """The client the editor talks to: the app's, once the editor has taken it."""
        return self._client

    def _watch_client(self) -> None:
        """The app's connection changed (or the editor was just mounted): reload the graphs."""
        client = app_context(self).client
        if client is self._client:
            return
        self._client = client
        self.graphs, self.node_names, self._graph_nodes = None, None, {}
        self.state_keys, self._graph_keys = None, {}
        if client is not None:
            self._load_graphs()
        self._graph_changed()

    @work(exclusive=True, group="editor-graphs", exit_on_error=False)
    async def _load_graphs(self) -> None:
        client = self._client
        if client is None:
            return
        try:
            graphs = await graph_ids(client)
        except DeploymentError as exc:
            self._set_status(f"Could not list the deployment's graphs: {exc}")
            return
        if client is not self._client:
            return
        self.graphs = graphs
        if self.script == Script() and graphs:  # a brand-new script: use the first graph
            self.session.history.reset(Script(metadata={"graph_id": graphs[0]}))
        self._graph_changed()

    def _graph_changed(self, skip: str | None = None) -> None:
        graph = self.script.graph_id
        known = self.graphs is not None and graph in self.graphs
        self.state_keys = self._graph_keys.get(graph) if graph else None
        if graph and known and graph in self._graph_nodes:
            self.node_names = self._graph_nodes[graph]
        else:
            self.node_names = None
            if graph and known:
                self._load_nodes(graph)
        if self.is_mounted:
            self._refresh(skip=skip, schedule_draft=False)

    @work(exclusive=True, group="editor-nodes", exit_on_error=False)
    async def _load_nodes(self, graph_id: str) -> None:
        client = self._client
        if client is None:
            return
        try:
            names = await node_names(client, graph_id)
        except DeploymentError as exc:
            self._set_status(f"Could not read graph {graph_id}: {exc}")
            return
        self._graph_nodes[graph_id] = names
        if self.script.graph_id == graph_id:
            self.node_names = names
            self._refresh(schedule_draft=False)
        keys = self._graph_keys[graph_id] = await state_keys(client, graph_id)
        if self.script.graph_id == graph_id and keys is not None:
            self.state_keys = keys
            self._refresh(schedule_draft=False)
