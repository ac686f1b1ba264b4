"""The generated code, run for real: the curl snippet in bash and the Python snippet with the
real ``langgraph_sdk`` against the test server, each compared with the thread the editor
creates from the same script (its create call, ``tui.app.widgets.editor.remote``).

Compared through the official SDK: values (message ids left out: the server makes them), the
next nodes and the length of the history. (The JS snippet needs the npm package, which the
test machines do not have; ``test_codegen.py`` runs it against a stand-in of the SDK.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.scripts import COMMAND_GOTO, END_STEP, GREETING, SEVERAL_IN_ONE, TOOL_CALL, meta
from tui.app.widgets.editor.remote import create_thread
from tui.deployment import DeploymentClient
from tui.supersteps.codegen import to_curl, to_python
from tui.supersteps.model import Script

SCRIPTS = {
    "greeting": GREETING,
    "tool_call": TOOL_CALL,
    "several_in_one": SEVERAL_IN_ONE,
    "command_goto": COMMAND_GOTO,
    "end_step": END_STEP,
}
KEY_ENV = "LANGGRAPH_API_KEY"  # what the editor names when the profile names none
ENV = {**os.environ, KEY_ENV: "not-checked-by-the-local-server"}


def comparable(values: Any) -> Any:
    if isinstance(values, dict) and isinstance(values.get("messages"), list):
        return {**values, "messages": [{k: v for k, v in m.items() if k != "id"}
                                       for m in values["messages"]]}
    return values


async def snapshot(sdk: Any, thread_id: str) -> tuple[Any, Any, int, Any]:
    state = await sdk.threads.get_state(thread_id)
    history = await sdk.threads.get_history(thread_id, limit=100)
    thread = await sdk.threads.get(thread_id)
    return comparable(state["values"]), state["next"], len(history), thread["metadata"]


def run_curl(code: str) -> str:
    done = subprocess.run(["bash", "-c", code], capture_output=True, text=True, env=ENV,
                          timeout=60, check=True)
    return str(json.loads(done.stdout)["thread_id"])


def run_python(code: str, tmp_path: Path) -> str:
    file = tmp_path / "create_thread.py"
    file.write_text(code)
    done = subprocess.run([sys.executable, str(file)], capture_output=True, text=True,
                          env=ENV, timeout=120, check=True)
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("name", list(SCRIPTS))
async def test_generated_code_creates_what_the_editor_creates(
    name: str, server_url: str, client: DeploymentClient, sdk: Any, tmp_path: Path
) -> None:
    script = Script.from_body({"metadata": meta(example=name), "supersteps": SCRIPTS[name]})

    by_editor = (await create_thread(client, script)).thread_id
    by_curl = run_curl(to_curl(script, server_url, KEY_ENV))
    by_python = run_python(to_python(script, server_url, KEY_ENV), tmp_path)

    expected = await snapshot(sdk, by_editor)
    assert len({by_editor, by_curl, by_python}) == 3
    assert await snapshot(sdk, by_curl) == expected
    assert await snapshot(sdk, by_python) == expected
    assert expected[3] == {"graph_id": "agent", "example": name}


async def test_python_code_carries_thread_options(
    server_url: str, sdk: Any, tmp_path: Path
) -> None:
    thread_id = "0b8f6a47-3c1e-4f43-9e64-7d4f1bb0c0de"
    script = Script.from_body({"thread_id": thread_id, "if_exists": "do_nothing",
                               "metadata": meta(), "supersteps": GREETING})

    first = run_python(to_python(script, server_url, KEY_ENV), tmp_path)
    again = run_python(to_python(script, server_url, KEY_ENV), tmp_path)  # do_nothing

    assert first == again == thread_id
    # Measured: with supersteps, "do_nothing" returns the existing thread but still applies
    # the supersteps to it again (validate warns about it).
    assert len(await sdk.threads.get_history(thread_id, limit=100)) == 6
