"""``threadloom create`` sends the script's body whole: what the request models do not name
(unknown top-level keys, ``ttl.strategy``) reaches ``POST /threads`` as written — seen on the
wire in front of the real server, and the thread read back through the official SDK."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.cli.conftest import Run, one_line_error, write_script
from tests.scripts import GREETING, meta
from tests.services.wire import CreateBodies
from tui.deployment import DeploymentClient
from tui.spec import ConnectionSpec


@pytest.fixture
def wire(server_url: str, monkeypatch: pytest.MonkeyPatch) -> CreateBodies:
    """The CLI's client, wired through :class:`CreateBodies` to the real server."""
    recorder = CreateBodies(server_url)
    original = ConnectionSpec.client

    def client(self: ConnectionSpec,
               transport: httpx.AsyncBaseTransport | None = None) -> DeploymentClient:
        return original(self, transport or recorder)

    monkeypatch.setattr(ConnectionSpec, "client", client)
    return recorder


def test_unknown_keys_and_the_ttl_strategy_reach_the_wire(
    cli: Run, wire: CreateBodies, sync_sdk: Any, tmp_path: Path, tag: str
) -> None:
    ttl = {"ttl": 30, "strategy": "keep_latest"}
    script = {"metadata": meta(tag=tag), "supersteps": GREETING, "ttl": ttl,
              "x_threadloom_probe": [1, {"two": 2}]}

    result = cli("create", "--script", write_script(tmp_path / "s.json", script))

    assert result.code == 0, result.err
    [sent] = wire.bodies
    assert sent["ttl"] == ttl
    assert sent["x_threadloom_probe"] == [1, {"two": 2}]
    assert {k: v for k, v in sent.items() if k != "thread_id"} == script
    thread_id = result.json()["thread_id"]
    assert sent["thread_id"] == thread_id
    messages = sync_sdk.threads.get_state(thread_id)["values"]["messages"]
    assert [m["content"] for m in messages] == ["hello", "Hello! How can I assist you today?"]


def test_a_ttl_that_is_not_positive_is_refused_before_anything_is_sent(
    cli: Run, wire: CreateBodies, tmp_path: Path
) -> None:
    script = {"metadata": meta(), "supersteps": GREETING, "ttl": {"ttl": -1}}

    result = cli("create", "--script", write_script(tmp_path / "s.json", script))

    assert result.code == 3
    assert "ttl.ttl must be a positive number of minutes" in one_line_error(result)
    assert wire.bodies == []
