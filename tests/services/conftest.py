"""Two real Agent Servers of a graph the app does not bundle (``tests/graphs/heldout``): the
source of a thread and the deployment it is replayed on. The official SDK (sync client) is
the oracle for what each holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Result
from tui.cli import main
from tui.demo.server import LocalServer

HELDOUT = Path(__file__).parent.parent / "graphs" / "heldout"


@dataclass
class Pair:
    source: str
    target: str


@pytest.fixture(scope="session")
def heldout() -> Iterator[Pair]:
    with LocalServer(HELDOUT) as source, LocalServer(HELDOUT) as target:
        yield Pair(source.url, target.url)


@pytest.fixture(scope="session")  # the SDK's clients keep no state: one per worker
def sdk_a(heldout: Pair) -> Iterator[Any]:
    from langgraph_sdk import get_sync_client

    client = get_sync_client(url=heldout.source, api_key=None)
    yield client
    client.close()


@pytest.fixture(scope="session")
def sdk_b(heldout: Pair) -> Iterator[Any]:
    from langgraph_sdk import get_sync_client

    client = get_sync_client(url=heldout.target, api_key=None)
    yield client
    client.close()


Cli = Callable[..., Result]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> Cli:
    """``cli("export", id, "--url", url)``: ``threadloom`` in-process, output captured."""
    monkeypatch.setenv("THREADLOOM_HOME", str(tmp_path / "home"))
    for var in ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"):
        monkeypatch.delenv(var, raising=False)

    def run(*argv: str) -> Result:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


SERVER_SET_METADATA = ("assistant_id",)
"""Set by the server when a run starts; it drops the key from a create or a patch."""


def lineage_length(history: list[dict[str, Any]]) -> int:
    """How many checkpoints lead to the newest one (a fork's other branch left out)."""
    by_id = {c["checkpoint"]["checkpoint_id"]: c for c in history}
    count, current = 0, history[0] if history else None
    while current is not None:
        count += 1
        parent = (current.get("parent_checkpoint") or {}).get("checkpoint_id")
        current = by_id.get(parent) if parent else None
    return count


def observed(sdk: Any, thread_id: str) -> dict[str, Any]:
    """What a user can see of a thread through the API: its state (values, next, the tasks
    with their interrupts), its metadata, and how many checkpoints its state has behind it."""
    state = sdk.threads.get_state(thread_id)
    thread = sdk.threads.get(thread_id)
    history = sdk.threads.get_history(thread_id, limit=1000)
    return {
        "values": state["values"],
        "next": sorted(state["next"]),
        "tasks": sorted((t["name"], [i["value"] for i in t["interrupts"]])
                        for t in state["tasks"]),
        "metadata": {k: v for k, v in thread["metadata"].items()
                     if k not in SERVER_SET_METADATA},
        "history": lineage_length(history),
    }
