"""Shared test data: the seed page's script, the demo graph's nodes, recorded fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"

DEMO_NODES = ("call_model", "human_review", "tools")

SEED_BODY: dict[str, Any] = {
    "metadata": {"graph_id": "agent"},
    "supersteps": [
        {"updates": [{"values": {}, "as_node": "__input__"}]},
        {
            "updates": [
                {
                    "values": {"messages": [{"type": "human", "content": "hello"}]},
                    "as_node": "__start__",
                }
            ]
        },
        {
            "updates": [
                {
                    "values": {
                        "messages": [
                            {"content": "Hello! How can I assist you today?", "type": "ai"}
                        ]
                    },
                    "as_node": "call_model",
                }
            ]
        },
    ],
}


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))
